from django.utils.functional import SimpleLazyObject


def unread_notifications(request):
    """The unread count in the navigation bar; one query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notification_count": SimpleLazyObject(count)}
