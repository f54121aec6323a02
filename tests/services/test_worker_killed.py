"""Workers that die: one killed with SIGKILL mid-send leaves nobody out once its lease runs out, and only
the messages it sent since it last marked the outbox (at most NOTIFICATION_EMAIL_MARK_EVERY) go twice; reminders that waited out an outage past their session are
skipped, not sent late."""

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from classrooms.models import Session
from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from notifications.services import EMAIL_SWEEP_TASK
from tests.factories import ClassroomFactory, SchoolFactory, TeacherFactory
from tests.services.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TEACHERS = 60
KILLS = 5
LEASE_SECONDS = 2  # production's is 10 minutes; NOTIFICATION_EMAIL_LEASE_SECONDS shortens it for the workers here
SLOW_SMTP = {"NOTIFICATION_EMAIL_LEASE_SECONDS": str(LEASE_SECONDS), "HEARD_TEST_MAIL_DELAY_MS": "60"}


def leases_run_out() -> bool:
    """No unsent row is still leased by a (dead) sender: the next sweep may take every one of them."""
    cutoff = timezone.now() - timedelta(seconds=LEASE_SECONDS, milliseconds=100)
    return not Notification.objects.filter(
        email_status=Notification.EmailStatus.PENDING, email_claimed_at__gt=cutoff
    ).exists()


def unsent() -> int:
    return Notification.objects.exclude(email_status=Notification.EmailStatus.SENT).count()


def test_killing_the_worker_mid_send_five_times_loses_no_email(private_celery, record_property):
    """Every teacher is e-mailed; duplicates are at most NOTIFICATION_EMAIL_MARK_EVERY per kill, each among the last
    that many messages a killed worker wrote."""
    school = SchoolFactory()
    tomorrow = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=20)
    for _ in range(TEACHERS):
        classroom = ClassroomFactory(school=school, teachers=[TeacherFactory(school=school)])
        Session.objects.create(classroom=classroom, starts_at=tomorrow)
    assert reminders_dispatch() == TEACHERS
    expected = {
        (recipient_email, f"Heard: {title}")
        for recipient_email, title in Notification.objects.values_list("recipient__email", "title")
    }
    assert len(expected) == TEACHERS

    killed = []
    for round_ in range(KILLS):
        worker = private_celery.start_worker(**SLOW_SMTP)  # a replacement starts while the lease runs out
        wait_until(leases_run_out, "the dead worker's lease to run out", patience=LEASE_SECONDS + 30)
        # A different point of the batch each round, before and after its first mark (NOTIFICATION_EMAIL_MARK_EVERY).
        kill_after = len(private_celery.emails()) + 3 + 4 * round_
        assert private_celery.enqueue(EMAIL_SWEEP_TASK)
        wait_until(lambda: len(private_celery.emails()) >= kill_after, "the worker to send some mail")  # noqa: B023
        worker.kill()
        killed.append(worker.process.pid)
        assert worker.sweeps_finished() == [], "the sweep finished before the kill: nothing was tested"
        assert unsent() > 0, "the kill came after the last e-mail: nothing was left mid-batch"

    survivor = private_celery.start_worker(**SLOW_SMTP)
    wait_until(leases_run_out, "the last dead worker's lease to run out", patience=LEASE_SECONDS + 30)
    assert private_celery.enqueue(EMAIL_SWEEP_TASK)
    wait_until(lambda: survivor.sweeps_finished(), "the surviving worker's sweep to finish")

    assert unsent() == 0
    emails = private_celery.emails()
    copies = Counter((email["to"][0], email["subject"]) for email in emails)
    assert set(copies) == expected  # nobody missing, nothing unexpected
    duplicated = {key: n for key, n in copies.items() if n > 1}
    duplicates = sum(n - 1 for n in duplicated.values())
    record_property("duplicates", duplicates)
    print(f"\n{KILLS} kills, {len(emails)} e-mails for {TEACHERS} reminders: {duplicates} duplicate(s)")
    mark_every = settings.NOTIFICATION_EMAIL_MARK_EVERY  # the workers', which inherit this environment
    assert duplicates <= KILLS * mark_every
    # Each extra copy of a message is one a killed worker sent after it last marked the outbox: one of the last
    # ``mark_every`` it wrote (a message may be in that window of two workers killed one after the other).
    unmarked_at_a_kill = Counter()
    for pid in killed:
        unmarked_at_a_kill.update({(e["to"][0], e["subject"]) for e in [e for e in emails if e["pid"] == pid][-mark_every:]})
    assert all(copies[key] - 1 <= unmarked_at_a_kill[key] for key in duplicated), (duplicated, unmarked_at_a_kill)


def test_reminders_that_waited_past_their_session_for_a_worker_are_skipped(
    private_celery,
):
    """The dispatcher ran and asked for a sweep, but no worker was up until the session had started:
    the real worker, once up, takes the waiting sweep from Redis, marks the reminder skipped and sends nothing."""
    session = Session.objects.create(
        classroom=ClassroomFactory(), starts_at=timezone.now().replace(microsecond=0) + timedelta(seconds=2)
    )
    with private_celery.broker_here():  # the dispatcher asks for a sweep on commit, as when beat runs it
        assert reminders_dispatch() == 1
    reminder = Notification.objects.get(kind=Notification.Kind.SESSION_TOMORROW)
    assert reminder.email_status == Notification.EmailStatus.PENDING
    assert private_celery.redis.client().llen("celery") == 1  # the sweep waits in Redis for a worker

    wait_until(lambda: timezone.now() > session.starts_at, "the session to start while no worker is up")
    worker = private_celery.start_worker()
    wait_until(lambda: worker.sweeps_finished(), "the waiting sweep to run")

    assert worker.sweeps_finished() == [0]
    reminder.refresh_from_db()
    assert reminder.email_status == Notification.EmailStatus.SKIPPED
    assert reminder.emailed_at is None
    assert private_celery.emails() == []
