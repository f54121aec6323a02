"""Reads for the pages where people answer: the surveys open to a student (their home page), one form as the
page shows it (its items in the reader's language, their answers so far), the classmates a nominator may
name, and a teacher's reports to fill in. Each a fixed number of queries, whatever the number of items,
windows or students.

What a student sees of a form is worded for their classroom's grade band (an item's ``band_text``, else its
``text``) and in the page's language, falling back to English where a text has no Spanish.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import classroom_manage_scope, scoped_classroom_pks
from classrooms.selectors import classroom_roster
from surveys.models import (
    AnonymousParticipation,
    Answer,
    Instrument,
    Item,
    Respondent,
    Response,
    SurveyWindow,
)
from surveys.permissions import answer_scope, response_scope, window_scope
from surveys.scoring import PREFER_NOT

# Grade bands of the item wordings: K-2, 3-5, 6-8 (the keys of ``Item.band_text``).
BANDS = ((2, "k2"), (5, "3_5"), (8, "6_8"))
STUDENT_FORMS = (Respondent.STUDENT, Respondent.PEER)
# The faces of a three-point scale, from its first point to its last; a point's own "face" names one of them.
FACES = ("sad", "meh", "happy")
FACE_NAMES = {
    "sad": "sad",
    "frown": "sad",
    "no": "sad",
    "meh": "meh",
    "neutral": "meh",
    "happy": "happy",
    "smile": "happy",
}


def grade_band(grade: int) -> str:
    return next(band for top, band in BANDS if grade <= top)


@dataclass(frozen=True)
class Words:
    """A text in the reader's language, and the language it is really in (English when Spanish is missing)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


def in_language(text: dict | str | None, language: str) -> Words:
    if isinstance(text, str):
        return Words(text, "en")
    text = text or {}
    if language.startswith("es") and text.get("es"):
        return Words(text["es"], "es")
    return Words(text.get("en") or next(iter(text.values()), ""), "en")


def windows_for(user) -> QuerySet[SurveyWindow]:
    return SurveyWindow.objects.filter(window_scope(user)).select_related("cycle__school")


def classrooms_rated_by(user) -> QuerySet[Classroom]:
    """The classrooms whose students ``user`` rates in a teacher report: those they teach (a teacher only)."""
    if user.role != User.Role.TEACHER:
        return Classroom.objects.none()
    return Classroom.objects.filter(classroom_manage_scope(user)).select_related("school")


# --- A student's surveys on their home page ----------------------------------------------------------------


@dataclass
class SurveyCard:
    """One form a student answers in an open window, and how far they are: "start", "continue" or "done"."""

    window: SurveyWindow
    instrument: Instrument
    name: Words
    state: str
    answered: int = 0


def _student_order(instrument: Instrument) -> tuple:
    return (instrument.respondent != Respondent.STUDENT, instrument.grade_min, instrument.slug)


# What a card shows of a window and of a form (the home page's drawing reads no more).
_CARD_WINDOW = ("surveywindow__closes_at", "surveywindow__cycle__school__time_zone")
_CARD_FORM = ("instrument__slug", "instrument__name", "instrument__respondent", "instrument__grade_min", "instrument__grade_max")


def survey_cards_for(user, *, language: str, now: datetime | None = None) -> list[SurveyCard]:
    """The forms of the windows open now that ``user`` (a student) answers, soonest closing first, each with
    whether they have started, are answering or are done. Two queries: the open windows' student forms, each with
    the grade of the classroom its window is answered through (the lowest id of those the student is in now, as
    services.student_classroom chooses); and how far the student is with them."""
    if user.role != User.Role.STUDENT or not user.school_id:
        return []
    now = now or timezone.now()
    through = SurveyWindow.classrooms.through.objects.filter(
        surveywindow_id=OuterRef("surveywindow_id"), classroom_id__in=scoped_classroom_pks(user)
    )
    forms = list(
        SurveyWindow.instruments.through.objects.filter(
            surveywindow__in=windows_for(user).filter(opens_at__lte=now, closes_at__gt=now).values("pk"),
            instrument__respondent__in=STUDENT_FORMS,
        )
        .annotate(grade=Subquery(through.order_by("classroom_id").values("classroom__grade")[:1]))
        .select_related("surveywindow__cycle__school", "instrument")
        .only(*_CARD_WINDOW, *_CARD_FORM)
        .order_by()
    )
    if not forms:
        return []
    ids = {form.surveywindow_id for form in forms}
    # How far the student is with each form: their responses (handed in, answers saved), then as handed in the
    # anonymous forms they finished (no response of theirs is left to read); in one query.
    drafts = (
        Response.objects.filter(response_scope(user), window_id__in=ids)
        .order_by()
        .values("window_id", "instrument_id")
        .annotate(done=Q(submitted_at__isnull=False), answered=Count("answers__item", distinct=True))
        .values_list("window_id", "instrument_id", "done", "answered")
    )
    finished = (
        AnonymousParticipation.objects.filter(student=user, window_id__in=ids, finished=True)
        .order_by()
        .annotate(done=Value(True), answered=Value(0))
        .values_list("window_id", "instrument_id", "done", "answered")
    )
    progress = {}
    for window_id, instrument_id, done, answered in drafts.union(finished, all=True):
        was = progress.get((window_id, instrument_id), (False, 0))
        progress[(window_id, instrument_id)] = (was[0] or done, max(was[1], answered))
    windows: dict[int, SurveyWindow] = {}
    ordered = sorted(forms, key=lambda f: (f.surveywindow.closes_at, f.surveywindow_id, _student_order(f.instrument)))
    cards = []
    for form in ordered:
        window = windows.setdefault(form.surveywindow_id, form.surveywindow)
        instrument = form.instrument
        if form.grade is None or not instrument.covers(form.grade):  # None: not through a classroom of theirs
            continue
        done, answered = progress.get((window.pk, instrument.pk), (False, 0))
        if done:
            state = "done"
        elif answered:
            state = "continue"
        else:
            state = "start"
        cards.append(SurveyCard(window, instrument, in_language(instrument.name, language), state, answered))
    return cards


