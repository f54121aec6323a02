"""A student who joins after the groups started: the teacher puts them in a group where the kind allows it —
a team puzzle deals them a piece to share, a listening circle counts them into its rotation — and a dilemma,
whose pairs come from the first votes, says plainly that it cannot. A grouped student stays where they are."""

import pytest
from django.urls import reverse

from curriculum.circles import services as circles
from curriculum.live import services as live
from curriculum.models import LiveMember, PuzzlePart
from tests.curriculum.circles.conftest import circle_room as circle_room  # noqa: F401 (the circle's fixture)
from tests.curriculum.circles.conftest import circle_running
from tests.curriculum.dilemmas.test_dilemma_practice import DILEMMA, _class
from tests.curriculum.live.test_team_puzzle import room as room  # noqa: F401 (the puzzle's fixture)
from tests.curriculum.live.test_team_puzzle import running
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def move(client, teacher, run, student, group_number):
    client.force_login(teacher)
    return client.post(
        reverse("curriculum:live_move", args=[run.pk]), {"student": student.pk, "group": group_number}, follow=True
    )


def test_a_late_joiner_of_a_puzzle_is_put_in_a_group_and_shares_the_piece_fewest_there_hold(client, room):  # noqa: F811
    _classroom, teacher, students, _activity = room
    run = running(room, joined=students[:6])  # two groups of 3; a puzzle of 4 parts: one member holds 2
    late = students[6]
    live.live_join(run, late)
    client.force_login(late)
    assert "Ask your teacher which group to join." in client.get(run.get_absolute_url()).content.decode()
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'name="part"' not in page
    teacher_page = move(client, teacher, run, late, 2).content.decode()
    assert "Put in this group" not in teacher_page  # nobody is left without a group
    member = LiveMember.objects.get(run=run, student=late)
    assert member.group.number == 2
    group_holds = list(PuzzlePart.objects.filter(run=run, group=member.group).values_list("index", flat=True))
    late_part = PuzzlePart.objects.get(run=run, student=late)
    assert group_holds.count(late_part.index) == 2  # shared with one groupmate
    assert sorted(set(group_holds)) == [0, 1, 2, 3]
    client.force_login(late)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Your piece" in page and f'name="part" value="{late_part.pk}"' in page


def test_the_teacher_sees_the_late_joiner_in_no_group_with_a_button_to_put_them_in_one(client, room):  # noqa: F811
    _classroom, teacher, students, _activity = room
    run = running(room, joined=students[:6])
    live.live_join(run, students[6])
    client.force_login(teacher)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "In no group yet" in page and "Put in this group" in page
    assert page.count("Put in this group") == 1  # the grouped students have no move button once started


def test_a_grouped_student_cannot_be_moved_once_the_puzzle_started(client, room):  # noqa: F811
    _classroom, teacher, students, _activity = room
    run = running(room)
    kid = LiveMember.objects.filter(run=run, group__number=1).first().student
    page = move(client, teacher, run, kid, 2).content.decode()
    assert "The groups have started: students can no longer be moved." in page
    assert LiveMember.objects.get(run=run, student=kid).group.number == 1
    assert PuzzlePart.objects.filter(run=run, student=kid).exclude(group__number=1).count() == 0


def test_a_late_joiner_of_a_circle_listens_and_may_be_chosen_to_sum_up_next(client, circle_room):  # noqa: F811
    classroom, teacher, students, activity = circle_room
    run = circle_running(classroom, teacher, students[:3], activity)
    first, second, _third = [m.student for m in LiveMember.objects.filter(run=run).order_by("pk")]
    circles.circle_reflector_choose(run, by=first, reflector_id=second.pk)
    late = students[3]
    live.live_join(run, late)
    client.force_login(late)
    assert "You are not in a group yet" in client.get(run.get_absolute_url()).content.decode()
    move(client, teacher, run, late, 1)
    client.force_login(late)
    assert f"Listen quietly to {first.first_name}." in client.get(run.get_absolute_url()).content.decode()
    circles.circle_turn_finish(run, by=first)
    turn = circles.circle_rate(run, by=first, turn_id=run.circle_turns.get().pk, heard=5)
    assert turn.heard == 5
    # second speaks next and may choose among those who have summed up least: the late joiner is one
    client.force_login(second)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Who will sum up what you say?" in page and f'value="{late.pk}"' in page


def test_a_dilemma_takes_no_late_joiner_into_a_group_and_says_so(client):
    classroom, teacher, kids = _class(5)
    run = live.live_start(classroom=classroom, activity=ActivityFactory(kind="dilemma", content=DILEMMA), by=teacher)
    for kid in kids[:4]:
        live.live_join(run, kid)
    run = live.live_advance(run, by=teacher, expected="open")
    run = live.live_advance(run, by=teacher, expected="voting")
    live.live_groups_form(run, by=teacher, size=4)
    run = live.live_advance(run, by=teacher, expected="grouped")
    live.live_join(run, kids[4])
    client.force_login(teacher)
    assert "Put in this group" not in client.get(run.get_absolute_url()).content.decode()
    page = move(client, teacher, run, kids[4], 1).content.decode()
    assert "The groups have started: students can no longer be moved." in page
    assert LiveMember.objects.get(run=run, student=kids[4]).group is None
