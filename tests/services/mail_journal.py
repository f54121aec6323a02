"""An e-mail backend for worker processes under test: one JSON line per message, written slowly.

Each message is appended to the file named by HEARD_TEST_MAIL_JOURNAL in a single write, so a
worker killed at any moment leaves whole lines only. HEARD_TEST_MAIL_DELAY_MS makes every message
take that long, half before the write and half after it, like an SMTP server that takes its time
to answer: a kill then often lands after a message went out but before the sender recorded it.
"""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class JournalBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["HEARD_TEST_MAIL_JOURNAL"]
        pause = float(os.environ.get("HEARD_TEST_MAIL_DELAY_MS", "0")) / 2000
        for message in email_messages:
            time.sleep(pause)
            line = json.dumps({"to": message.to, "subject": message.subject, "pid": os.getpid()}) + "\n"
            descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, line.encode())
            finally:
                os.close(descriptor)
            time.sleep(pause)
        return len(email_messages)


def read_journal(path) -> list[dict]:
    """Every message written to the journal at ``path``, oldest first (none if it does not exist yet)."""
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines()]
