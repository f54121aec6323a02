"""A classroom's sessions as a calendar feed (iCalendar), and the secret link that serves it.

Calendar apps subscribe to a URL and cannot sign in, so the token in the URL is the only key:
anyone who has the link reads the feed. That is why the feed carries when and what kind of session,
never notes, student names or a family's name or address, and why a new link stops the old one at once.

Choices a reader might wonder about:

* **Cancelled sessions** stay in the feed with ``STATUS:CANCELLED``, a "Cancelled: " title and
  ``TRANSP:TRANSPARENT``. Google Calendar drops a subscribed event whose status is cancelled; Apple
  Calendar and Thunderbird strike it through; Outlook ignores the status and shows a normal event, which
  is what the title prefix and the "free" time are for. Leaving cancelled sessions out altogether would
  also remove them everywhere, but a teacher looking at the day would then not see that it was called off.
* **No SEQUENCE.** SEQUENCE orders revisions of one event in scheduling messages (iTIP, ``METHOD:REQUEST``
  / ``CANCEL``). A subscribed feed has no METHOD: each refresh replaces the whole calendar, matched by UID,
  so a rescheduled session simply moves. Nothing stored counts a session's moves, and a made-up number
  that can go backwards would be worse than none.
* **DTSTAMP** is when the feed was made, as Google's own exports do; sessions keep no edit time.
* **Times** are written in the school's zone (``TZID``), except for a session that starts or ends at
  the second pass of a time the clocks show twice (01:15 after New York's clocks went back): RFC 5545
  reads a repeated local time as the first, so that session's start and end are written in UTC. The
  end is the start plus the session's length, in UTC, never a wall-clock sum.
* **No X-WR-TIMEZONE.** Every time carries its TZID or is in UTC, so the calendar-wide zone says nothing
  more, and readers that honour it turn UTC times into that zone's wall time (the ``x-wr-timezone``
  library does, and recurring-ical-events applies it), where a time of the repeated hour loses which
  pass it was on: the session's end then came before its start.
* **The VTIMEZONE** is built here from zoneinfo's own transitions (``zone_vtimezone``), not by
  icalendar's ``add_missing_timezones``, whose spring onsets come out an hour late (03:00 with the
  winter offset). It covers the calendar years that have sessions, each whole.
* **One bad session never takes the feed down**: an event that cannot be written is logged and
  written as its start alone, or left out; every other session is still there.
"""

import functools
import logging
from datetime import MAXYEAR, MINYEAR, UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from classrooms.models import Classroom, Session
from classrooms.program.recurrence import zone_transitions

logger = logging.getLogger(__name__)

# How often calendar apps that honour it should fetch again; Google Calendar keeps its own (slower) pace.
REFRESH = timedelta(hours=1)
FEED_STATUSES = (Session.Status.PLANNED, Session.Status.HELD, Session.Status.CANCELLED)
ICS_STATUS = {
    Session.Status.PLANNED: "CONFIRMED",
    Session.Status.HELD: "CONFIRMED",
    Session.Status.CANCELLED: "CANCELLED",
}


def session_uid(session: Session) -> str:
    # Stable across reschedules, so a calendar moves the event instead of showing it twice.
    return f"session-{session.pk}@heard"


def session_summary(session: Session, classroom: Classroom) -> str:
    """What the calendar shows: classroom, kind of session, and its title (never the family's name)."""
    kind = session.get_kind_display()
    title = session.title or (session.theme.title if session.theme_id and session.theme else "")
    if session.kind == Session.Kind.LESSON:
        what = title or _("Heard lesson")
    else:
        what = f"{kind}: {title}" if title else str(kind)
    summary = f"{classroom.name} · {what}"
    if session.status == Session.Status.CANCELLED:
        summary = _("Cancelled: %(summary)s") % {"summary": summary}
    return summary


