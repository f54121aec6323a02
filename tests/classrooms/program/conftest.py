"""What the program-year tests share: a New York classroom and its teacher."""

import pytest

from tests.factories import ClassroomFactory


@pytest.fixture
def classroom():
    """A classroom whose school keeps New York time (summer time ends 1 November 2026, starts 14 March 2027)."""
    return ClassroomFactory(school__time_zone="America/New_York")


@pytest.fixture
def teacher(classroom):
    return classroom.teachers.get()
