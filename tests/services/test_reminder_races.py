"""Two dispatchers and two senders racing on PostgreSQL over the same 500 due reminders: 500 rows, 500 e-mails.

Each racer is a thread with its own database connection and no transaction around it, as a Celery
task runs; they are released together by a barrier. The race is repeated, and the test checks that
it really happened (the calls overlapped, and both senders sent a share) rather than trusting it did.
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from classrooms.models import Session
from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from notifications.services import notification_emails_send
from tests.factories import ClassroomFactory, SchoolFactory
from tests.services.conftest import run_at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SESSIONS = 500
ROUNDS = 3
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu"]


@pytest.fixture
def due_tomorrow():
    """500 planned sessions in the next 24 hours: 50 classrooms in five schools and zones, ten sessions each."""
    soon = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=1)
    sessions = []
    for zone in ZONES:
        school = SchoolFactory(time_zone=zone)
        for _ in range(SESSIONS // len(ZONES) // 10):
            classroom = ClassroomFactory(school=school)
            sessions += [Session(classroom=classroom, starts_at=soon + timedelta(minutes=97 * n)) for n in range(10)]
    Session.objects.bulk_create(sessions)
    assert Session.objects.count() == SESSIONS


def timed(work):
    """``work`` wrapped to return (result, start, end), so the test can see that racers overlapped."""

    def run():
        start = time.perf_counter()
        result = work()
        return result, start, time.perf_counter()

    return run


def overlapped(a, b) -> bool:
    (_, a_start, a_end), (_, b_start, b_end) = a, b
    return a_start < b_end and b_start < a_end


def expected_emails() -> Counter:
    """One e-mail per notification: to its teacher, with its title."""
    return Counter(
        (email, f"Heard: {title}") for email, title in Notification.objects.values_list("recipient__email", "title")
    )


def sent_emails() -> Counter:
    return Counter((message.to[0], message.subject) for message in mail.outbox)


def test_two_dispatchers_then_two_senders_at_once_make_500_reminders_each_emailed_once(due_tomorrow):
    """In every round both dispatchers see all 500 and 500 rows remain; both senders share the work, 500 e-mails, no repeats."""
    dispatches_overlapped, senders_shared, all_shares = [], [], []
    for _ in range(ROUNDS):
        Notification.objects.all().delete()
        mail.outbox.clear()

        first, second = run_at_once(timed(reminders_dispatch), timed(reminders_dispatch))
        assert (first[0], second[0]) == (SESSIONS, SESSIONS)  # each saw every due session
        dispatches_overlapped.append(overlapped(first, second))
        assert Notification.objects.count() == SESSIONS
        assert set(Notification.objects.values_list("email_status", flat=True)) == {Notification.EmailStatus.PENDING}
        expected = expected_emails()
        assert len(expected) == SESSIONS and set(expected.values()) == {1}

        shares = run_at_once(notification_emails_send, notification_emails_send)
        assert sum(shares) == SESSIONS
        senders_shared.append(min(shares) > 0)
        all_shares.append(shares)
        assert sent_emails() == expected  # each notification e-mailed once: none missing, none twice
        assert not Notification.objects.exclude(email_status=Notification.EmailStatus.SENT).exists()

    print(f"\ndispatchers overlapped: {dispatches_overlapped}; e-mails sent by each sender: {all_shares}")
    assert any(dispatches_overlapped), "the two dispatchers never ran at the same time: nothing was raced"
    assert any(senders_shared), "one sender always took everything: the senders never raced"


def test_two_beats_each_dispatching_and_sweeping_interleaved_email_each_reminder_once(due_tomorrow):
    """Two beat processes' worth of work (dispatch, sweep, dispatch, ...) in opposite orders at once."""

    def beat(*steps):
        def run():
            return [step() for _ in range(3) for step in steps]

        return run

    for _ in range(ROUNDS):
        Notification.objects.all().delete()
        mail.outbox.clear()

        one, other = run_at_once(
            beat(reminders_dispatch, notification_emails_send), beat(notification_emails_send, reminders_dispatch)
        )

        assert Notification.objects.count() == SESSIONS
        assert not Notification.objects.exclude(email_status=Notification.EmailStatus.SENT).exists()
        sent = sum(one[1::2]) + sum(other[0::2])  # what the sweeps said they sent
        assert sent == SESSIONS
        assert sent_emails() == expected_emails()
        assert set(sent_emails().values()) == {1}