def ical_times(start: datetime, end: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A session's start and end as the feed writes them: both on the school's clock when a reader that
    takes a repeated wall time as its first occurrence (RFC 5545) gets both instants back, else both in UTC.

    Both, not only the end: readers (recurring-ical-events among them) take the length as end minus start
    and add it back to the start on the start's clock, which goes wrong across a change unless the two
    are on the same footing.
    """
    local = tuple(moment.astimezone(zone).replace(fold=0) for moment in (start, end))
    if all(written.astimezone(UTC) == moment.astimezone(UTC) for written, moment in zip(local, (start, end), strict=True)):
        return local
    return start.astimezone(UTC), end.astimezone(UTC)


@functools.lru_cache(maxsize=1024)
def _year_changes(key: str, year: int) -> tuple:
    """The transitions of the zone ``key`` from 31 December before ``year`` to its end (zoneinfo, cached)."""
    zone = ZoneInfo(key)
    return tuple(zone_transitions(zone, datetime(year - 1, 12, 31, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)))


def zone_vtimezone(zone: ZoneInfo, *, years) -> icalendar.Timezone:
    """The VTIMEZONE of ``zone`` for the calendar ``years`` given (those that have sessions), from zoneinfo.

    Each year is covered from the day before it begins: the time in force then is an onset (for the first
    year, and again after years with no session), and every change in it is one. Onsets of one kind (same
    offsets and name) are one STANDARD or DAYLIGHT, the first as DTSTART and the others as RDATEs. Each is
    the wall time the clocks show as they change, on the offset before it (TZOFFSETFROM), as RFC 5545
    defines DTSTART.
    """
    vtimezone = icalendar.Timezone()
    vtimezone.add("TZID", zone.key)
    years = sorted(y for y in set(years) if MINYEAR < y < MAXYEAR)
    observances: dict[tuple, list[datetime]] = {}
    offset, written = None, set()
    for year in years:
        if offset is None or year - 1 not in years:
            start = datetime(year - 1, 12, 31, tzinfo=zone)
            key = (offset if offset is not None else start.utcoffset(), start.utcoffset(), start.dst() > timedelta(0), start.tzname())
            observances.setdefault(key, []).append(start.replace(tzinfo=None))
            offset = start.utcoffset()
        for change in _year_changes(zone.key, year):
            if change.at in written:
                continue  # the 31 December both years look at
            written.add(change.at)
            # DAYLIGHT is the time the clocks went forward to (Dublin's summer too, which zoneinfo calls standard).
            is_dst = change.forward if change.moves_clocks else change.dst_after > timedelta(0)
            key = (change.offset_before, change.offset_after, is_dst, change.name_after)
            observances.setdefault(key, []).append(change.local_before)
            offset = change.offset_after
    for (offset_from, offset_to, is_dst, name), starts in observances.items():
        observance = icalendar.TimezoneDaylight() if is_dst else icalendar.TimezoneStandard()
        observance.add("DTSTART", starts[0])
        if starts[1:]:
            observance.add("RDATE", starts[1:])
        if name:
            observance.add("TZNAME", name)
        observance.add("TZOFFSETFROM", offset_from)
        observance.add("TZOFFSETTO", offset_to)
        vtimezone.add_component(observance)
    return vtimezone


def _event(session: Session, classroom: Classroom, *, zone: ZoneInfo, now: datetime, classroom_url: str):
    start, end = ical_times(session.starts_at, session.starts_at + timedelta(minutes=session.duration_minutes), zone)
    event = icalendar.Event.new(
        uid=session_uid(session),
        start=start,
        end=end,
        stamp=now,
        summary=session_summary(session, classroom),
        status=ICS_STATUS[session.status],
        url=classroom_url or None,
    )
    if session.status == Session.Status.CANCELLED:
        event.add("TRANSP", "TRANSPARENT")
    return event


def _fallback_event(session: Session, *, now: datetime):
    """What is left of an event that could not be written: when it starts, in UTC, and that it is a session."""
    event = icalendar.Event()
    event.add("UID", session_uid(session))
    event.add("DTSTAMP", now)
    event.add("DTSTART", session.starts_at.astimezone(UTC))
    event.add("SUMMARY", _("Heard session"))
    return event


def classroom_calendar(*, classroom: Classroom, classroom_url: str = "", now: datetime | None = None) -> icalendar.Calendar:
    """The feed of ``classroom``'s sessions, times in its school's zone with the zone's VTIMEZONE."""
    now = now or timezone.now()
    zone = classroom.school.zone
    sessions = list(
        Session.objects.filter(classroom=classroom, status__in=FEED_STATUSES).select_related("theme").order_by("starts_at")
    )
    cal = icalendar.Calendar.new(
        name=_("%(classroom)s · Heard") % {"classroom": classroom.name},
        prodid="-//Heard//Classroom sessions//EN",
        refresh_interval=REFRESH,
        uid=f"classroom-{classroom.pk}@heard",
    )
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # RFC 7986 requires it; icalendar leaves it out
    cal.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))  # Outlook's older name for REFRESH-INTERVAL
    local_years = set()  # the years of the times written on the school's clock, which the VTIMEZONE must cover
    for session in sessions:
        try:
            event = _event(session, classroom, zone=zone, now=now, classroom_url=classroom_url)
            if "TZID" in event["DTSTART"].params:
                local_years.update({event.start.year, event.end.year})
        except Exception:  # one session's data must not cost every subscriber the whole calendar
            logger.exception("Calendar feed of classroom %s: session %s written as its start alone", classroom.pk, session.pk)
            try:
                event = _fallback_event(session, now=now)
            except Exception:
                logger.exception("Calendar feed of classroom %s: session %s left out", classroom.pk, session.pk)
                continue
        cal.add_component(event)
    if local_years:
        try:
            vtimezone = zone_vtimezone(zone, years=local_years)
        except Exception:  # calendar apps go by the TZID's name; without the VTIMEZONE the feed still reads
            logger.exception("Calendar feed of classroom %s: no VTIMEZONE for %s", classroom.pk, zone.key)
        else:
            cal.subcomponents.insert(0, vtimezone)  # before the events that name it, as calendar apps expect
    return cal
