from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from accounts.models import School
from accounts.permissions import school_scope
from accounts.signin import normalize_username


def schools_for(user) -> QuerySet[School]:
    return School.objects.filter(school_scope(user))


def locked_out_usernames(usernames) -> set[str]:
    """Which of ``usernames`` are locked out of sign-in right now (one query, django-axes' counting)."""
    wanted = {normalize_username(name) for name in usernames}
    if not wanted:
        return set()
    rows = (
        AccessAttempt.objects.filter(username__in=wanted, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"] for row in rows}
