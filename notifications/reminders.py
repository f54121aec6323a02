"""The sources of reminders, registered by the apps that own them.

The reminder dispatcher (``classrooms.tasks.reminders_dispatch``, every minute) asks each source for the
notification drafts due now and inserts them all; the outbox's unique key makes each reminder once. A
source is a function ``(now) -> list[NotificationDraft]`` that only reads. Apps register theirs in their
``AppConfig.ready()`` (classrooms its sessions', curriculum its assignments'), so the dispatcher never
imports the apps above it.

A sweep is the other kind: a function called as ``sweep(now=now) -> int`` that writes through its own
services (the help requests' escalation chain logs each step it takes, so it cannot be a read-only
source) and says how many things it did. The dispatcher runs every sweep each minute, before the
sources; a sweep that raises is logged and the others still run.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from notifications.services import NotificationDraft

logger = logging.getLogger(__name__)

ReminderSource = Callable[[datetime], list[NotificationDraft]]
ReminderSweep = Callable[..., int]  # called as sweep(now=now)

_sources: dict[str, ReminderSource] = {}
_sweeps: dict[str, ReminderSweep] = {}


def reminder_sources_register(source: ReminderSource) -> None:
    """Add a source; registering the same function again (a second ``ready()``) changes nothing."""
    _sources[f"{source.__module__}.{source.__qualname__}"] = source


def reminder_sources() -> list[ReminderSource]:
    """Every registered source, in the order of their names (so a run is the same every time)."""
    return [_sources[name] for name in sorted(_sources)]


def reminders_due(now: datetime) -> list[NotificationDraft]:
    """The drafts every source has due at ``now``."""
    return [draft for source in reminder_sources() for draft in source(now)]


def reminder_sweeps_register(sweep: ReminderSweep) -> None:
    """Add a sweep; registering the same function again changes nothing."""
    _sweeps[f"{sweep.__module__}.{sweep.__qualname__}"] = sweep


def reminder_sweeps() -> list[ReminderSweep]:
    """Every registered sweep, in the order of their names."""
    return [_sweeps[name] for name in sorted(_sweeps)]


def reminder_sweeps_run(now: datetime) -> int:
    """Run every sweep at ``now``; return how many things they did together. One that raises is logged and
    skipped, so a broken sweep never holds back another (the next minute's run tries it again)."""
    done = 0
    for sweep in reminder_sweeps():
        try:
            done += sweep(now=now)
        except Exception:
            logger.exception("Reminder sweep %s.%s failed; the others ran.", sweep.__module__, sweep.__qualname__)
    return done
