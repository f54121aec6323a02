"""Whose notifications a user may see: their own, and nobody else's."""

from django.db.models import Q

from accounts.permissions import NOTHING, signed_in


def notification_scope(user) -> Q:
    if not signed_in(user):
        return NOTHING
    return Q(recipient_id=user.pk)