# --- One form, as the survey page shows it ------------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: Words
    face: str = ""  # "sad", "meh" or "happy" on a face scale
    checked: bool = False


@dataclass
class Classmate:
    pk: int
    name: str
    checked: bool = False


@dataclass
class ItemRow:
    number: int
    key: str
    kind: str
    text: Words
    choices: list[Choice] = field(default_factory=list)
    classmates: list[Classmate] = field(default_factory=list)
    answered: bool = False
    error: str = ""

    @property
    def is_nomination(self) -> bool:
        return self.kind == Item.Kind.NOMINATION

    @property
    def chosen(self) -> int:
        return sum(1 for c in self.classmates if c.checked)


@dataclass
class FormPage:
    window: SurveyWindow
    instrument: Instrument
    classroom: Classroom
    response: Response | None
    name: Words
    rows: list[ItemRow]
    faces: bool

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.answered)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def unanswered(self) -> list[ItemRow]:
        return [row for row in self.rows if not row.answered]


def answering_state(window: SurveyWindow, instrument: Instrument, user) -> tuple[Response | None, bool]:
    """``user``'s response to one form of ``window`` (their draft, or the one they handed in) if they can read
    it, and whether they are done with the form. An anonymous form handed in has no response left to read:
    only the participation row says it is done."""
    response = Response.objects.filter(response_scope(user), window=window, instrument=instrument).first()
    if response is not None:
        return response, response.submitted
    if window.anonymous:
        return None, AnonymousParticipation.objects.filter(
            window=window, instrument=instrument, student=user, finished=True
        ).exists()
    return None, False


def _faces(instrument: Instrument, scale: list[dict]) -> list[str]:
    """The face of each point of ``scale`` on a read-aloud form's three-point scale, else none."""
    named = [FACE_NAMES.get(str(point.get("face", "")).lower(), "") for point in scale]
    if all(named) and named:
        return named
    if instrument.read_aloud and len(scale) == len(FACES):
        return list(FACES)
    return [""] * len(scale)


def classmate_names(ordered_ids: list[int]) -> list[Classmate]:
    """Classmates in the order given, each as a first name and the initial of their last name (the whole last
    name where two would read the same)."""
    people = {
        u.pk: u for u in User.objects.filter(pk__in=ordered_ids).only("pk", "first_name", "last_name", "username")
    }
    short = {}
    for pk, person in people.items():
        first = person.first_name or person.username
        short[pk] = f"{first} {person.last_name[:1]}." if person.last_name else first
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    names = []
    for pk in ordered_ids:
        person = people.get(pk)
        if person is None:
            continue
        name = short[pk]
        if counts[name] > 1:
            name = f"{person.first_name or person.username} {person.last_name}".strip()
        names.append(Classmate(pk, name))
    return names


