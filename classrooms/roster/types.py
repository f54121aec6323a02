"""The plain data a roster import passes along: what a file says (``Roster``), what is wrong with it
(``RowError``), and what confirming it would do (``RosterPlan``). No database, no reading."""

import hashlib
import json
from dataclasses import astuple, dataclass, field

from accounts.models import Grade
from classrooms.school_years import school_year_label

SIMPLE = "simple"
ONEROSTER = "oneroster"


class RosterFileRefused(Exception):
    """The file as a whole cannot be imported; the message says why and what to do instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    """Something wrong in one cell or row. ``row`` counts as a spreadsheet does: the header is row 1.

    ``subject`` names who or what the row is about ("Ana Ruiz (ana.ruiz, u-1042)"), so a message
    can be acted on without opening the file at that row."""

    file: str
    row: int
    column: str
    message: str
    subject: str = ""


@dataclass
class StudentEntry:
    file: str
    row: int
    username: str
    first_name: str
    last_name: str
    email: str
    grade: int | None  # None: the file does not say (OneRoster's grades is optional)
    classrooms: list[str] = field(default_factory=list)  # classroom keys (see ``ClassroomEntry.key``)
    sourced_id: str = ""
    orgs: list[str] = field(default_factory=list)  # OneRoster orgSourcedIds; empty: the file names no school

    @property
    def subject(self) -> str:
        return person_label(f"{self.first_name} {self.last_name}", self.username, self.sourced_id)


@dataclass
class ClassroomEntry:
    file: str
    row: int
    name: str  # the name Heard proposes: the title, with its section when several classes share it
    grade: int | None  # None: the file does not say; needed only if the classroom must be created
    key: str = ""  # what enrollments point at: "sourcedId:<id>" (OneRoster) or "name:<name key>" (simple CSV)
    sourced_id: str = ""
    title: str = ""  # as the export writes it
    org: str = ""  # OneRoster schoolSourcedId
    section: str = ""  # class code, period or location, to tell sections sharing a title apart

    def __post_init__(self):
        if not self.key:
            self.key = classroom_key(name=self.name)
        if not self.title:
            self.title = self.name

    @property
    def subject(self) -> str:
        return class_label(self.title, self.section, self.sourced_id)


@dataclass
class TeacherLink:
    file: str
    row: int
    username: str
    classroom: str  # a classroom key
    subject: str = ""  # the teacher as the file names them


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
    # OneRoster only. Problems that do not stop the import, said in the preview:
    warnings: list[RowError] = field(default_factory=list)
    # Rows left out because their status is tobedeleted (file, row, sourcedId, label, username): Heard flags any it holds.
    deleted: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    # School orgs of orgs.csv and the ones the files point at: (sourcedId, name; "" when orgs.csv lacks it).
    schools: list[tuple[str, str]] = field(default_factory=list)
    # Per file, rows by role, type or status, to compare with the source system's own counts.
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def not_utf8(self) -> dict[str, str]:
        return {name: enc for name, enc in self.encodings.items() if enc != "utf-8"}

    def to_data(self) -> dict:
        """Plain lists and strings for the session (JSON): each entry as a list, without its field names."""
        data = {
            name: getattr(self, name)
            for name in ("format", "encodings", "rows", "ignored_columns", "ignored_files", "deleted", "schools", "counts")
        }
        for name in ("students", "classrooms", "teacher_links", "errors", "ignored_rows", "warnings"):
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
            warnings=[RowError(*values) for values in data["warnings"]],
            deleted=[tuple(values) for values in data["deleted"]],
            schools=[tuple(values) for values in data["schools"]],
            counts=data["counts"],
        )


def name_key(text: str) -> str:
    """How classroom names are matched: ignoring case and repeated spaces."""
    return " ".join(text.split()).casefold()


def classroom_key(*, name: str = "", sourced_id: str = "") -> str:
    """What a student's or teacher's row points at: the class's sourcedId when the file has one, else its name."""
    return f"sourcedId:{sourced_id}" if sourced_id else f"name:{name_key(name)}"


def person_label(name: str, username: str = "", sourced_id: str = "") -> str:
    """ "Ana Ruiz (ana.ruiz, u-1042)": how a message names a person."""
    ids = ", ".join(part for part in (username, sourced_id) if part)
    name = " ".join(name.split())
    return f"{name} ({ids})" if name and ids else name or ids


def class_label(title: str, section: str = "", sourced_id: str = "") -> str:
    """ "Math 3 · M3-A (c-31)": how a message names a class."""
    title = f"{title} · {section}" if section else title
    return f"{title} ({sourced_id})" if sourced_id else title


def username_key(username: str) -> str:
    """How usernames are matched: ignoring case, as sign-in and the table's unique index do."""
    return username.strip().lower()


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
    join_keys: list[str] = field(default_factory=list)

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
    name: str  # as Heard will call it: the existing classroom's name, or the (renamed) proposal
    grade: int | None
    classroom_id: int | None = None
    key: str = ""
    sourced_id: str = ""
    title: str = ""  # as the export writes it
    section: str = ""
    index: int = -1  # in ``Roster.classrooms``: names the rename field of a new classroom
    rename_error: str = ""

    @property
    def subject(self) -> str:
        return class_label(self.title or self.name, self.section, self.sourced_id)

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
    classroom: str  # the classroom's name in Heard
    key: str = ""


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
    warnings: list[RowError] = field(default_factory=list)
    # OneRoster: the export's org that is this school ("" when the export names none), and the rows
    # of other schools, listed and not written.
    school_org: str = ""
    other_school: list[RowError] = field(default_factory=list)
    # Rows the export marks tobedeleted that match something Heard holds (not deleted here: said).
    flagged: list[RowError] = field(default_factory=list)
    # Students the file lists in no classroom of this school: not created, not touched.
    enrolled_nowhere: list[RowError] = field(default_factory=list)
    # Existing classrooms matched by name that take the export's sourcedId: (classroom id, sourcedId).
    adopt: list[tuple[int, str]] = field(default_factory=list)
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
        return school_year_label(self.school_year)

    @property
    def digest(self) -> str:
        """A fingerprint of every change, so a confirmation can tell whether the school moved on since the preview."""
        changes = {
            "year": self.school_year,
            "new": sorted((username_key(s.username), s.first_name, s.last_name, s.email, s.grade, sorted(s.join_keys)) for s in self.new_students),
            "updated": sorted((s.user_id, s.first_name, s.last_name, s.email, s.grade, sorted(s.join_keys), sorted(s.leaves)) for s in self.updated_students),
            # Keys, not names: renaming a new classroom on the preview is the admin's choice, not a change of the school.
            "classrooms": sorted((c.key, c.sourced_id, c.grade) for c in self.new_classrooms),
            "links": sorted((link.teacher_id, link.key) for link in self.new_links),
            "adopt": sorted(self.adopt),
            "enroll": sorted(self.enroll),
            "reopen": sorted(self.reopen),
            "end": sorted(self.end),
            # A name typed on the preview that is refused is the admin's to fix, not a change of the school.
            "errors": len(self.errors) - sum(1 for c in self.new_classrooms if c.rename_error),
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
