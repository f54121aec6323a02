"""Turning a notification into an e-mail."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def notification_email(notification) -> EmailMessage | None:
    """The e-mail of ``notification`` (its recipient already loaded), or None when it has no address to go to."""
    recipient = notification.recipient
    address = recipient.email if recipient is not None else notification.to_email
    if not address:
        return None
    link = f"{settings.SITE_URL}{notification.url}" if notification.url.startswith("/") else notification.url
    body = render_to_string(
        "notifications/email.txt", {"notification": notification, "recipient": recipient, "link": link}
    )
    return EmailMessage(subject=f"Heard: {notification.title}", body=body, to=[address])
