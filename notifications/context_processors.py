from django.utils.functional import SimpleLazyObject

from notifications.selectors import notifications_unread_count


def unread_notifications(request):
    """The unread count in the navigation bar; one query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(lambda: notifications_unread_count(user))}
