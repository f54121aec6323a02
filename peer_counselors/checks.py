"""System checks of the peer-counselor program's production setup."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def last_contact_is_set(app_configs, **kwargs):
    """The safety chain's last step must reach someone: a school that names no last contact of its own falls
    back on ``HELP_LAST_CONTACT_EMAIL``, and with that empty its step 3 only reaches its counselors and admins
    again (peer_counselors/escalation/services.py)."""
    if settings.DEBUG or settings.HELP_LAST_CONTACT_EMAIL:
        return []
    return [
        Warning(
            "HELP_LAST_CONTACT_EMAIL is empty with DEBUG off: a flagged help request no adult opens reaches no "
            "last contact at a school whose help desk names none; its last step goes to the school's counselors "
            "and admins again.",
            hint="Set HELP_LAST_CONTACT_EMAIL to an address someone reads at once (the district's safety lead), "
            "or give every school's help desk its last contact.",
            id="peer_counselors.W001",
        )
    ]
