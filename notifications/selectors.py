"""Reads of notifications, scoped to the signed-in user."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from accounts import data_versions
from notifications.models import Notification
from notifications.permissions import notification_scope


def notifications_for(user) -> QuerySet[Notification]:
    """``user``'s notifications, newest first."""
    return Notification.objects.filter(notification_scope(user))


def notifications_recent(user, *, limit: int) -> list[Notification]:
    return list(notifications_for(user)[:limit])


logger = logging.getLogger(__name__)

# The navigation bar's unread count, kept in the cache so that a page costs no query for it. Each entry is
# (count, when its query began); the notification services write "changed" (the moment of their commit) for
# each recipient whose count moved. An entry older than its recipient's change is counted again: a count that
# began before a commit may have missed it, one that began after has it. So a new alert shows on the next
# page, in every worker, whichever of them counted last. The margin absorbs clocks of different servers.
UNREAD_TTL = 300  # seconds; also bounds how long a change made outside the services can go unseen
CLOCK_MARGIN = 1.0


def unread_keys(user_id: int) -> tuple[str, str]:
    """The count's key, and its "changed" mark: the user's own mark, which also redraws their kept pages."""
    return f"notifications:unread:{user_id}", data_versions.user_mark_key(user_id)


def notifications_unread_count(user) -> int:
    """``user``'s unread notifications: from the cache when no change came since it was counted, else one query.
    A cache that fails (Redis down) costs the query, never the page."""
    if not settings.NOTIFICATIONS_UNREAD_CACHE:
        return notifications_for(user).filter(read_at__isnull=True).count()
    count_key, changed_key = unread_keys(user.pk)
    try:
        cached = cache.get_many([count_key, changed_key])
    except Exception:  # the cache is a saving, not a dependency
        logger.warning("the unread count's cache failed; counted from the database", exc_info=True)
        cached = None
    if cached is not None:
        entry = cached.get(count_key)
        if entry is not None and entry[1] > cached.get(changed_key, 0.0):
            return entry[0]
    began = time.time() - CLOCK_MARGIN
    count = notifications_for(user).filter(read_at__isnull=True).count()
    if cached is not None:
        try:
            cache.set(count_key, (count, began), UNREAD_TTL)
        except Exception:
            logger.warning("the unread count's cache failed", exc_info=True)
    return count


def emails_waiting_about(*, subject_prefix: str) -> list[dict]:
    """The e-mails not sent yet whose subject key starts with ``subject_prefix``: their pk, key and moment.
    The outbox holds only what the next minute's sweep sends, so this list stays short."""
    return list(
        Notification.objects.filter(email_status=Notification.EmailStatus.PENDING, subject_key__startswith=subject_prefix)
        .values("pk", "subject_key", "due_at")
    )
