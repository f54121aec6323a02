"""Classroom measures (classrooms/measures.py): figures other apps register about classrooms, read by the
outcomes page as each classroom's dose without importing the apps that own them."""

from datetime import timedelta

import pytest

from classrooms import measures
from classrooms.measures import classroom_measure_register, classroom_measures_registered, classroom_measures_values
from classrooms.models import Session
from tests.factories import ClassroomFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch_registry(monkeypatch):
    """The registry as the apps filled it, restored after the test."""
    monkeypatch.setattr(measures, "_registry", dict(measures._registry))


def test_the_program_and_the_curriculum_register_their_dose_in_order():
    assert [(m.key, str(m.label)) for m in classroom_measures_registered()] == [
        ("sessions_held", "Sessions held"),
        ("activities_completed", "Activities turned in"),
    ]


def test_a_key_registered_twice_with_another_figure_is_refused(scratch_registry):
    def visits(ids, since, until):
        return {}

    classroom_measure_register("visits_held", "Visits held", visits)
    classroom_measure_register("visits_held", "Visits held", visits)  # the same again: harmless (a reload)
    with pytest.raises(ValueError):
        classroom_measure_register("visits_held", "Visits held", lambda ids, since, until: {})


def test_each_figure_is_one_query_for_every_classroom_and_keeps_to_the_period(django_assert_num_queries):
    rooms = [ClassroomFactory() for _ in range(3)]
    start = SessionFactory(classroom=rooms[0]).starts_at
    for room, days, status in (
        (rooms[0], 0, Session.Status.HELD),
        (rooms[0], 1, Session.Status.HELD),
        (rooms[0], 40, Session.Status.HELD),  # after the period
        (rooms[1], 2, Session.Status.CANCELLED),
        (rooms[2], 3, Session.Status.HELD),
    ):
        SessionFactory(classroom=room, starts_at=start + timedelta(days=days, hours=1), status=status)
    with django_assert_num_queries(len(classroom_measures_registered())):
        values = classroom_measures_values([r.pk for r in rooms], start, start + timedelta(days=30))
    assert values["sessions_held"] == {rooms[0].pk: 2, rooms[2].pk: 1}
    assert values["activities_completed"] == {}
    assert classroom_measures_values([], None, None) == {"sessions_held": {}, "activities_completed": {}}
