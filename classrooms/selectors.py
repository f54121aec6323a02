"""Reads of classrooms, already scoped to the signed-in user and costing a fixed number of queries."""

from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from classrooms.models import Classroom, Enrollment, ProgramYear, Session
from classrooms.permissions import classroom_manage_scope, classroom_scope

_ACTIVE = Q(enrollments__left_at__isnull=True)


def _with_listing_data(qs: QuerySet[Classroom]) -> QuerySet[Classroom]:
    return qs.select_related("school").annotate(
        student_count=Count("enrollments", filter=_ACTIVE, distinct=True)
    ).prefetch_related(Prefetch("teachers", queryset=User.objects.order_by("last_name", "first_name")))


def classrooms_for(user) -> QuerySet[Classroom]:
    return _with_listing_data(Classroom.objects.filter(classroom_scope(user)))


def classrooms_managed_by(user) -> QuerySet[Classroom]:
    return _with_listing_data(Classroom.objects.filter(classroom_manage_scope(user)))


def classroom_can_manage(user, classroom: Classroom) -> bool:
    return Classroom.objects.filter(classroom_manage_scope(user), pk=classroom.pk).exists()


def classroom_roster(classroom: Classroom) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.active()
        .filter(classroom=classroom)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__username")
    )


def school_summary(*, school_ids) -> dict[int, dict[str, int]]:
    """Head counts per school for the admin dashboards, in two queries whatever the size."""
    summary = {sid: {"classrooms": 0, "students": 0, "teachers": 0} for sid in school_ids}
    for row in (
        Classroom.objects.filter(school_id__in=school_ids).values("school_id").annotate(n=Count("pk"))
    ):
        summary[row["school_id"]]["classrooms"] = row["n"]
    for row in (
        User.objects.filter(school_id__in=school_ids, is_active=True, role__in=[User.Role.STUDENT, User.Role.TEACHER])
        .values("school_id", "role")
        .annotate(n=Count("pk"))
    ):
        key = "students" if row["role"] == User.Role.STUDENT else "teachers"
        summary[row["school_id"]][key] = row["n"]
    return summary


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

    For a teacher that is the classrooms they teach, for a student those they are still enrolled in
    (``classroom_scope``); one query whatever the number of classrooms.
    """
    return (
        Session.objects.filter(
            classroom__in=Classroom.objects.filter(classroom_scope(user)).values("pk"),
            status=Session.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .select_related("classroom__school", "theme")
        .order_by("starts_at", "classroom__name")[:limit]
    )
