"""Who may see and who may change each of the classrooms app's models, as one ``Q`` per model.

Every scope fails closed (``NOTHING`` for anyone it does not cover). A "manage" scope is the part of
a scope its holder may also change: a classroom's teachers and its school's admin manage it; the
school's students, the adult who leads its family visits and the district's admin only read.
"""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import NOTHING, signed_in
from classrooms.models import Classroom, Enrollment, Theme

REPORT_ROLES = (User.Role.SCHOOL_ADMIN, User.Role.DISTRICT_ADMIN)


def _taught(user) -> Q:
    # A subquery, not a join on teachers: a join repeats rows for co-taught classrooms.
    return Q(pk__in=Classroom.teachers.through.objects.filter(user_id=user.pk).values("classroom_id"))


def _own_school(user) -> Q:
    """Classrooms of ``user``'s school now. A teaching, enrollment or instructor link counts only there, so
    someone moved to another school loses what they left behind even before the links are tidied."""
    return Q(school_id=user.school_id) if user.school_id else NOTHING


@dataclass(frozen=True)
class ClassroomReach:
    """``classroom_scope`` in its pieces: a user may open the classrooms of any of ``links`` (taught, visits
    led, enrolled in, the school or district run) that are also ``within`` (their current school)."""

    links: tuple[Q, ...]
    within: Q = field(default_factory=Q)


def classroom_reach(user) -> ClassroomReach:
    """Classrooms ``user`` may open: taught, enrolled in, or in the school/district they run; and, for the
    adult who leads a classroom's family visits (often a counselor or another class's teacher), that
    classroom, read-only (no roster), so the "call the family" reminder's link opens for them. Every link
    counts only in the user's current school."""
    if not signed_in(user):
        return ClassroomReach(links=())
    instructed = Q(pk__in=Theme.objects.filter(instructor_id=user.pk).values("classroom_id"))
    if user.role == User.Role.TEACHER:
        return ClassroomReach(links=(_taught(user), instructed), within=_own_school(user))
    if user.role == User.Role.COUNSELOR:
        return ClassroomReach(links=(instructed,), within=_own_school(user))
    if user.role == User.Role.STUDENT:
        enrolled = Q(pk__in=Enrollment.objects.active().filter(student_id=user.pk).values("classroom_id"))
        return ClassroomReach(links=(enrolled,), within=_own_school(user))
    if user.role == User.Role.SCHOOL_ADMIN and user.school_id:
        return ClassroomReach(links=(Q(school_id=user.school_id),))
    if user.role == User.Role.DISTRICT_ADMIN and user.district_id:
        return ClassroomReach(links=(Q(school__district_id=user.district_id),))
    return ClassroomReach(links=())


def classroom_scope(user) -> Q:
    """Classrooms ``user`` may open (``classroom_reach``): any link, within their school."""
    reach = classroom_reach(user)
    if not reach.links:
        return NOTHING
    return reduce(operator.or_, reach.links) & reach.within


def classroom_scope_union(user) -> QuerySet:
    """The pks of ``classroom_scope(user)``'s classrooms as a UNION of one lookup per link, for a query that
    must find rows by classroom fast: PostgreSQL cannot tell how few classrooms an OR of two subqueries
    leaves, and may read every row of the district to test each against it."""
    reach = classroom_reach(user)
    lookups = [Classroom.objects.filter(link & reach.within).order_by().values("pk") for link in reach.links]
    if not lookups:
        return Classroom.objects.none().values("pk")
    return lookups[0].union(*lookups[1:]) if len(lookups) > 1 else lookups[0]


def classroom_manage_scope(user) -> Q:
    """Classrooms whose roster, join code, program year and visits ``user`` may change: their teachers and the school's admin."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.TEACHER:
        return _taught(user) & _own_school(user)
    if user.role == User.Role.SCHOOL_ADMIN:
        return classroom_scope(user)
    return NOTHING


def _in_classrooms(scope: Q) -> Q:
    """Rows of a model with a ``classroom`` foreign key whose classroom is in ``scope``."""
    return Q(classroom__in=Classroom.objects.filter(scope).values("pk"))


def session_scope(user) -> Q:
    return _in_classrooms(classroom_scope(user))


def session_manage_scope(user) -> Q:
    return _in_classrooms(classroom_manage_scope(user))


def theme_scope(user) -> Q:
    return _in_classrooms(classroom_scope(user))


def theme_manage_scope(user) -> Q:
    return _in_classrooms(classroom_manage_scope(user))


def visiting_family_scope(user) -> Q:
    """Families of the classrooms ``user`` may open. Their contact address is shown to managers only."""
    return _in_classrooms(classroom_scope(user))


def visiting_family_manage_scope(user) -> Q:
    return _in_classrooms(classroom_manage_scope(user))


def visiting_family_contact_scope(user) -> Q:
    """Families whose e-mail and phone ``user`` sees: those of the classrooms they manage (its teachers and
    the school's admin), and the family of each visit they lead, whom they phone beforehand. Never a
    student, never the district (who calls no family)."""
    if not signed_in(user) or user.role == User.Role.STUDENT:
        return NOTHING
    led = Theme.objects.filter(instructor_id=user.pk, classroom__school_id=user.school_id, family__isnull=False)
    return visiting_family_manage_scope(user) | Q(pk__in=led.values("family_id"))


def student_scope(user) -> Q:
    """Students (``User`` rows) ``user`` looks after: a teacher's current students, or every student of an
    admin's school. Defined by enrollment, so it lives with the classrooms."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.SCHOOL_ADMIN and user.school_id:
        return Q(role=User.Role.STUDENT, school_id=user.school_id)
    if user.role == User.Role.TEACHER:
        taught = Classroom.objects.filter(classroom_manage_scope(user)).values("pk")
        return Q(
            role=User.Role.STUDENT,
            school_id=user.school_id,
            pk__in=Enrollment.objects.active().filter(classroom_id__in=taught).values("student_id"),
        )
    return NOTHING


# --- Role gates and checks --------------------------------------------------------------------------------


def can_see_reports(user) -> bool:
    """School and district admins see the program-fidelity report (and, later, the outcomes)."""
    return signed_in(user) and user.role in REPORT_ROLES


def can_import_roster(user) -> bool:
    """Only a school's admin imports a roster, and only into their own school."""
    return signed_in(user) and user.role == User.Role.SCHOOL_ADMIN and user.school_id is not None


def can_create_classroom(user) -> bool:
    return signed_in(user) and user.role == User.Role.TEACHER and user.school_id is not None


def can_manage_classroom(user, classroom: Classroom) -> bool:
    return Classroom.objects.filter(classroom_manage_scope(user), pk=classroom.pk).exists()


def can_assign_teachers(user, classroom: Classroom) -> bool:
    """The school's admin assigns and removes a classroom's teachers (its teachers may only invite a colleague)."""
    return (
        signed_in(user) and user.role == User.Role.SCHOOL_ADMIN
        and user.school_id is not None and user.school_id == classroom.school_id
    )


def require_classroom_manager(user, classroom: Classroom) -> None:
    """Refuse unless ``user`` may change this classroom (its teachers, its school's admin). Services call it
    first, so a write is refused even when a view forgot to scope."""
    if not can_manage_classroom(user, classroom):
        raise PermissionDenied


def require_students_in_care(user, students: list[User]) -> None:
    """Refuse unless every one of ``students`` is in ``user``'s ``student_scope``."""
    allowed = set(User.objects.filter(student_scope(user), pk__in=[s.pk for s in students]).values_list("pk", flat=True))
    if any(s.pk not in allowed for s in students):
        raise PermissionDenied
