"""The numbers page's figures, from the counts the database gives: pure (no database), so they can be tested
against hand computations.

The database gives one count per (school, week, topic, ending) of the requests filed in the chosen weeks, and
the hours each accepted one waited. Every figure shown is a margin of those counts (see suppression.py), and is
suppressed together with every figure released beside it: a school's alone for its counselors and admin; for a
district's admin, every school's and the pooled ones at once, so that no school's hidden figure comes out of
the district's total minus the other schools'.

A request's *ending* is one of ENDINGS, decided in this order (the first that holds):

1. went to an adult at once: the safety screen flagged it, or could not read it, or the student chose an adult
   on the form, and no adult unflagged it since
   (whatever happened after: withdrawn, closed);
2. handed to an adult, resolved, needs a follow-up: the orange hat's outcome;
3. withdrawn by the student; closed by a counselor (with no outcome recorded);
4. still waiting for an orange hat (offered, nobody accepted it yet); still open (with an orange hat or an adult).
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from peer_counselors.aggregates.suppression import Hidden, suppress
from peer_counselors.models import Topic

AT_ONCE, HANDED, RESOLVED, FOLLOW_UP, WITHDRAWN, CLOSED, WAITING, OPEN = (
    "at_once", "handed", "resolved", "follow_up", "withdrawn", "closed", "waiting", "open",
)
ENDINGS = (
    (RESOLVED, _("Resolved")),
    (FOLLOW_UP, _("Needs a follow-up")),
    (HANDED, _("Handed to an adult by an orange hat")),
    (AT_ONCE, _("Went to an adult at once (the safety screen, or the student's choice)")),
    (WITHDRAWN, _("Withdrawn by the student")),
    (CLOSED, _("Closed by a counselor")),
    (WAITING, _("Still waiting for an orange hat")),
    (OPEN, _("Still open, with an orange hat or an adult")),
)
TOPICS = tuple(Topic.choices)
WEEKS_MAX = 53  # a school year and a little: the table stays readable, the suppression quick


@dataclass(frozen=True)
class Figure:
    """A count as the page shows it: its number, or why there is none."""

    n: int | None
    hidden: Hidden | None = None

    @property
    def shown(self) -> bool:
        return self.hidden is None


@dataclass(frozen=True)
class Week:
    monday: date
    cells: tuple[Figure, ...]  # by topic, in TOPICS' order
    total: Figure


@dataclass(frozen=True)
class Pickup:
    """How long accepted requests waited for an orange hat, in hours; None when fewer than ``min_n`` were."""

    median_hours: float | None
    p90_hours: float | None
    enough: bool


@dataclass(frozen=True)
class Numbers:
    weeks: tuple[Week, ...]
    topic_totals: tuple[Figure, ...]
    total: Figure
    endings: tuple[tuple[str, str, Figure], ...]  # (value, label, figure)
    waiting: Figure
    pickup: Pickup
    min_n: int


def mondays(start: date, end: date) -> list[date]:
    """The Monday of every week from ``start``'s to ``end``'s (the weeks the database's TruncWeek gives)."""
    first = start - timedelta(days=start.weekday())
    return [first + timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile, interpolated between the two nearest values (numpy's default, "linear")."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def released_counts(joint: Mapping[tuple, int], *, schools: Sequence[int], weeks: Sequence[date],
                    pooled: bool) -> dict[tuple, int]:
    """Every figure released, keyed (school, week, topic, ending) with None for "all", zeros included."""
    places: list[int | None] = [*schools, *([None] if pooled else [])]
    counts: dict[tuple, int] = {}
    for s in places:
        for w in weeks:
            for t, _label in TOPICS:
                counts[(s, w, t, None)] = 0
            counts[(s, w, None, None)] = 0
        for t, _label in TOPICS:
            counts[(s, None, t, None)] = 0
        for e, _label in ENDINGS:
            counts[(s, None, None, e)] = 0
        counts[(s, None, None, None)] = 0
    for (s, w, t, e), n in joint.items():
        for place in (s, None) if pooled else (s,):
            for key in ((place, w, t, None), (place, w, None, None), (place, None, t, None), (place, None, None, e),
                        (place, None, None, None)):
                counts[key] += n
    return counts


def numbers(joint: Mapping[tuple, int], *, schools: Sequence[int], weeks: Sequence[date], min_n: int,
            pooled: bool, view: int | None, durations: Iterable[float]) -> Numbers:
    """The page's figures for ``view`` (a school's id, or None for the pooled district), suppressed over every
    figure released with them. ``joint`` counts requests by (school, week, topic, ending); ``durations`` are the
    hours each accepted request of the view waited."""
    counts = released_counts(joint, schools=schools, weeks=weeks, pooled=pooled)
    hidden = suppress(counts, sizes=(len(schools), len(weeks), len(TOPICS), len(ENDINGS)), min_n=min_n)

    def figure(key) -> Figure:
        why = hidden.get(key)
        return Figure(None, why) if why else Figure(counts[key])

    rows = tuple(
        Week(w, tuple(figure((view, w, t, None)) for t, _l in TOPICS), figure((view, w, None, None))) for w in weeks
    )
    waited = [float(d) for d in durations]
    enough = len(waited) >= min_n
    pickup = Pickup(
        quantile(waited, 0.5) if enough else None, quantile(waited, 0.9) if enough else None, enough
    )
    return Numbers(
        weeks=rows,
        topic_totals=tuple(figure((view, None, t, None)) for t, _l in TOPICS),
        total=figure((view, None, None, None)),
        endings=tuple((e, label, figure((view, None, None, e))) for e, label in ENDINGS),
        waiting=figure((view, None, None, WAITING)),
        pickup=pickup,
        min_n=min_n,
    )

