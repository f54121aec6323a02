"""Writing a previewed roster import: all of it, exactly as previewed, or nothing.

``roster_import_confirm`` plans again (``selectors.roster_plan``) inside its transaction and writes only
if that plan is the one the admin saw (same digest). New students get an unusable password: their
teacher issues a password when printing sign-in cards (hashing 5,000 passwords would take longer than a
request may; see bench/roster_import.py).
"""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import AuditEvent, School, User
from classrooms import joincodes
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import can_import_roster
from classrooms.roster.selectors import CHUNK, TeacherLinkModel, chunks, roster_plan
from classrooms.roster.types import (
    Roster,
    RosterImportFailed,
    RosterPlan,
    RosterPlanChanged,
    RosterResult,
    username_key,
)


def _fresh_join_codes(count: int) -> list[str]:
    """``count`` join codes no classroom has yet (one query per 500 codes; a clash is rare)."""
    codes: set[str] = set()
    while len(codes) < count:
        batch = {joincodes.generate() for _ in range(count - len(codes))} - codes
        for chunk in chunks(sorted(batch)):
            batch -= set(Classroom.objects.filter(join_code__in=chunk).values_list("join_code", flat=True))
        codes |= batch
    return sorted(codes)


def _write(plan: RosterPlan, *, by: User) -> RosterResult:
    now = timezone.now()
    codes = _fresh_join_codes(len(plan.new_classrooms))
    new_classrooms = [
        Classroom(
            school_id=plan.school_id, name=c.name, grade=c.grade, school_year=plan.school_year,
            sourced_id=c.sourced_id, join_code=code, join_code_expires_at=now + settings.JOIN_CODE_LIFETIME,
        )
        for c, code in zip(plan.new_classrooms, codes, strict=True)
    ]  # fmt: skip
    if plan.adopt:
        Classroom.objects.bulk_update(
            [Classroom(pk=pk, sourced_id=sourced_id) for pk, sourced_id in plan.adopt], ["sourced_id"], batch_size=CHUNK
        )
    Classroom.objects.bulk_create(new_classrooms)
    classroom_ids = {c.key: c.classroom_id for c in plan.existing_classrooms}
    classroom_ids.update({planned.key: c.pk for planned, c in zip(plan.new_classrooms, new_classrooms, strict=True)})

    new_users = [
        User(
            username=s.username, first_name=s.first_name, last_name=s.last_name, email=s.email, grade=s.grade,
            role=User.Role.STUDENT, school_id=plan.school_id,
            # Unusable until a teacher prints the student's sign-in card, which issues a password.
            password=make_password(None),
        )
        for s in plan.new_students
    ]  # fmt: skip
    User.objects.bulk_create(new_users)
    student_ids = {username_key(u.username): u.pk for u in new_users}
    student_ids.update({username_key(s.username): s.user_id for s in plan.updated_students + plan.unchanged_students})

    updated = [
        User(pk=s.user_id, first_name=s.first_name, last_name=s.last_name, email=s.email, grade=s.grade)
        for s in plan.updated_students
        if s.changes
    ]
    if updated:
        User.objects.bulk_update(updated, ["first_name", "last_name", "email", "grade"], batch_size=CHUNK)

    Enrollment.objects.bulk_create(
        Enrollment(classroom_id=classroom_ids[class_key], student_id=student_ids[student_key], joined_at=now)
        for student_key, class_key in plan.enroll
    )
    for chunk in chunks(plan.reopen):
        Enrollment.objects.filter(pk__in=chunk).update(left_at=None, joined_at=now)
    for chunk in chunks([enrollment_id for enrollment_id, _student in plan.end]):
        Enrollment.objects.filter(pk__in=chunk, left_at__isnull=True).update(left_at=now)
    TeacherLinkModel.objects.bulk_create(
        TeacherLinkModel(classroom_id=classroom_ids[link.key], user_id=link.teacher_id)
        for link in plan.new_links
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                kind=AuditEvent.Kind.STUDENT_ACCOUNTS_CREATED, actor=by, subject_id=u.pk, school_id=plan.school_id
            )
            for u in new_users
        ]
        + [
            AuditEvent(kind=AuditEvent.Kind.STUDENT_REMOVED, actor=by, subject_id=student_id, school_id=plan.school_id)
            for _enrollment, student_id in plan.end
        ]
    )

    joined: dict[str, int] = {}
    for student in plan.new_students + plan.updated_students:
        for key in student.join_keys:
            joined[key] = joined.get(key, 0) + 1
    names = {c.key: c.name for c in plan.existing_classrooms + plan.new_classrooms}
    return RosterResult(
        created_students=len(new_users),
        updated_students=len(plan.updated_students),
        created_classrooms=len(new_classrooms),
        created_links=len(plan.new_links),
        enrollments_started=len(plan.enroll) + len(plan.reopen),
        enrollments_ended=len(plan.end),
        classrooms=sorted(((classroom_ids[k], names[k], n) for k, n in joined.items()), key=lambda c: c[1].casefold()),
    )


def roster_import_confirm(
    *, roster: Roster, school_year: int, digest: str, by: User, titles: dict[int, str] | None = None
) -> RosterResult:
    """Write the previewed import in one transaction; ``titles`` are the new classrooms' names as typed on the preview.

    Raises ``RosterPlanChanged`` (nothing written) when the plan is no longer the one with ``digest``,
    and ``RosterImportFailed`` (nothing written) when the database refuses a row.
    """
    if not can_import_roster(by):
        raise PermissionDenied
    try:
        with transaction.atomic():
            # Two imports for one school wait for each other (PostgreSQL; SQLite takes a write lock anyway).
            list(School.objects.select_for_update().filter(pk=by.school_id).values_list("pk", flat=True))
            plan = roster_plan(roster=roster, school_id=by.school_id, school_year=school_year, titles=titles)
            if plan.errors or not secrets.compare_digest(plan.digest, digest):
                raise RosterPlanChanged(plan)
            return _write(plan, by=by)
    except DatabaseError as error:
        raise RosterImportFailed(str(error)) from error
