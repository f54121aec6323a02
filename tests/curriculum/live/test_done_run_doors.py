"""The pages of the live activities A1 did before (tests/access.py's ``_live_runs_done``: a closed dilemma, circle
and puzzle), at every persona: who gets each page (the run's page to its class and leaders, the projector and the
teacher's poll to its leaders, the student's poll to its students), and that every page shows only texts the
persona's scopes reach — the reasons, the restatement and its reply, the closing cards, the contributions, the
group's answer. Each kind of text shows on some page, so its absence from the others means something (but the
restatements' words, which a closed dilemma no longer shows)."""

import pytest
from django.urls import reverse

from curriculum.models import CircleCard, DilemmaVote, LiveRun, PuzzleAnswer, PuzzlePart, Restatement
from tests.access import PERSONAS
from tests.test_doors import texts_in
from tests.test_scopes import CURRICULUM_EXPECTED

pytestmark = pytest.mark.django_db

LEADERS = {"teacher", "school_admin"}
CLASS = LEADERS | {"student"}


def done_texts(world) -> list[tuple[str, str, str]]:
    """(text, the scope that may show it, its label), as tests/test_doors.py's ``sentinels``."""
    found = [
        (run.title, "live_run_scope", world.label(run)) for run in LiveRun.objects.filter(title__contains="-done-")
    ]
    found += [(v.reason, "dilemma_vote_scope", world.label(v)) for v in DilemmaVote.objects.exclude(reason="")]
    for r in Restatement.objects.exclude(restatement=""):
        found += [(r.restatement, "restatement_scope", world.label(r)), (r.reply, "restatement_scope", world.label(r))]
    for c in CircleCard.objects.all():
        found += [(c.like, "circle_card_scope", world.label(c)), (c.wish, "circle_card_scope", world.label(c))]
    found += [
        (p.contribution, "puzzle_part_scope", world.label(p)) for p in PuzzlePart.objects.exclude(contribution="")
    ]
    found += [(a.text, "puzzle_answer_scope", world.label(a)) for a in PuzzleAnswer.objects.exclude(text="")]
    return found


def doors(run) -> list[tuple[str, set[str]]]:
    """Each page of ``run`` and the personas it opens for."""
    return [
        (run.get_absolute_url(), CLASS),
        (reverse("curriculum:live_projector", args=[run.pk]), LEADERS),
        (reverse("curriculum:live_poll", args=[run.pk, "teacher"]), LEADERS),
        (reverse("curriculum:live_poll", args=[run.pk, "student"]), {"student"}),
    ]


def test_the_closed_runs_pages_open_for_their_class_and_show_each_persona_only_what_its_scopes_reach(
    client, access_world
):
    texts = done_texts(access_world)
    assert {scope for _, scope, _ in texts} >= {"dilemma_vote_scope", "circle_card_scope", "puzzle_answer_scope"}
    everything = [text for text, _, _ in texts]
    shown, wrong = set(), []
    for run in LiveRun.objects.filter(title__contains="-done-"):
        for url, opens_for in doors(run):
            for persona in PERSONAS:
                user = access_world.people[persona]
                client.logout()
                if user is not None:
                    client.force_login(user)
                response = client.get(url, HTTP_HX_REQUEST="true")
                if user is None or persona == "inactive":
                    expected = {302, 204}  # to sign in (htmx is told by HX-Redirect)
                else:
                    expected = {200} if persona in opens_for else {404}
                if response.status_code not in expected:
                    wrong.append(f"{url} as {persona}: {response.status_code}, expected {sorted(expected)}")
                found = texts_in(response.content.decode(), everything)
                shown |= found
                seen = CURRICULUM_EXPECTED[persona]
                allowed = {text for text, scope, label in texts if label in seen[scope]}
                if found - allowed:
                    wrong.append(f"{url} as {persona} shows {sorted(found - allowed)}")
    assert not wrong, "\n".join(wrong)
    unseen = {scope for text, scope, _ in texts} - {scope for text, scope, _ in texts if text in shown}
    # A closed dilemma shows how the restatements were rated, never their words (those showed while it ran)
    assert unseen == {"restatement_scope"}, (
        f"no page showed any text of {sorted(unseen)}: the search for them proves nothing"
    )
