"""Every way a classroom's program year, its sessions, its school's time zone and its calendar link change.

Two kinds of year (``ProgramYear.Format``):

* **lessons**: each date of the rule is one lesson.
* **visits** (Roots of Empathy style): each date of the rule is a *family visit*, the anchor of a theme;
  the theme's pre-visit lesson is ``pre_visit_days`` before it and its post-visit lesson
  ``post_visit_days`` after, at the same local time, so a theme spans about three weeks. A companion
  lesson that would fall in the past when it is made or moved is left out / left where it is (it cannot
  be planned for yesterday). Companions are not checked against the skipped dates: a teacher moves one
  that lands on a closure day by hand.
"""

import secrets
from collections.abc import Collection
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User, validate_time_zone
from classrooms.models import (
    SESSION_MINUTES_MAX,
    SESSION_MINUTES_MIN,
    SESSION_NOTE_MAX,
    Classroom,
    ProgramYear,
    Session,
    SessionAttendance,
    Theme,
    VisitingFamily,
)
from classrooms.permissions import require_classroom_manager
from classrooms.program.recurrence import Recurrence, occurrences, resolve_wall_time
from classrooms.program.selectors import program_year_recurrence, session_register
from classrooms.signals import program_year_sessions_synced
from config.celery import enqueue
from notifications.selectors import emails_waiting_about
from notifications.services import notification_emails_withdraw, subject_key_for

REMINDERS_TASK = "classrooms.tasks.reminders_dispatch"
SESSION_KEY_PREFIX = "classrooms.session:"  # notifications.services.subject_key_for(a session)
# A session moves at most this far ahead: a typo of a year (9999) is refused, not stored (and overflowing).
RESCHEDULE_HORIZON_YEARS = 5
RESCHEDULE_HORIZON = timedelta(days=365 * RESCHEDULE_HORIZON_YEARS + 2)

ANCHOR_KIND = {ProgramYear.Format.LESSONS: Session.Kind.LESSON, ProgramYear.Format.VISITS: Session.Kind.FAMILY_VISIT}
COMPANION_KINDS = (Session.Kind.PRE_VISIT, Session.Kind.POST_VISIT)
MAX_OFFSET_DAYS = 14  # a theme's lessons within two weeks of its visit; longer would overlap the next theme


def _shift_wall_clock(
    moment: datetime, *, days: int = 0, delta: timedelta | None = None, zone: ZoneInfo, fold: int = 0
) -> datetime:
    """``moment`` moved by whole days (or a wall-clock delta) in local time: 10:00 stays 10:00 across DST.
    A time that lands in a clock change is read as ``recurrence.resolve_wall_time`` reads it."""
    local = moment.astimezone(zone).replace(tzinfo=None)
    local += delta if delta is not None else timedelta(days=days)
    return resolve_wall_time(local, zone, fold=fold)


@transaction.atomic
def program_year_set(
    *,
    classroom: Classroom,
    recurrence: Recurrence,
    by: User,
    duration_minutes: int = 45,
    format: str = ProgramYear.Format.LESSONS,
    pre_visit_days: int = 7,
    post_visit_days: int = 7,
) -> ProgramYear:
    """Set (or change) a classroom's recurrence and bring its future sessions in line with it."""
    require_classroom_manager(by, classroom)
    errors = {}
    if format not in ProgramYear.Format.values:
        errors["format"] = _("Choose lessons or family visits.")
    if not SESSION_MINUTES_MIN <= duration_minutes <= SESSION_MINUTES_MAX:
        errors["duration_minutes"] = _("A session lasts between %(min)d and %(max)d minutes.") % {
            "min": SESSION_MINUTES_MIN, "max": SESSION_MINUTES_MAX,
        }
    for field, days in (("pre_visit_days", pre_visit_days), ("post_visit_days", post_visit_days)):
        if not 1 <= days <= MAX_OFFSET_DAYS:
            errors[field] = _("Choose between 1 and %(max)d days.") % {"max": MAX_OFFSET_DAYS}
    if errors:
        raise ValidationError(errors)
    fields = asdict(recurrence)
    fields.pop("time_zone")  # always the school's, so a change of zone moves the sessions with it
    fields["skipped_dates"] = sorted(d.isoformat() for d in fields.pop("skipped"))
    program_year, _created = ProgramYear.objects.update_or_create(
        classroom=classroom,
        defaults={
            **fields,
            "duration_minutes": duration_minutes,
            "format": format,
            "pre_visit_days": pre_visit_days,
            "post_visit_days": post_visit_days,
        },
    )
    program_year.classroom = classroom  # the caller's classroom, school included: what the page shows next
    program_year_sessions_sync(program_year=program_year)
    return program_year


