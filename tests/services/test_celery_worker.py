"""A notification's e-mail goes from the web process through Redis to a real worker, once."""

import pytest

from classrooms.services import classroom_join
from notifications.models import Notification
from tests.conftest import REDIS_URL
from tests.factories import ClassroomFactory, StudentFactory
from tests.services.conftest import broker_at, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_join_is_emailed_to_the_teacher_once_by_the_worker(worker, django_capture_on_commit_callbacks):
    """After a student joins, the worker woken through Redis e-mails the teacher exactly once."""
    classroom = ClassroomFactory()
    teacher = classroom.teachers.get()
    student = StudentFactory(school=classroom.school)

    with broker_at(REDIS_URL), django_capture_on_commit_callbacks(execute=True):
        classroom_join(student=student, code=classroom.join_code)

    notification = Notification.objects.get(recipient=teacher)
    wait_until(
        lambda: Notification.objects.filter(pk=notification.pk, email_status=Notification.EmailStatus.SENT).exists(),
        "the worker to e-mail the teacher",
    )
    assert worker.emails_to(teacher.email) == 1
