"""The school day, for the safety messages and the unclaimed-request deadline. Pure: no database access.

* School days are Monday to Friday. Holidays are not known here (the program year's closures are the classrooms'
  concern, and a request must never wait longer because of a calendar mistake): on a holiday a request is
  treated as in school time, and a flagged one is escalated by the clock anyway (peer_counselors/escalation).
* A moment is in school time when its local weekday is a school day and ``starts <= local time < ends``.
* "One school day later" (``school_days_after``) is the same local time on the next school day; a request made
  outside school time is counted from the next opening. A time that does not exist in the zone that day (a DST
  gap) moves forward by the gap, as zoneinfo does.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SCHOOL_DAYS = frozenset(range(5))  # Monday 0 .. Friday 4


def in_school_time(moment: datetime, *, zone: ZoneInfo, starts: time, ends: time) -> bool:
    local = moment.astimezone(zone)
    return local.weekday() in SCHOOL_DAYS and starts <= local.time() < ends


def _next_school_date(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() not in SCHOOL_DAYS:
        day += timedelta(days=1)
    return day


def next_opening(moment: datetime, *, zone: ZoneInfo, starts: time, ends: time) -> datetime:
    """``moment`` itself when the school is open then, else the start of the next school day."""
    if in_school_time(moment, zone=zone, starts=starts, ends=ends):
        return moment
    local = moment.astimezone(zone)
    day = local.date()
    if local.weekday() not in SCHOOL_DAYS or local.time() >= ends:
        day = _next_school_date(day)
    return datetime.combine(day, starts, tzinfo=zone)


def school_days_after(moment: datetime, days: int, *, zone: ZoneInfo, starts: time, ends: time) -> datetime:
    """``days`` school days after ``moment`` (from the next opening if the school is closed then)."""
    local = next_opening(moment, zone=zone, starts=starts, ends=ends).astimezone(zone)
    day, clock = local.date(), local.time()
    for _ in range(days):
        day = _next_school_date(day)
    return datetime.combine(day, clock, tzinfo=zone)
