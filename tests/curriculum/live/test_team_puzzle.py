"""A team puzzle live (curriculum.puzzles): parts dealt to every group, each student sees only theirs,
contributions and one shared answer saved safely, each group's result on the projector, nothing ranked."""

from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags
from hypothesis import given
from hypothesis import strategies as st

from curriculum.exercises.answers import ANSWER_TEXT_MAX
from curriculum.live import services as live
from curriculum.models import LiveMember, LiveRun, PuzzleAnswer, PuzzlePart
from curriculum.puzzles import services
from curriculum.puzzles.dealing import deal
from tests.factories import ActivityFactory, ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db

PARTS = [
    "Clue one: the game needs a ball.",
    "Clue two: Mia uses a wheelchair.",
    "Clue three: it rains on Friday.",
    "Clue four: the gym is free.",
]
PUZZLE = {
    "problem": {"en": "Room 14 wants one game everybody can play on Friday.", "es": "El salón 14 quiere un juego."},
    "parts": [{"en": text} for text in PARTS],
    "question": {"en": "Which game can everyone play?"},
    "answer_for_teacher": "Seated ball toss in the gym.",
}
LESSONS = Path(__file__).resolve().parents[3] / "curriculum" / "lessons"


@pytest.fixture
def room():
    classroom = ClassroomFactory(grade=4)
    students = StudentFactory.create_batch(7, school=classroom.school)
    for student in students:
        classroom.enrollments.create(student=student)
    activity = ActivityFactory(kind="team_puzzle", content=PUZZLE)
    return classroom, classroom.teachers.get(), students, activity


def running(room, *, size=3, joined=None):
    """A puzzle started, everyone joined, groups formed (sizes 3 and 4 for 7 students), under way."""
    classroom, teacher, students, activity = room
    run = live.live_start(classroom=classroom, activity=activity, by=teacher)
    for student in joined or students:
        live.live_join(run, student)
    run = live.live_advance(run, by=teacher, expected="open")
    live.live_groups_form(run, by=teacher, size=size)
    return live.live_advance(run, by=teacher, expected="grouped")


def held(run, student) -> list[int]:
    return sorted(PuzzlePart.objects.filter(run=run, student=student).values_list("index", flat=True))


@given(members=st.integers(min_value=1, max_value=8), parts=st.integers(min_value=3, max_value=5))
def test_dealing_gives_every_part_to_someone_and_someone_a_part_to_everyone(members, parts):
    dealt = deal(list(range(100, 100 + members)), parts)
    assert {index for _, index in dealt} == set(range(parts))
    assert {member for member, _ in dealt} == set(range(100, 100 + members))
    assert len(set(dealt)) == len(dealt)
    counts = [sum(1 for m, _ in dealt if m == member) for member in range(100, 100 + members)]
    assert max(counts) - min(counts) <= 1  # nobody holds two parts while another could have held one


def test_going_running_deals_every_part_in_every_group_and_gives_each_group_an_empty_answer(room):
    _classroom, _teacher, students, _activity = room
    run = running(room)
    assert run.state == "running"
    for group in run.groups.all():
        members = list(LiveMember.objects.filter(group=group).values_list("student_id", flat=True))
        parts = PuzzlePart.objects.filter(group=group)
        assert sorted(set(parts.values_list("index", flat=True))) == [0, 1, 2, 3]
        assert set(parts.values_list("student_id", flat=True)) == set(members)
        if len(members) == 3:  # fewer members than parts: one member holds two
            assert sorted(parts.filter(student_id=s).count() for s in members) == [1, 1, 2]
    assert PuzzleAnswer.objects.filter(run=run).count() == run.groups.count() == 2
    services.puzzle_parts_deal(run)  # once only
    assert PuzzlePart.objects.filter(run=run).count() == 8


def test_a_bigger_group_than_parts_shares_a_part(room):
    classroom, teacher, students, activity = room
    more = StudentFactory.create_batch(3, school=classroom.school)
    for student in more:
        classroom.enrollments.create(student=student)
    run = running(room, size=5, joined=students[:2] + more)  # one group of 5
    indexes = list(PuzzlePart.objects.filter(run=run).values_list("index", flat=True))
    assert sorted(indexes) == [0, 0, 1, 2, 3]


def test_each_student_sees_only_their_own_part_and_their_groups_words(client, room):
    _classroom, _teacher, students, _activity = room
    run = running(room)
    me = students[0]
    mine = held(run, me)
    client.force_login(me)
    text = client.get(run.get_absolute_url()).content.decode()
    for index, part in enumerate(PARTS):
        assert (part in text) == (index in mine)
    assert "Which game can everyone play?" in text and "Seated ball toss" not in text
    mate = (
        LiveMember.objects.filter(group=LiveMember.objects.get(run=run, student=me).group)
        .exclude(student=me)
        .first()
        .student
    )
    other = (
        LiveMember.objects.filter(run=run)
        .exclude(group=LiveMember.objects.get(run=run, student=me).group)
        .first()
        .student
    )
    for student, words in ((mate, "The ball must roll, not fly."), (other, "Secret words of another group.")):
        part = PuzzlePart.objects.filter(run=run, student=student).first()
        services.puzzle_contribution_save(part=part, by=student, text=words)
    text = client.get(run.get_absolute_url()).content.decode()
    assert "The ball must roll, not fly." in text and "Secret words of another group." not in text


