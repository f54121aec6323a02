"""Sign-in locks: each one recorded, and cleared by a school admin or by the person's own new password."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEvent, User
from accounts.selectors import locked_out_usernames, sign_in_locks
from accounts.signin import normalize_username


def sign_in_lock_record(sender=None, *, username: str, **kwargs) -> None:
    """An AuditEvent for a lock django-axes just set (its user_locked_out signal); a name of nobody is not kept.

    axes signals again for each try while the lock lasts: one event per lock, not per try.
    """
    user = User.objects.by_username(normalize_username(username)).only("pk", "school_id").first()
    if user is None:
        return
    lasting = AuditEvent.objects.filter(
        kind=AuditEvent.Kind.SIGN_IN_LOCKED, subject=user, created_at__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    if not lasting.exists():
        AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN_LOCKED, subject=user, school_id=user.school_id)


def sign_in_unlock(*, user: User, by: User) -> None:
    """Clear every lock on ``user``'s sign-in: a school admin of their school, or ``user`` themself (a new password)."""
    if by.pk != user.pk and user.pk not in {locked.pk for locked in sign_in_locks(by)}:
        raise PermissionDenied("not a lock this person may clear")
    if by.pk == user.pk and not locked_out_usernames([user.username], per_address=not user.is_student):
        return  # a new password with no lock to clear is not an event
    AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN_UNLOCKED, actor=by, subject=user, school_id=user.school_id)
    transaction.on_commit(lambda: axes_reset(username=normalize_username(user.username)))
