"""The e-mail sweep (the Celery task the beat and every commit ask for): its queries, a refused e-mail, and
how many e-mails a crash can send twice."""

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core import mail

from notifications.models import Notification
from notifications.services import NotificationDraft, notifications_create_bulk
from notifications.tasks import notifications_email_sweep
from tests.factories import TeacherFactory
from tests.notifications.failing_backend import REFUSED, DyingBackend, WorkerKilled

pytestmark = pytest.mark.django_db
MOMENT = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _standing_still(time_machine):
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)


def waiting_for(addresses) -> None:
    """One e-mail-only notification (a visiting family's reminder) per address, all waiting for the sweep."""
    notifications_create_bulk(drafts=[
        NotificationDraft(recipient_id=None, to_email=address, kind=Notification.Kind.VISIT_FAMILY_EMAIL,
                          subject_key="classrooms.session:1", due_at=MOMENT, title="Your visit", email=True)
        for address in addresses
    ])  # fmt: skip


def families(count: int) -> list[str]:
    return [f"family{n:03}@home.example" for n in range(count)]


def after_the_lease(time_machine) -> None:
    time_machine.move_to("2026-11-23 09:11:00+00:00", tick=False)  # NOTIFICATION_EMAIL_LEASE is 10 minutes


def sent_to() -> Counter:
    return Counter(message.to[0] for message in mail.outbox)


def unsent() -> set[str]:
    rows = Notification.objects.exclude(email_status=Notification.EmailStatus.SENT)
    return set(rows.values_list("to_email", flat=True))


@pytest.mark.parametrize(
    ("mark_every", "emails", "queries"),
    [
        # 1 UPDATE skipping expired e-mails; per batch of 100 a leasing SELECT and UPDATE (+ the savepoint
        # and its release the test's transaction adds); one UPDATE marking each e-mail (the default) or each
        # ten sent; the SELECT finding none.
        (1, 10, 1 + 1 * 4 + 10 + 3),
        (1, 250, 1 + 3 * 4 + 250 + 3),
        (10, 10, 1 + 1 * 4 + 1 + 3),
        (10, 250, 1 + 3 * 4 + 25 + 3),
    ],
)
def test_the_sweep_marks_each_email_or_each_ten(settings, django_assert_num_queries, mark_every, emails, queries):
    """By default one query per e-mail (its mark) and a few per hundred; at 10, 250 e-mails cost 41 queries."""
    settings.NOTIFICATION_EMAIL_MARK_EVERY = mark_every
    waiting_for(families(emails))
    with django_assert_num_queries(queries):
        assert notifications_email_sweep() == emails
    assert sent_to() == Counter(families(emails))
    assert unsent() == set()


def test_the_sweep_reads_each_recipient_with_its_notification(django_assert_num_queries):
    """Teachers' e-mails are addressed and greeted by name without a query per teacher."""
    teachers = [TeacherFactory(email=f"teacher{n}@school.example", first_name=f"Ana{n}") for n in range(12)]
    notifications_create_bulk(drafts=[
        NotificationDraft(recipient_id=t.pk, kind=Notification.Kind.WELCOME, due_at=MOMENT, title="Hello", email=True)
        for t in teachers
    ])  # fmt: skip
    with django_assert_num_queries(1 + 4 + 12 + 3):  # a mark each, no read of a teacher
        assert notifications_email_sweep() == 12
    assert {m.to[0]: m.body.splitlines()[0] for m in mail.outbox} == {
        f"teacher{n}@school.example": f"Hello Ana{n} {teachers[n].last_name}," for n in range(12)
    }


def test_an_email_refused_in_the_middle_of_a_batch_is_retried_later_and_the_others_are_not(settings, time_machine):
    """The server refuses the 7th of 13: the 12 others are marked sent, the refused one is not, and the
    sweep after the lease sends it alone."""
    addresses = [f"d{n}@home.example" for n in range(6)] + [REFUSED] + [f"g{n}@home.example" for n in range(6)]
    waiting_for(addresses)
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.RefusingBackend"

    assert notifications_email_sweep() == 12
    assert [m.to[0] for m in mail.outbox] == [a for a in addresses if a != REFUSED]  # in order, after it too
    assert unsent() == {REFUSED}
    assert Notification.objects.get(to_email=REFUSED).email_status == Notification.EmailStatus.PENDING

    assert notifications_email_sweep() == 0  # still leased: not tried again at once
    settings.EMAIL_BACKEND = LOCMEM  # the family emptied their mailbox
    after_the_lease(time_machine)
    assert notifications_email_sweep() == 1
    assert mail.outbox[-1].to == [REFUSED]
    assert sent_to() == Counter(addresses)  # each once
    assert unsent() == set()


@pytest.mark.parametrize(
    ("mark_every", "taken_before_death", "sent_twice"),
    [
        (10, 10, 10),  # the worst case: the 10th was taken, the worker died before marking the ten
        (10, 13, 3),  # ten marked; the 11th to 13th were taken, not marked
        (10, 1, 1),
        (1, 13, 1),  # marking every e-mail: only the one in flight
    ],
)
def test_a_worker_killed_mid_batch_sends_again_at_most_the_emails_since_the_last_mark(
    settings, time_machine, mark_every, taken_before_death, sent_twice
):
    """The worker dies just after the server took an e-mail. Once the lease runs out the next sweep sends
    every e-mail not marked: nobody is missed, and those sent twice are the last ones the dead worker sent,
    never more than NOTIFICATION_EMAIL_MARK_EVERY."""
    settings.NOTIFICATION_EMAIL_MARK_EVERY = mark_every
    waiting_for(families(25))
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.DyingBackend"
    DyingBackend.lives = taken_before_death
    with pytest.raises(WorkerKilled):
        notifications_email_sweep()
    sent_by_the_dead = [m.to[0] for m in mail.outbox]
    assert len(sent_by_the_dead) == taken_before_death

    settings.EMAIL_BACKEND = LOCMEM  # a new worker
    assert notifications_email_sweep() == 0  # the dead worker's lease still holds
    after_the_lease(time_machine)
    assert notifications_email_sweep() == 25 - taken_before_death + sent_twice

    copies = sent_to()
    assert set(copies) == set(families(25))
    twice = {address for address, n in copies.items() if n > 1}
    assert set(copies.values()) <= {1, 2}
    assert len(twice) == sent_twice <= mark_every
    assert twice == set(sent_by_the_dead[taken_before_death - sent_twice:])
    assert unsent() == set()