def test_a_part_of_another_group_or_a_groupmate_is_a_404(client, room):
    _classroom, _teacher, students, _activity = room
    run = running(room)
    me = students[0]
    group = LiveMember.objects.get(run=run, student=me).group
    url = reverse("curriculum:puzzle_contribution", args=[run.pk])
    client.force_login(me)
    for part in (
        PuzzlePart.objects.filter(run=run).exclude(group=group).first(),
        PuzzlePart.objects.filter(group=group).exclude(student=me).first(),
    ):
        assert client.post(url, {"part": part.pk, "text": "Mine now"}).status_code == 404
        part.refresh_from_db()
        assert part.contribution == ""
    assert client.post(url, {"part": "99999999999999999999999", "text": "x"}).status_code == 404


def test_a_contribution_is_saved_and_moves_the_students_pages(client, room):
    _classroom, _teacher, students, _activity = room
    run = running(room)
    me = students[0]
    part = PuzzlePart.objects.filter(run=run, student=me).first()
    stage = LiveRun.objects.get(pk=run.pk).stage
    client.force_login(me)
    response = client.post(
        reverse("curriculum:puzzle_contribution", args=[run.pk]),
        {"part": part.pk, "text": "  It needs a ball.  "},
        HTTP_HX_REQUEST="true",
    )
    assert (
        response.status_code == 200
        and 'id="live-region"' in response.content.decode()
        and "Shared ✓" in response.content.decode()
    )
    part.refresh_from_db()
    assert part.contribution == "It needs a ball." and part.contributed_at is not None
    assert LiveRun.objects.get(pk=run.pk).stage == stage + 1


