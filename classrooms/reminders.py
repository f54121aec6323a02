"""Which session reminders are due now, as notification drafts. Read-only: the dispatcher task writes."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _

from classrooms.models import Session
from notifications.models import Notification
from notifications.services import NotificationDraft, subject_key_for

TEACHER_NOTICE = timedelta(days=1)
UNMARKED_MORNING = time(8, 0)  # local time, the day after the session
UNMARKED_LOOKBACK = timedelta(days=14)  # older unmarked sessions show on the fidelity report instead


def _planned():
    return (
        Session.objects.filter(status=Session.Status.PLANNED)
        .select_related("classroom__school")
        .prefetch_related("classroom__teachers")
    )


def _for_teachers(session: Session, *, kind: str, title: str, expires_at: datetime | None) -> list[NotificationDraft]:
    # The session's start is the key's moment: a rescheduled session is a new reminder,
    # and the same session is never reminded twice for the same start.
    return [
        NotificationDraft(
            recipient_id=teacher.pk,
            kind=kind,
            subject_key=subject_key_for(session),
            due_at=session.starts_at,
            title=title,
            url=reverse("classrooms:detail", kwargs={"pk": session.classroom_id}),
            email=True,
            email_expires_at=expires_at,
        )
        for teacher in session.classroom.teachers.all()
    ]


def _local(moment: datetime, session: Session) -> datetime:
    return moment.astimezone(ZoneInfo(session.classroom.school.time_zone))


def session_reminders_due(now: datetime) -> list[NotificationDraft]:
    """Teachers the day before each session; the morning after one that nobody marked held or cancelled."""
    drafts: list[NotificationDraft] = []
    for session in _planned().filter(starts_at__gt=now, starts_at__lte=now + TEACHER_NOTICE):
        start = _local(session.starts_at, session)
        title = _("Tomorrow: %(classroom)s session at %(time)s") % {
            "classroom": session.classroom.name,
            "time": start.strftime("%H:%M"),
        }
        drafts += _for_teachers(session, kind=Notification.Kind.SESSION_TOMORROW, title=title, expires_at=session.starts_at)
    for session in _planned().filter(starts_at__lte=now, starts_at__gt=now - UNMARKED_LOOKBACK):
        start = _local(session.starts_at, session)
        morning = datetime.combine(start.date() + timedelta(days=1), UNMARKED_MORNING, tzinfo=start.tzinfo)
        if morning > now:
            continue
        title = _("Was the %(classroom)s session on %(date)s held? Mark it on the classroom page.") % {
            "classroom": session.classroom.name,
            "date": start.strftime("%Y-%m-%d"),
        }
        drafts += _for_teachers(session, kind=Notification.Kind.SESSION_UNMARKED, title=title, expires_at=None)
    return drafts
