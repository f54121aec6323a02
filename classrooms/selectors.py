"""Reads of classrooms, already scoped to the signed-in user and costing a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import can_see_reports, classroom_manage_scope, classroom_scope

_ACTIVE = Q(enrollments__left_at__isnull=True)


def _with_listing_data(qs: QuerySet[Classroom]) -> QuerySet[Classroom]:
    return qs.select_related("school").annotate(
        student_count=Count("enrollments", filter=_ACTIVE, distinct=True)
    ).prefetch_related(Prefetch("teachers", queryset=User.objects.order_by("last_name", "first_name")))


def classrooms_for(user) -> QuerySet[Classroom]:
    return _with_listing_data(Classroom.objects.filter(classroom_scope(user)))


def classrooms_for_chart(user) -> QuerySet[Classroom]:
    """``classrooms_for``'s classrooms with only what a chart of one needs: its school's id and time zone (no count,
    no teachers)."""
    return Classroom.objects.filter(classroom_scope(user)).select_related("school").only("school__time_zone")


def classrooms_managed_by(user) -> QuerySet[Classroom]:
    return _with_listing_data(Classroom.objects.filter(classroom_manage_scope(user)))


# What a classroom's card shows (classrooms/_classroom_cards.html: its name, grade, year, teachers, students): the
# home pages read no more of the classroom and of its teachers.
_CARD_COLUMNS = ("name", "grade", "school_year")
_CARD_TEACHER_COLUMNS = ("first_name", "last_name", "username")


def _as_cards(qs: QuerySet[Classroom]) -> QuerySet[Classroom]:
    teachers = User.objects.order_by("last_name", "first_name").only(*_CARD_TEACHER_COLUMNS)
    return (
        qs.only(*_CARD_COLUMNS)
        .annotate(student_count=Count("enrollments", filter=_ACTIVE, distinct=True))
        .prefetch_related(Prefetch("teachers", queryset=teachers))
    )


def classroom_cards_for(user) -> QuerySet[Classroom]:
    """``classrooms_for``'s classrooms with only what their cards show."""
    return _as_cards(Classroom.objects.filter(classroom_scope(user)))


def classroom_cards_managed_by(user) -> QuerySet[Classroom]:
    """``classrooms_managed_by``'s classrooms with only what their cards show."""
    return _as_cards(Classroom.objects.filter(classroom_manage_scope(user)))


def classroom_roster(classroom: Classroom) -> QuerySet[Enrollment]:
    """The students still in ``classroom``, by name. The caller has already scoped the classroom."""
    return (
        Enrollment.objects.active()
        .filter(classroom=classroom)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__username")
    )


def classroom_teachers(classroom: Classroom) -> list[User]:
    """The classroom's teachers, by name (from the listing's prefetch when the classroom came from it)."""
    return list(classroom.teachers.all())


def teacher_candidates(classroom: Classroom) -> QuerySet[User]:
    """Who may be made a teacher of ``classroom``: the active teachers of its school not teaching it yet.
    Students, counselors, admins and other schools' people are never offered (nor accepted: the service checks)."""
    return (
        User.objects.filter(school_id=classroom.school_id, role=User.Role.TEACHER, is_active=True)
        .exclude(pk__in=Classroom.teachers.through.objects.filter(classroom_id=classroom.pk).values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


def school_summary(*, school_ids) -> dict[int, dict[str, int]]:
    """Head counts per school for the admin dashboards, in two queries whatever the size, each read from an
    index (the users' from ``user_active_by_school_role``)."""
    summary = {sid: {"classrooms": 0, "students": 0, "teachers": 0} for sid in school_ids}
    for row in (
        Classroom.objects.filter(school_id__in=school_ids).values("school_id").annotate(n=Count("*"))
    ):
        summary[row["school_id"]]["classrooms"] = row["n"]
    # Every role is counted and the two shown are picked here: with COUNT(*) and no test of the role in SQL, the
    # partial index on (school, role) of active users answers alone (an index-only scan), about twice as fast
    # as with the role's test; COUNT(id) would read every user row.
    counted = {User.Role.STUDENT: "students", User.Role.TEACHER: "teachers"}
    for row in (
        User.objects.filter(school_id__in=school_ids, is_active=True)
        .values("school_id", "role")
        .annotate(n=Count("*"))
        .order_by()
    ):
        if row["role"] in counted:
            summary[row["school_id"]][counted[row["role"]]] = row["n"]
    return summary


def classrooms_reported_on(user) -> QuerySet[Classroom]:
    """Classrooms whose figures ``user`` sees in the reports: all of their school's or district's (plain
    rows, without the listing's annotations, for a report to add its own)."""
    if not can_see_reports(user):
        return Classroom.objects.none()
    return Classroom.objects.filter(classroom_scope(user))


def report_school_years(user) -> list[int]:
    """School years that have classrooms in ``user``'s reports, newest first."""
    return list(classrooms_reported_on(user).order_by("-school_year").values_list("school_year", flat=True).distinct())
