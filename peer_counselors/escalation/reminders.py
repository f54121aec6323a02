"""The peer counselors' own reminders, as notification drafts. Read-only: the dispatcher writes.

Registered as reminder sources in ``PeerCounselorsConfig.ready()`` (notifications.reminders). In the app only:
children are not e-mailed.

* Duty: an orange hat with requests waiting on them (offered to them and accepted by nobody, or theirs and not
  met yet) hears when one of their duty periods starts (the slot's weekday and the period's start, in the
  school's zone). Keyed on their profile and that start, so once per slot and week. A run up to
  ``DUTY_LATE`` after the start still reminds (a dispatcher running late); later, the duty is stale and nobody
  is told.
* Follow-up: on the day of a met request's follow-up check-in (two weeks after the meeting, school's zone),
  the orange hat who had it and their partner, once; still on the few days after it if the dispatcher missed
  the day (``FOLLOW_UP_LATE``).
"""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Notification
from notifications.services import NotificationDraft, subject_key_for
from peer_counselors.escalation import selectors

DUTY_LATE = timedelta(minutes=30)
FOLLOW_UP_LATE = timedelta(days=3)


def _duty_start(slot, now: datetime) -> datetime | None:
    """The start of ``slot``'s occurrence within the last ``DUTY_LATE``, or None."""
    zone = slot.profile.school.zone
    for day in sorted({(now - DUTY_LATE).astimezone(zone).date(), now.astimezone(zone).date()}):
        if day.weekday() != slot.weekday:
            continue
        start = datetime.combine(day, slot.period.starts, tzinfo=zone)
        if now - DUTY_LATE < start <= now:
            return start
    return None


def duty_reminders_due(now: datetime) -> list[NotificationDraft]:
    # A school's local weekday is today's, yesterday's or tomorrow's in UTC, whatever its zone.
    weekdays = {(now + timedelta(days=shift)).weekday() for shift in (-1, 0, 1)}
    starting = [(slot, start) for slot in selectors.duty_slots_on(weekdays) if (start := _duty_start(slot, now))]
    if not starting:
        return []
    pending = selectors.pending_by_profile(slot.profile_id for slot, _start in starting)
    drafts = []
    for slot, start in starting:
        waiting = pending.get(slot.profile_id, 0)
        if not waiting:
            continue
        drafts.append(
            NotificationDraft(
                recipient_id=slot.profile.student_id,
                kind=Notification.Kind.HELP_DUTY,
                subject_key=subject_key_for(slot.profile),
                due_at=start,
                title=ngettext(
                    "Your orange hat time (%(period)s) starts now, and %(n)d request is waiting for you.",
                    "Your orange hat time (%(period)s) starts now, and %(n)d requests are waiting for you.",
                    waiting,
                ) % {"period": slot.period.name, "n": waiting},
                url=reverse("peer_counselors:queue"),
            )
        )
    return drafts


def follow_up_reminders_due(now: datetime) -> list[NotificationDraft]:
    # Whatever the zone, a school's today is within a day of UTC's.
    today = now.date()
    drafts = []
    for request in selectors.follow_ups_between(today - FOLLOW_UP_LATE - timedelta(days=1), today + timedelta(days=1)):
        zone = request.school.zone
        local_today = now.astimezone(zone).date()
        if not local_today - FOLLOW_UP_LATE <= request.follow_up_on <= local_today:
            continue
        due = datetime.combine(request.follow_up_on, datetime.min.time(), tzinfo=zone)
        facts = {"name": request.requester.display_name}
        title = (
            _("Check in with %(name)s: two weeks ago you helped them. Ask how the agreement is going.") % facts
            if request.agreement
            else _("Check in with %(name)s: two weeks ago you helped them. Ask how things are going.") % facts
        )
        for profile in (request.assigned_to, request.partner):
            if not selectors.is_peer_counselor_now(profile, request.school_id):
                continue
            drafts.append(
                NotificationDraft(
                    recipient_id=profile.student_id,
                    kind=Notification.Kind.HELP_FOLLOW_UP,
                    subject_key=subject_key_for(request),
                    due_at=due,
                    title=title,
                    url=reverse("peer_counselors:request", args=[request.pk]),
                )
            )
    return drafts
