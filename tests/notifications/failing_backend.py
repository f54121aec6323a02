"""Mail servers that misbehave, for the sweep's tests."""

from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class EmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("connection closed")


REFUSED = "full@school.example"


class RefusingBackend(LocmemBackend):
    """A mail server that refuses one address (its mailbox is full) and takes every other message (mail.outbox)."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise SMTPRecipientsRefused({REFUSED: (552, b"Mailbox full")})
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """The process dies here: like a SIGKILL, nothing below it runs (not an ``Exception`` the sweep would catch)."""


class DyingBackend(LocmemBackend):
    """A mail server the worker dies talking to: it takes ``lives`` messages (into mail.outbox), and the worker
    is killed just after the server took the last of them, before it heard back."""

    lives = 0

    def send_messages(self, messages):
        for message in messages:
            super().send_messages([message])
            DyingBackend.lives -= 1
            if DyingBackend.lives == 0:
                raise WorkerKilled
        return len(messages)
