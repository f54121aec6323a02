"""Importing a roster: compare what a file says with what the school has (the preview), then write it.

``roster_import_plan`` only reads; ``roster_import_confirm`` plans again inside its transaction
and writes only if that plan is the one the admin saw (same digest), so what is written is
exactly what was previewed, all of it, or nothing.

Rules, for the preview to explain:
- Students are matched by username, ignoring case, within the admin's school; classrooms by
  name within the school and the school year being imported; teachers by username.
- The file is the truth for the students it lists: a listed student's current enrollment in one
  of the school's classrooms of that year that the file does not give them ends (``left_at``).
  Students the file does not list are not touched; nothing is deleted.
- An empty cell (OneRoster's optional grades or e-mail) changes nothing.
- New students get an unusable password: their teacher issues a password when printing sign-in
  cards (hashing 5,000 passwords would take longer than a request may; see bench/roster_import.py).
"""

import hashlib
import json
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Grade, School, User
from classrooms import joincodes
from classrooms.models import Classroom, Enrollment
from classrooms.roster_import import Roster, RowError, name_key, username_key

CHUNK = 500  # ids or names per IN (...): well under SQLite's 999 parameters

TeacherLinkModel = Classroom.teachers.through


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def grade_label(grade: int | None) -> str:
    if grade is None:
        return ""
    return str(Grade(grade).label) if grade in Grade.values else str(grade)


@dataclass
class PlannedStudent:
    file: str
    row: int
    username: str
    first_name: str
    last_name: str
    email: str
    grade: int | None
    user_id: int | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, before, after): for the page only
    joins: list[str] = field(default_factory=list)
    leaves: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)


@dataclass
class PlannedClassroom:
    file: str
    row: int
    name: str
    grade: int | None
    classroom_id: int | None = None

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)


@dataclass
class PlannedLink:
    file: str
    row: int
    username: str
    teacher_name: str
    teacher_id: int
    classroom: str


@dataclass
class RosterPlan:
    """What confirming would do, by kind, and what stops it (``errors``)."""

    roster: Roster
    school_id: int
    school_year: int
    new_students: list[PlannedStudent] = field(default_factory=list)
    updated_students: list[PlannedStudent] = field(default_factory=list)
    unchanged_students: list[PlannedStudent] = field(default_factory=list)
    new_classrooms: list[PlannedClassroom] = field(default_factory=list)
    existing_classrooms: list[PlannedClassroom] = field(default_factory=list)
    new_links: list[PlannedLink] = field(default_factory=list)
    unchanged_links: list[PlannedLink] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # For the write: (student key, classroom key) to enroll; enrollment ids to reopen; (enrollment id, student id) to end.
    enroll: list[tuple[str, str]] = field(default_factory=list)
    reopen: list[int] = field(default_factory=list)
    end: list[tuple[int, int]] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.new_students or self.updated_students or self.new_classrooms or self.new_links)

    @property
    def can_confirm(self) -> bool:
        return not self.errors and self.has_changes

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}–{(self.school_year + 1) % 100:02d}"

    @property
    def digest(self) -> str:
        """A fingerprint of every change, so a confirmation can tell whether the school moved on since the preview."""
        changes = {
            "year": self.school_year,
            "new": sorted((username_key(s.username), s.first_name, s.last_name, s.email, s.grade, sorted(s.joins)) for s in self.new_students),
            "updated": sorted((s.user_id, s.first_name, s.last_name, s.email, s.grade, sorted(s.joins), sorted(s.leaves)) for s in self.updated_students),
            "classrooms": sorted((name_key(c.name), c.name, c.grade) for c in self.new_classrooms),
            "links": sorted((link.teacher_id, name_key(link.classroom)) for link in self.new_links),
            "enroll": sorted(self.enroll),
            "reopen": sorted(self.reopen),
            "end": sorted(self.end),
            "errors": len(self.errors),
        }  # fmt: skip
        return hashlib.sha256(json.dumps(changes, default=str).encode()).hexdigest()


@dataclass
class RosterResult:
    created_students: int
    updated_students: int
    created_classrooms: int
    created_links: int
    enrollments_started: int
    enrollments_ended: int
    # Classrooms that gained students, for the "print sign-in cards" links: (id, name, students joined).
    classrooms: list[tuple[int, str, int]]


class RosterPlanChanged(Exception):
    """The school changed between the preview and the confirmation: nothing was written; here is the new plan."""

    def __init__(self, plan: RosterPlan):
        super().__init__("the roster plan changed since the preview")
        self.plan = plan


class RosterImportFailed(Exception):
    """The database refused a write: everything was rolled back."""


