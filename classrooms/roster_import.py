"""Reading a roster file into plain data: which format it is, which columns count, what is wrong.

Pure: bytes in, a ``Roster`` out, no database. Each row is validated by a row form from
``roster_forms``; this module decodes, finds the columns, and checks what spans several rows (a
username given twice with different names, an enrollment in a class the file does not have).
What the school already holds is compared later, in ``roster_services``.

Two formats: a OneRoster 1.1 set (a .zip holding users.csv, classes.csv and enrollments.csv) and
a simple CSV with one row per student in a classroom. Cells are text and stay text: nothing here
evaluates a cell, so ``=cmd|...`` is a (strange) name, escaped like any other on the page.
"""

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import astuple, dataclass, field
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from classrooms.roster_forms import (
    MAX_UPLOAD_BYTES,
    SimpleRowForm,
)

MAX_ROWS = 20_000
SIMPLE = "simple"
ONEROSTER = "oneroster"
ONEROSTER_FILES = ("users.csv", "classes.csv", "enrollments.csv")

# Normalised header (case, spaces, dashes and underscores removed) -> field of the simple row form.
SIMPLE_COLUMNS = {
    "name": {"name", "studentname", "student", "fullname"},
    "first_name": {"firstname", "first", "givenname"},
    "last_name": {"lastname", "last", "familyname", "surname"},
    "username": {"username", "login", "userid"},
    "email": {"email", "emailaddress", "mail"},
    "grade": {"grade", "gradelevel", "grades"},
    "classroom": {"classroom", "class", "classname", "classroomname", "homeroom", "room"},
}
ONEROSTER_COLUMNS = {
    "users.csv": {
        f.casefold(): f for f in ("sourcedId", "role", "username", "givenName", "familyName", "email", "grades")
    },
    "classes.csv": {f.casefold(): f for f in ("sourcedId", "title", "grades")},
    "enrollments.csv": {f.casefold(): f for f in ("classSourcedId", "userSourcedId", "role")},
}
_SEPARATORS = re.compile(r"[\s_\-]+")


class RosterFileRefused(Exception):
    """The file as a whole cannot be imported; the message says why and what to do instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    """Something wrong in one cell or row. ``row`` counts as a spreadsheet does: the header is row 1."""

    file: str
    row: int
    column: str
    message: str


@dataclass
class StudentEntry:
    file: str
    row: int
    username: str
    first_name: str
    last_name: str
    email: str
    grade: int | None  # None: the file does not say (OneRoster's grades is optional)
    classrooms: list[str] = field(default_factory=list)


@dataclass
class ClassroomEntry:
    file: str
    row: int
    name: str
    grade: int | None  # None: the file does not say; needed only if the classroom must be created


@dataclass
class TeacherLink:
    file: str
    row: int
    username: str
    classroom: str


@dataclass
class Roster:
    """What a file says, already checked row by row; ``errors`` empty means it may be staged."""

    format: str
    encodings: dict[str, str] = field(default_factory=dict)  # file -> "utf-8", "cp1252" or "utf-16"
    rows: int = 0
    students: list[StudentEntry] = field(default_factory=list)
    classrooms: list[ClassroomEntry] = field(default_factory=list)
    teacher_links: list[TeacherLink] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_rows: list[RowError] = field(default_factory=list)  # rows read and skipped on purpose, with why
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    ignored_files: list[str] = field(default_factory=list)

    @property
    def not_utf8(self) -> dict[str, str]:
        return {name: enc for name, enc in self.encodings.items() if enc != "utf-8"}

    def to_data(self) -> dict:
        """Plain lists and strings for the session (JSON): each entry as a list, without its field names."""
        data = {
            name: getattr(self, name) for name in ("format", "encodings", "rows", "ignored_columns", "ignored_files")
        }
        for name in ("students", "classrooms", "teacher_links", "errors", "ignored_rows"):
            data[name] = [astuple(item) for item in getattr(self, name)]
        return data

    @classmethod
    def from_data(cls, data: dict) -> "Roster":
        return cls(
            format=data["format"],
            encodings=data["encodings"],
            rows=data["rows"],
            students=[StudentEntry(*values) for values in data["students"]],
            classrooms=[ClassroomEntry(*values) for values in data["classrooms"]],
            teacher_links=[TeacherLink(*values) for values in data["teacher_links"]],
            errors=[RowError(*values) for values in data["errors"]],
            ignored_rows=[RowError(*values) for values in data["ignored_rows"]],
            ignored_columns=data["ignored_columns"],
            ignored_files=data["ignored_files"],
        )


def name_key(text: str) -> str:
    """How classroom names are matched: ignoring case and repeated spaces."""
    return " ".join(text.split()).casefold()


def username_key(username: str) -> str:
    """How usernames are matched: ignoring case, as sign-in and the table's unique index do."""
    return username.strip().lower()


