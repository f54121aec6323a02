"""Reads of survey cycles and windows, scoped to the signed-in user, and their response rates.

**A response rate counts the students enrolled now.** A window is given to classrooms; its rate for a
classroom is the share of the classroom's current students (an active enrollment, an active account) who
have handed in every form the window has for them (the self-report and the peer nomination of their grade).
A student who left the class counts in neither the numerator nor the denominator, and a response given
through a classroom that is no longer in the window counts nowhere (Moodle's questionnaire counts
everyone who ever answered against whoever is enrolled, and reports rates above 100 %). An anonymous
window keeps no response linked to a student: its rate counts the students' finished participations.

The rates of any number of windows and classrooms are one query: the enrollments of the windows'
classrooms, each with how many of its student's forms are begun and handed in (correlated subqueries),
grouped by window, classroom and those counts; the forms each grade needs are known from the windows'
instruments, already fetched.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import classroom_manage_scope, classroom_scope
from classrooms.school_years import current_school_year
from surveys.models import AnonymousParticipation, Instrument, Respondent, Response, SurveyCycle, SurveyWindow
from surveys.permissions import (
    STUDENT_ANSWERED,
    can_open_windows,
    cycle_manage_scope,
    cycle_scope,
    instrument_scope,
    window_manage_scope,
)

OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"


def window_status(window: SurveyWindow, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if now < window.opens_at:
        return UPCOMING
    return OPEN if now < window.closes_at else CLOSED


def forms_needed(window: SurveyWindow, grade: int) -> int:
    """How many forms a student of ``grade`` answers in ``window`` (from its prefetched instruments)."""
    return sum(1 for i in window.instruments.all() if i.respondent in STUDENT_ANSWERED and i.covers(grade))


def has_teacher_form(window: SurveyWindow, grade: int) -> bool:
    return any(i.respondent == Respondent.TEACHER and i.covers(grade) for i in window.instruments.all())


# --- Cycles and windows ----------------------------------------------------------------------------------


def _windows_prefetch(classrooms: QuerySet[Classroom]) -> Prefetch:
    return Prefetch(
        "windows",
        queryset=SurveyWindow.objects.order_by("-phase").prefetch_related(  # "pre" after "post": pre first
            Prefetch("instruments", queryset=Instrument.objects.order_by("respondent", "grade_min", "pk")),
            Prefetch("classrooms", queryset=classrooms.order_by("grade", "name"), to_attr="shown_classrooms"),
        ),
    )


def rate_classrooms(user) -> QuerySet[Classroom]:
    """The classrooms whose rates ``user`` reads: a teacher's own (never a colleague's), an admin's school's or district's."""
    if user.role == User.Role.TEACHER:
        return Classroom.objects.filter(classroom_manage_scope(user))
    if user.role in (User.Role.SCHOOL_ADMIN, User.Role.DISTRICT_ADMIN):
        return Classroom.objects.filter(classroom_scope(user))
    return Classroom.objects.none()


def cycles_for(user) -> QuerySet[SurveyCycle]:
    """``user``'s cycles, newest first, each with its windows, their forms and the classrooms ``user`` reads."""
    return (
        SurveyCycle.objects.filter(cycle_scope(user))
        .select_related("school")
        .prefetch_related(_windows_prefetch(rate_classrooms(user)))
    )


def cycles_managed_by(user) -> QuerySet[SurveyCycle]:
    return SurveyCycle.objects.filter(cycle_manage_scope(user)).select_related("school")


def windows_managed_by(user) -> QuerySet[SurveyWindow]:
    return SurveyWindow.objects.filter(window_manage_scope(user)).select_related("cycle__school")


def cycle_may_become_anonymous(cycle: SurveyCycle) -> bool:
    """Whether the edit page offers making ``cycle`` anonymous: where services.cycle_privacy_set would agree
    (confidential, nobody has answered, self-reports only)."""
    if cycle.anonymous or Response.objects.filter(window__cycle=cycle).exists():
        return False
    return not Instrument.objects.filter(windows__cycle=cycle).exclude(respondent=Respondent.STUDENT).exists()


def school_year_now(school) -> int:
    return current_school_year(timezone.localdate(timezone=school.zone))


def classrooms_for_windows(user) -> QuerySet[Classroom]:
    """The classrooms ``user`` may give a window: those they manage in their school, this school year."""
    if not can_open_windows(user):
        return Classroom.objects.none()
    return Classroom.objects.filter(
        classroom_manage_scope(user), school_id=user.school_id, school_year=school_year_now(user.school)
    ).order_by("grade", "name")


