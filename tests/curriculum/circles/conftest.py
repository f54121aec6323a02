"""A classroom with a listening circle under way: groups formed from the students who joined."""

import pytest

from curriculum.live import services as live
from tests.factories import ActivityFactory, ClassroomFactory, StudentFactory

CIRCLE = {
    "topic": {"en": "Tell about a time you were new.", "es": "Cuenta de una vez que fuiste nuevo."},
    "speaker_minutes": 4,
    "starters": [{"en": "One time I was new at..."}],
}


@pytest.fixture
def circle_room():
    classroom = ClassroomFactory(grade=4)
    students = StudentFactory.create_batch(7, school=classroom.school)
    for student in students:
        classroom.enrollments.create(student=student)
    activity = ActivityFactory(kind="listening_circle", content=CIRCLE, title="When I Was New")
    return classroom, classroom.teachers.get(), students, activity


def circle_running(classroom, teacher, students, activity, *, size=3):
    """The circle started, ``students`` joined (in that order), grouped by ``size`` and under way."""
    run = live.live_start(classroom=classroom, activity=activity, by=teacher)
    for student in students:
        live.live_join(run, student)
    run = live.live_advance(run, by=teacher, expected="open")
    live.live_groups_form(run, by=teacher, size=size)
    return live.live_advance(run, by=teacher, expected="grouped")


@pytest.fixture
def circle_of_three(circle_room):
    classroom, teacher, students, activity = circle_room
    three = students[:3]
    return circle_running(classroom, teacher, three, activity), teacher, three
