"""The roster import's plan: what a file says compared with what the school holds. Only reads.

Rules, for the preview to explain:
- Students are matched by username, ignoring case, within the admin's school; classrooms by
  name within the school and the school year being imported; teachers by username.
- The file is the truth for the students it lists: a listed student's current enrollment in one
  of the school's classrooms of that year that the file does not give them ends (``left_at``).
  Students the file does not list are not touched; nothing is deleted.
- An empty cell (OneRoster's optional grades or e-mail) changes nothing.
"""

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from classrooms.roster.types import (
    PlannedClassroom,
    PlannedLink,
    PlannedStudent,
    Roster,
    RosterPlan,
    RowError,
    grade_label,
    name_key,
    username_key,
)

CHUNK = 500  # ids or names per IN (...): well under SQLite's 999 parameters

TeacherLinkModel = Classroom.teachers.through


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _users_by_key(usernames: list[str]) -> dict[str, dict]:
    keys = sorted({username_key(u) for u in usernames})
    found = {}
    for chunk in chunks(keys):
        # Lower() matches the unique index; the plain IN covers SQLite's ASCII-only LOWER().
        rows = (
            User.objects.annotate(username_key=Lower("username"))
            .filter(Q(username_key__in=chunk) | Q(username__in=chunk))
            .values("id", "username", "first_name", "last_name", "email", "grade", "role", "school_id")
        )
        for row in rows:
            found[username_key(row["username"])] = row
    return found


def roster_plan(*, roster: Roster, school_id: int, school_year: int) -> RosterPlan:
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
