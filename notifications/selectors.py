"""Reads of notifications, scoped to the signed-in user."""

from django.db.models import QuerySet

from notifications.models import Notification
from notifications.permissions import notification_scope


def notifications_for(user) -> QuerySet[Notification]:
    """``user``'s notifications, newest first."""
    return Notification.objects.filter(notification_scope(user))


def notifications_recent(user, *, limit: int) -> list[Notification]:
    return list(notifications_for(user)[:limit])


def notifications_unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def emails_waiting_about(*, subject_prefix: str) -> list[dict]:
    """The e-mails not sent yet whose subject key starts with ``subject_prefix``: their pk, key and moment.
    The outbox holds only what the next minute's sweep sends, so this list stays short."""
    return list(
        Notification.objects.filter(email_status=Notification.EmailStatus.PENDING, subject_key__startswith=subject_prefix)
        .values("pk", "subject_key", "due_at")
    )
