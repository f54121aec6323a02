"""System checks of a production setup that Django's own --deploy checks do not make."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends that never deliver: a password-reset link "sent" with one ends in the server log, where anyone
# who reads the log can use it.
UNDELIVERED = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register(Tags.security, deploy=True)
def email_is_delivered(app_configs, **kwargs):
    if settings.DEBUG or settings.EMAIL_BACKEND not in UNDELIVERED:
        return []
    return [
        Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND} with DEBUG off: password-reset e-mails and their live "
            "links would be written to the server log instead of sent.",
            hint="Set EMAIL_URL (for example smtp+tls://user:password@mail.example.org:587).",
            id="heard.E001",
        )
    ]