def instruments_for_windows(user) -> QuerySet[Instrument]:
    """The forms ``user`` may give a window: the shipped ones and their school's own."""
    if not can_open_windows(user):
        return Instrument.objects.none()
    return Instrument.objects.filter(instrument_scope(user)).order_by("respondent", "grade_min", "slug")


# --- Progress and response rates ---------------------------------------------------------------------------


def _count(queryset) -> Coalesce:
    """A correlated COUNT(*) of ``queryset`` (no GROUP BY: one row, or 0)."""
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def window_progress(window_ids) -> QuerySet[Enrollment]:
    """One row per (window, current enrollment in one of its classrooms), annotated with ``window_id``,
    ``begun`` and ``done`` (the student's forms of the classroom's grade begun and handed in: responses of a
    confidential window, participations of an anonymous one) and ``rated`` (teacher reports handed in about
    the student)."""
    window, student, grade = OuterRef("window_id"), OuterRef("student_id"), OuterRef("classroom__grade")
    # Given through a classroom still in the window, to a form of the student's grade now.
    in_grade = {
        "classroom__survey_windows": window,
        "instrument__grade_min__lte": grade,
        "instrument__grade_max__gte": grade,
    }
    responses = Response.objects.filter(window_id=window, respondent_id=student, **in_grade)
    participations = AnonymousParticipation.objects.filter(window_id=window, student_id=student, **in_grade)
    rated = Response.objects.filter(
        window_id=window,
        subject_id=student,
        instrument__respondent=Respondent.TEACHER,
        submitted_at__isnull=False,
        **in_grade,
    )
    return (
        Enrollment.objects.active()
        .filter(classroom__survey_windows__in=list(window_ids), student__is_active=True)
        .annotate(window_id=F("classroom__survey_windows"))
        .annotate(
            begun=_count(responses) + _count(participations),
            done=_count(responses.filter(submitted_at__isnull=False)) + _count(participations.filter(finished=True)),
            rated=_count(rated),
        )
    )


@dataclass
class Rate:
    """A window's figures for one classroom (or, added up, for several)."""

    enrolled: int = 0  # current students
    started: int = 0  # who began at least one of their forms
    submitted: int = 0  # who handed in all of them
    rated: int = 0  # about whom a teacher report is handed in
    teacher_form: bool = False  # the window has a teacher report for this grade (``rated`` means something)
    classroom: Classroom | None = None

    @property
    def percent(self) -> int | None:
        return round(100 * self.submitted / self.enrolled) if self.enrolled else None

    @property
    def rated_percent(self) -> int | None:
        return round(100 * self.rated / self.enrolled) if self.enrolled else None

    def add(self, other: "Rate") -> None:
        self.enrolled += other.enrolled
        self.started += other.started
        self.submitted += other.submitted
        self.rated += other.rated
        self.teacher_form = self.teacher_form or other.teacher_form


def window_rates(windows: list[SurveyWindow], classrooms: QuerySet[Classroom] | None = None) -> dict[int, list[Rate]]:
    """Each window's rate per classroom given to it (of ``classrooms`` only, if given), in one query whatever
    their number. Each window must come with ``instruments`` prefetched and the classrooms to show as
    ``shown_classrooms`` (``cycles_for``), in the order the rates are listed."""
    by_window = {w.pk: w for w in windows}
    rates: dict[int, dict[int, Rate]] = {
        w.pk: {c.pk: Rate(classroom=c, teacher_form=has_teacher_form(w, c.grade)) for c in w.shown_classrooms}
        for w in windows
    }
    if not by_window:
        return {}
    rows = window_progress(by_window)
    if classrooms is not None:
        rows = rows.filter(classroom__in=classrooms.values("pk"))
    rows = (
        rows.values("window_id", "classroom_id", "classroom__grade", "begun", "done", "rated")
        .annotate(students=Count("pk"))
        .order_by()
    )
    for row in rows:
        rate = rates[row["window_id"]].get(row["classroom_id"])
        if rate is None:  # a classroom the caller left out of ``shown_classrooms``
            continue
        n = row["students"]
        needed = forms_needed(by_window[row["window_id"]], row["classroom__grade"])
        rate.enrolled += n
        rate.started += n if row["begun"] else 0
        rate.submitted += n if needed and row["done"] >= needed else 0
        rate.rated += n if row["rated"] else 0
    return {pk: list(per_classroom.values()) for pk, per_classroom in rates.items()}


def total(rates: list[Rate]) -> Rate:
    whole = Rate()
    for rate in rates:
        whole.add(rate)
    return whole
