"""The rule of the whole program, as properties: whatever a student writes and whatever the screen answers, a
request for adults is never readable by any peer counselor (404 on its id, absent from every list and count),
and a request is visible to exactly its requester, the orange hats it is offered or given to, and the school's
counselors; every look by anyone else is in its log."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications.models import Notification
from peer_counselors import screening, services
from peer_counselors.models import HelpRequest, HelpRequestEvent
from peer_counselors.selectors import peer_queue
from tests.factories import (
    CounselorFactory,
    DistrictAdminFactory,
    PeerCounselorFactory,
    SchoolAdminFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

screenings = st.builds(
    screening.Screening,
    flagged=st.booleans(),
    categories=st.lists(st.sampled_from(screening.CATEGORIES), unique=True, max_size=3).map(lambda c: tuple(sorted(c))),
)
answers = st.one_of(screenings, st.just("raise"))


@pytest.fixture
def school():
    asker = StudentFactory()
    peers = [PeerCounselorFactory(school=asker.school) for _ in range(2)]
    return {"asker": asker, "peers": peers, "counselor": CounselorFactory(school=asker.school)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(min_size=1, max_size=300).filter(lambda t: t.replace("\x00", "").strip()), answer=answers,
    named=st.booleans(), asked_adult=st.booleans(),
)
def test_a_request_for_adults_is_never_a_peers_whatever_the_text_and_the_screen(
    school, monkeypatch, text, answer, named, asked_adult
):
    def screen(_text):
        if answer == "raise":
            raise ValueError("the screen broke")
        return answer

    monkeypatch.setattr(screening, "screen", screen)
    wanted = school["peers"][0].counselor_profile if named else None
    request = services.help_request_file(
        requester=school["asker"], topic="other", text=text, wanted=wanted, asked_adult=asked_adult
    )
    for_adults = answer == "raise" or answer.flagged or asked_adult
    assert request.for_adults == for_adults
    client = Client()
    for peer in school["peers"]:
        client.force_login(peer)
        opened = client.get(reverse("peer_counselors:request", args=[request.pk])).status_code
        listed = request.pk in [r.pk for r in peer_queue(peer)]
        page = client.get(reverse("peer_counselors:queue")).content.decode()
        told = Notification.objects.filter(recipient=peer, subject_key=f"peer_counselors.helprequest:{request.pk}").exists()
        if for_adults:
            assert (opened, listed, told) == (404, False, False)
            assert reverse("peer_counselors:request", args=[request.pk]) not in page
        else:
            offered = not named or peer == school["peers"][0]
            assert (opened == 200, listed, told) == (offered, offered, offered)
        for action in ("accept", "join", "hand"):
            if for_adults:
                client.post(reverse(f"peer_counselors:{action}", args=[request.pk]))
    if for_adults:
        request.refresh_from_db()
        assert request.assigned_to is None and request.status == HelpRequest.Status.WITH_ADULT


def test_only_the_requester_the_orange_hats_it_is_theirs_and_the_counselors_open_a_request_and_each_look_is_logged(client):
    """Every role, and every other student, on every URL of one request: only those listed get a 200."""
    asker = StudentFactory()
    s = asker.school
    owner, partner, offered, not_offered = (PeerCounselorFactory(school=s) for _ in range(4))
    request = services.help_request_file(requester=asker, topic="conflict", text="We fight at recess.")
    request.offered_to.remove(not_offered.counselor_profile)
    services.help_request_accept(request=request, by=owner)
    services.help_request_join(request=request, by=partner)
    other_school_counselor = CounselorFactory()
    people = {
        "asker": (asker, 200), "owner": (owner, 200), "partner": (partner, 200),
        # once a partner joined, the other orange hats it was offered to no longer see it
        "offered": (offered, 404), "not_offered": (not_offered, 404),
        "classmate": (StudentFactory(school=s), 404), "teacher": (TeacherFactory(school=s), 404),
        "admin": (SchoolAdminFactory(school=s), 404), "district": (DistrictAdminFactory(district=s.district), 404),
        "counselor": (CounselorFactory(school=s), 200), "other_school_counselor": (other_school_counselor, 404),
        "peer_elsewhere": (PeerCounselorFactory(), 404),
    }
    urls = [reverse("peer_counselors:request", args=[request.pk])]
    wrong = []
    for name, (user, expected) in people.items():
        client.force_login(user)
        for url in urls:
            got = client.get(url).status_code
            if got != expected:
                wrong.append(f"{name} got {got} on {url}, expected {expected}")
        meeting = client.get(reverse("peer_counselors:meeting", args=[request.pk])).status_code
        if meeting != (200 if name in ("owner", "partner") else 404):
            wrong.append(f"{name} got {meeting} on the meeting form")
    assert not wrong, "\n".join(wrong)
    looked = set(request.events.filter(kind=HelpRequestEvent.Kind.VIEWED).values_list("actor", flat=True))
    assert looked == {owner.pk, partner.pk, people["counselor"][0].pk}