def _users_by_key(usernames: list[str]) -> dict[str, dict]:
    keys = sorted({username_key(u) for u in usernames})
    found = {}
    for chunk in _chunks(keys):
        # Lower() matches the unique index; the plain IN covers SQLite's ASCII-only LOWER().
        rows = (
            User.objects.annotate(username_key=Lower("username"))
            .filter(Q(username_key__in=chunk) | Q(username__in=chunk))
            .values("id", "username", "first_name", "last_name", "email", "grade", "role", "school_id")
        )
        for row in rows:
            found[username_key(row["username"])] = row
    return found


def roster_import_plan(*, roster: Roster, school_id: int, school_year: int) -> RosterPlan:
    """Compare ``roster`` with the school: what would be created, updated, left as it is, and what is wrong.

    A fixed number of queries, plus one per 500 usernames.
    """
    plan = RosterPlan(roster=roster, school_id=school_id, school_year=school_year, errors=list(roster.errors))
    users = _users_by_key([s.username for s in roster.students] + [t.username for t in roster.teacher_links])
    classrooms = {
        name_key(c.name): c
        for c in Classroom.objects.filter(school_id=school_id, school_year=school_year).only("id", "name", "grade")
    }
    classroom_names = {c.pk: c.name for c in classrooms.values()}
    enrollments: dict[int, dict[int, tuple[int, bool]]] = {}  # student -> classroom -> (enrollment id, active)
    for row in Enrollment.objects.filter(classroom__school_id=school_id, classroom__school_year=school_year).values(
        "id", "student_id", "classroom_id", "left_at"
    ):
        enrollments.setdefault(row["student_id"], {})[row["classroom_id"]] = (row["id"], row["left_at"] is None)
    links = set(
        TeacherLinkModel.objects.filter(classroom__school_id=school_id, classroom__school_year=school_year).values_list(
            "classroom_id", "user_id"
        )
    )

    for entry in roster.classrooms:
        existing = classrooms.get(name_key(entry.name))
        if existing is not None:
            plan.existing_classrooms.append(
                PlannedClassroom(entry.file, entry.row, existing.name, existing.grade, existing.pk)
            )
        elif entry.grade is None:
            plan.errors.append(
                RowError(entry.file, entry.row, "grades",
                         _("This class is new to Heard and has no grade: give it one (K to 8)."))
            )  # fmt: skip
        else:
            plan.new_classrooms.append(PlannedClassroom(entry.file, entry.row, entry.name, entry.grade))

    for entry in roster.students:
        key = username_key(entry.username)
        user = users.get(key)
        if user is not None and user["school_id"] != school_id:
            plan.errors.append(
                RowError(entry.file, entry.row, "username", _("This username is taken by an account outside your school; choose another."))
            )  # fmt: skip
            continue
        if user is not None and user["role"] != User.Role.STUDENT:
            plan.errors.append(
                RowError(entry.file, entry.row, "username", _("This username belongs to a staff account of your school, not a student."))
            )  # fmt: skip
            continue
        student = PlannedStudent(
            entry.file, entry.row, entry.username, entry.first_name, entry.last_name, entry.email, entry.grade
        )
        wanted = {name_key(name): name for name in entry.classrooms}
        current = enrollments.get(user["id"], {}) if user else {}
        for class_key, name in wanted.items():
            existing = classrooms.get(class_key)
            enrollment = current.get(existing.pk) if existing else None
            if enrollment is None:
                plan.enroll.append((key, class_key))
                student.joins.append(existing.name if existing else name)
            elif not enrollment[1]:
                plan.reopen.append(enrollment[0])
                student.joins.append(existing.name)
        wanted_ids = {classrooms[k].pk for k in wanted if k in classrooms}
        for classroom_id, (enrollment_id, active) in current.items():
            if active and classroom_id not in wanted_ids:
                plan.end.append((enrollment_id, user["id"]))
                student.leaves.append(classroom_names[classroom_id])
        if user is None:
            plan.new_students.append(student)
            continue
        student.user_id = user["id"]
        student.username = user["username"]
        old_name = f"{user['first_name']} {user['last_name']}".strip()
        if (user["first_name"], user["last_name"]) != (entry.first_name, entry.last_name):
            student.changes.append((_("name"), old_name, student.name))
        if entry.grade is not None and entry.grade != user["grade"]:
            student.changes.append((_("grade"), grade_label(user["grade"]), grade_label(entry.grade)))
        else:
            student.grade = user["grade"]
        if entry.email and entry.email.casefold() != user["email"].casefold():
            student.changes.append((_("e-mail"), user["email"], entry.email))
        else:
            student.email = user["email"]
        if student.changes or student.joins or student.leaves:
            plan.updated_students.append(student)
        else:
            plan.unchanged_students.append(student)

    for link in roster.teacher_links:
        teacher = users.get(username_key(link.username))
        if teacher is None or teacher["school_id"] != school_id:
            plan.errors.append(
                RowError(link.file, link.row, "userSourcedId",
                         _("Your school has no teacher with the username “%(username)s”. Staff can add the teacher; then import again.")
                         % {"username": link.username})
            )  # fmt: skip
            continue
        if teacher["role"] != User.Role.TEACHER:
            plan.errors.append(
                RowError(link.file, link.row, "userSourcedId",
                         _("“%(username)s” is not a teacher's account.") % {"username": link.username})
            )  # fmt: skip
            continue
        planned = PlannedLink(
            link.file, link.row, teacher["username"],
            f"{teacher['first_name']} {teacher['last_name']}".strip() or teacher["username"], teacher["id"], link.classroom,
        )  # fmt: skip
        existing = classrooms.get(name_key(link.classroom))
        if existing is not None and (existing.pk, teacher["id"]) in links:
            plan.unchanged_links.append(planned)
        else:
            plan.new_links.append(planned)
    plan.errors.sort(key=lambda e: (e.file, e.row))
    return plan