def form_page(
    window: SurveyWindow,
    instrument: Instrument,
    classroom: Classroom,
    response: Response | None,
    *,
    language: str,
    classmates: list[int] = (),
    posted: dict | None = None,
    errors: dict[str, str] | None = None,
) -> FormPage:
    """One form as its page shows it: each item worded for the classroom's band in ``language``, its scale (or
    the ``classmates``, in the order given), and what is answered: the saved answers, or what was ``posted``
    (kept when the page comes back with ``errors``: {"ratings": {key: raw}, "nominations": {key: [ids]}}).
    Two queries, three with classmates."""
    band = grade_band(classroom.grade)
    items = list(instrument.items.all())
    saved: dict[int, str] = {}
    named: dict[int, set[int]] = {}
    if response is not None:
        for item_id, value, nominee_id in Answer.objects.filter(response=response).values_list(
            "item_id", "value", "nominee_id"
        ):
            if nominee_id is not None:
                named.setdefault(item_id, set()).add(nominee_id)
            else:
                saved[item_id] = PREFER_NOT if value is None else str(value)
    people = classmate_names(list(classmates)) if any(i.kind == Item.Kind.NOMINATION for i in items) else []
    posted = posted or {}
    posted_ratings, posted_named = posted.get("ratings", {}), posted.get("nominations", {})
    errors = errors or {}
    rows = []
    for number, item in enumerate(items, start=1):
        text = in_language(item.band_text.get(band) or item.text, language)
        row = ItemRow(number, item.key, item.kind, text, error=errors.get(item.key, ""))
        if item.kind == Item.Kind.NOMINATION:
            chosen = {str(pk) for pk in posted_named[item.key]} if item.key in posted_named else None
            ticked = named.get(item.pk, set())
            row.classmates = [
                Classmate(c.pk, c.name, str(c.pk) in chosen if chosen is not None else c.pk in ticked) for c in people
            ]
            row.answered = bool(ticked)
        else:
            scale = item.choices
            current = posted_ratings.get(item.key) or saved.get(item.pk)
            faces = _faces(instrument, scale)
            row.choices = [
                Choice(
                    str(point["value"]), in_language(point.get("label"), language), face, str(point["value"]) == current
                )
                for point, face in zip(scale, faces, strict=True)
            ]
            row.choices.append(Choice(PREFER_NOT, Words("", ""), checked=current == PREFER_NOT))
            row.answered = item.pk in saved
        rows.append(row)
    faces = any(choice.face for row in rows for choice in row.choices)
    return FormPage(window, instrument, classroom, response, in_language(instrument.name, language), rows, faces)


@dataclass(frozen=True)
class Left:
    """An item still to answer, as the page points at it."""

    number: int
    key: str


@dataclass
class Progress:
    answered: int
    total: int
    unanswered: list[Left]

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def progress_of(response: Response, instrument: Instrument) -> Progress:
    """How far ``response`` is: answered items (a nomination item: with someone named), and which are left.
    Two queries."""
    keys = list(instrument.items.values_list("pk", "key"))
    done = set(Answer.objects.filter(response=response).values_list("item_id", flat=True).distinct())
    left = [Left(number, key) for number, (pk, key) in enumerate(keys, start=1) if pk not in done]
    return Progress(len(keys) - len(left), len(keys), left)


# --- A teacher's reports -------------------------------------------------------------------------------------


@dataclass
class ReportDue:
    """A classroom a teacher rates in an open window, and how many of its students they have rated so far."""

    window: SurveyWindow
    classroom: Classroom
    instrument_id: int
    students: int
    rated: int
    handed_in: int


# What the teacher's home page shows of a window and a classroom.
_DUE_COLUMNS = (
    "surveywindow__closes_at",
    "surveywindow__cycle__title",
    "surveywindow__cycle__school__time_zone",
    "classroom__name",
    "classroom__grade",
)


def reports_due_for(user, *, now: datetime | None = None) -> list[ReportDue]:
    """The open windows with a teacher report for a classroom ``user`` teaches, soonest closing first. Two
    queries: the windows' links to those classrooms, each with its report form (the window's first teacher form
    for the classroom's grade, as ``SurveyWindow.form_for``) and its students now; and what ``user`` rated."""
    if user.role != User.Role.TEACHER or not user.school_id:
        return []
    now = now or timezone.now()
    forms = SurveyWindow.instruments.through.objects.filter(
        surveywindow_id=OuterRef("surveywindow_id"),
        instrument__respondent=Respondent.TEACHER,
        instrument__grade_min__lte=OuterRef("classroom__grade"),
        instrument__grade_max__gte=OuterRef("classroom__grade"),
    ).order_by("instrument__grade_min", "instrument__slug", "instrument_id")
    students = (
        Enrollment.objects.active()
        .filter(classroom_id=OuterRef("classroom_id"))
        .order_by()
        .values("classroom_id")
        .annotate(n=Count("student_id", distinct=True))
        .values("n")
    )
    links = list(
        SurveyWindow.classrooms.through.objects.filter(
            surveywindow__in=windows_for(user).filter(opens_at__lte=now, closes_at__gt=now).values("pk"),
            classroom_id__in=scoped_classroom_pks(user, manage=True),
        )
        .annotate(
            form_id=Subquery(forms.values("instrument_id")[:1]),
            students=Subquery(students, output_field=IntegerField()),
        )
        .select_related("surveywindow__cycle__school", "classroom")
        .only(*_DUE_COLUMNS)
        .order_by()
    )
    links = [link for link in links if link.form_id is not None]
    if not links:
        return []
    counts = {
        (row["window_id"], row["classroom_id"]): row
        for row in Response.objects.filter(
            response_scope(user),
            window_id__in={link.surveywindow_id for link in links},
            instrument__respondent=Respondent.TEACHER,
        )
        .values("window_id", "classroom_id")
        .annotate(rated=Count("pk"), handed_in=Count("pk", filter=Q(submitted_at__isnull=False)))
    }
    due = []
    for link in links:
        count = counts.get((link.surveywindow_id, link.classroom_id), {})
        due.append(
            ReportDue(
                link.surveywindow,
                link.classroom,
                link.form_id,
                link.students or 0,
                count.get("rated", 0),
                count.get("handed_in", 0),
            )
        )
    due.sort(key=lambda d: (d.window.closes_at, d.window.pk, d.classroom.name, d.classroom.pk))
    return due


