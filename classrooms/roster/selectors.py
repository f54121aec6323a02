"""The roster import's plan: what a file says compared with what the school holds. Only reads.

Rules, for the preview to explain:
- Students are matched by username, ignoring case, within the admin's school; teachers by username;
  classrooms by the export's sourcedId first (stored on the classroom), then by name within the school
  and the school year being imported (a classroom found by name takes the sourcedId).
- A OneRoster export may name several schools (orgs.csv): the one named as this school in Heard (or
  the one whose classes were imported here before) is this school. Rows of any other school are listed
  as "not this school" and never written; an export in which no school is this one writes nothing.
- Rows the export marks tobedeleted are not written; a classroom or student Heard already holds under
  that sourcedId or username is flagged (kept: deleting is the admin's act, not an import's).
- A student enrolled in no class of this school is listed, not created.
- The file is the truth for the students it lists: a listed student's current enrollment in one
  of the school's classrooms of that year that the file does not give them ends (``left_at``).
  Students the file does not list are not touched; nothing is deleted.
- An empty cell (OneRoster's optional grades or e-mail) changes nothing.
"""

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import School, User
from classrooms.models import Classroom, Enrollment
from classrooms.roster.spec import FILES as ONEROSTER_FILES
from classrooms.roster.types import (
    ONEROSTER,
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

CLASSROOM_NAME_MAX = Classroom._meta.get_field("name").max_length
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


def _this_school(roster: Roster, plan: RosterPlan, school: str, known_orgs: set[str]) -> str | None:
    """The export's org that is this school: "" when the file names none (all rows are this school's),
    None when none of the schools it names is this one (no row is)."""
    if roster.format != ONEROSTER or not roster.schools:
        return ""
    named = [sid for sid, name in roster.schools if name and name_key(name) == name_key(school)]
    matches = named or [sid for sid, _name in roster.schools if sid in known_orgs]
    if len(set(matches)) == 1:
        return matches[0]
    if len(roster.schools) == 1 and not roster.schools[0][1]:
        plan.warnings.append(
            RowError("orgs.csv", 0, "",
                     _("The export has no orgs.csv naming its school; Heard takes %(id)s to be %(school)s.")
                     % {"id": roster.schools[0][0], "school": school})
        )  # fmt: skip
        return roster.schools[0][0]
    schools = ", ".join(f"{name or '?'} ({sid})" for sid, name in roster.schools)
    plan.errors.append(
        RowError("orgs.csv", 0, "name",
                 _("None of the schools in this export (%(schools)s) is %(school)s, the school you import into: "
                   "nothing can be written. Upload your school's export, or one whose orgs.csv names %(school)s.")
                 % {"schools": schools, "school": school})
    )  # fmt: skip
    return None


def roster_plan(*, roster: Roster, school_id: int, school_year: int, titles: dict[int, str] | None = None) -> RosterPlan:
    """Compare ``roster`` with the school: what would be created, updated, left as it is, and what is wrong.

    ``titles`` renames new classrooms (by their index in ``roster.classrooms``), as typed on the preview.
    A fixed number of queries, plus one per 500 usernames or sourcedIds.
    """
    titles = titles or {}
    plan = RosterPlan(
        roster=roster, school_id=school_id, school_year=school_year,
        errors=list(roster.errors), warnings=list(roster.warnings),
    )  # fmt: skip
    school_name = School.objects.filter(pk=school_id).values_list("name", flat=True).first() or ""
    deleted_usernames = [username for file, *_rest, username in roster.deleted if username]
    users = _users_by_key(
        [s.username for s in roster.students] + [t.username for t in roster.teacher_links] + deleted_usernames
    )
    classrooms = {
        name_key(c.name): c
        for c in Classroom.objects.filter(school_id=school_id, school_year=school_year).only(
            "id", "name", "grade", "sourced_id", "school_year"
        )
    }
    sourced_ids = sorted({c.sourced_id for c in roster.classrooms if c.sourced_id} | {d[2] for d in roster.deleted if d[0] == "classes.csv"})
    by_sid = {}
    for chunk in chunks(sourced_ids):
        for c in Classroom.objects.filter(school_id=school_id, sourced_id__in=chunk).only(
            "id", "name", "grade", "sourced_id", "school_year"
        ):
            by_sid[c.sourced_id] = c
    classroom_names = {c.pk: c.name for c in list(classrooms.values()) + list(by_sid.values())}
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

    known_orgs = {c.org for c in roster.classrooms if c.sourced_id in by_sid}
    this_org = _this_school(roster, plan, school_name, known_orgs)
    plan.school_org = this_org or ""
    org_names = dict(roster.schools)

    def ours(orgs) -> bool:
        return this_org == "" or (this_org is not None and this_org in orgs)

    for file, row, sid, label, username in roster.deleted:
        if file == "classes.csv" and sid in by_sid:
            plan.flagged.append(RowError(file, row, "status",
                _("The export marks this class tobedeleted; Heard keeps the classroom “%(name)s” and its work: "
                  "an import deletes nothing.") % {"name": by_sid[sid].name}, label))  # fmt: skip
        user = users.get(username_key(username)) if username else None
        if file == "users.csv" and user and user["school_id"] == school_id:
            plan.flagged.append(RowError(file, row, "status",
                _("The export marks this person tobedeleted; Heard keeps their account and work."), label))  # fmt: skip

    # Classrooms: key -> (id or None, name in Heard), for this school's classes only.
    planned: dict[str, tuple[int | None, str]] = {}
    new_names: dict[str, int] = {}
    for index, entry in enumerate(roster.classrooms):
        if entry.org and not ours([entry.org]):
            plan.other_school.append(RowError(entry.file, entry.row, "schoolSourcedId",
                _("Not this school: %(school)s.") % {"school": org_names.get(entry.org) or entry.org}, entry.subject))  # fmt: skip
            continue
        if entry.sourced_id and entry.sourced_id in by_sid:
            existing = by_sid[entry.sourced_id]
            if existing.school_year != school_year:
                plan.errors.append(RowError(entry.file, entry.row, "sourcedId",
                    _("This sourcedId is already the classroom “%(name)s” of school year %(year)s.")
                    % {"name": existing.name, "year": existing.school_year_label}, entry.subject))  # fmt: skip
                continue
        else:
            existing = classrooms.get(name_key(entry.name))
            if existing is not None and existing.sourced_id and entry.sourced_id and existing.sourced_id != entry.sourced_id:
                existing = None  # another class of the school's system that happens to have this name
        if existing is not None:
            if entry.sourced_id and not existing.sourced_id:
                plan.adopt.append((existing.pk, entry.sourced_id))
            plan.existing_classrooms.append(PlannedClassroom(
                entry.file, entry.row, existing.name, existing.grade, existing.pk,
                key=entry.key, sourced_id=entry.sourced_id, title=entry.title, section=entry.section, index=index,
            ))  # fmt: skip
            planned[entry.key] = (existing.pk, existing.name)
            continue
        name = " ".join(titles.get(index, entry.name).split())
        new = PlannedClassroom(
            entry.file, entry.row, name, entry.grade,
            key=entry.key, sourced_id=entry.sourced_id, title=entry.title, section=entry.section, index=index,
        )  # fmt: skip
        taken = classrooms.get(name_key(name))
        if not name:
            new.rename_error = _("Give this classroom a name.")
        elif len(name) > CLASSROOM_NAME_MAX:
            new.rename_error = _("A classroom name has at most %(n)s characters.") % {"n": CLASSROOM_NAME_MAX}
        elif taken is not None:
            new.rename_error = _("Your school already has a classroom called “%(name)s” this school year; give this one another name.") % {"name": taken.name}  # fmt: skip
        elif name_key(name) in new_names:
            new.rename_error = _("Another new classroom of this import is called “%(name)s”; give each its own name.") % {"name": name}  # fmt: skip
        if new.rename_error:
            plan.errors.append(RowError(entry.file, entry.row, "title", new.rename_error, entry.subject))
        elif entry.grade is None:
            plan.errors.append(RowError(entry.file, entry.row, "grades",
                _("This class is new to Heard and has no grade: give it one (K to 8)."), entry.subject))  # fmt: skip
        new_names[name_key(name)] = index
        plan.new_classrooms.append(new)
        planned[entry.key] = (None, name)

    for entry in roster.students:
        key = username_key(entry.username)
        if entry.orgs and not ours(entry.orgs):
            names = ", ".join(org_names.get(org) or org for org in entry.orgs)
            plan.other_school.append(RowError(entry.file, entry.row, "orgSourcedIds",
                _("Not this school: %(school)s.") % {"school": names}, entry.subject))  # fmt: skip
            continue
        wanted = {class_key: planned[class_key] for class_key in entry.classrooms if class_key in planned}
        if roster.format == ONEROSTER and not wanted:
            plan.enrolled_nowhere.append(RowError(entry.file, entry.row, "",
                _("Enrolled in no class of this school: not imported."), entry.subject))  # fmt: skip
            continue
        user = users.get(key)
        if user is not None and user["school_id"] != school_id:
            plan.errors.append(
                RowError(entry.file, entry.row, "username", _("This username is taken by an account outside your school; choose another."), entry.subject)
            )  # fmt: skip
            continue
        if user is not None and user["role"] != User.Role.STUDENT:
            plan.errors.append(
                RowError(entry.file, entry.row, "username", _("This username belongs to a staff account of your school, not a student."), entry.subject)
            )  # fmt: skip
            continue
        student = PlannedStudent(
            entry.file, entry.row, entry.username, entry.first_name, entry.last_name, entry.email, entry.grade
        )
        current = enrollments.get(user["id"], {}) if user else {}
        for class_key, (classroom_id, name) in wanted.items():
            enrollment = current.get(classroom_id) if classroom_id else None
            if enrollment is None:
                plan.enroll.append((key, class_key))
            elif not enrollment[1]:
                plan.reopen.append(enrollment[0])
            else:
                continue
            student.joins.append(name)
            student.join_keys.append(class_key)
        wanted_ids = {classroom_id for classroom_id, _name in wanted.values() if classroom_id}
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
        if link.classroom not in planned:
            continue  # a class of another school (listed above), or one with errors
        teacher = users.get(username_key(link.username))
        who = link.subject or link.username
        if teacher is None or teacher["school_id"] != school_id:
            plan.errors.append(
                RowError(link.file, link.row, "userSourcedId",
                         _("Your school has no teacher with the username “%(username)s”. Staff can add the teacher; then import again.")
                         % {"username": link.username}, who)
            )  # fmt: skip
            continue
        if teacher["role"] != User.Role.TEACHER:
            plan.errors.append(
                RowError(link.file, link.row, "userSourcedId",
                         _("“%(username)s” is not a teacher's account.") % {"username": link.username}, who)
            )  # fmt: skip
            continue
        classroom_id, classroom_name = planned[link.classroom]
        planned_link = PlannedLink(
            link.file, link.row, teacher["username"],
            f"{teacher['first_name']} {teacher['last_name']}".strip() or teacher["username"], teacher["id"],
            classroom_name, key=link.classroom,
        )  # fmt: skip
        if classroom_id is not None and (classroom_id, teacher["id"]) in links:
            plan.unchanged_links.append(planned_link)
        else:
            plan.new_links.append(planned_link)
    order = {name: index for index, name in enumerate(("manifest.csv", *ONEROSTER_FILES))}
    for items in (plan.errors, plan.warnings):
        items.sort(key=lambda e: (order.get(e.file, 99), e.file, e.row))
    return plan
