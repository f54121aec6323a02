"""Business actions on accounts: a teacher looking after a child's sign-in."""

from concurrent.futures import ThreadPoolExecutor

from axes.utils import reset as axes_reset
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.credentials import propose_password
from accounts.models import AuditEvent, School, User, validate_time_zone
from accounts.permissions import student_scope
from accounts.signin import normalize_username


def hash_passwords(passwords: list[str]) -> list[str]:
    """Hash several passwords at once, one per core.

    A password costs about half a second to hash (that cost is what protects it), so a class
    of thirty would take fifteen seconds one after another; hashlib releases the GIL.
    """
    if len(passwords) <= 1:
        return [make_password(p) for p in passwords]
    with ThreadPoolExecutor() as pool:
        return list(pool.map(make_password, passwords))


def _check_may_look_after(*, by: User, students: list[User]) -> None:
    allowed = set(User.objects.filter(student_scope(by), pk__in=[s.pk for s in students]).values_list("pk", flat=True))
    if any(s.pk not in allowed for s in students):
        raise PermissionDenied


def student_passwords_reset(*, students: list[User], by: User) -> list[tuple[User, str]]:
    """Give each student a new proposed password (and clear any sign-in lock); return them for the cards."""
    _check_may_look_after(by=by, students=students)
    passwords = [propose_password() for _ in students]
    hashes = hash_passwords(passwords)
    with transaction.atomic():
        for student, encoded in zip(students, hashes, strict=True):
            student.password = encoded
        User.objects.bulk_update(students, ["password"])
        AuditEvent.objects.bulk_create(
            AuditEvent(kind=AuditEvent.Kind.STUDENT_PASSWORD_RESET, actor=by, subject=s, school_id=s.school_id)
            for s in students
        )
        for student in students:
            transaction.on_commit(lambda name=student.username: axes_reset(username=normalize_username(name)))
    return list(zip(students, passwords, strict=True))


@transaction.atomic
def student_sign_in_unlock(*, student: User, by: User) -> None:
    """Clear the lock a run of wrong passwords put on a student's sign-in."""
    _check_may_look_after(by=by, students=[student])
    AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN_UNLOCKED, actor=by, subject=student, school_id=student.school_id)
    transaction.on_commit(lambda: axes_reset(username=normalize_username(student.username)))


@transaction.atomic
def school_time_zone_set(*, school, time_zone: str) -> None:
    """Change a school's time zone; its future sessions keep their local time (10:00 stays 10:00)
    and so move in UTC, and their reminders follow because they are keyed on the session's start."""
    from classrooms.schedule import program_years_resync_for_school  # here: classrooms builds on accounts

    validate_time_zone(time_zone)
    School.objects.filter(pk=school.pk).update(time_zone=time_zone)
    school.time_zone = time_zone
    program_years_resync_for_school(school_id=school.pk)
