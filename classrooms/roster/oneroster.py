"""Reading a OneRoster 1.1 export (a .zip holding users.csv, classes.csv and enrollments.csv).

Built on ``tables`` (decoding, columns) and the row forms, filling a ``Roster``; ``reader.read_roster``
sends .zip uploads here.
"""

import io
import zipfile
from collections import Counter
from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classrooms.roster.forms import MAX_UPLOAD_BYTES, OneRosterClassForm, OneRosterEnrollmentForm, OneRosterUserForm
from classrooms.roster.tables import decode, find_columns, form_errors, most_common, read_table, row_data
from classrooms.roster.types import (
    ONEROSTER,
    ClassroomEntry,
    Roster,
    RosterFileRefused,
    RowError,
    StudentEntry,
    TeacherLink,
    name_key,
    username_key,
)

ONEROSTER_FILES = ("users.csv", "classes.csv", "enrollments.csv")
ONEROSTER_COLUMNS = {
    "users.csv": {
        f.casefold(): f for f in ("sourcedId", "role", "username", "givenName", "familyName", "email", "grades")
    },
    "classes.csv": {f.casefold(): f for f in ("sourcedId", "title", "grades")},
    "enrollments.csv": {f.casefold(): f for f in ("classSourcedId", "userSourcedId", "role")},
}


def _zip_members(filename: str, data: bytes) -> tuple[dict[str, bytes], list[str]]:
    """The three OneRoster files' bytes, and the names of the other files the .zip holds."""
    try:
        return _zip_members_read(filename, data)
    except RosterFileRefused:
        raise
    except Exception as error:
        # zipfile reading crafted or damaged bytes raises far more than BadZipFile (ValueError on a
        # negative seek, IndexError on an empty member name, zlib.error...): for an upload, all mean "damaged".
        raise RosterFileRefused(_("%(file)s is damaged; Heard cannot unpack it.") % {"file": filename}) from error


