"""Who may see which school, as a ``Q``; and the pieces every app's scopes are built from.

A scope fails closed: anyone it does not cover gets ``NOTHING``, an empty match, never an error.
"""

from django.db.models import Q

from accounts.models import User

NOTHING = Q(pk__in=[])


def signed_in(user) -> bool:
    """An active, signed-in account: the first condition of every scope."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def school_scope(user) -> Q:
    """Schools ``user`` belongs to: their own, or every school of the district they administer."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.DISTRICT_ADMIN:
        return Q(district_id=user.district_id) if user.district_id else NOTHING
    return Q(pk=user.school_id) if user.school_id else NOTHING
