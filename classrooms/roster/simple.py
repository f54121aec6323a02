"""Reading the simple roster CSV: one row per student in a classroom, with columns Heard recognises by name."""

from collections import Counter

from django.utils.translation import gettext as _

from classrooms.roster.forms import SimpleRowForm
from classrooms.roster.tables import find_columns, form_errors, most_common, row_data
from classrooms.roster.types import (
    SIMPLE,
    ClassroomEntry,
    Roster,
    RosterFileRefused,
    RowError,
    StudentEntry,
    name_key,
    username_key,
)

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


def _simple_missing(present: set[str]) -> list[str]:
    missing = []
    if not present & {"name", "first_name"}:
        missing.append(_("student name (or first_name and last_name)"))
    if not present & {"username", "email"}:
        missing.append(_("username (or email)"))
    missing += [column for column in ("grade", "classroom") if column not in present]
    return missing


def read_simple(filename: str, encoding: str, header: list[str], rows) -> Roster:
    columns, ignored = find_columns(header, SIMPLE_COLUMNS, filename)
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
        form = SimpleRowForm(row_data(cells, columns))
        if not form.is_valid():
            roster.errors += form_errors(form, filename, number, header, columns)
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
        entry.classrooms.append(classroom_rows[class_key].key)
    for class_key, entry in classroom_rows.items():
        entry.grade = most_common(classroom_grades[class_key])
    roster.students = list(students.values())
    roster.classrooms = list(classroom_rows.values())
    return roster