def _zip_members_read(filename: str, data: bytes) -> tuple[dict[str, bytes], list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # see _zip_members
        raise RosterFileRefused(_("%(file)s is not a .zip file Heard can open.") % {"file": filename}) from error
    with archive:
        infos = [
            info for info in archive.infolist()
            if not info.is_dir() and "__MACOSX" not in info.filename and not PurePosixPath(info.filename).name.startswith(".")
        ]  # fmt: skip
        names = [PurePosixPath(info.filename).name for info in infos]
        if any(name.casefold() == "[content_types].xml" for name in names):
            raise RosterFileRefused(
                _("%(file)s is a spreadsheet (.xlsx), not CSV. Save it as CSV and upload that.") % {"file": filename}
            )
        wanted = {}
        for info, name in zip(infos, names, strict=True):
            if name.casefold() not in ONEROSTER_FILES:
                continue
            if name.casefold() in wanted:
                raise RosterFileRefused(
                    _("%(file)s holds %(name)s twice; keep one and upload again.") % {"file": filename, "name": name}
                )
            wanted[name.casefold()] = info
        missing = [name for name in ONEROSTER_FILES if name not in wanted]
        if missing:
            raise RosterFileRefused(
                _("A OneRoster .zip must hold users.csv, classes.csv and enrollments.csv; %(file)s has no %(missing)s.")
                % {"file": filename, "missing": ", ".join(missing)}
            )
        contents = {}
        for name, info in wanted.items():
            if info.file_size > MAX_UPLOAD_BYTES:
                raise RosterFileRefused(
                    _("%(name)s is larger than 10 MB. Split the export and import each part.") % {"name": name}
                )
            try:
                with archive.open(info) as member:
                    contents[name] = member.read(MAX_UPLOAD_BYTES + 1)
            except Exception as error:  # see _zip_members
                raise RosterFileRefused(
                    _("%(name)s in %(file)s could not be unpacked (damaged or password-protected).")
                    % {"name": name, "file": filename}
                ) from error
            if len(contents[name]) > MAX_UPLOAD_BYTES:
                raise RosterFileRefused(
                    _("%(name)s is larger than 10 MB. Split the export and import each part.") % {"name": name}
                )
        ignored = sorted(n for n in names if n.casefold() not in ONEROSTER_FILES)
    return contents, ignored


def _oneroster_table(roster: Roster, name: str, data: bytes, form_class, ignored_ids=None, failed_ids=None):
    """Yield (row number, cleaned data) for each valid row of one OneRoster file.

    Rows for roles other than student and teacher are set aside, their sourcedIds put in
    ``ignored_ids``; the sourcedIds of rows with errors go to ``failed_ids``, so that rows
    pointing at them are not reported a second time.
    """
    text, roster.encodings[name] = decode(data, name)
    header, rows = read_table(text, name)
    wanted = {field_name: {key} for key, field_name in ONEROSTER_COLUMNS[name].items()}
    columns, ignored = find_columns(header, wanted, name)
    missing = [f for f in ONEROSTER_COLUMNS[name].values() if f not in columns and form_class.base_fields[f].required]
    if missing:
        raise RosterFileRefused(
            _("%(file)s has no column %(missing)s.") % {"file": name, "missing": ", ".join(missing)}
        )
    if ignored:
        roster.ignored_columns[name] = ignored
    roster.rows += len(rows)
    for number, cells in rows:
        data = row_data(cells, columns)
        if "role" in data:
            data["role"] = data["role"].strip().casefold()
            if data["role"] not in {"student", "teacher"}:
                roster.ignored_rows.append(
                    RowError(name, number, header[columns["role"]],
                             _("Role “%(role)s”: Heard imports students and teachers only.") % {"role": data["role"][:30]})
                )  # fmt: skip
                if ignored_ids is not None:
                    ignored_ids.add(data.get("sourcedId", "").strip())
                continue
        form = form_class(data)
        if form.is_valid():
            yield number, form.cleaned_data
        else:
            roster.errors += form_errors(form, name, number, header, columns)
            if failed_ids is not None:
                failed_ids.add(data.get("sourcedId", "").strip())


def read_oneroster_zip(filename: str, data: bytes) -> Roster:
    contents, ignored_files = _zip_members(filename, data)
    reader = _OneRosterReader(Roster(format=ONEROSTER, ignored_files=ignored_files))
    reader.read_users(contents["users.csv"])
    reader.read_classes(contents["classes.csv"])
    reader.read_enrollments(contents["enrollments.csv"])
    return reader.finish()


class _OneRosterReader:
    """users.csv, then classes.csv, then enrollments.csv, which points at rows of the other two by sourcedId."""

    ROLES = {"student": gettext_lazy("a student"), "teacher": gettext_lazy("a teacher")}  # found by makemessages

    def __init__(self, roster: Roster):
        self.roster = roster
        self.people: dict[str, tuple[str, str, int]] = {}  # sourcedId -> (role, username, row)
        self.students: dict[str, StudentEntry] = {}  # by sourcedId
        self.failed_people: set[str] = set()  # rows with errors: enrollments pointing at them are not errors again
        self.ignored_people: set[str] = set()  # parents, aides...: their enrollments are skipped
        self.classes: dict[str, ClassroomEntry] = {}  # by sourcedId
        self.failed_classes: set[str] = set()
        self.class_grades: dict[str, Counter] = {}

    def error(self, file: str, row: int, column: str, message: str) -> None:
        self.roster.errors.append(RowError(file, row, column, message))

    def read_users(self, data: bytes) -> None:
        usernames: dict[str, int] = {}
        rows = _oneroster_table(
            self.roster, "users.csv", data, OneRosterUserForm, self.ignored_people, self.failed_people
        )
        for number, row in rows:
            sid, key = row["sourcedId"], username_key(row["username"])
            if sid in self.people:
                self.error(
                    "users.csv",
                    number,
                    "sourcedId",
                    _("Row %(row)s has the same sourcedId.") % {"row": self.people[sid][2]},
                )
                continue
            if key in usernames:
                self.error(
                    "users.csv", number, "username", _("Row %(row)s has the same username.") % {"row": usernames[key]}
                )
                self.failed_people.add(sid)
                continue
            self.people[sid] = (row["role"], row["username"], number)
            usernames[key] = number
            if row["role"] == "student":
                self.students[sid] = StudentEntry(
                    "users.csv",
                    number,
                    row["username"],
                    row["givenName"],
                    row["familyName"],
                    row["email"],
                    row["grades"][0] if row["grades"] else None,
                )

    def read_classes(self, data: bytes) -> None:
        titles: dict[str, int] = {}
        rows = _oneroster_table(self.roster, "classes.csv", data, OneRosterClassForm, failed_ids=self.failed_classes)
        for number, row in rows:
            sid, key = row["sourcedId"], name_key(row["title"])
            if sid in self.classes:
                self.error(
                    "classes.csv",
                    number,
                    "sourcedId",
                    _("Row %(row)s has the same sourcedId.") % {"row": self.classes[sid].row},
                )
                continue
            if key in titles:
                self.error(
                    "classes.csv",
                    number,
                    "title",
                    _("Row %(row)s has the same title; Heard tells classrooms apart by name.") % {"row": titles[key]},
                )
                self.failed_classes.add(sid)
                continue
            titles[key] = number
            self.classes[sid] = ClassroomEntry(
                "classes.csv", number, row["title"], row["grades"][0] if row["grades"] else None
            )
            self.class_grades[sid] = Counter()

    def read_enrollments(self, data: bytes) -> None:
        seen: dict[tuple[str, str], int] = {}
        for number, row in _oneroster_table(self.roster, "enrollments.csv", data, OneRosterEnrollmentForm):
            class_sid, user_sid, role = row["classSourcedId"], row["userSourcedId"], row["role"]
            if class_sid not in self.classes:
                if class_sid not in self.failed_classes:
                    self.error(
                        "enrollments.csv", number, "classSourcedId", _("No class in classes.csv has this sourcedId.")
                    )
                continue
            if user_sid not in self.people:
                if user_sid in self.ignored_people:
                    self.roster.ignored_rows.append(
                        RowError(
                            "enrollments.csv", number, "userSourcedId", _("This person is not a student or teacher.")
                        )
                    )
                elif user_sid not in self.failed_people:
                    self.error(
                        "enrollments.csv", number, "userSourcedId", _("No user in users.csv has this sourcedId.")
                    )
                continue
            user_role, username, _row = self.people[user_sid]
            if user_role != role:
                self.error(
                    "enrollments.csv",
                    number,
                    "role",
                    _("users.csv says this person is %(role)s.") % {"role": self.ROLES[user_role]},
                )
                continue
            if (class_sid, user_sid) in seen:
                self.roster.ignored_rows.append(
                    RowError(
                        "enrollments.csv", number, "", _("Repeats row %(row)s.") % {"row": seen[class_sid, user_sid]}
                    )
                )
                continue
            seen[class_sid, user_sid] = number
            classroom = self.classes[class_sid]
            if role == "teacher":
                self.roster.teacher_links.append(TeacherLink("enrollments.csv", number, username, classroom.name))
                continue
            student = self.students[user_sid]
            student.classrooms.append(classroom.name)
            if student.grade is not None:
                self.class_grades[class_sid][student.grade] += 1

    def finish(self) -> Roster:
        for sid, entry in self.classes.items():
            if entry.grade is None and self.class_grades[sid]:
                entry.grade = most_common(self.class_grades[sid])
        self.roster.students = list(self.students.values())
        self.roster.classrooms = list(self.classes.values())
        self.roster.errors.sort(key=lambda e: (ONEROSTER_FILES.index(e.file), e.row))
        return self.roster
