"""Who may see which classroom, as one ``Q`` per question. Anyone not covered sees nothing."""

from django.db.models import Q

from accounts.models import User

NOTHING = Q(pk__in=[])


def classroom_scope(user) -> Q:
    """Classrooms ``user`` may open: taught, enrolled in, or in the school/district they run; and, for the
    adult who leads a classroom's family visits (often a counselor or another class's teacher), that
    classroom, read-only (no roster), so the "call the family" reminder's link opens for them."""
    from classrooms.models import Classroom, Enrollment, Theme

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    instructed = Q(pk__in=Theme.objects.filter(instructor_id=user.pk).values("classroom_id"))
    if user.role == User.Role.TEACHER:
        # A subquery, not a join on teachers: a join repeats rows for co-taught classrooms.
        return Q(pk__in=Classroom.teachers.through.objects.filter(user_id=user.pk).values("classroom_id")) | instructed
    if user.role == User.Role.COUNSELOR:
        return instructed
    if user.role == User.Role.STUDENT:
        return Q(pk__in=Enrollment.objects.active().filter(student_id=user.pk).values("classroom_id"))
    if user.role == User.Role.SCHOOL_ADMIN and user.school_id:
        return Q(school_id=user.school_id)
    if user.role == User.Role.DISTRICT_ADMIN and user.district_id:
        return Q(school__district_id=user.district_id)
    return NOTHING


def classroom_manage_scope(user) -> Q:
    """Classrooms whose roster and join code ``user`` may change: their teachers and the school's admin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.role == User.Role.TEACHER:
        from classrooms.models import Classroom

        return Q(pk__in=Classroom.teachers.through.objects.filter(user_id=user.pk).values("classroom_id"))
    if user.role == User.Role.SCHOOL_ADMIN:
        return classroom_scope(user)
    return NOTHING
