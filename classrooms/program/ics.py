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
"""

from datetime import datetime, timedelta

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from classrooms.models import Classroom, Session

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
        start = session.starts_at.astimezone(zone)
        end = (session.starts_at + timedelta(minutes=session.duration_minutes)).astimezone(zone)
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
        cal.add_component(event)
    # The VTIMEZONE only needs to cover the sessions' span; the default (1970-2038) makes the file ten times larger.
    if sessions:
        cal.add_missing_timezones(
            first_date=sessions[0].starts_at.date() - timedelta(days=366),
            last_date=sessions[-1].starts_at.date() + timedelta(days=366),
        )
    return cal
