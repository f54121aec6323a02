"""The sources of reminders, registered by the apps that own them.

The reminder dispatcher (``classrooms.tasks.reminders_dispatch``, every minute) asks each source for the
notification drafts due now and inserts them all; the outbox's unique key makes each reminder once. A
source is a function ``(now) -> list[NotificationDraft]`` that only reads. Apps register theirs in their
``AppConfig.ready()`` (classrooms its sessions', curriculum its assignments'), so the dispatcher never
imports the apps above it.
"""

from collections.abc import Callable
from datetime import datetime

from notifications.services import NotificationDraft

ReminderSource = Callable[[datetime], list[NotificationDraft]]

_sources: dict[str, ReminderSource] = {}


def reminder_sources_register(source: ReminderSource) -> None:
    """Add a source; registering the same function again (a second ``ready()``) changes nothing."""
    _sources[f"{source.__module__}.{source.__qualname__}"] = source


def reminder_sources() -> list[ReminderSource]:
    """Every registered source, in the order of their names (so a run is the same every time)."""
    return [_sources[name] for name in sorted(_sources)]


def reminders_due(now: datetime) -> list[NotificationDraft]:
    """The drafts every source has due at ``now``."""
    return [draft for source in reminder_sources() for draft in source(now)]
