"""Every way a notification is created, read or e-mailed."""

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from config.celery import enqueue
from notifications.delivery import notification_email
from notifications.models import Notification
from notifications.selectors import CLOCK_MARGIN, UNREAD_TTL, unread_keys

logger = logging.getLogger(__name__)

EMAIL_BATCH = 100
EMAIL_SWEEP_TASK = "notifications.tasks.notifications_email_sweep"


@dataclass(frozen=True)
class NotificationDraft:
    recipient_id: int | None  # None for someone without an account: then ``to_email`` is required
    kind: str
    due_at: datetime
    title: str
    subject_key: str = ""
    body: str = ""
    url: str = ""
    email: bool = False  # also e-mail it, if the recipient has an address
    email_expires_at: datetime | None = None  # no e-mail after this moment
    to_email: str = ""  # the address of a recipient without an account

    def __post_init__(self):
        if self.recipient_id is None and not self.to_email:
            raise ValueError("A notification needs a recipient or an e-mail address.")


def subject_key_for(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def notifications_create_bulk(*, drafts: list[NotificationDraft]) -> None:
    """Insert notifications; a draft whose (kind, subject, recipient, moment) exists is dropped.

    The database's unique key does the de-duplication, so two callers racing on the same
    reminder still leave one row. Rows wanting e-mail are the outbox: a sweep is asked for
    after commit, and the periodic sweep finds them anyway if the broker is down.
    """
    if not drafts:
        return
    wants_email = {d.recipient_id for d in drafts if d.email and d.recipient_id is not None}
    reachable = set(
        User.objects.filter(pk__in=wants_email).exclude(email="").values_list("pk", flat=True)
    ) if wants_email else set()
    rows = [
        Notification(
            recipient_id=d.recipient_id,
            to_email="" if d.recipient_id is not None else d.to_email,
            kind=d.kind,
            subject_key=d.subject_key,
            due_at=d.due_at,
            title=d.title[:200],
            body=d.body,
            url=d.url,
            email_expires_at=d.email_expires_at,
            email_status=(
                Notification.EmailStatus.PENDING
                if d.email and (d.recipient_id in reachable or d.recipient_id is None)
                else Notification.EmailStatus.NOT_NEEDED
            ),
        )
        for d in drafts
    ]
    # Always insert in key order: two callers locking the same keys in different orders on the
    # unique index would deadlock, and PostgreSQL would abort one of them.
    rows.sort(key=lambda n: (n.kind, n.subject_key, n.recipient_id or 0, n.to_email, n.due_at))
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        unread_changed({n.recipient_id for n in rows if n.recipient_id is not None})
        if any(n.email_status == Notification.EmailStatus.PENDING for n in rows):
            transaction.on_commit(lambda: enqueue(EMAIL_SWEEP_TASK))


def unread_changed(recipient_ids) -> None:
    """After the commit, tell the cached unread counts of ``recipient_ids`` that they moved
    (notifications.selectors.notifications_unread_count)."""
    ids = list(recipient_ids)
    if not ids:
        return

    def tell():
        now = time.time()
        ttl = UNREAD_TTL + 2 * CLOCK_MARGIN + 5  # outlives every count taken before the change
        try:
            cache.set_many({unread_keys(pk)[1]: now for pk in ids}, ttl)
        except Exception:  # the counts expire within UNREAD_TTL anyway
            logger.warning("could not mark %d unread counts changed", len(ids), exc_info=True)

    transaction.on_commit(tell)


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (reading it twice keeps the first moment); return it as it now is."""
    if notification.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            unread_changed([notification.recipient_id] if notification.recipient_id else [])
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, recipient: User) -> int:
    """Mark every unread notification of ``recipient`` read; return how many."""
    marked = Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        unread_changed([recipient.pk])
    return marked


def _skip_expired_emails(now: datetime) -> None:
    """Mark skipped every e-mail still waiting whose moment has passed (its session has started)."""
    Notification.objects.filter(
        email_status=Notification.EmailStatus.PENDING, email_expires_at__lte=now
    ).update(email_status=Notification.EmailStatus.SKIPPED)


def _claim_email_batch(now: datetime) -> list[Notification]:
    """Lease up to a batch of unsent rows, each with its recipient, in one SELECT and one UPDATE. Rows another
    sender holds are skipped, not waited for; rows whose moment has passed are never sent (the next sweep marks
    them skipped)."""
    with transaction.atomic():
        batch = list(
            # Lock only the notifications: the recipients' rows are read, not changed.
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(email_status=Notification.EmailStatus.PENDING)
            .filter(Q(email_expires_at__isnull=True) | Q(email_expires_at__gt=now))
            .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - settings.NOTIFICATION_EMAIL_LEASE))
            .order_by("created_at", "pk")[:EMAIL_BATCH]
        )
        if batch:
            Notification.objects.filter(pk__in=[n.pk for n in batch]).update(email_claimed_at=now)
    return batch


def _email_send(notification: Notification, connection) -> bool:
    """Send the e-mail of ``notification`` over ``connection``; False, logged, if it failed. A notification
    without an address has nothing to send and counts as done."""
    try:
        message = notification_email(notification)
        if message is not None:
            connection.open()  # nothing to do while open; opens again after a failure closed it
            connection.send_messages([message])
    except Exception:
        # Left leased: the lease runs out and a later sweep tries again.
        logger.exception("E-mail of notification %s failed; will retry.", notification.pk)
        _connection_close(connection)
        return False
    return True


def _connection_close(connection) -> None:
    try:
        connection.close()
    except Exception:  # a server that hangs up rudely at the end has still taken what it acknowledged
        logger.warning("Closing the mail connection failed.", exc_info=True)


def _emails_mark_sent(ids: list[int]) -> int:
    if ids:
        Notification.objects.filter(pk__in=ids).update(
            email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now()
        )
    return len(ids)


def notification_emails_send(*, max_batches: int = 50) -> int:
    """Send the e-mail of every notification still waiting for it; return how many went out.

    No transaction is open while mail is sent. A sweep leases rows a batch at a time (``EMAIL_BATCH``) and
    sends a batch over one connection to the mail server, one message per call, so a message the server
    refuses is known by itself: it is not marked, stays leased, and a sweep after the lease tries it again,
    while the others of the batch are marked sent.

    Each e-mail is marked sent right after it went (``NOTIFICATION_EMAIL_MARK_EVERY`` = 1, the default): a
    crash between sending and marking (a killed worker, a lost machine) sends at most that one e-mail twice,
    after the lease, and never loses one: that beats never sending. What is batched is everything the promise
    allows: the lease, the recipients (read with the rows), the expired ones (skipped in one UPDATE), and the
    connection to the mail server. A school that prefers fewer queries to that promise sets it higher: one
    UPDATE after every that many sent and after a batch's last, and at most that many twice per crash.
    """
    mark_every = settings.NOTIFICATION_EMAIL_MARK_EVERY
    sent = 0
    _skip_expired_emails(timezone.now())
    for _ in range(max_batches):
        batch = _claim_email_batch(timezone.now())
        if not batch:
            break
        connection = get_connection()
        delivered: list[int] = []
        try:
            for notification in batch:
                if _email_send(notification, connection):
                    delivered.append(notification.pk)
                if len(delivered) == mark_every:
                    sent += _emails_mark_sent(delivered)
                    delivered = []
        finally:
            _connection_close(connection)
        sent += _emails_mark_sent(delivered)
    return sent


def notification_emails_withdraw(*, ids) -> int:
    """Do not send these e-mails (what they announce was cancelled or moved): marked skipped, as expired ones
    are. The in-app notification stays. One already sent, or being sent this instant, is not recalled."""
    return Notification.objects.filter(pk__in=list(ids), email_status=Notification.EmailStatus.PENDING).update(
        email_status=Notification.EmailStatus.SKIPPED
    )
