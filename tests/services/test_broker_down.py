"""No page waits on Redis: with the broker down a join still works, and its e-mail goes out later."""

from typing import NamedTuple

import pytest
from django.http import HttpResponse
from django.urls import reverse

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from config.celery import enqueue
from notifications.models import Notification
from notifications.services import EMAIL_SWEEP_TASK
from tests.conftest import REDIS_URL
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.services.conftest import CLOSED_BROKER_URL, broker_at, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


class JoinedWhileDown(NamedTuple):
    classroom: Classroom
    student: User
    response: HttpResponse
    log: str  # what the web process logged meanwhile


@pytest.fixture
def joined_while_broker_down(client, caplog, django_capture_on_commit_callbacks):
    """A student of a co-taught classroom joins through the page while nothing listens at the broker's address."""
    classroom = ClassroomFactory(teachers=TeacherFactory.create_batch(2))
    student = StudentFactory(school=classroom.school)
    client.force_login(student)
    with broker_at(CLOSED_BROKER_URL), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("classrooms:join"), {"code": classroom.join_code})
    return JoinedWhileDown(classroom, student, response, caplog.text)


def test_a_student_joins_a_classroom_while_the_broker_is_down(joined_while_broker_down):
    """The join redirects to the classroom and both teachers' notifications wait to be e-mailed."""
    classroom, student, response, log = joined_while_broker_down

    assert response.status_code == 302
    assert response.url == classroom.get_absolute_url()
    assert Enrollment.objects.filter(classroom=classroom, student=student, left_at__isnull=True).exists()
    assert sorted(Notification.objects.values_list("recipient_id", "email_status")) == sorted(
        (teacher.pk, Notification.EmailStatus.PENDING) for teacher in classroom.teachers.all()
    )
    assert "Broker unreachable" in log  # the publish was really tried, and given up


def test_pending_emails_go_out_once_when_the_broker_comes_back(joined_while_broker_down, worker):
    """The sweep, published once Redis is back, e-mails each teacher once; another sweep sends nothing."""
    teachers = list(joined_while_broker_down.classroom.teachers.all())

    finished = len(worker.sweeps_finished())  # the worker is shared: count only this test's sweeps
    with broker_at(REDIS_URL):
        assert enqueue(EMAIL_SWEEP_TASK)
        # Wait for the task to report, not only for the rows: the rows are marked before it returns.
        wait_until(lambda: len(worker.sweeps_finished()) > finished, "the first sweep to finish")
        assert not Notification.objects.exclude(email_status=Notification.EmailStatus.SENT).exists()
        assert [worker.emails_to(teacher.email) for teacher in teachers] == [1, 1]

        assert enqueue(EMAIL_SWEEP_TASK)
        wait_until(lambda: len(worker.sweeps_finished()) > finished + 1, "the second sweep to finish")

    assert worker.sweeps_finished()[finished:] == [2, 0]
    assert [worker.emails_to(teacher.email) for teacher in teachers] == [1, 1]
