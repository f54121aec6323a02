"""Whose account a user may act on (reset a password, clear a sign-in lock)."""

from django.db.models import Q

from accounts.models import User

NOTHING = Q(pk__in=[])


def student_scope(user) -> Q:
    """Students ``user`` looks after: a teacher's current students, or every student of an admin's school."""
    from classrooms.models import Enrollment
    from classrooms.permissions import classroom_manage_scope

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.role == User.Role.SCHOOL_ADMIN and user.school_id:
        return Q(role=User.Role.STUDENT, school_id=user.school_id)
    if user.role == User.Role.TEACHER:
        from classrooms.models import Classroom

        taught = Classroom.objects.filter(classroom_manage_scope(user)).values("pk")
        return Q(
            role=User.Role.STUDENT,
            pk__in=Enrollment.objects.active().filter(classroom_id__in=taught).values("student_id"),
        )
    return NOTHING