def _fresh_join_codes(count: int) -> list[str]:
    """``count`` join codes no classroom has yet (one query per 500 codes; a clash is rare)."""
    codes: set[str] = set()
    while len(codes) < count:
        batch = {joincodes.generate() for _ in range(count - len(codes))} - codes
        for chunk in _chunks(sorted(batch)):
            batch -= set(Classroom.objects.filter(join_code__in=chunk).values_list("join_code", flat=True))
        codes |= batch
    return sorted(codes)


def _write(plan: RosterPlan, *, by: User) -> RosterResult:
    now = timezone.now()
    codes = _fresh_join_codes(len(plan.new_classrooms))
    new_classrooms = [
        Classroom(
            school_id=plan.school_id, name=c.name, grade=c.grade, school_year=plan.school_year,
            join_code=code, join_code_expires_at=now + settings.JOIN_CODE_LIFETIME,
        )
        for c, code in zip(plan.new_classrooms, codes, strict=True)
    ]  # fmt: skip
    Classroom.objects.bulk_create(new_classrooms)
    classroom_ids = {name_key(c.name): c.classroom_id for c in plan.existing_classrooms}
    classroom_ids.update({name_key(c.name): c.pk for c in new_classrooms})

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
    for chunk in _chunks(plan.reopen):
        Enrollment.objects.filter(pk__in=chunk).update(left_at=None, joined_at=now)
    for chunk in _chunks([enrollment_id for enrollment_id, _student in plan.end]):
        Enrollment.objects.filter(pk__in=chunk, left_at__isnull=True).update(left_at=now)
    TeacherLinkModel.objects.bulk_create(
        TeacherLinkModel(classroom_id=classroom_ids[name_key(link.classroom)], user_id=link.teacher_id)
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
        for name in student.joins:
            joined[name_key(name)] = joined.get(name_key(name), 0) + 1
    names = {name_key(c.name): c.name for c in plan.existing_classrooms + plan.new_classrooms}
    return RosterResult(
        created_students=len(new_users),
        updated_students=len(plan.updated_students),
        created_classrooms=len(new_classrooms),
        created_links=len(plan.new_links),
        enrollments_started=len(plan.enroll) + len(plan.reopen),
        enrollments_ended=len(plan.end),
        classrooms=sorted(((classroom_ids[k], names[k], n) for k, n in joined.items()), key=lambda c: c[1].casefold()),
    )


def roster_import_confirm(*, roster: Roster, school_year: int, digest: str, by: User) -> RosterResult:
    """Write the previewed import in one transaction.

    Raises ``RosterPlanChanged`` (nothing written) when the plan is no longer the one with ``digest``,
    and ``RosterImportFailed`` (nothing written) when the database refuses a row.
    """
    if by.role != User.Role.SCHOOL_ADMIN or by.school_id is None or not by.is_active:
        raise PermissionDenied
    try:
        with transaction.atomic():
            # Two imports for one school wait for each other (PostgreSQL; SQLite takes a write lock anyway).
            list(School.objects.select_for_update().filter(pk=by.school_id).values_list("pk", flat=True))
            plan = roster_import_plan(roster=roster, school_id=by.school_id, school_year=school_year)
            if plan.errors or not secrets.compare_digest(plan.digest, digest):
                raise RosterPlanChanged(plan)
            return _write(plan, by=by)
    except DatabaseError as error:
        raise RosterImportFailed(str(error)) from error
