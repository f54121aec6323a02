from django.utils.functional import SimpleLazyObject

from peer_counselors.permissions import is_supervisor
from peer_counselors.selectors import flags_unopened_count


def safety_alerts(request):
    """A counselor's navigation bar shows flagged requests no adult has opened: one query, for counselors only."""
    user = getattr(request, "user", None)
    if user is None or not is_supervisor(user):
        return {}
    return {"help_flags_unopened": SimpleLazyObject(lambda: flags_unopened_count(user))}