def _movable(session: Session) -> bool:
    return session.follows_recurrence and session.status == Session.Status.PLANNED


@transaction.atomic
def program_year_sessions_sync(*, program_year: ProgramYear, now: datetime | None = None) -> None:
    """Make the classroom's future sessions match the rule; past ones are history and stay as they are.

    The rule gives one date a month, so every session the rule made remembers its month
    (``Session.rule_month``) and the month is the identity: editing the rule moves each month's
    session (with its title, its theme and its family visit) to the month's new date. A session
    the teacher rescheduled, cancelled or marked held keeps its time and still stands for its month,
    so editing the rule never adds a second session for that month. A month that leaves the rule
    (shortened year, a new closure date) loses its session if it was only planned; a new month gets
    one. Nothing is created or moved into the past. In a visits year each family visit's planned
    pre- and post-visit lessons follow it. Future planned sessions of the other kind of year (after
    the teacher switched kinds) are removed first.
    """
    now = now or timezone.now()
    classroom = program_year.classroom
    recurrence = program_year_recurrence(program_year)
    zone = recurrence.zone
    anchor_kind = ANCHOR_KIND[program_year.format]
    visits = program_year.format == ProgramYear.Format.VISITS
    future = list(
        Session.objects.select_for_update().filter(classroom=classroom, starts_at__gt=now).order_by("starts_at")
    )
    other_kind = [s for s in future if s.kind != anchor_kind and not (visits and s.kind in COMPANION_KINDS)]
    dropped = {s.pk for s in other_kind if _movable(s)}
    if dropped:
        Session.objects.filter(pk__in=dropped).delete()
    future = [s for s in future if s.pk not in dropped]

    def month_of(moment: datetime) -> date:
        local = moment.astimezone(zone)
        return date(local.year, local.month, 1)

    wanted = {month_of(t): t for t in occurrences(recurrence)}
    taken = {s.starts_at for s in future}
    by_month: dict[date, Session] = {}
    leaving = []
    for session in future:
        if session.kind != anchor_kind or session.rule_month is None:
            continue  # a companion lesson, or a session the teacher added by hand
        if session.rule_month not in wanted or session.rule_month in by_month:
            if _movable(session):
                leaving.append(session)
            continue
        by_month[session.rule_month] = session
    if leaving:
        Session.objects.filter(pk__in=[s.pk for s in leaving]).delete()
        if visits:  # their themes' planned lessons go too; held or moved ones stay, as history
            Session.objects.filter(
                theme__in=[s.theme_id for s in leaving if s.theme_id],
                kind__in=COMPANION_KINDS,
                status=Session.Status.PLANNED,
                follows_recurrence=True,
                starts_at__gt=now,
            ).delete()
    new = []
    for month, when in wanted.items():
        session = by_month.get(month)
        if when <= now or when in taken:
            continue  # never plan into the past; never two sessions at once
        if session is None:
            new.append(
                Session(
                    classroom=classroom, starts_at=when, rule_month=month, kind=anchor_kind,
                    duration_minutes=program_year.duration_minutes,
                )
            )
        elif _movable(session) and session.starts_at != when:
            taken.discard(session.starts_at)
            session.starts_at = when
            session.save(update_fields=["starts_at"])
        taken.add(when)
    Session.objects.filter(pk__in=[s.pk for s in by_month.values() if _movable(s)]).exclude(
        duration_minutes=program_year.duration_minutes
    ).update(duration_minutes=program_year.duration_minutes)
    Session.objects.bulk_create(new, ignore_conflicts=True)
    if visits:
        _themes_sync(program_year=program_year, now=now)
    Theme.objects.filter(classroom=classroom, sessions__isnull=True).delete()
    classroom_sessions_recount(classroom_ids=[classroom.pk])
    # The apps built on classrooms (the curriculum plans a visits year's lessons) follow the new sessions.
    program_year_sessions_synced.send(sender=ProgramYear, program_year=program_year, now=now)


