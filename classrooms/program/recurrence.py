"""Monthly session recurrence: what a teacher chooses, expanded into UTC start times.

Pure: no database, no models, so it can be tested exhaustively. The calendar work is python-dateutil's
``rrule``; zone arithmetic is ``zoneinfo``. Nothing here adds days or months by hand.

Edge cases, decided once:

* Wall clock, not elapsed time: rrule is given a ``ZoneInfo`` start, so it produces local wall times
  (10:00 in November as in October) which are converted to UTC afterwards; the UTC hour moves at the
  daylight-saving changes, the local hour never does.
* A local time that does not exist on the day (spring-forward gap, e.g. 02:30 on 14 March 2027 in
  New York) is read with the offset in force before the change: the session starts at 07:30 UTC,
  shown as 03:30 local (pushed forward by the length of the gap). The forms say so before saving
  (``clock_changes``), and the sessions list marks the session (``clock_change_on``).
* A local time that happens twice (fall-back, e.g. 01:30 on 1 November 2026 in New York) is the one
  the teacher chose: ``Recurrence.fold`` 0 is the first (still on summer time, 05:30 UTC), 1 the second
  (06:30 UTC). The forms ask which before saving.
* Seconds are kept; microseconds are refused (rrule would silently drop them).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule, rruleset, weekday
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_MONTHS = 24  # two program years: longer is almost certainly a typo in the year

ORDINAL_PHRASES = {  # whole phrases, not "First" + weekday: word order and agreement vary by language
    1: lambda wd: _("First %(weekday)s of each month") % {"weekday": wd},
    2: lambda wd: _("Second %(weekday)s of each month") % {"weekday": wd},
    3: lambda wd: _("Third %(weekday)s of each month") % {"weekday": wd},
    4: lambda wd: _("Fourth %(weekday)s of each month") % {"weekday": wd},
    -1: lambda wd: _("Last %(weekday)s of each month") % {"weekday": wd},
}


@dataclass(frozen=True, kw_only=True)
class Recurrence:
    """A monthly rule: either ``ordinal`` + ``weekday`` or ``day``, never both.

    ``ordinal`` is 1-4 or -1 (last); ``weekday`` is 0 (Monday) to 6 (Sunday); ``day`` is 1-31, where a
    day the month lacks means the month's last day (see ``occurrences``). ``first_month`` and
    ``last_month`` are the 1st of the program's first and last months, both included. ``at`` is the
    naive local time in ``time_zone`` (an IANA name). An occurrence on a ``skipped`` date is dropped,
    not moved. ``fold`` says which of a time that happens twice is meant (0 the first, 1 the second);
    it changes nothing on other days. Construction validates, so an invalid Recurrence never exists.
    """

    first_month: date
    last_month: date
    at: time
    time_zone: str
    ordinal: int | None = None
    weekday: int | None = None
    day: int | None = None
    skipped: frozenset[date] = frozenset()
    fold: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "skipped", frozenset(self.skipped))  # a list from a form is fine too
        validate(self)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def validate(recurrence: Recurrence) -> None:
    """Raise ValueError saying what is wrong; the message is shown to the teacher."""
    r = recurrence
    by_weekday = r.ordinal is not None or r.weekday is not None
    if by_weekday == (r.day is not None):
        raise ValueError(_("Choose either a weekday of the month or a day of the month."))
    if by_weekday:
        if r.ordinal not in ORDINAL_PHRASES:
            raise ValueError(_("The week must be first, second, third, fourth or last."))
        if r.weekday not in range(7):
            raise ValueError(_("The weekday must be between 0 (Monday) and 6 (Sunday)."))
    elif r.day not in range(1, 32):
        raise ValueError(_("The day of the month must be between 1 and 31."))
    if r.first_month.day != 1 or r.last_month.day != 1:
        raise ValueError(_("The first and last months must be given as the 1st of the month."))
    if r.last_month < r.first_month:
        raise ValueError(_("The last month is before the first month."))
    span = (r.last_month.year - r.first_month.year) * 12 + r.last_month.month - r.first_month.month + 1
    if span > MAX_MONTHS:
        raise ValueError(_("A program can span at most %(max)d months.") % {"max": MAX_MONTHS})
    if r.fold not in (0, 1):
        raise ValueError(_("Choose the first or the second of a time that happens twice."))
    if r.at.tzinfo is not None or r.at.microsecond:
        raise ValueError(_("The time of day must be a local time without a time zone or fractions of a second."))
    try:
        ZoneInfo(r.time_zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        # ValueError: a malformed key such as "../x"; TypeError: not a string at all.
        raise ValueError(_("Unknown time zone: %(zone)s") % {"zone": r.time_zone}) from None


def _rule(recurrence: Recurrence) -> rrule:
    r, zone = recurrence, recurrence.zone
    # Inclusive end: the chosen time on the last day of the last month (relativedelta clamps day=31).
    until = datetime.combine(r.last_month + relativedelta(day=31), r.at, tzinfo=zone)
    start = datetime.combine(r.first_month, r.at, tzinfo=zone)
    if r.day is None:
        return rrule(MONTHLY, dtstart=start, until=until, byweekday=weekday(r.weekday, r.ordinal))
    # "Day 31" in a 30-day month is the 30th: of the candidate days min(D, 28)..D that the month has,
    # take the last (bysetpos=-1). Every month has the 28th, so no month is skipped, and rrule never
    # rolls over into the next month. For D <= 28 the candidates are just (D,).
    return rrule(MONTHLY, dtstart=start, until=until, bymonthday=range(min(r.day, 28), r.day + 1), bysetpos=-1)


def wall_times(recurrence: Recurrence) -> list[datetime]:
    """Every session start as the naive local wall time the rule names, sorted."""
    rules = rruleset()
    rules.rrule(_rule(recurrence))
    # exdate, not filtering: every occurrence is exactly (its local date, ``at``, this zone), so the
    # exclusion built the same way compares equal, in a gap or an overlap too (same tzinfo: wall-time
    # comparison). Dates outside the program simply match nothing.
    for day in recurrence.skipped:
        rules.exdate(datetime.combine(day, recurrence.at, tzinfo=recurrence.zone))
    return [start.replace(tzinfo=None) for start in rules]


def occurrences(recurrence: Recurrence) -> list[datetime]:
    """Every session start, as aware UTC datetimes, sorted (see the module docstring for DST)."""
    zone = recurrence.zone
    return [resolve_wall_time(local, zone, fold=recurrence.fold) for local in wall_times(recurrence)]


# --- Clock changes: wall times that do not exist or happen twice, and the instants the clocks change ---------

SKIPPED, REPEATED = "skipped", "repeated"


def wall_time_problem(local: datetime, zone: tzinfo) -> str | None:
    """``SKIPPED`` if the naive wall time ``local`` does not exist in ``zone``, ``REPEATED`` if it
    happens twice, else None. The two readings zoneinfo offers (fold 0 and 1) differ exactly then;
    in a repeated hour both survive a round trip through UTC, in a skipped one neither does."""
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return REPEATED if back == local else SKIPPED


def resolve_wall_time(local: datetime, zone: tzinfo, *, fold: int = 0) -> datetime:
    """The UTC instant of the naive wall time ``local``: a skipped time is read with the offset before
    the change (so it moves forward by the gap), a repeated one is the first (``fold=0``) or the second."""
    fold = fold if wall_time_problem(local, zone) == REPEATED else 0
    return local.replace(tzinfo=zone, fold=fold).astimezone(UTC)


@dataclass(frozen=True, kw_only=True)
class ClockChange:
    """A wall time a teacher asked for that the clocks make special: ``local`` (naive) is ``kind``;
    ``first`` is the instant it means (shifted, for a skipped time), ``second`` the later reading of a
    repeated time (None for a skipped one)."""

    local: datetime
    kind: str
    first: datetime
    second: datetime | None = None


def clock_changes(local_times, zone: tzinfo) -> list[ClockChange]:
    """The clock changes among ``local_times`` (naive wall times), in order, each once."""
    found = []
    for local in sorted(set(local_times)):
        kind = wall_time_problem(local, zone)
        if kind is None:
            continue
        first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
        second = local.replace(tzinfo=zone, fold=1).astimezone(UTC) if kind == REPEATED else None
        found.append(ClockChange(local=local, kind=kind, first=first, second=second))
    return found


def clock_changes_key(changes: list[ClockChange]) -> str:
    """What a form posts back to say "the teacher has seen these": the wall times, in order."""
    return " ".join(f"{c.kind}:{c.local.isoformat()}" for c in changes)


@dataclass(frozen=True, kw_only=True)
class Transition:
    """An instant (``at``, UTC) at which ``zone``'s offset, daylight-saving flag or abbreviation changes."""

    at: datetime
    offset_before: timedelta
    offset_after: timedelta
    dst_after: timedelta
    name_after: str

    @property
    def local_before(self) -> datetime:
        """The naive wall time the clocks show just as they change (RFC 5545's VTIMEZONE DTSTART)."""
        return (self.at + self.offset_before).replace(tzinfo=None)

    @property
    def local_after(self) -> datetime:
        return (self.at + self.offset_after).replace(tzinfo=None)

    @property
    def moves_clocks(self) -> bool:
        return self.offset_after != self.offset_before

    @property
    def forward(self) -> bool:
        return self.offset_after > self.offset_before


