"""Monthly session recurrence: what a teacher chooses, expanded into UTC start times.

Pure: no database, no models, so it can be tested exhaustively. The calendar work is python-dateutil's
``rrule``; zone arithmetic is ``zoneinfo``. Nothing here adds days or months by hand.

Edge cases, decided once:

* Wall clock, not elapsed time: rrule is given a ``ZoneInfo`` start, so it produces local wall times
  (10:00 in November as in October) which are converted to UTC afterwards; the UTC hour moves at the
  daylight-saving changes, the local hour never does.
* A local time that does not exist on the day (spring-forward gap, e.g. 02:30 on 14 March 2027 in
  New York) is read with zoneinfo's ``fold=0``, i.e. with the offset in force before the change: the
  session starts at 07:30 UTC, shown as 03:30 local (pushed forward by the length of the gap).
* A local time that happens twice (fall-back, e.g. 01:30 on 1 November 2026 in New York) is the first
  of the two (``fold=0``, still on summer time): 05:30 UTC.
* Seconds are kept; microseconds are refused (rrule would silently drop them).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
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
    not moved. Construction validates, so an invalid Recurrence never exists.
    """

    first_month: date
    last_month: date
    at: time
    time_zone: str
    ordinal: int | None = None
    weekday: int | None = None
    day: int | None = None
    skipped: frozenset[date] = frozenset()

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


def occurrences(recurrence: Recurrence) -> list[datetime]:
    """Every session start, as aware UTC datetimes, sorted (see the module docstring for DST)."""
    rules = rruleset()
    rules.rrule(_rule(recurrence))
    # exdate, not filtering: every occurrence is exactly (its local date, ``at``, this zone), so the
    # exclusion built the same way compares equal, in a gap or an overlap too (same tzinfo: wall-time
    # comparison). Dates outside the program simply match nothing.
    for day in recurrence.skipped:
        rules.exdate(datetime.combine(day, recurrence.at, tzinfo=recurrence.zone))
    return [start.astimezone(UTC) for start in rules]


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