def _themes_sync(*, program_year: ProgramYear, now: datetime) -> None:
    """Give every future family visit its theme and put the theme's planned lessons around it."""
    classroom = program_year.classroom
    zone = classroom.school.zone
    visits = list(
        Session.objects.filter(classroom=classroom, kind=Session.Kind.FAMILY_VISIT, starts_at__gt=now).order_by(
            "starts_at"
        )
    )
    without_theme = [v for v in visits if v.theme_id is None]
    if without_theme:
        next_number = (Theme.objects.filter(classroom=classroom).aggregate(n=Max("number"))["n"] or 0) + 1
        family, instructor = _usual_family_and_instructor(classroom)
        for visit in without_theme:
            visit.theme = Theme.objects.create(
                classroom=classroom, number=next_number, family=family, instructor=instructor
            )
            next_number += 1
            visit.save(update_fields=["theme"])
    companions = {
        (s.theme_id, s.kind): s
        for s in Session.objects.select_for_update().filter(
            classroom=classroom, theme__in=[v.theme_id for v in visits], kind__in=COMPANION_KINDS
        )
    }
    taken = set(Session.objects.filter(classroom=classroom).values_list("starts_at", flat=True))
    for visit in visits:
        for kind, days in ((Session.Kind.PRE_VISIT, -program_year.pre_visit_days), (Session.Kind.POST_VISIT, program_year.post_visit_days)):
            when = _shift_wall_clock(visit.starts_at, days=days, zone=zone, fold=program_year.fold)
            companion = companions.get((visit.theme_id, kind))
            if companion is None:
                if when > now and when not in taken:
                    Session.objects.create(
                        classroom=classroom, starts_at=when, kind=kind, theme_id=visit.theme_id,
                        duration_minutes=program_year.duration_minutes,
                    )
                    taken.add(when)
            elif _movable(companion) and companion.starts_at > now and companion.starts_at != when:
                if when > now and when not in taken:
                    taken.discard(companion.starts_at)
                    companion.starts_at = when
                    companion.duration_minutes = program_year.duration_minutes
                    companion.save(update_fields=["starts_at", "duration_minutes"])
                    taken.add(when)
    _themes_renumber(classroom)


def _usual_family_and_instructor(classroom: Classroom):
    """Who a new theme starts with: the same family and instructor as the latest theme (one family
    usually visits all year), or the classroom's only family when no theme has one yet."""
    latest = Theme.objects.filter(classroom=classroom).order_by("-number").first()
    family_id = latest.family_id if latest else None
    instructor_id = latest.instructor_id if latest else None
    if family_id is None:
        families = list(VisitingFamily.objects.filter(classroom=classroom).values_list("pk", flat=True)[:2])
        family_id = families[0] if len(families) == 1 else None
    family = VisitingFamily.objects.filter(pk=family_id).first() if family_id else None
    instructor = User.objects.filter(pk=instructor_id).first() if instructor_id else None
    return family, instructor


def _themes_renumber(classroom: Classroom) -> None:
    """Themes numbered 1, 2, 3... in the order of their family visits (after visits were added or removed)."""
    themes = list(Theme.objects.select_for_update().filter(classroom=classroom).order_by("number"))
    visit_at = dict(
        Session.objects.filter(classroom=classroom, kind=Session.Kind.FAMILY_VISIT, theme__isnull=False).values_list(
            "theme_id", "starts_at"
        )
    )
    far = datetime.max.replace(tzinfo=UTC)
    ordered = sorted(themes, key=lambda t: (visit_at.get(t.pk, far), t.number))
    if [t.pk for t in ordered] == [t.pk for t in themes] and [t.number for t in themes] == list(range(1, len(themes) + 1)):
        return
    offset = max((t.number for t in themes), default=0) + len(themes) + 1
    for i, theme in enumerate(ordered):  # out of the way first: the numbers are unique per classroom
        Theme.objects.filter(pk=theme.pk).update(number=offset + i)
    for i, theme in enumerate(ordered, start=1):
        Theme.objects.filter(pk=theme.pk).update(number=i)


def program_years_resync_for_school(*, school_id: int) -> None:
    """After a school changes its time zone: every future session moves to the same local time."""
    for program_year in ProgramYear.objects.filter(classroom__school_id=school_id).select_related("classroom__school"):
        program_year_sessions_sync(program_year=program_year)


@transaction.atomic
def school_time_zone_set(*, school: School, time_zone: str) -> School:
    """Change a school's time zone; its future sessions keep their local time (10:00 stays 10:00)
    and so move in UTC, and their reminders follow because they are keyed on the session's start."""
    validate_time_zone(time_zone)
    School.objects.filter(pk=school.pk).update(time_zone=time_zone)
    school.time_zone = time_zone
    program_years_resync_for_school(school_id=school.pk)
    return school