SCAN_STEP = timedelta(hours=6)  # zones change at most twice a year; no two changes are this close


def _state(zone: tzinfo, moment: datetime) -> tuple:
    local = moment.astimezone(zone)
    return local.utcoffset(), local.dst(), local.tzname()


def zone_transitions(zone: tzinfo, start: datetime, end: datetime) -> list[Transition]:
    """Every transition of ``zone`` in ``(start, end]`` (aware datetimes), found from zoneinfo itself:
    a scan in UTC steps, then halving the step that contains a change down to the second."""
    start, end = start.astimezone(UTC).replace(microsecond=0), end.astimezone(UTC)
    found = []
    before, state_before = start, _state(zone, start)
    while before < end:
        after = min(before + SCAN_STEP, end)
        state_after = _state(zone, after)
        if state_after != state_before:
            low, high = before, after  # the state changes in (low, high]
            while high - low > timedelta(seconds=1):
                middle = (low + (high - low) / 2).replace(microsecond=0)  # whole seconds, as zones change
                if _state(zone, middle) == state_before:
                    low = middle
                else:
                    high = middle
            found.append(
                Transition(
                    at=high, offset_before=state_before[0], offset_after=state_after[0],
                    dst_after=state_after[1], name_after=state_after[2],
                )
            )
        before, state_before = after, state_after
    return found


