"""Reads of the students a teacher or school admin looks after."""

from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import locked_out_usernames
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import student_scope
from classrooms.selectors import classroom_roster


def students_for(user) -> QuerySet[User]:
    return User.objects.filter(student_scope(user))


def classroom_students_for(user, classroom: Classroom) -> QuerySet[User]:
    """The students of ``classroom``'s roster that ``user`` looks after, by name."""
    return (
        students_for(user)
        .filter(pk__in=classroom_roster(classroom).values("student_id"))
        .order_by("last_name", "first_name")
    )


def classroom_roster_with_locks(classroom: Classroom) -> list[Enrollment]:
    """The roster, each student marked ``is_locked_out`` when too many wrong passwords locked their sign-in."""
    roster = list(classroom_roster(classroom))
    locked = locked_out_usernames(e.student.username for e in roster)
    for enrollment in roster:
        enrollment.student.is_locked_out = enrollment.student.username.lower() in locked
    return roster