# --- Bytes to text to rows ---------------------------------------------------------------------


def decode(data: bytes, filename: str) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark), UTF-16 with one, else Windows' cp1252 (said in the preview)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            # A UTF-8 byte-order mark on a file that is not UTF-8 after all reads as "ï»¿" here.
            return data.decode("cp1252").removeprefix("\u00ef\u00bb\u00bf"), "cp1252"
        except UnicodeDecodeError:
            pass
    raise RosterFileRefused(
        _(
            "%(file)s is not in a text encoding Heard can read (UTF-8 or Windows-1252). "
            "Save it again as “CSV UTF-8” and upload that."
        )
        % {"file": filename}
    )


def _normalise_header(text: str) -> str:
    return _SEPARATORS.sub("", text.replace("\ufeff", "").casefold())


def _read_table(text: str, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (with their spreadsheet row number) of one CSV text."""
    if "\x00" in text[:4096]:
        raise RosterFileRefused(
            _("%(file)s looks like a spreadsheet or other binary file, not CSV. Save it as CSV and upload that.")
            % {"file": filename}
        )
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to European locales write ";" between cells; "Unicode text" uses tabs.
    delimiter = max(",;\t", key=first_line.count) if any(d in first_line for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise RosterFileRefused(_("%(file)s is empty: the first row should name the columns.") % {"file": filename})
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise RosterFileRefused(
                    _("%(file)s has more than %(max)s rows. Split it (by grade or classroom) and import each part.")
                    % {"file": filename, "max": f"{MAX_ROWS:,}"}
                )
            rows.append((number, cells))
    except csv.Error as error:
        raise RosterFileRefused(
            _(
                "%(file)s could not be read as CSV near row %(row)s (%(error)s). Check its quotes, or save it again as CSV."
            )
            % {"file": filename, "row": reader.line_num, "error": error}
        ) from error
    return [cell.strip() for cell in header], rows


def _columns(header: list[str], wanted: dict[str, set[str]], filename: str) -> tuple[dict[str, int], list[str]]:
    """Map each wanted field to its column index; everything else is ignored (and listed)."""
    found, ignored = {}, []
    for index, title in enumerate(header):
        key = _normalise_header(title)
        names = [name for name, aliases in wanted.items() if key in aliases]
        if not names:
            if title:
                ignored.append(title)
            continue
        if names[0] in found:
            raise RosterFileRefused(
                _("%(file)s has the column “%(column)s” twice; keep one and upload again.")
                % {"file": filename, "column": title}
            )
        found[names[0]] = index
    return found, ignored


def _row_data(cells: list[str], columns: dict[str, int]) -> dict[str, str]:
    return {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}


def _form_errors(form, filename: str, row: int, header: list[str], columns: dict[str, int]) -> list[RowError]:
    errors = []
    for name, messages in form.errors.items():
        column = header[columns[name]] if name in columns else ("" if name == "__all__" else name)
        errors.extend(RowError(filename, row, column, str(message)) for message in messages)
    return errors


# --- The two formats ----------------------------------------------------------------------------


def read_roster(filename: str, data: bytes) -> Roster:
    """Read an uploaded file: a OneRoster .zip or a simple CSV. Raises ``RosterFileRefused``."""
    filename = PurePosixPath(filename.replace("\\", "/")).name or "roster.csv"
    if len(data) > MAX_UPLOAD_BYTES:
        raise RosterFileRefused(_("This file is larger than 10 MB. Split it and import each part."))
    if data.startswith(b"PK\x03\x04") or filename.casefold().endswith(".zip"):
        from classrooms.oneroster import read_oneroster_zip  # here, not at the top: it builds on this module

        return read_oneroster_zip(filename, data)
    text, encoding = decode(data, filename)
    header, rows = _read_table(text, filename)
    keys = {_normalise_header(h) for h in header}
    if "sourcedid" in keys:
        raise RosterFileRefused(
            _(
                "%(file)s looks like one file of a OneRoster export. Upload the whole export as one .zip "
                "holding users.csv, classes.csv and enrollments.csv."
            )
            % {"file": filename}
        )
    return _read_simple(filename, encoding, header, rows)


def _simple_missing(present: set[str]) -> list[str]:
    missing = []
    if not present & {"name", "first_name"}:
        missing.append(_("student name (or first_name and last_name)"))
    if not present & {"username", "email"}:
        missing.append(_("username (or email)"))
    missing += [column for column in ("grade", "classroom") if column not in present]
    return missing


def _most_common(grades: Counter) -> int:
    """A new classroom takes its students' most common grade (the lower one on a tie)."""
    return min(grades.items(), key=lambda item: (-item[1], item[0]))[0]


def _read_simple(filename: str, encoding: str, header: list[str], rows) -> Roster:
    columns, ignored = _columns(header, SIMPLE_COLUMNS, filename)
    missing = _simple_missing(set(columns))
    if len(missing) == 4:
        raise RosterFileRefused(
            _(
                "Heard does not recognise this file. Upload a CSV whose first row names the columns "
                "student name (or first_name, last_name), username (or email), grade and classroom, "
                "or a OneRoster .zip holding users.csv, classes.csv and enrollments.csv."
            )
        )
    if missing:
        raise RosterFileRefused(
            _("%(file)s has no column for: %(missing)s. The first row must name the columns.")
            % {"file": filename, "missing": "; ".join(missing)}
        )
    roster = Roster(format=SIMPLE, encodings={filename: encoding}, rows=len(rows))
    if ignored:
        roster.ignored_columns[filename] = ignored
    students: dict[str, StudentEntry] = {}
    pairs: dict[tuple[str, str], int] = {}
    classroom_rows: dict[str, ClassroomEntry] = {}
    classroom_grades: dict[str, Counter] = {}
    username_column = header[columns.get("username", columns.get("email"))]
    for number, cells in rows:
        form = SimpleRowForm(_row_data(cells, columns))
        if not form.is_valid():
            roster.errors += _form_errors(form, filename, number, header, columns)
            continue
        row = form.cleaned_data
        user_key, class_key = username_key(row["username"]), name_key(row["classroom"])
        details = (row["first_name"], row["last_name"], row["grade"], row["email"].casefold())
        entry = students.get(user_key)
        if entry is not None and (entry.first_name, entry.last_name, entry.grade, entry.email.casefold()) != details:
            roster.errors.append(
                RowError(filename, number, username_column,
                         _("Row %(row)s has this username with a different name, grade or e-mail.") % {"row": entry.row})
            )  # fmt: skip
            continue
        if (user_key, class_key) in pairs:
            roster.ignored_rows.append(
                RowError(filename, number, "", _("Repeats row %(row)s.") % {"row": pairs[user_key, class_key]})
            )
            continue
        pairs[user_key, class_key] = number
        if class_key not in classroom_rows:
            classroom_rows[class_key] = ClassroomEntry(filename, number, row["classroom"], None)
            classroom_grades[class_key] = Counter()
        classroom_grades[class_key][row["grade"]] += 1
        if entry is None:
            entry = students[user_key] = StudentEntry(
                filename, number, row["username"], row["first_name"], row["last_name"], row["email"], row["grade"]
            )
        entry.classrooms.append(classroom_rows[class_key].name)
    for class_key, entry in classroom_rows.items():
        entry.grade = _most_common(classroom_grades[class_key])
    roster.students = list(students.values())
    roster.classrooms = list(classroom_rows.values())
    return roster
