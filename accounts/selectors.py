from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import School, User
from accounts.permissions import school_scope
from accounts.signin import normalize_username


def schools_for(user) -> QuerySet[School]:
    return School.objects.filter(school_scope(user))


def locked_out_usernames(usernames, *, per_address: bool = False) -> set[str]:
    """Which of ``usernames`` are locked out of sign-in right now (one query, django-axes' counting): by their
    failures from anywhere (students), or, ``per_address``, from any one address (adults)."""
    wanted = {normalize_username(name) for name in usernames}
    if not wanted:
        return set()
    rows = AccessAttempt.objects.filter(username__in=wanted, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    rows = rows.values("username", "ip_address") if per_address else rows.values("username")
    rows = rows.annotate(failures=Sum("failures_since_start")).filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    return {row["username"] for row in rows}


def sign_in_locks(user) -> list[User]:
    """The accounts of ``user``'s school locked out of sign-in now, for its school admin to clear.

    A student is locked when their failures reach the limit, wherever they came from; an adult only from the
    address that reached it (accounts.signin.axes_lockout_parameters), which ``locked_from`` lists.
    """
    if user.role != User.Role.SCHOOL_ADMIN or not user.is_active or not user.school_id:
        return []
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    failures = {}
    for row in recent.values("username", "ip_address").annotate(failures=Sum("failures_since_start")):
        failures.setdefault(row["username"], []).append((row["ip_address"], row["failures"]))
    if not failures:
        return []
    people = (
        User.objects.alias(lower=Lower("username"))
        .filter(lower__in=list(failures), school_id=user.school_id)
        .order_by("last_name", "first_name", "username")
    )
    limit, locked = settings.AXES_FAILURE_LIMIT, []
    for person in people:
        tries = failures[normalize_username(person.username)]
        if person.is_student:
            person.locked_from = []
            if sum(count for _address, count in tries) >= limit:
                locked.append(person)
        else:
            person.locked_from = sorted(address for address, count in tries if count >= limit)
            if person.locked_from:
                locked.append(person)
    return locked
