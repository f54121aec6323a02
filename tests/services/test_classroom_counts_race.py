"""Two co-teachers writing sessions of one classroom at the same moment: the classroom's kept counts hold both
(PostgreSQL; classrooms.program.services.classroom_sessions_recount locks the classroom before counting)."""

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from classrooms.models import Classroom, Enrollment, Session
from classrooms.program import services
from tests.classrooms.program.test_classroom_session_counts import assert_in_step
from tests.factories import ClassroomFactory, SessionFactory, StudentFactory, TeacherFactory
from tests.services.conftest import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def mark_and_cancel_at_once(*, held: Session, held_by, cancelled: Session, cancelled_by) -> list[BaseException]:
    writes = iter([
        lambda: services.session_mark_held(session=held, by=held_by, absent_ids=[]),
        lambda: services.session_cancel(session=cancelled, by=cancelled_by, note="Fire drill"),
    ])  # fmt: skip
    taking = threading.Lock()

    def write():
        with taking:
            mine = next(writes)
        mine()
        # Each keeps its transaction open a moment after writing, so the other counts while it is not yet in: a
        # count without the classroom's lock would miss it.
        time.sleep(0.3)

    return run_together(write)


def test_two_sessions_written_at_once_are_both_counted():
    classroom = ClassroomFactory()
    teacher, co_teacher = classroom.teachers.get(), TeacherFactory(school=classroom.school)
    classroom.teachers.add(co_teacher)
    Enrollment.objects.bulk_create(
        Enrollment(classroom=classroom, student=s) for s in StudentFactory.create_batch(3, school=classroom.school)
    )
    now = timezone.now()
    for round_ in range(5):
        first, second = (
            SessionFactory(classroom=classroom, starts_at=now - timedelta(days=10 * round_ + d)) for d in (1, 2)
        )
        errors = mark_and_cancel_at_once(held=first, held_by=teacher, cancelled=second, cancelled_by=co_teacher)
        assert errors == []
        kept = assert_in_step()[classroom.pk]
        assert kept[1:4] == (round_ + 1, round_ + 1, 3 * (round_ + 1))  # held, cancelled, on the registers
    assert Classroom.objects.get(pk=classroom.pk).sessions_planned == 0
    assert Session.objects.filter(classroom=classroom).count() == 10
