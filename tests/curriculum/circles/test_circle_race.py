"""A listening circle when two people act at the same moment, on PostgreSQL: a teacher's skip and a speaker's
rating or choice, two tabs rating at once. Each runs in its own thread and connection (tests.services.conftest)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from curriculum.circles import services
from curriculum.live import services as live
from curriculum.models import CircleTurn, LiveMember
from tests.curriculum.circles.conftest import circle_running
from tests.services.conftest import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks (DATABASE_URL is not PostgreSQL)")


def _one_of_each(*works):
    """Run the callables at once, one thread each; return the errors."""
    queue = iter(works)
    taking = threading.Lock()

    def work():
        with taking:
            mine = next(queue)
        mine()

    return run_together(work, threads=len(works))


def test_a_skip_and_the_speakers_rating_at_the_same_moment_leave_one_next_turn_and_a_consistent_rating(circle_room):
    classroom, teacher, students, activity = circle_room
    outcomes = set()
    for _attempt in range(4):
        run = circle_running(classroom, teacher, students[:3], activity)
        first = LiveMember.objects.filter(run=run).order_by("pk").first().student
        services.circle_skip(run, by=teacher)  # turn 1 begins
        services.circle_turn_finish(run, by=first)  # its time is up: the speaker may rate now
        turn = CircleTurn.objects.get(run=run, number=1)

        errors = _one_of_each(
            lambda run=run: services.circle_skip(run, by=teacher),
            lambda run=run, first=first, turn=turn: services.circle_rate(run, by=first, turn_id=turn.pk, heard=5),
        )

        turns = list(CircleTurn.objects.filter(run=run).order_by("number"))
        assert [t.number for t in turns] == [1, 2]
        rated = turns[0]
        if errors:
            assert len(errors) == 1 and isinstance(errors[0], ValidationError)
            assert "moved your group on" in errors[0].messages[0]
            assert rated.heard is None and rated.skipped_at is not None
            outcomes.add("skip first")
        else:
            assert rated.heard == 5 and rated.skipped_at is None
            outcomes.add("rating first")
        live.live_close(run, by=teacher)
    assert outcomes  # which came first is the scheduler's; both are consistent


def test_a_skip_for_every_group_and_a_first_speakers_choice_at_once_never_number_a_turn_twice(circle_room):
    classroom, teacher, students, activity = circle_room
    run = circle_running(classroom, teacher, students[:6], activity)
    members = list(
        LiveMember.objects.filter(run=run, group__number=1).order_by("pk").values_list("student_id", flat=True)
    )
    first = LiveMember.objects.get(run=run, student_id=members[0]).student

    errors = _one_of_each(
        lambda: services.circle_skip(run, by=teacher),
        lambda: services.circle_reflector_choose(run, by=first, reflector_id=members[2]),
    )

    assert all(isinstance(e, ValidationError) and "not your turn to choose" in e.messages[0] for e in errors)
    group_one = list(CircleTurn.objects.filter(run=run, group__number=1).order_by("number"))
    group_two = list(CircleTurn.objects.filter(run=run, group__number=2))
    assert len(group_two) == 1
    if errors:  # the skip began turn 1 with the suggestion
        assert [(t.number, t.reflector_id) for t in group_one] == [(1, members[1])]
    else:  # the choice began turn 1; the skip moved the group on to turn 2
        assert [(t.number, t.speaker_id, t.reflector_id) for t in group_one] == [
            (1, members[0], members[2]),
            (2, members[2], members[1]),
        ]
        assert group_one[0].skipped_at is not None


def test_two_tabs_of_the_speaker_rating_at_once_store_one_rating(circle_room):
    classroom, teacher, students, activity = circle_room
    run = circle_running(classroom, teacher, students[:3], activity)
    first = LiveMember.objects.filter(run=run).order_by("pk").first().student
    services.circle_skip(run, by=teacher)
    services.circle_turn_finish(run, by=first)
    turn = CircleTurn.objects.get(run=run)

    errors = _one_of_each(
        lambda: services.circle_rate(run, by=first, turn_id=turn.pk, heard=2),
        lambda: services.circle_rate(run, by=first, turn_id=turn.pk, heard=4),
    )

    assert len(errors) == 1 and "already told us" in errors[0].messages[0]
    turn.refresh_from_db()
    assert turn.heard in (2, 4)
