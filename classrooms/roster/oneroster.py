"""Reading a OneRoster 1.1 export: a .zip holding manifest.csv, orgs.csv, academicSessions.csv,
courses.csv, classes.csv, users.csv and enrollments.csv (Heard needs the last three).

Every row is checked against every rule in one pass, so the admin sees all that is wrong at once:
a row that fails one check is still checked for the others, and a misnamed column is reported and
then read under the name the specification gives it (the set is refused all the same). Messages
name the person or class, not only the row. Which rows are this school's is decided later, in
``selectors.roster_plan``: the reader keeps each class's and user's school.
"""

import datetime
from collections import Counter, defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from classrooms.roster import spec
from classrooms.roster.archive import zip_members
from classrooms.roster.forms import OneRosterClassForm, OneRosterEnrollmentForm, OneRosterUserForm
from classrooms.roster.manifest import read_manifest
from classrooms.roster.tables import decode, form_errors, most_common, read_table, row_data
from classrooms.roster.types import (
    ONEROSTER,
    ClassroomEntry,
    Roster,
    RowError,
    StudentEntry,
    TeacherLink,
    class_label,
    classroom_key,
    name_key,
    person_label,
    username_key,
)

ROLES = {"student": gettext_lazy("a student"), "teacher": gettext_lazy("a teacher")}


def read_oneroster_zip(filename: str, data: bytes) -> Roster:
    contents, ignored_files = zip_members(filename, data)
    roster = Roster(format=ONEROSTER, ignored_files=ignored_files)
    read_manifest(roster, contents.pop("manifest.csv", None), present=set(contents) | set(ignored_files))
    reader = _OneRosterReader(roster)
    tables = {name: reader.table(name, contents[name]) for name in spec.FILES if name in contents}
    reader.read_orgs(tables.get("orgs.csv"))
    reader.read_sessions(tables.get("academicSessions.csv"))
    reader.read_courses(tables.get("courses.csv"))
    reader.read_users(tables["users.csv"])
    reader.read_classes(tables["classes.csv"])
    reader.read_enrollments(tables["enrollments.csv"])
    return reader.finish()


class _Table:
    """One file's rows, with its columns mapped to the specification's names."""

    def __init__(self, name: str, header: list[str], rows: list, columns: dict[str, int], readable: bool):
        self.name, self.header, self.rows, self.columns, self.readable = name, header, rows, columns, readable

    def records(self):
        for number, cells in self.rows:
            yield number, {key: value.strip() for key, value in row_data(cells, self.columns).items()}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


