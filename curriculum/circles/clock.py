"""A turn's clock, read on the server's time: no task runs when a speaker's time is up; whoever reads the
turn after ``ends_at`` finds it so. Pure (the turn's fields in, the phase out), shared by the services
and the pages."""

from __future__ import annotations

import math
from datetime import datetime


class Phase:
    TALKING = "talking"
    PAUSED = "paused"
    TIME_UP = "time_up"  # the reflector sums up; then the speaker says how heard they felt
    RATED = "rated"  # the next speaker chooses who sums up for them
    SKIPPED = "skipped"  # the teacher moved the group on before a rating


def phase(turn, now: datetime) -> str:
    if turn.skipped_at is not None:
        return Phase.SKIPPED
    if turn.rated_at is not None:
        return Phase.RATED
    if turn.paused_at is not None:
        return Phase.PAUSED
    return Phase.TALKING if turn.ends_at > now else Phase.TIME_UP


def seconds_left(turn, now: datetime) -> int:
    """Whole seconds left to talk (rounded up, so 0 means the time is up); frozen while paused."""
    if turn.paused_at is not None:
        return turn.remaining or 0
    return max(0, math.ceil((turn.ends_at - now).total_seconds()))