def _reminders_refresh() -> None:
    # A session moved to tomorrow is reminded now rather than at the next beat; with the broker
    # down, beat's own run catches it up (nothing is lost: the session row is the schedule).
    transaction.on_commit(lambda: enqueue(REMINDERS_TASK))


@transaction.atomic
def session_reschedule(*, session: Session, starts_at: datetime, by: User, now: datetime | None = None) -> Session:
    """Move a planned session, or a cancelled one, which is planned again at its new time (a lesson
    called off for snow, made up the next week). A family visit carries its theme's planned, future
    lessons along."""
    require_classroom_manager(by, session.classroom)
    now = now or timezone.now()
    session = Session.objects.select_for_update().select_related("classroom__school").get(pk=session.pk)
    if session.status == Session.Status.HELD:
        raise ValidationError({"starts_at": _("A held session cannot be moved.")})
    if starts_at <= now:
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    if starts_at > now + RESCHEDULE_HORIZON:
        raise ValidationError({"starts_at": _("Choose a date within the next %(years)d years.") % {"years": RESCHEDULE_HORIZON_YEARS}})
    moves = {session: starts_at}
    if session.kind == Session.Kind.FAMILY_VISIT and session.theme_id:
        zone = session.classroom.school.zone
        wall_delta = starts_at.astimezone(zone).replace(tzinfo=None) - session.starts_at.astimezone(zone).replace(
            tzinfo=None
        )
        for companion in Session.objects.select_for_update().filter(
            theme_id=session.theme_id, kind__in=COMPANION_KINDS, status=Session.Status.PLANNED, starts_at__gt=now
        ):
            new_time = _shift_wall_clock(companion.starts_at, delta=wall_delta, zone=zone)
            if new_time > now:
                moves[companion] = new_time
    clashes = (
        Session.objects.filter(classroom=session.classroom, starts_at__in=list(moves.values()))
        .exclude(pk__in=[s.pk for s in moves])
        .exists()
    )
    if clashes:
        raise ValidationError({"starts_at": _("This classroom already has a session at that time.")})
    # Two steps, so sessions swapping places within the move never collide on the unique key.
    for moving in moves:
        Session.objects.filter(pk=moving.pk).update(starts_at=moves[moving] + timedelta(days=36500))
    for moving, new_time in moves.items():
        moving.starts_at = new_time
        moving.follows_recurrence = False
        fields = ["starts_at", "follows_recurrence"]
        if moving.status == Session.Status.CANCELLED:
            _restore(moving, now=now)
            fields += ["status", "note", "status_changed_at"]
        moving.save(update_fields=fields)
    _recount_classrooms_of(list(moves))
    reminder_emails_withdraw_stale(list(moves))
    _reminders_refresh()
    return session


def _restore(session: Session, *, now: datetime) -> None:
    # The note was why it was called off, which no longer holds.
    session.status, session.note, session.status_changed_at = Session.Status.PLANNED, "", now


@transaction.atomic
def session_restore(*, session: Session, by: User, now: datetime | None = None) -> Session:
    """Undo a cancellation: the session is planned again at its own time and reminded like any other
    (reminders are keyed on the session's start, and a cancelled session was never reminded).

    Only before it starts: planned again afterwards it would at once be "overdue". A past session
    that took place after all is marked held instead; one to make up is rescheduled.
    """
    require_classroom_manager(by, session.classroom)
    now = now or timezone.now()
    session = Session.objects.select_for_update(of=("self",)).select_related("classroom__school", "theme").get(pk=session.pk)
    if session.status == Session.Status.PLANNED:
        return session  # a double click is not an error
    if session.status == Session.Status.HELD:
        raise ValidationError(_("This session was held; only a cancelled session can be restored."))
    if session.starts_at <= now:
        raise ValidationError(
            _(
                "This session has already started, so it cannot be planned again. If it took place after "
                "all, mark it held; to make it up, reschedule it."
            )
        )
    _restore(session, now=now)
    session.save(update_fields=["status", "note", "status_changed_at"])
    _recount_classrooms_of([session])
    _reminders_refresh()
    return session


@transaction.atomic
def session_title_set(*, session: Session, title: str, by: User) -> Session:
    """The lesson planned for a session (a free title until the curriculum exists)."""
    require_classroom_manager(by, session.classroom)
    title = " ".join(title.split())
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    if session.title != title:
        session.title = title
        session.save(update_fields=["title"])
    return session


