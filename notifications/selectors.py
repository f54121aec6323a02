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
