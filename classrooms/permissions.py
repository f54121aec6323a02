"""Who may see and who may change each of the classrooms app's models, as one ``Q`` per model.

Every scope fails closed (``NOTHING`` for anyone it does not cover). A "manage" scope is the part of
a scope its holder may also change: a classroom's teachers and its school's admin manage it; the
school's students, the adult who leads its family visits and the district's admin only read.
"""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Value

from accounts import request_memo
from accounts.models import User
from accounts.permissions import NOTHING, signed_in
from classrooms.models import Classroom, Enrollment, Theme

REPORT_ROLES = (User.Role.SCHOOL_ADMIN, User.Role.DISTRICT_ADMIN)
# Whose classrooms a request lists once (``_listed``): those whose scope is built of links (taught, led, enrolled).
# An admin's is one plain filter on the school or district already.
LISTED_ROLES = (User.Role.TEACHER, User.Role.COUNSELOR, User.Role.STUDENT)


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


def _reached(user) -> Q:
    reach = classroom_reach(user)
    if not reach.links:
        return NOTHING
    return reduce(operator.or_, reach.links) & reach.within


@dataclass(frozen=True)
class ListedClassrooms:
    """The pks of the classrooms a user may open (``classroom_scope``) and, of those, may manage."""

    reach: tuple[int, ...]
    managed: tuple[int, ...]


def _list_classrooms(user) -> ListedClassrooms:
    """``classroom_reach``'s links as plain lookups, one query: each link's classroom ids within the user's school
    (tests/test_scopes.py checks the list against the scope for every persona)."""
    school = {"classroom__school_id": user.school_id}
    if not user.school_id:
        return ListedClassrooms(reach=(), managed=())
    if user.role == User.Role.STUDENT:
        enrolled = Enrollment.objects.active().filter(student_id=user.pk, **school).values_list("classroom_id", flat=True)
        return ListedClassrooms(reach=tuple(sorted(set(enrolled))), managed=())
    led = Theme.objects.filter(instructor_id=user.pk, **school).order_by().annotate(taught=Value(False)).values_list("classroom_id", "taught")
    if user.role == User.Role.TEACHER:
        taught = Classroom.teachers.through.objects.filter(user_id=user.pk, **school).order_by()
        led = taught.annotate(taught=Value(True)).values_list("classroom_id", "taught").union(led, all=True)
    pairs = list(led)
    # A teacher manages what they teach in their school (``classroom_manage_scope``); a counselor manages none.
    return ListedClassrooms(
        reach=tuple(sorted({pk for pk, _ in pairs})), managed=tuple(sorted({pk for pk, taught in pairs if taught}))
    )


def _listed(user) -> ListedClassrooms | None:
    """Within a request (accounts.request_memo), a teacher's, counselor's or student's classrooms as plain lists of
    pks, once the page asks for a scope built from them a second time: asked then in one query and reused by every
    later scope, which the ORM and PostgreSQL handle far faster than the links' subqueries nested again in each
    scope. None before (a page that asks once keeps its one query) and outside a request (each scope then holds
    the subqueries, as its definition below)."""
    if not request_memo.active() or not signed_in(user) or user.role not in LISTED_ROLES:
        return None
    key = ("classrooms", *request_memo.user_key(user))
    if not request_memo.asked_before(key):
        return None
    return request_memo.remembered(key, lambda: _list_classrooms(user))


def classroom_pks_reached(user) -> tuple[int, ...]:
    """The pks of every classroom ``user`` may open (``classroom_scope``), for a teacher, counselor or student
    within a request: the request's list, listed now if need be (accounts.data_versions keeps pages by them)."""
    listed = classrooms_list_now(user)
    return listed.reach if listed is not None else ()


def classrooms_list_now(user) -> ListedClassrooms | None:
    """For a page that will build many scopes from ``user``'s classrooms (a home page: surveys, sessions, work, live
    runs...): list them at once (``_listed``'s one query) rather than on the second ask, so that every scope of the
    request, the first one too, holds the plain list; the list. None outside a request, or for a role not listed."""
    if not request_memo.active() or not signed_in(user) or user.role not in LISTED_ROLES:
        return None
    key = ("classrooms", *request_memo.user_key(user))
    request_memo.asked_before(key)
    return request_memo.remembered(key, lambda: _list_classrooms(user))


def classroom_scope(user) -> Q:
    """Classrooms ``user`` may open (``classroom_reach``): any link, within their school."""
    listed = _listed(user)
    if listed is not None:
        return Q(pk__in=listed.reach)
    return _reached(user)


def scoped_classroom_pks(user, *, manage: bool = False):
    """The classrooms of ``classroom_scope`` (with ``manage``, ``classroom_manage_scope``) as a ``classroom__in``
    lookup takes them: the request's list when it has one (``_listed``), else a subquery."""
    listed = _listed(user)
    if listed is not None:
        return list(listed.managed if manage else listed.reach)
    return Classroom.objects.filter(_managed(user) if manage else _reached(user)).values("pk")


def classroom_scope_union(user) -> QuerySet | list[int]:
    """The pks of ``classroom_scope(user)``'s classrooms as a UNION of one lookup per link, for a query that
    must find rows by classroom fast: PostgreSQL cannot tell how few classrooms an OR of two subqueries
    leaves, and may read every row of the district to test each against it. (Within a request that listed
    them already, that list.)"""
    listed = _listed(user)
    if listed is not None:
        return list(listed.reach)
    reach = classroom_reach(user)
    lookups = [Classroom.objects.filter(link & reach.within).order_by().values("pk") for link in reach.links]
    if not lookups:
        return Classroom.objects.none().values("pk")
    return lookups[0].union(*lookups[1:]) if len(lookups) > 1 else lookups[0]


def classroom_manage_scope(user) -> Q:
    """Classrooms whose roster, join code, program year and visits ``user`` may change: their teachers and the school's admin."""
    if signed_in(user) and user.role == User.Role.TEACHER:
        listed = _listed(user)
        if listed is not None:
            return Q(pk__in=listed.managed)
    return _managed(user)


def _managed(user) -> Q:
    """``classroom_manage_scope`` as its links' subqueries."""
    if not signed_in(user):
        return NOTHING
    if user.role == User.Role.TEACHER:
        return _taught(user) & _own_school(user)
    if user.role == User.Role.SCHOOL_ADMIN:
        return _reached(user)
    return NOTHING


def _in_classrooms(user, *, manage: bool = False) -> Q:
    """Rows of a model with a ``classroom`` foreign key whose classroom ``user`` may open (or manage)."""
    return Q(classroom__in=scoped_classroom_pks(user, manage=manage))


def session_scope(user) -> Q:
    return _in_classrooms(user)


def session_manage_scope(user) -> Q:
    return _in_classrooms(user, manage=True)


def theme_scope(user) -> Q:
    return _in_classrooms(user)


def theme_manage_scope(user) -> Q:
    return _in_classrooms(user, manage=True)


def visiting_family_scope(user) -> Q:
    """Families of the classrooms ``user`` may open. Their contact address is shown to managers only."""
    return _in_classrooms(user)


def visiting_family_manage_scope(user) -> Q:
    return _in_classrooms(user, manage=True)


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
        taught = scoped_classroom_pks(user, manage=True)
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
