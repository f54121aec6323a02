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
* **Times** are written in the school's zone (``TZID``), except a time the zone's wall clock shows
  twice and that is the second of the two (01:15 after New York's clocks went back): RFC 5545 reads a
  repeated local time as the first, so that one is written in UTC. The end is the start plus the
  session's length, in UTC, never a wall-clock sum.
* **The VTIMEZONE** is built here from zoneinfo's own transitions (``zone_vtimezone``), not by
  icalendar's ``add_missing_timezones``, whose spring onsets come out an hour late (03:00 with the
  winter offset). It covers whole calendar years, from the first session's to the last one's.
* **One bad session never takes the feed down**: an event that cannot be written is logged and
  written as its start alone, or left out; every other session is still there.
"""

import logging
from datetime import UTC, date, datetime, time, timedelta
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


def ical_moment(moment: datetime, zone: ZoneInfo) -> datetime:
    """``moment`` as the feed writes it: local time in ``zone`` when a reader that takes a repeated
    wall time as its first occurrence (RFC 5545) gets the same instant back, else UTC."""
    local = moment.astimezone(zone).replace(fold=0)
    return local if local.astimezone(UTC) == moment.astimezone(UTC) else moment.astimezone(UTC)


def zone_vtimezone(zone: ZoneInfo, *, first: date, last: date) -> icalendar.Timezone:
    """The VTIMEZONE of ``zone`` from ``first`` to ``last`` (local midnights), from zoneinfo's transitions.

    One observance for the time in force at ``first``, then one STANDARD or DAYLIGHT per kind of change
    (same offsets and name), its first change as DTSTART and the others as RDATEs. Each is the wall time
    the clocks show as they change, on the offset before it (TZOFFSETFROM), as RFC 5545 defines DTSTART.
    """
    start = datetime.combine(first, time(0), tzinfo=zone)
    vtimezone = icalendar.Timezone()
    vtimezone.add("TZID", zone.key)
    observances: dict[tuple, list[datetime]] = {
        (start.utcoffset(), start.utcoffset(), start.dst() != timedelta(0), start.tzname()): [start.replace(tzinfo=None)]
    }
    for change in zone_transitions(zone, start, datetime.combine(last, time(0), tzinfo=zone)):
        key = (change.offset_before, change.offset_after, change.dst_after != timedelta(0), change.name_after)
        observances.setdefault(key, []).append(change.local_before)
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
    ends_at = session.starts_at + timedelta(minutes=session.duration_minutes)
    event = icalendar.Event.new(
        uid=session_uid(session),
        start=ical_moment(session.starts_at, zone),
        end=ical_moment(ends_at, zone),
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
    cal.add("X-WR-TIMEZONE", classroom.school.time_zone)
    for session in sessions:
        try:
            event = _event(session, classroom, zone=zone, now=now, classroom_url=classroom_url)
        except Exception:  # one session's data must not cost every subscriber the whole calendar
            logger.exception("Calendar feed of classroom %s: session %s written as its start alone", classroom.pk, session.pk)
            try:
                event = _fallback_event(session, now=now)
            except Exception:
                logger.exception("Calendar feed of classroom %s: session %s left out", classroom.pk, session.pk)
                continue
        cal.add_component(event)
    if sessions:  # whole years around the sessions; zoneinfo's full range would make the file ten times larger
        first_year = sessions[0].starts_at.astimezone(zone).year
        last_year = sessions[-1].starts_at.astimezone(zone).year
        vtimezone = zone_vtimezone(zone, first=date(first_year, 1, 1), last=date(last_year + 1, 1, 1))
        cal.subcomponents.insert(0, vtimezone)  # before the events that name it, as calendar apps expect
    return cal