def reminder_emails_withdraw_stale(sessions=None) -> int:
    """Stop the reminder e-mails still waiting for a session that was since cancelled or moved.

    A reminder is keyed on its session's start (``due_at``): one whose session now starts at another moment,
    or is cancelled, would tell a family or a teacher something false. Called when a session is cancelled or
    moved, and by every reminder run for the other ways a start changes (the rule edited, the time zone).
    Two queries, whatever the outbox holds.
    """
    waiting = emails_waiting_about(subject_prefix=SESSION_KEY_PREFIX)
    if sessions is not None:
        keys = {subject_key_for(session) for session in sessions}
        waiting = [row for row in waiting if row["subject_key"] in keys]
    if not waiting:
        return 0
    ids = {row["subject_key"].removeprefix(SESSION_KEY_PREFIX) for row in waiting}
    now_at = {
        str(pk): (starts_at, status)
        for pk, starts_at, status in Session.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).values_list(
            "pk", "starts_at", "status"
        )
    }
    stale = []
    for row in waiting:
        starts_at, status = now_at.get(row["subject_key"].removeprefix(SESSION_KEY_PREFIX), (None, None))
        if starts_at != row["due_at"] or status == Session.Status.CANCELLED:
            stale.append(row["pk"])
    return notification_emails_withdraw(ids=stale) if stale else 0


def _set_status(*, session: Session, status: str, by: User, note: str = "") -> Session:
    require_classroom_manager(by, session.classroom)
    note = note.strip()
    if len(note) > SESSION_NOTE_MAX:
        raise ValidationError({"note": _("Keep the note under %(max)s characters.") % {"max": f"{SESSION_NOTE_MAX:,}"}})
    if session.status == status and session.note == note:
        return session  # a double click is not an error
    session.status = status
    session.note = note
    session.status_changed_at = timezone.now()
    session.save(update_fields=["status", "note", "status_changed_at"])
    return session


@transaction.atomic
def session_cancel(*, session: Session, by: User, note: str = "") -> Session:
    if session.status == Session.Status.HELD:
        raise ValidationError({"note": _("This session was held; it cannot be cancelled.")})
    session = _set_status(session=session, status=Session.Status.CANCELLED, by=by, note=note)
    _recount_classrooms_of([session])
    reminder_emails_withdraw_stale([session])
    return session


@transaction.atomic
def session_mark_held(
    *, session: Session, by: User, note: str = "", absent_ids: Collection[int] | None = None
) -> Session:
    """Record that a session took place (a cancelled one too: it happened after all) and who was away.

    With ``absent_ids`` the register is written, or corrected: everyone on it (``session_register``)
    present but those; an id that is not on it is refused. ``None`` leaves the register as it is.
    """
    require_classroom_manager(by, session.classroom)
    if not session.is_past:
        raise ValidationError({"note": _("A session can be marked held once it has started.")})
    register = None
    if absent_ids is not None:
        # Two co-teachers saving the register at once: the second waits, then rewrites it whole.
        counted = Session.objects.select_for_update().filter(pk=session.pk).values_list("register_count", "present_count").get()
        absent_ids = set(absent_ids)
        register = set(session_register(session).values_list("pk", flat=True))
        if not absent_ids <= register:
            raise ValidationError({"away": _("Only students of this classroom can be marked away.")})
    session = _set_status(session=session, status=Session.Status.HELD, by=by, note=note)
    if register is not None:
        _register_write(session, register=register, absent_ids=absent_ids, counted=counted)
    _recount_classrooms_of([session])
    return session


def _register_write(session: Session, *, register: set[int], absent_ids: set[int], counted: tuple[int, int]) -> None:
    """The register rewritten whole, and its counts with it (``counted``: as stored, read under the session's lock)."""
    wanted = {student_id: student_id not in absent_ids for student_id in register}
    if dict(session.attendance.values_list("student_id", "present")) != wanted:
        session.attendance.all().delete()
        SessionAttendance.objects.bulk_create(
            SessionAttendance(session=session, student_id=student_id, present=present)
            for student_id, present in sorted(wanted.items())
        )
    session.register_count, session.present_count = len(wanted), sum(wanted.values())
    if counted != (session.register_count, session.present_count):
        Session.objects.filter(pk=session.pk).update(register_count=session.register_count, present_count=session.present_count)