@dataclass
class GridCell:
    key: str
    name: str  # the field's name in the form
    text: Words  # the item, which labels the cell
    choices: list[Choice]
    invalid: bool = False

    @property
    def value(self) -> str | None:
        return next((choice.value for choice in self.choices if choice.checked), None)


@dataclass
class GridRow:
    student: User
    cells: list[GridCell]
    state: str  # "new", "rated", "handed_in" or "other" (a co-teacher rates this student)
    rated: int = 0

    @property
    def editable(self) -> bool:
        return self.state in ("new", "rated")


@dataclass
class TeacherGrid:
    items: list[tuple[str, Words]]  # (key, text) of each column
    rows: list[GridRow]

    @property
    def rated(self) -> int:
        return sum(1 for row in self.rows if row.state in ("rated", "handed_in"))

    @property
    def handed_in(self) -> int:
        return sum(1 for row in self.rows if row.state == "handed_in")

    @property
    def editable(self) -> bool:
        return any(row.editable for row in self.rows)


def grid_field(student_pk, item_key: str) -> str:
    """The name of one cell's field in the teacher's grid."""
    return f"r-{student_pk}-{item_key}"


def teacher_grid(
    window: SurveyWindow,
    classroom: Classroom,
    instrument: Instrument,
    teacher,
    *,
    language: str,
    posted: dict[str, str] | None = None,
    invalid: str = "",
) -> TeacherGrid:
    """The teacher's grid for one classroom: its current students (by last name), one column per item of the
    form, each cell the teacher's saved rating (or what was ``posted``: {field name: raw}). A student whom a
    co-teacher has rated shows as theirs, without their ratings. Four queries."""
    items = [i for i in instrument.items.all() if i.kind == Item.Kind.RATING]
    band = grade_band(classroom.grade)
    texts = {item.pk: in_language(item.band_text.get(band) or item.text, language) for item in items}
    students = [e.student for e in classroom_roster(classroom)]
    # Who rated whom (not what): a co-teacher's report only makes the row read-only here.
    reports = {
        r.subject_id: r
        for r in Response.objects.filter(
            window=window, instrument=instrument, subject_id__in=[s.pk for s in students]
        ).only("pk", "subject_id", "respondent_id", "submitted_at")
    }
    mine = [r.pk for r in reports.values() if r.respondent_id == teacher.pk]
    saved = {
        (response_id, item_id): PREFER_NOT if value is None else str(value)
        for response_id, item_id, value in Answer.objects.filter(
            answer_scope(teacher), response_id__in=mine, nominee__isnull=True
        ).values_list("response_id", "item_id", "value")
    }
    posted = posted or {}
    rows = []
    for student in students:
        report = reports.get(student.pk)
        if report is None:
            state = "new"
        elif report.respondent_id != teacher.pk:
            state = "other"
        else:
            state = "handed_in" if report.submitted else "rated"
        cells, rated = [], 0
        for item in items:
            name = grid_field(student.pk, item.key)
            value = saved.get((report.pk, item.pk)) if report is not None and state != "other" else None
            rated += value is not None
            current = posted.get(name, value) if state in ("new", "rated") else value
            choices = [
                Choice(
                    str(point["value"]),
                    in_language(point.get("label"), language),
                    checked=str(point["value"]) == current,
                )
                for point in item.choices
            ]
            choices.append(Choice(PREFER_NOT, Words("", ""), checked=current == PREFER_NOT))
            cells.append(GridCell(item.key, name, texts[item.pk], choices, invalid=name == invalid))
        if state == "rated" and not rated:
            state = "new"
        rows.append(GridRow(student, cells, state, rated))
    return TeacherGrid([(item.key, texts[item.pk]) for item in items], rows)