class _OneRosterReader:
    """orgs, terms and courses first; then users, classes and enrollments, which point at them by sourcedId."""

    def __init__(self, roster: Roster):
        self.roster = roster
        self.orgs: dict[str, tuple[str, str]] | None = None  # sourcedId -> (name, type); None: no orgs.csv
        self.terms: dict[str, tuple[str, datetime.date | None, datetime.date | None]] | None = None
        self.courses: set[str] | None = None
        self.people: dict[str, tuple[str, str, int, str]] = {}  # sourcedId -> (role, username, row, label)
        self.agents: dict[str, tuple[int, str, list[str]]] = {}  # sourcedId -> (row, label, agent sourcedIds)
        self.students: dict[str, StudentEntry] = {}  # by sourcedId
        self.failed_people: set[str] = set()  # rows with errors: enrollments pointing at them are not errors again
        self.ignored_people: set[str] = set()  # parents, aides...: their enrollments are skipped
        self.deleted_people: set[str] = set()
        self.classes: dict[str, ClassroomEntry] = {}  # by sourcedId
        self.class_terms: dict[str, list[str]] = {}
        self.failed_classes: set[str] = set()
        self.deleted_classes: set[str] = set()
        self.class_grades: dict[str, Counter] = {}
        self.conflicts: dict[str, Counter] = defaultdict(Counter)  # user sourcedId -> enrollment role -> count
        self.referenced_schools: dict[str, None] = {}
        self.unreadable: set[str] = set()  # files whose header lacks a required column: nothing points into them

    def error(self, file: str, row: int, column: str, message: str, subject: str = "") -> None:
        self.roster.errors.append(RowError(file, row, column, message, subject))

    def warn(self, file: str, row: int, column: str, message: str, subject: str = "") -> None:
        self.roster.warnings.append(RowError(file, row, column, message, subject))

    def count(self, file: str, what: str) -> None:
        counts = self.roster.counts.setdefault(file, {})
        counts[what] = counts.get(what, 0) + 1

    # --- Headers ---------------------------------------------------------------------------------

    def table(self, name: str, data: bytes) -> _Table:
        """Decode one file and check its header against OneRoster 1.1, reporting every column at fault."""
        text, self.roster.encodings[name] = decode(data, name)
        header, rows = read_table(text, name)
        self.roster.rows += len(rows)
        self.roster.counts.setdefault(name, {})
        columns: dict[str, int] = {}
        unused = []
        for index, title in enumerate(header):
            if not title:
                continue
            if spec.is_extension(title):
                unused.append(title)
                continue
            expected = spec.expected_name(name, title) or spec.misnamed(name, title)
            if expected and expected != spec.expected_name(name, title):
                self.error(
                    name, 1, title,
                    _("Column “%(found)s” is not a OneRoster 1.1 column; the specification names it “%(expected)s”.")
                    % {"found": title, "expected": expected},
                )  # fmt: skip
            elif expected is None:
                self.error(
                    name, 1, title,
                    _("Column “%(found)s” is not a OneRoster 1.1 column of %(file)s. Extension columns must begin "
                      "with “metadata.” or “ext_”.") % {"found": title, "file": name},
                )  # fmt: skip
                continue
            if expected in columns:
                self.error(
                    name, 1, title,
                    _("%(file)s has the column “%(column)s” twice; keep one and upload again.")
                    % {"file": name, "column": expected},
                )  # fmt: skip
                continue
            columns[expected] = index
        missing = [column for column in spec.REQUIRED[name] if column not in columns]
        for column in missing:
            self.error(
                name, 1, column,
                _("%(file)s has no column “%(column)s”, which OneRoster 1.1 requires.") % {"file": name, "column": column},
            )  # fmt: skip
        if unused:
            self.roster.ignored_columns[name] = unused
        return _Table(name, header, rows, columns, readable=not missing)

    def role_ignored(self, table: _Table, number: int, role: str, subject: str) -> None:
        """A row of a person or enrollment Heard does not import (a parent, an aide): listed as skipped."""
        self.roster.ignored_rows.append(
            RowError(table.name, number, "role",
                     _("Role “%(role)s”: Heard imports students and teachers only.") % {"role": role[:30]}, subject)
        )  # fmt: skip

    def status(self, table: _Table, number: int, row: dict, subject: str) -> bool:
        """Whether the row is live; a status other than OneRoster's two is an error (and the row is read as live)."""
        status = row.get("status", "").casefold()
        if status and status not in spec.STATUSES:
            self.error(table.name, number, "status",
                       _("Status “%(status)s” is not one of OneRoster's: active, tobedeleted.") % {"status": status[:30]},
                       subject)  # fmt: skip
        if status == spec.DELETED:
            self.count(table.name, spec.DELETED)
            return False
        return True

    def form(self, table: _Table, number: int, form_class, row: dict, subject: str):
        form = form_class(row)
        if form.is_valid():
            return form.cleaned_data
        for error in form_errors(form, table.name, number, table.header, table.columns):
            self.error(error.file, error.row, error.column, error.message, subject)
        return None

    # --- orgs, academicSessions, courses -------------------------------------------------------------

    def read_orgs(self, table: _Table | None) -> None:
        if table is None or not table.readable:
            return
        self.orgs = {}
        for number, row in table.records():
            sid, name, kind = row["sourcedId"], row["name"], row["type"].casefold()
            self.count(table.name, kind or "?")
            if not self.status(table, number, row, name):
                continue
            if not sid or not name:
                self.error(table.name, number, "sourcedId" if not sid else "name",
                           _("An org needs a sourcedId and a name."), name or sid)  # fmt: skip
                continue
            if sid in self.orgs:
                self.error(table.name, number, "sourcedId", _("Another org has this sourcedId."), f"{name} ({sid})")
                continue
            self.orgs[sid] = (name, kind)

    def read_sessions(self, table: _Table | None) -> None:
        if table is None or not table.readable:
            return
        self.terms = {}
        for number, row in table.records():
            sid, title = row["sourcedId"], row["title"]
            self.count(table.name, row["type"].casefold() or "?")
            if not self.status(table, number, row, title):
                continue
            start, end = _date(row["startDate"]), _date(row["endDate"])
            for column, value in (("startDate", start), ("endDate", end)):
                if value is None:
                    self.error(table.name, number, column,
                               _("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": row[column][:30]},
                               f"{title} ({sid})")  # fmt: skip
            if start and end and end < start:
                self.error(table.name, number, "endDate", _("The session ends before it starts."), f"{title} ({sid})")
            self.terms[sid] = (title, start, end)

    def read_courses(self, table: _Table | None) -> None:
        if table is None or not table.readable:
            return
        self.courses = set()
        for number, row in table.records():
            self.count(table.name, "course")
            if self.status(table, number, row, row["title"]):
                self.courses.add(row["sourcedId"])
                self.check_school(table.name, number, "orgSourcedId", row["orgSourcedId"], row["title"])

    def check_school(self, file: str, number: int, column: str, sid: str, subject: str) -> None:
        if not sid:
            self.error(file, number, column, _("OneRoster 1.1 requires a school here; the cell is empty."), subject)
            return
        self.referenced_schools[sid] = None
        if self.orgs is not None and sid not in self.orgs:
            self.error(file, number, column, _("No org in orgs.csv has the sourcedId “%(id)s”.") % {"id": sid[:60]},
                       subject)  # fmt: skip

    # --- users.csv -----------------------------------------------------------------------------------

    def read_users(self, table: _Table) -> None:
        if not table.readable:
            self.unreadable.add(table.name)
            return
        usernames: dict[str, tuple[int, str]] = {}
        for number, row in table.records():
            sid, role = row["sourcedId"], row["role"].casefold()
            label = person_label(f"{row['givenName']} {row['familyName']}", row["username"], sid)
            self.count(table.name, role or "?")
            self.people.setdefault(sid, (role, row["username"], number, label))
            if not self.status(table, number, row, label):
                self.deleted_people.add(sid)
                self.roster.deleted.append((table.name, number, sid, label, row["username"]))
                self.roster.ignored_rows.append(
                    RowError(table.name, number, "status", _("This person is tobedeleted: not imported."), label)
                )
                continue
            if role not in ROLES:
                self.role_ignored(table, number, role, label)
                self.ignored_people.add(sid)
                continue
            if row["agentSourcedIds"]:
                self.agents[sid] = (number, label, _split(row["agentSourcedIds"]))
            orgs = _split(row["orgSourcedIds"])
            if not orgs:
                self.error(table.name, number, "orgSourcedIds", _("OneRoster 1.1 requires a school here; the cell is empty."), label)  # fmt: skip
            for org in orgs:
                self.check_school(table.name, number, "orgSourcedIds", org, label)
            cleaned = self.form(table, number, OneRosterUserForm, row, label)
            if self.people[sid][2] != number:
                self.error(table.name, number, "sourcedId",
                           _("Row %(row)s has the same sourcedId.") % {"row": self.people[sid][2]}, label)  # fmt: skip
                continue
            key = username_key((cleaned or row)["username"])
            if key and key in usernames:
                self.error(table.name, number, "username",
                           _("Row %(row)s (%(who)s) has the same username.") % {"row": usernames[key][0], "who": usernames[key][1]},
                           label)  # fmt: skip
                self.failed_people.add(sid)
                continue
            usernames[key] = (number, label)
            if cleaned is None:
                self.failed_people.add(sid)
                continue
            self.people[sid] = (role, cleaned["username"], number, label)
            if role == "student":
                self.students[sid] = StudentEntry(
                    table.name, number, cleaned["username"], cleaned["givenName"], cleaned["familyName"],
                    cleaned["email"], cleaned["grades"][0] if cleaned["grades"] else None,
                    sourced_id=sid, orgs=orgs,
                )  # fmt: skip

    # --- classes.csv ---------------------------------------------------------------------------------

    def read_classes(self, table: _Table) -> None:
        if not table.readable:
            self.unreadable.add(table.name)
            return
        for number, row in table.records():
            sid = row["sourcedId"]
            periods = row.get("periods", "")
            section = row.get("classCode") or (_("period %(p)s") % {"p": periods} if periods else row.get("location", ""))
            label = class_label(row["title"], section, sid)
            self.count(table.name, "class")
            if not self.status(table, number, row, label):
                self.deleted_classes.add(sid)
                self.roster.deleted.append((table.name, number, sid, label, ""))
                self.roster.ignored_rows.append(
                    RowError(table.name, number, "status", _("This class is tobedeleted: no classroom is created."), label)
                )
                continue
            self.check_school(table.name, number, "schoolSourcedId", row["schoolSourcedId"], label)
            if self.courses is not None and row["courseSourcedId"] not in self.courses:
                self.error(table.name, number, "courseSourcedId",
                           _("No course in courses.csv has the sourcedId “%(id)s”.") % {"id": row["courseSourcedId"][:60]},
                           label)  # fmt: skip
            terms = _split(row["termSourcedIds"])
            for term in terms:
                if self.terms is not None and term not in self.terms:
                    self.error(table.name, number, "termSourcedIds",
                               _("No term in academicSessions.csv has the sourcedId “%(id)s”.") % {"id": term[:60]},
                               label)  # fmt: skip
            cleaned = self.form(table, number, OneRosterClassForm, row, label)
            if sid in self.classes:
                self.error(table.name, number, "sourcedId",
                           _("Row %(row)s has the same sourcedId.") % {"row": self.classes[sid].row}, label)  # fmt: skip
                continue
            if cleaned is None:
                self.failed_classes.add(sid)
                continue
            self.classes[sid] = ClassroomEntry(
                table.name, number, cleaned["title"], cleaned["grades"][0] if cleaned["grades"] else None,
                key=classroom_key(sourced_id=sid), sourced_id=sid, title=cleaned["title"],
                org=row["schoolSourcedId"], section=section,
            )  # fmt: skip
            self.class_terms[sid] = [t for t in terms if self.terms and t in self.terms]
            self.class_grades[sid] = Counter()

    # --- enrollments.csv -----------------------------------------------------------------------------

    def read_enrollments(self, table: _Table) -> None:
        if not table.readable:
            return
        seen: dict[tuple[str, str], int] = {}
        for number, row in table.records():
            class_sid, user_sid, role = row["classSourcedId"], row["userSourcedId"], row["role"].casefold()
            person, klass = self.people.get(user_sid), self.classes.get(class_sid)
            who = person[3] if person else user_sid
            subject = f"{who} · {klass.subject}" if klass else who
            self.count(table.name, role or "?")
            if not self.status(table, number, row, subject):
                self.roster.ignored_rows.append(
                    RowError(table.name, number, "status", _("This enrollment is tobedeleted: dropped."), subject)
                )
                continue
            if role not in ROLES:
                self.role_ignored(table, number, role, subject)
                continue
            cleaned = self.form(table, number, OneRosterEnrollmentForm, row, subject)
            if class_sid in self.deleted_classes:
                self.roster.ignored_rows.append(
                    RowError(table.name, number, "classSourcedId", _("Its class is tobedeleted: dropped."), subject)
                )
                continue
            if user_sid in self.deleted_people:
                self.roster.ignored_rows.append(
                    RowError(table.name, number, "userSourcedId", _("This person is tobedeleted: dropped."), subject)
                )
                continue
            if klass is None and class_sid not in self.failed_classes and "classes.csv" not in self.unreadable:
                self.error(table.name, number, "classSourcedId", _("No class in classes.csv has this sourcedId."), subject)
            if user_sid in self.ignored_people:
                self.roster.ignored_rows.append(
                    RowError(table.name, number, "userSourcedId", _("This person is not a student or teacher."), subject)
                )
                continue
            if person is None:
                if "users.csv" not in self.unreadable:
                    self.error(table.name, number, "userSourcedId", _("No user in users.csv has this sourcedId."), subject)
                continue
            if person[0] in ROLES and person[0] != role:
                self.conflicts[user_sid][role] += 1
                continue
            if row["schoolSourcedId"] and klass is not None and klass.org and row["schoolSourcedId"] != klass.org:
                self.error(table.name, number, "schoolSourcedId",
                           _("The class belongs to the school “%(class_org)s”, this row says “%(row_org)s”.")
                           % {"class_org": klass.org, "row_org": row["schoolSourcedId"]}, subject)  # fmt: skip
            if klass is not None:
                self.check_dates(table, number, row, klass, subject)
            if cleaned is None or klass is None or user_sid in self.failed_people:
                continue
            if (class_sid, user_sid) in seen:
                self.roster.ignored_rows.append(
                    RowError(table.name, number, "", _("Repeats row %(row)s.") % {"row": seen[class_sid, user_sid]}, subject)
                )
                continue
            seen[class_sid, user_sid] = number
            if role == "teacher":
                self.roster.teacher_links.append(TeacherLink(table.name, number, person[1], klass.key, who))
                continue
            student = self.students[user_sid]
            student.classrooms.append(klass.key)
            if student.grade is not None:
                self.class_grades[class_sid][student.grade] += 1

    def check_dates(self, table: _Table, number: int, row: dict, klass: ClassroomEntry, subject: str) -> None:
        dates = {}
        for column in ("beginDate", "endDate"):
            if row.get(column):
                dates[column] = _date(row[column])
                if dates[column] is None:
                    self.error(table.name, number, column,
                               _("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": row[column][:30]}, subject)  # fmt: skip
        terms = [self.terms[t] for t in self.class_terms.get(klass.sourced_id, [])]
        starts = [start for _title, start, _end in terms if start]
        ends = [end for _title, _start, end in terms if end]
        if not starts or not ends:
            return
        begin, end = dates.get("beginDate"), dates.get("endDate")
        if (begin and begin < min(starts)) or (end and end > max(ends)) or (begin and begin > max(ends)):
            self.warn(table.name, number, "beginDate" if begin and begin < min(starts) else "endDate",
                      _("Enrolled %(begin)s to %(end)s, outside the class's term %(term)s (%(start)s to %(stop)s).")
                      % {"begin": row.get("beginDate") or "…", "end": row.get("endDate") or "…",
                         "term": ", ".join(title for title, _s, _e in terms),
                         "start": min(starts).isoformat(), "stop": max(ends).isoformat()},
                      subject)  # fmt: skip

    # --- After all rows --------------------------------------------------------------------------------

    def finish(self) -> Roster:
        for user_sid, roles in self.conflicts.items():
            role, _username, row, label = self.people[user_sid]
            for other, n in roles.items():
                message = ngettext(
                    "%(who)s is %(role)s in users.csv but %(other)s in %(n)s enrollment.",
                    "%(who)s is %(role)s in users.csv but %(other)s in %(n)s enrollments.",
                    n,
                ) % {"who": label, "role": ROLES[role], "other": ROLES[other], "n": n}
                self.error("users.csv", row, "role", message, label)
        for _sid, (row, label, agents) in self.agents.items():
            for agent in agents:
                if agent not in self.people:
                    self.warn("users.csv", row, "agentSourcedIds",
                              _("Their agent “%(id)s” is not in users.csv.") % {"id": agent[:60]}, label)  # fmt: skip
                elif self.people[agent][0] == "teacher":
                    self.warn("users.csv", row, "agentSourcedIds",
                              _("Their agent (guardian) %(agent)s is a teacher in users.csv; Heard links no guardian "
                                "to a student from an import.") % {"agent": self.people[agent][3]}, label)  # fmt: skip
        titles = Counter((entry.org, name_key(entry.title)) for entry in self.classes.values())
        for sid, entry in self.classes.items():
            if titles[entry.org, name_key(entry.title)] > 1:
                # Several sections share the title: each is proposed with its section (the admin may rename).
                entry.name = f"{entry.title} ({entry.section or sid})"
            if entry.grade is None and self.class_grades[sid]:
                entry.grade = most_common(self.class_grades[sid])
        for sid in self.referenced_schools:
            name, kind = self.orgs.get(sid, ("", "")) if self.orgs else ("", "")
            if kind in ("", "school"):  # a user or course may also belong to the district: not a school
                self.roster.schools.append((sid, name))
        if self.orgs:
            known = set(self.referenced_schools)
            self.roster.schools += [(sid, name) for sid, (name, kind) in self.orgs.items() if kind == "school" and sid not in known]
        self.roster.students = list(self.students.values())
        self.roster.classrooms = list(self.classes.values())
        order = {name: index for index, name in enumerate(("manifest.csv", *spec.FILES))}
        for items in (self.roster.errors, self.roster.warnings, self.roster.ignored_rows):
            items.sort(key=lambda e: (order.get(e.file, 99), e.row))
        return self.roster