def _lines_counted(lines: QuerySet[SessionAttendance]):
    """Per session of the outer query, how many of ``lines`` are its (0 for none)."""
    per_session = lines.filter(session=OuterRef("pk")).order_by().values("session").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(per_session), Value(0))


RECOUNT_CHUNK = 2000  # sessions counted again a statement


@transaction.atomic
def session_registers_recount(*, sessions: QuerySet[Session]) -> int:
    """Count ``sessions``' registers again from their rows, for the writes that change register rows other than
    by ``session_mark_held``: a register edited in the admin, people deleted, the benches' bulk seeds.

    The sessions are locked first, as ``session_mark_held`` locks the one it writes, so a register taken at the
    same moment is counted once it is in, never half. Returns how many sessions were counted."""
    ids = list(sessions.select_for_update().order_by("pk").values_list("pk", flat=True))
    lines = SessionAttendance.objects.all()
    for start in range(0, len(ids), RECOUNT_CHUNK):
        Session.objects.filter(pk__in=ids[start : start + RECOUNT_CHUNK]).update(
            register_count=_lines_counted(lines), present_count=_lines_counted(lines.filter(present=True))
        )
    classroom_sessions_recount(classroom_ids=set(Session.objects.filter(pk__in=ids).values_list("classroom_id", flat=True)))
    return len(ids)


def _per_classroom(aggregate, *, default=None, **only):
    """Per classroom of the outer query, ``aggregate`` over its sessions (``only`` those), or ``default``."""
    sessions = Session.objects.filter(classroom=OuterRef("pk"), **only).order_by().values("classroom")
    found = Subquery(sessions.annotate(v=aggregate).values("v"))
    return found if default is None else Coalesce(found, Value(default))


@transaction.atomic
def classroom_sessions_recount(*, classroom_ids: Collection[int]) -> None:
    """Count the sessions of ``classroom_ids`` again into the classrooms' kept counts (``Classroom.sessions_held``
    and the rest), from the sessions as they now are: called by every write of a session or a register, after it,
    in its transaction. The classrooms are locked first, so two writes to one classroom at once count in turn,
    the second after the first is in; one statement for any number of classrooms."""
    ids = sorted(set(classroom_ids))
    if not ids:
        return
    list(Classroom.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    planned, held, cancelled = Session.Status.PLANNED, Session.Status.HELD, Session.Status.CANCELLED
    Classroom.objects.filter(pk__in=ids).update(
        sessions_planned=_per_classroom(Count("pk"), default=0, status=planned),
        sessions_held=_per_classroom(Count("pk"), default=0, status=held),
        sessions_cancelled=_per_classroom(Count("pk"), default=0, status=cancelled),
        held_register=_per_classroom(Sum("register_count"), default=0, status=held),
        held_present=_per_classroom(Sum("present_count"), default=0, status=held),
        first_planned_at=_per_classroom(Min("starts_at"), status=planned),
        last_held_at=_per_classroom(Max("starts_at"), status=held),
    )


def _recount_classrooms_of(sessions: Collection[Session]) -> None:
    classroom_sessions_recount(classroom_ids={s.classroom_id for s in sessions})


@transaction.atomic
def users_delete(*, users: QuerySet[User]) -> None:
    """Delete ``users`` (staff do, in the admin). A register keeps the students who left the class, but a
    deleted account's lines go with it: the sessions they were on are counted again, after."""
    sessions = Session.objects.filter(pk__in=SessionAttendance.objects.filter(student__in=users).values("session"))
    touched = list(sessions.select_for_update().order_by("pk").values_list("pk", flat=True))
    users.delete()
    session_registers_recount(sessions=Session.objects.filter(pk__in=touched))


# --- The calendar feed's secret link ------------------------------------------------------------------------


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits: the URL is the only key, so it must not be guessable


@transaction.atomic
def classroom_calendar_link_renew(*, classroom: Classroom, by: User) -> Classroom:
    """Turn the feed on with a fresh link; a link made before stops working at once."""
    require_classroom_manager(by, classroom)
    classroom.calendar_token = new_calendar_token()
    classroom.save(update_fields=["calendar_token"])
    return classroom


@transaction.atomic
def classroom_calendar_link_off(*, classroom: Classroom, by: User) -> Classroom:
    """Turn the feed off: the link answers "not found" from now on."""
    require_classroom_manager(by, classroom)
    classroom.calendar_token = None
    classroom.save(update_fields=["calendar_token"])
    return classroom