def clock_change_days(zone: tzinfo, start: datetime, end: datetime) -> dict[date, Transition]:
    """The local dates between ``start`` and ``end`` on which the clocks change, with the change."""
    days = {}
    for transition in zone_transitions(zone, start - timedelta(days=1), end + timedelta(days=1)):
        if transition.moves_clocks:
            days.setdefault(transition.local_before.date(), transition)
            days.setdefault(transition.local_after.date(), transition)
    return days


# What the sessions list says about a session on a day the clocks change (``session_clock_mark``).
MARK_FIRST, MARK_SECOND, MARK_SHIFTED, MARK_DURING = "first", "second", "shifted", "during"


def session_clock_mark(starts_at: datetime, minutes: int, zone: tzinfo, transition: Transition | None) -> str | None:
    """How the clock change ``transition`` (of the session's day, or None) touches a session, if it does:
    its start is the first or the second of a repeated time, or an hour later than a time that does
    not exist that day (a typed 02:30 that became 03:30; a 03:30 typed as such reads the same), or the
    clocks change while it runs. A 10:00 session on the day is not touched."""
    if transition is None:
        return None
    local = starts_at.astimezone(zone).replace(tzinfo=None)
    if wall_time_problem(local, zone) == REPEATED:
        return MARK_FIRST if starts_at == local.replace(tzinfo=zone, fold=0).astimezone(UTC) else MARK_SECOND
    if transition.forward and wall_time_problem(local - (transition.offset_after - transition.offset_before), zone) == SKIPPED:
        return MARK_SHIFTED
    if starts_at < transition.at < starts_at + timedelta(minutes=minutes):
        return MARK_DURING
    return None


def describe(recurrence: Recurrence) -> str:
    """E.g. "First Tuesday of each month at 10:00, October 2026 to June 2027, skipping 2 dates".

    The skipped count is of sessions actually dropped, not of holidays listed: a school calendar
    of fifteen closures that hits two session days reads "skipping 2 dates".
    """
    r = recurrence
    if r.day is None:
        rule = ORDINAL_PHRASES[r.ordinal](WEEKDAYS[r.weekday])
    elif r.day > 28:
        rule = _("Day %(day)d of each month (the last day in shorter months)") % {"day": r.day}
    else:
        rule = _("Day %(day)d of each month") % {"day": r.day}
    text = _("%(rule)s at %(time)s, %(first)s to %(last)s") % {
        "rule": rule,
        "time": r.at.strftime("%H:%M"),
        "first": date_format(r.first_month, "YEAR_MONTH_FORMAT"),
        "last": date_format(r.last_month, "YEAR_MONTH_FORMAT"),
    }
    dropped = len({start.date() for start in _rule(r)} & r.skipped)  # rule output is local wall time
    if dropped:
        text += ngettext(", skipping %(count)d date", ", skipping %(count)d dates", dropped) % {"count": dropped}
    return text
