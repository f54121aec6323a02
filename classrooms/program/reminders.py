"""Which session reminders are due now, as notification drafts. Read-only: the dispatcher task writes."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from classrooms.models import Session
from notifications.models import Notification
from notifications.services import NotificationDraft, subject_key_for

TEACHER_NOTICE = timedelta(days=1)
INSTRUCTOR_NOTICE = timedelta(days=3)  # time to phone the family and agree on the visit
FAMILY_NOTICE = timedelta(days=2)  # must stay within INSTRUCTOR_NOTICE: one query finds both
UNMARKED_MORNING = time(8, 0)  # local time, the day after the session
UNMARKED_LOOKBACK = timedelta(days=14)  # older unmarked sessions show on the fidelity report instead


def _planned():
    return (
        Session.objects.filter(status=Session.Status.PLANNED)
        .select_related("classroom__school")
        .prefetch_related("classroom__teachers")
    )


def _for_people(
    session: Session, people, *, kind: str, title: str, body: str = "", expires_at: datetime | None
) -> list[NotificationDraft]:
    # The session's start is the key's moment: a rescheduled session is a new reminder,
    # and the same session is never reminded twice for the same start.
    return [
        NotificationDraft(
            recipient_id=person.pk,
            kind=kind,
            subject_key=subject_key_for(session),
            due_at=session.starts_at,
            title=title,
            body=body,
            url=reverse("classrooms:detail", kwargs={"pk": session.classroom_id}),
            email=True,
            email_expires_at=expires_at,
        )
        for person in people
    ]


def _for_teachers(session: Session, *, kind: str, title: str, expires_at: datetime | None) -> list[NotificationDraft]:
    return _for_people(session, session.classroom.teachers.all(), kind=kind, title=title, expires_at=expires_at)


def _local(moment: datetime, session: Session) -> datetime:
    return moment.astimezone(session.classroom.school.zone)


def session_reminders_due(now: datetime) -> list[NotificationDraft]:
    """Teachers the day before each session; the morning after one that nobody marked held or cancelled.

    For family visits also: the instructor, a few days before, to phone the family (the classroom's
    teachers when no instructor is set), and the family itself, by e-mail two days before.
    """
    drafts: list[NotificationDraft] = []
    for session in _planned().filter(starts_at__gt=now, starts_at__lte=now + TEACHER_NOTICE):
        start = _local(session.starts_at, session)
        title = _("Tomorrow: %(classroom)s, %(kind)s at %(time)s") % {
            "classroom": session.classroom.name,
            "kind": session.get_kind_display().lower(),
            "time": date_format(start, "TIME_FORMAT"),
        }
        drafts += _for_teachers(session, kind=Notification.Kind.SESSION_TOMORROW, title=title, expires_at=session.starts_at)
    for session in _planned().filter(starts_at__lte=now, starts_at__gt=now - UNMARKED_LOOKBACK):
        start = _local(session.starts_at, session)
        morning = datetime.combine(start.date() + timedelta(days=1), UNMARKED_MORNING, tzinfo=start.tzinfo)
        if morning > now:
            continue
        title = _("Was the %(classroom)s session on %(date)s held? Mark it on the classroom page.") % {
            "classroom": session.classroom.name,
            "date": date_format(start, "DATE_FORMAT"),
        }
        drafts += _for_teachers(session, kind=Notification.Kind.SESSION_UNMARKED, title=title, expires_at=None)
    drafts += _visit_reminders_due(now)
    return drafts


def _visit_reminders_due(now: datetime) -> list[NotificationDraft]:
    """One query for both: the family's window (two days) lies inside the instructor's (three)."""
    drafts: list[NotificationDraft] = []
    visits = (
        _planned()
        .filter(kind=Session.Kind.FAMILY_VISIT, starts_at__gt=now, starts_at__lte=now + INSTRUCTOR_NOTICE)
        .select_related("theme__family", "theme__instructor")
    )
    for visit in visits:
        family = visit.theme.family if visit.theme else None
        start = _local(visit.starts_at, visit)
        values = {
            "classroom": visit.classroom.name,
            "family": family.name if family else _("the visiting family"),
            "when": date_format(start, "DATETIME_FORMAT"),
        }
        title = _("Call %(family)s about the %(classroom)s family visit on %(when)s") % values
        body = _(
            "Check the family can still come, how the baby is doing, and anything new the class should know."
        )
        if family:
            body += "\n" + _("Contact: %(email)s") % {"email": family.contact_email}
            if family.contact_phone:
                body += "\n" + _("Phone: %(phone)s") % {"phone": family.contact_phone}
        instructor = visit.theme.instructor if visit.theme else None
        drafts += _for_people(
            visit,
            [instructor] if instructor else visit.classroom.teachers.all(),
            kind=Notification.Kind.VISIT_CALL_FAMILY,
            title=title,
            body=body,
            expires_at=visit.starts_at,
        )
        if family and family.contact_email and visit.starts_at <= now + FAMILY_NOTICE:
            drafts.append(_family_email(visit, family))
    return drafts


def _family_email(visit: Session, family) -> NotificationDraft:
    start = _local(visit.starts_at, visit)
    classroom = visit.classroom
    teachers = ", ".join(t.display_name for t in classroom.teachers.all())
    values = {
        "classroom": classroom.name,
        "school": classroom.school.name,
        "date": date_format(start, "DATE_FORMAT"),
        "time": date_format(start, "TIME_FORMAT"),
        "minutes": visit.duration_minutes,
        "baby": family.baby_name or _("your baby"),
        "teachers": teachers or _("the class teacher"),
    }
    title = _("Your visit to %(classroom)s on %(date)s at %(time)s") % values
    body = _(
        "Thank you for visiting %(classroom)s at %(school)s on %(date)s at %(time)s. "
        "The visit lasts about %(minutes)d minutes.\n\n"
        "What to expect: the children sit in a circle and greet %(baby)s with a song. The instructor "
        "asks them what %(baby)s might be feeling and why, and they watch how %(baby)s plays, moves and "
        "reacts. We measure %(baby)s's weight and length if you are happy for us to. Bring whatever "
        "%(baby)s needs to be comfortable: a blanket and a favourite toy help. You may leave at any "
        "moment if %(baby)s is unsettled; the class learns from that too.\n\n"
        "If you cannot come, please tell %(teachers)s as soon as you can."
    ) % values
    return NotificationDraft(
        recipient_id=None,
        to_email=family.contact_email,
        kind=Notification.Kind.VISIT_FAMILY_EMAIL,
        subject_key=subject_key_for(visit),
        due_at=visit.starts_at,
        title=title,
        body=body,
        email=True,
        email_expires_at=visit.starts_at,
    )
