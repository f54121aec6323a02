"""Business actions on a classroom's program year and its sessions (the classrooms app's second services module)."""

from dataclasses import asdict
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import Classroom, ProgramYear, Session
from classrooms.recurrence import Recurrence, occurrences
from classrooms.services import classroom_require_manage


@transaction.atomic
def program_year_set(*, classroom: Classroom, recurrence: Recurrence, by: User, duration_minutes: int = 45) -> ProgramYear:
    """Set (or change) a classroom's recurrence and bring its future sessions in line with it."""
    classroom_require_manage(classroom=classroom, by=by)
    fields = asdict(recurrence)
    fields.pop("time_zone")  # always the school's, so a change of zone moves the sessions with it
    fields["skipped_dates"] = sorted(d.isoformat() for d in fields.pop("skipped"))
    program_year, _ = ProgramYear.objects.update_or_create(
        classroom=classroom, defaults={**fields, "duration_minutes": duration_minutes}
    )
    program_year_sessions_sync(program_year=program_year)
    return program_year


@transaction.atomic
def program_year_sessions_sync(*, program_year: ProgramYear, now: datetime | None = None) -> None:
    """Make the classroom's future sessions match the rule; past ones are history and stay as they are.

    A future session still at a wanted time is kept. Sessions whose time is no longer wanted
    move, in order, to the wanted times left over (so the third session keeps its title and
    stays the third); any surplus is deleted if still only planned, and missing times are
    created. Held, cancelled and rescheduled sessions are never moved, and no wanted time
    gets a second session (the unique key on classroom and start backs this up).
    """
    now = now or timezone.now()
    classroom = program_year.classroom
    wanted = [t for t in occurrences(program_year.recurrence()) if t > now]
    future = list(
        Session.objects.select_for_update().filter(classroom=classroom, starts_at__gt=now).order_by("starts_at")
    )
    taken = {s.starts_at for s in future}
    movable = [s for s in future if s.follows_recurrence and s.status == Session.Status.PLANNED]
    wanted_set = set(wanted)
    to_move = [s for s in movable if s.starts_at not in wanted_set]
    free_times = [t for t in wanted if t not in taken]
    for session, new_time in zip(to_move, free_times, strict=False):
        session.starts_at = new_time
        session.duration_minutes = program_year.duration_minutes
        session.save(update_fields=["starts_at", "duration_minutes"])
    surplus = to_move[len(free_times):]
    if surplus:
        Session.objects.filter(pk__in=[s.pk for s in surplus]).delete()
    Session.objects.bulk_create(
        [
            Session(classroom=classroom, starts_at=t, duration_minutes=program_year.duration_minutes)
            for t in free_times[len(to_move):]
        ],
        ignore_conflicts=True,
    )


def program_years_resync_for_school(*, school_id: int) -> None:
    """After a school changes its time zone: every future session moves to the same local time."""
    for program_year in ProgramYear.objects.filter(classroom__school_id=school_id).select_related("classroom__school"):
        program_year_sessions_sync(program_year=program_year)


@transaction.atomic
def session_reschedule(*, session: Session, starts_at: datetime, by: User) -> Session:
    classroom_require_manage(classroom=session.classroom, by=by)
    if session.status != Session.Status.PLANNED:
        raise ValidationError({"starts_at": _("Only a planned session can be moved.")})
    if Session.objects.filter(classroom=session.classroom, starts_at=starts_at).exclude(pk=session.pk).exists():
        raise ValidationError({"starts_at": _("This classroom already has a session at that time.")})
    session.starts_at = starts_at
    session.follows_recurrence = False
    session.save(update_fields=["starts_at", "follows_recurrence"])
    return session


def _set_status(*, session: Session, status: str, by: User, note: str = "") -> Session:
    classroom_require_manage(classroom=session.classroom, by=by)
    if session.status == status and session.note == note:
        return session  # a double click is not an error
    session.status = status
    session.note = note
    session.status_changed_at = timezone.now()
    session.save(update_fields=["status", "note", "status_changed_at"])
    return session


@transaction.atomic
def session_cancel(*, session: Session, by: User, note: str = "") -> Session:
    return _set_status(session=session, status=Session.Status.CANCELLED, by=by, note=note)


@transaction.atomic
def session_mark_held(*, session: Session, by: User, note: str = "") -> Session:
    if not session.is_past:
        raise ValidationError({"note": _("A session can be marked held once it has started.")})
    return _set_status(session=session, status=Session.Status.HELD, by=by, note=note)
