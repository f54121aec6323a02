"""Redis really stops while a teacher moves a session into the next 24 hours: the page still answers,
and once Redis is back the beat-driven dispatcher and sweep remind the teacher of the new time, once."""

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms.models import Session
from notifications.models import Notification
from tests.factories import ClassroomFactory
from tests.services.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BEAT_SECONDS = 1  # production's beat wakes the same two tasks every 60 s


def finished(process, task: str) -> int:
    """How many runs of ``task`` (its last name) the worker has finished."""
    return sum(f".{task}[" in line and " succeeded in " in line for line in process.log().splitlines())


def test_a_session_moved_while_redis_is_down_is_reminded_once_redis_is_back(private_celery, client):
    """The reschedule page redirects with Redis stopped; after Redis returns the teacher gets one e-mail for the new time."""
    classroom = ClassroomFactory(school__time_zone="America/New_York")
    teacher = classroom.teachers.get()
    zone = ZoneInfo("America/New_York")
    session = Session.objects.create(
        classroom=classroom, starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
    )
    worker = private_celery.start_worker()
    beat = private_celery.start_beat(every_seconds=BEAT_SECONDS)
    wait_until(lambda: finished(worker, "reminders_dispatch") and finished(worker, "notifications_email_sweep"),
               "beat and the worker to run the dispatcher and the sweep")  # fmt: skip

    private_celery.redis.stop()
    # The worker notices between tasks (solo pool), so from here on it is running nothing.
    wait_until(lambda: "Connection to broker lost" in worker.log(), "the worker to notice Redis is gone")

    new_start = (timezone.now() + timedelta(hours=6)).astimezone(zone).replace(second=0, microsecond=0)
    client.force_login(teacher)
    url = reverse("classrooms:session_reschedule", kwargs={"pk": classroom.pk, "session_pk": session.pk})
    with private_celery.broker_here():
        started = time.perf_counter()
        response = client.post(url, {"date": f"{new_start:%Y-%m-%d}", "time": f"{new_start:%H:%M}"})
        answered_in = time.perf_counter() - started
    print(f"\nreschedule answered {response.status_code} in {answered_in * 1000:.0f} ms with Redis down")

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == new_start
    assert private_celery.emails() == []

    # The outage lasts until beat has lost two ticks: it could not publish, and what it meant to send is gone.
    wait_until(lambda: beat.log().count("Couldn't apply scheduled task") >= 2, "beat to fail to publish twice")
    assert not Notification.objects.filter(due_at=new_start).exclude(
        email_status=Notification.EmailStatus.PENDING
    ).exists()  # whatever the page or a tick did before the stop, nothing was e-mailed while Redis was down
    assert private_celery.emails() == []
    private_celery.redis.start()  # empty: whatever Redis held before the outage is gone

    def reminded() -> bool:
        return Notification.objects.filter(
            kind=Notification.Kind.SESSION_TOMORROW, subject_key=f"classrooms.session:{session.pk}",
            due_at=new_start, recipient=teacher, email_status=Notification.EmailStatus.SENT,
        ).exists()  # fmt: skip

    wait_until(reminded, "the reminder of the new time to be e-mailed after Redis came back")
    sweeps = finished(worker, "notifications_email_sweep")
    wait_until(lambda: finished(worker, "notifications_email_sweep") >= sweeps + 2, "two more beats' sweeps")
    reminder = Notification.objects.get(kind=Notification.Kind.SESSION_TOMORROW)
    assert reminder.due_at == new_start
    assert f"{new_start:%H:%M}" in reminder.title  # the new time, in the school's zone
    assert [(email["to"], email["subject"]) for email in private_celery.emails()] == [
        ([teacher.email], f"Heard: {reminder.title}")
    ]
