"""Reads of program years and sessions: scoped to the signed-in user, or to a classroom already scoped."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from classrooms.models import Classroom, ProgramYear, Session, SessionAttendance
from classrooms.permissions import classroom_scope_union, session_manage_scope, session_scope
from classrooms.program.recurrence import Recurrence


def program_year_recurrence(program_year: ProgramYear, *, time_zone: str | None = None) -> Recurrence:
    """The stored rule as a ``Recurrence``, in the school's zone unless another is given."""
    return Recurrence(
        first_month=program_year.first_month,
        last_month=program_year.last_month,
        at=program_year.at,
        time_zone=time_zone or program_year.classroom.school.time_zone,
        ordinal=program_year.ordinal,
        weekday=program_year.weekday,
        day=program_year.day,
        skipped=frozenset(date.fromisoformat(d) for d in program_year.skipped_dates),
        fold=program_year.fold,
    )


def sessions_for(user) -> QuerySet[Session]:
    """Sessions of every classroom ``user`` may open."""
    return Session.objects.filter(session_scope(user))


def sessions_managed_by(user) -> QuerySet[Session]:
    """Sessions ``user`` may reschedule, cancel, mark held or write up."""
    return Session.objects.filter(session_manage_scope(user))


def classroom_sessions_for(user, classroom: Classroom, *, manage: bool = False) -> QuerySet[Session]:
    """Sessions of ``classroom`` that ``user`` may see (or, with ``manage``, change), each with its
    classroom, school and theme, which the pages and services read."""
    sessions = sessions_managed_by(user) if manage else sessions_for(user)
    return sessions.filter(classroom=classroom).select_related("classroom__school", "theme")


def classroom_program_year(classroom: Classroom) -> ProgramYear | None:
    """The classroom's program year, or None. Django caches the answer (None too) on the classroom, so
    the sections of one page that each need it share a single query."""
    try:
        return classroom.program_year
    except ProgramYear.DoesNotExist:
        return None


def classroom_sessions(classroom: Classroom) -> QuerySet[Session]:
    """Every session of one classroom in order, with what a list row shows (its theme's number)."""
    return Session.objects.filter(classroom=classroom).select_related("theme").order_by("starts_at")


def sessions_upcoming(classroom: Classroom, *, now: datetime, limit: int = 3) -> QuerySet[Session]:
    """The next planned sessions of one classroom."""
    return classroom_sessions(classroom).filter(status=Session.Status.PLANNED, starts_at__gt=now)[:limit]


def sessions_upcoming_for(user, *, now: datetime, days: int = 14, limit: int = 8) -> QuerySet[Session]:
    """Planned sessions of the next ``days`` days in the classrooms ``user`` may open, soonest first.

    For a teacher that is the classrooms they teach (or whose visits they lead), for a student those
    they are still enrolled in: ``sessions_for``'s sessions (tests/classrooms/program/test_upcoming_sessions.py
    compares them), in one query whatever the number of classrooms. The classrooms come as a UNION of one
    lookup per link (``classroom_scope_union``), so PostgreSQL finds their few sessions through the
    (classroom, starts_at) index; with the scope's OR it read every planned session of the district in the
    window to test each against it.
    """
    return (
        Session.objects.filter(classroom_id__in=classroom_scope_union(user))
        .filter(status=Session.Status.PLANNED, starts_at__gt=now, starts_at__lte=now + timedelta(days=days))
        .select_related("classroom__school", "theme")
        .order_by("starts_at", "classroom__name")[:limit]
    )


BY_NAME = ("last_name", "first_name", "username")


def session_register(session: Session) -> QuerySet[User]:
    """The students on ``session``'s register, by name: those already recorded for it, and those
    enrolled in its classroom now.

    Enrollment keeps one row per student and classroom (joining again overwrites ``joined_at``), so
    who was in the class on a past day cannot be known; the class list of the day the register is
    first taken stands for it, and stays the session's list after students leave.
    """
    return (
        User.objects.filter(
            Q(enrollments__classroom_id=session.classroom_id, enrollments__left_at__isnull=True)
            | Q(session_attendance__session=session)
        )
        .distinct()
        .order_by(*BY_NAME)
    )


def session_absent_ids(session: Session) -> set[int]:
    """The students recorded away from ``session``."""
    return set(session.attendance.filter(present=False).values_list("student_id", flat=True))


def sessions_with_register(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """``sessions``, each with ``absences`` (its rows of students away, each with the student, by name): one
    query more. How many were on its register is the session's own ``register_count`` (0 when none was taken)."""
    away = SessionAttendance.objects.filter(present=False).select_related("student")
    return sessions.prefetch_related(
        Prefetch("attendance", queryset=away.order_by(*(f"student__{f}" for f in BY_NAME)), to_attr="absences")
    )


def classroom_for_calendar_token(token: str) -> Classroom | None:
    """The classroom whose calendar feed ``token`` opens. The token is the only key a calendar app has."""
    if not token:
        return None
    return Classroom.objects.select_related("school").filter(calendar_token=token).first()


def sessions_to_mark_for(user, *, now: datetime) -> dict[int, int]:
    """How many sessions ``user`` should mark, by classroom id: over and still only planned, the sessions
    list's "overdue" (a session still under way is not over yet). One query for any number of classrooms;
    it reads only the planned sessions that have started, the few a teacher has not marked yet."""
    started = sessions_managed_by(user).filter(status=Session.Status.PLANNED, starts_at__lte=now)
    counts: dict[int, int] = {}
    for classroom_id, starts_at, minutes in started.order_by().values_list("classroom_id", "starts_at", "duration_minutes"):
        if starts_at + timedelta(minutes=minutes) <= now:
            counts[classroom_id] = counts.get(classroom_id, 0) + 1
    return counts


def sessions_held(classroom_ids, since: datetime | None, until: datetime | None) -> dict[int, int]:
    """Sessions held in each of ``classroom_ids`` (already scoped by the caller) that started in the period:
    the program's dose beside the surveys' change (registered in ``classrooms.measures``). One query."""
    held = Session.objects.filter(classroom_id__in=classroom_ids, status=Session.Status.HELD)
    if since is not None:
        held = held.filter(starts_at__gte=since)
    if until is not None:
        held = held.filter(starts_at__lt=until)
    return dict(held.order_by().values("classroom_id").annotate(n=Count("pk")).values_list("classroom_id", "n"))
