"""Accounts a teacher makes and looks after for children who have no e-mail address: new students,
new passwords on printed sign-in cards, and clearing a sign-in lock."""

from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.credentials import hash_passwords, propose_password, username_base, username_candidates
from accounts.models import AuditEvent, User
from accounts.signin import normalize_username
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import require_classroom_manager, require_students_in_care


@dataclass(frozen=True)
class NewStudent:
    first_name: str
    last_name: str


def classroom_students_create(*, classroom: Classroom, students: list[NewStudent], by: User) -> list[tuple[User, str]]:
    """Make accounts for children without e-mail, put them in the classroom, return (user, password) for the cards."""
    require_classroom_manager(by, classroom)
    passwords = [propose_password() for _ in students]
    hashes = hash_passwords(passwords)  # before the transaction: slow, and touches no row
    with transaction.atomic():
        bases = [username_base(s.first_name, s.last_name) for s in students]
        taken_filter = Q()
        for base in set(bases):
            taken_filter |= Q(username__istartswith=base)
        taken = {u.lower() for u in User.objects.filter(taken_filter).values_list("username", flat=True)}
        users = []
        for new, base, encoded in zip(students, bases, hashes, strict=True):
            username = next(c for c in username_candidates(base) if c not in taken)
            taken.add(username)
            users.append(
                User(
                    username=username,
                    first_name=new.first_name,
                    last_name=new.last_name,
                    role=User.Role.STUDENT,
                    school_id=classroom.school_id,
                    grade=classroom.grade,
                    password=encoded,
                )
            )
        User.objects.bulk_create(users)
        Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=u) for u in users)
        AuditEvent.objects.bulk_create(
            AuditEvent(kind=AuditEvent.Kind.STUDENT_ACCOUNTS_CREATED, actor=by, subject=u, school_id=classroom.school_id)
            for u in users
        )
    return list(zip(users, passwords, strict=True))


def student_passwords_reset(*, students: list[User], by: User) -> list[tuple[User, str]]:
    """Give each student a new proposed password (and clear any sign-in lock); return them for the cards."""
    require_students_in_care(by, students)
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
    require_students_in_care(by, [student])
    AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN_UNLOCKED, actor=by, subject=student, school_id=student.school_id)
    transaction.on_commit(lambda: axes_reset(username=normalize_username(student.username)))


@transaction.atomic
def student_name_change(*, student: User, first_name: str, last_name: str, by: User) -> User:
    """Correct a student's name, as their teacher or school admin. The username, and so the sign-in card, stay."""
    require_students_in_care(by, [student])
    first, last = " ".join((first_name or "").split()), " ".join((last_name or "").split())
    limit = User._meta.get_field("first_name").max_length
    errors = {}
    if not first or len(first) > limit:
        errors["first_name"] = _("Give the student's first name, in at most %(n)d letters.") % {"n": limit}
    if len(last) > limit:
        errors["last_name"] = _("Keep the last name to at most %(n)d letters.") % {"n": limit}
    if errors:
        raise ValidationError(errors)
    if (first, last) == (student.first_name, student.last_name):
        return student
    student.first_name, student.last_name = first, last
    student.save(update_fields=["first_name", "last_name"])
    AuditEvent.objects.create(kind=AuditEvent.Kind.STUDENT_RENAMED, actor=by, subject=student, school_id=student.school_id)
    return student