def test_bad_text_is_refused_with_a_message_and_what_was_typed_is_kept(client, room):
    _classroom, _teacher, students, _activity = room
    run = running(room)
    me = students[0]
    part = PuzzlePart.objects.filter(run=run, student=me).first()
    client.force_login(me)
    url = reverse("curriculum:puzzle_contribution", args=[run.pk])
    long = "word " * (ANSWER_TEXT_MAX // 4)
    page = client.post(url, {"part": part.pk, "text": long})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Make it a little shorter." in text and long.strip()[:200] in text and "data-live-unsaved" in text
    page = client.post(url, {"part": part.pk, "text": "   "}, HTTP_HX_REQUEST="true")
    assert "Write what your piece tells your group first." in page.content.decode()
    answer_url = reverse("curriculum:puzzle_answer", args=[run.pk])
    page = client.post(answer_url, {"text": "", "version": "0"})
    assert "Write your group&#x27;s answer first." in page.content.decode()
    assert client.post(answer_url, {"text": "a\x00b", "version": "0"}).status_code == 400  # the project's middleware
    page = client.post(answer_url, {"text": "<script>alert(1)</script><b>ball</b>", "version": "0"})
    assert page.status_code == 302
    answer = PuzzleAnswer.objects.get(group=LiveMember.objects.get(run=run, student=me).group)
    assert answer.text == "<script>alert(1)</script><b>ball</b>"
    text = client.get(run.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;ball&lt;/b&gt;" in text and "<script>alert(1)" not in text
    part.refresh_from_db()
    assert part.contribution == ""


def test_two_members_saving_the_answer_from_the_same_version_the_second_is_told_and_shown_the_first(client, room):
    _classroom, _teacher, students, _activity = room
    run = running(room)
    me = students[0]
    group = LiveMember.objects.get(run=run, student=me).group
    mate = LiveMember.objects.filter(group=group).exclude(student=me).first().student
    answer = PuzzleAnswer.objects.get(group=group)
    services.puzzle_answer_save(answer=answer, by=mate, text="The seated ball toss.", seen_version=0)
    client.force_login(me)
    page = client.post(
        reverse("curriculum:puzzle_answer", args=[run.pk]),
        {"text": "Tag in the gym.", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Someone in your group saved the answer a moment ago." in text
    assert "The seated ball toss." in text and "Tag in the gym." in text
    assert 'name="version" value="1"' in text  # the next save is over the groupmate's
    answer.refresh_from_db()
    assert (answer.text, answer.version, answer.saved_by) == ("The seated ball toss.", 1, mate)
    client.post(
        reverse("curriculum:puzzle_answer", args=[run.pk]),
        {"text": "Seated ball toss, or tag in the gym.", "version": "1"},
    )
    answer.refresh_from_db()
    assert (answer.text, answer.version, answer.saved_by) == ("Seated ball toss, or tag in the gym.", 2, me)


def test_nothing_is_written_before_the_puzzle_runs_or_after_it_closed(client, room):
    classroom, teacher, students, activity = room
    run = running(room)
    me = students[0]
    part = PuzzlePart.objects.filter(run=run, student=me).first()
    live.live_close(run, by=teacher)
    client.force_login(me)
    page = client.post(reverse("curriculum:puzzle_contribution", args=[run.pk]), {"part": part.pk, "text": "Too late"})
    assert page.status_code == 200 and "The puzzle has ended" in page.content.decode()
    page = client.post(reverse("curriculum:puzzle_answer", args=[run.pk]), {"text": "Too late", "version": "0"})
    assert page.status_code == 200 and "The puzzle has ended" in page.content.decode()
    part.refresh_from_db()
    assert part.contribution == "" and not PuzzleAnswer.objects.exclude(text="").exists()
    with pytest.raises(ValidationError, match="hasn't started"):
        services._lock_running(live.live_start(classroom=classroom, activity=activity, by=teacher))


def test_a_teacher_or_another_classs_student_cannot_write(client, room):
    classroom, teacher, students, activity = room
    run = running(room)
    part = PuzzlePart.objects.filter(run=run).first()
    client.force_login(teacher)
    assert (
        client.post(
            reverse("curriculum:puzzle_contribution", args=[run.pk]), {"part": part.pk, "text": "x"}
        ).status_code
        == 404
    )
    stranger = StudentFactory(school=classroom.school)
    client.force_login(stranger)
    assert (
        client.post(reverse("curriculum:puzzle_answer", args=[run.pk]), {"text": "x", "version": "0"}).status_code
        == 404
    )
    assert client.get(reverse("curriculum:puzzle_answer", args=[run.pk])).status_code == 405


def test_at_the_end_the_projector_shows_each_groups_answer_without_names_or_ranks_and_the_teacher_the_key(client, room):
    _classroom, teacher, students, _activity = room
    run = running(room)
    answers = list(PuzzleAnswer.objects.filter(run=run).select_related("group"))
    for n, answer in enumerate(answers):
        author = LiveMember.objects.filter(group=answer.group).first().student
        services.puzzle_answer_save(answer=answer, by=author, text=f"Answer of group number {n + 1}", seen_version=0)
    live.live_advance(run, by=teacher, expected="running")
    client.force_login(teacher)
    wall = client.get(reverse("curriculum:live_projector", args=[run.pk])).content.decode()
    assert "What each group found" in wall and "Answer of group number 1" in wall and "Answer of group number 2" in wall
    # Full names: a student may share a surname with the teacher, whose name the navigation shows.
    assert "Seated ball toss" not in wall and not any(f"{s.first_name} {s.last_name}" in wall for s in students)
    shown = strip_tags(wall).lower()  # the words the wall shows (a random CSRF token once held "1st")
    for word in ("winner", "score", "1st", "rank"):
        assert word not in shown
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Seated ball toss in the gym." in page and "Answer of group number 2" in page
    client.force_login(students[0])
    mine = client.get(run.get_absolute_url()).content.decode()
    assert "Look at the board" in mine and sum(f"Answer of group number {n}" in mine for n in (1, 2)) == 1


def test_the_teachers_page_costs_the_same_queries_for_a_small_and_a_big_class(client, room):
    classroom, teacher, students, activity = room
    run = running(room)
    client.force_login(teacher)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("curriculum:live_poll", args=[run.pk, "teacher"])).status_code == 200
        return len(queries)

    small = cost()
    live.live_close(run, by=teacher)
    more = StudentFactory.create_batch(13, school=classroom.school)
    for student in more:
        classroom.enrollments.create(student=student)
    run = running(room, joined=students + more)
    assert cost() == small


def test_the_practice_page_counts_puzzles_solved_and_contributions_without_ranking(client, room):
    classroom, teacher, students, _activity = room
    run = running(room)
    answer = PuzzleAnswer.objects.filter(run=run).first()
    author = LiveMember.objects.filter(group=answer.group).first().student
    services.puzzle_answer_save(answer=answer, by=author, text="Together we found it.", seen_version=0)
    for part in PuzzlePart.objects.filter(run=run)[:3]:
        services.puzzle_contribution_save(part=part, by=part.student, text="My piece says this.")
    client.force_login(teacher)
    page = client.get(reverse("curriculum:practice", args=[classroom.pk])).content.decode()
    assert "Team puzzles" in page and "1 of 2 groups wrote their answer together" in page
    assert "Contributions written" in page and "3, by" in page


def test_the_library_holds_team_puzzles_across_bands():
    found = []
    for path in LESSONS.rglob("*.yaml"):
        lesson = yaml.safe_load(path.read_text())
        found += [(lesson["band"], a["key"]) for a in lesson["activities"] if a["kind"] == "team_puzzle"]
    assert len(found) >= 4 and len({band for band, _ in found}) >= 2
