"""Reads of assignments and submissions, scoped to the signed-in user, each a fixed number of queries.

"Late" and "missing" are not stored: they follow from the due date, the moment of turning in and the
clock, so they are computed by the database each time (``with_flags``) and a due date moved by the
teacher changes them at once.

* late: turned in (or returned) after the due date;
* missing: the due date has passed and the work is neither turned in, returned nor excused.
"""

from datetime import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from curriculum.models import Activity, Assignment, Lesson, Submission, SubmissionEvent
from curriculum.permissions import assignment_manage_scope, assignment_scope, lesson_scope, submission_scope

State = Submission.State
OPEN_STATES = (State.ASSIGNED, State.IN_PROGRESS)
HANDED_STATES = (State.TURNED_IN, State.RETURNED)


def with_flags(submissions: QuerySet[Submission], *, now: datetime | None = None) -> QuerySet[Submission]:
    """``submissions`` annotated with ``is_late`` and ``is_missing`` (see the module's docstring)."""
    late = Q(state__in=HANDED_STATES, turned_in_at__gt=F("assignment__due_at"))
    missing = Q(state__in=OPEN_STATES, assignment__due_at__lt=now or timezone.now())
    return submissions.annotate(
        is_late=ExpressionWrapper(late, output_field=BooleanField()),
        is_missing=ExpressionWrapper(missing, output_field=BooleanField()),
    )


# --- Assignments -----------------------------------------------------------------------------------------


def assignments_for(user) -> QuerySet[Assignment]:
    return Assignment.objects.filter(assignment_scope(user)).select_related("classroom__school", "session")


def assignments_managed_by(user) -> QuerySet[Assignment]:
    return Assignment.objects.filter(assignment_manage_scope(user)).select_related("classroom__school", "session")


def _counted(assignments: QuerySet[Assignment], now: datetime) -> QuerySet[Assignment]:
    def count(condition: Q) -> Count:
        return Count("submissions", filter=condition, distinct=True)

    return assignments.annotate(
        submission_count=count(Q()),
        open_count=count(Q(submissions__state__in=OPEN_STATES)),
        turned_in_count=count(Q(submissions__state=State.TURNED_IN)),
        returned_count=count(Q(submissions__state=State.RETURNED)),
        excused_count=count(Q(submissions__state=State.EXCUSED)),
        late_count=count(Q(submissions__state__in=HANDED_STATES, submissions__turned_in_at__gt=F("due_at"))),
        missing_count=count(Q(submissions__state__in=OPEN_STATES, due_at__lt=now)),
    )


def classroom_assignments(classroom: Classroom, *, now: datetime | None = None) -> QuerySet[Assignment]:
    """The assignments of a classroom already scoped, newest first, with how many are at each state."""
    return _counted(Assignment.objects.filter(classroom=classroom), now or timezone.now()).order_by("-created_at", "-pk")


def assignments_to_review_for(user, *, limit: int = 8) -> list[Assignment]:
    """A teacher's assignments with work turned in and not yet returned, the longest waiting first, with how many
    are turned in and how many missing, and only the columns the home page shows of them (one join on the
    submissions, so no count needs DISTINCT)."""
    if user.role != User.Role.TEACHER:
        return []
    now = timezone.now()
    return list(
        Assignment.objects.filter(assignment_manage_scope(user))
        .annotate(
            turned_in_count=Count("submissions", filter=Q(submissions__state=State.TURNED_IN)),
            missing_count=Count("submissions", filter=Q(submissions__state__in=OPEN_STATES, due_at__lt=now)),
        )
        .filter(turned_in_count__gt=0)
        .select_related("classroom")
        .only("title", "classroom__name")
        .order_by("due_at", "created_at", "pk")[:limit]
    )


def library_activities_for(user) -> QuerySet[Activity]:
    """Activities of the lessons ``user`` may open in the library, with their lesson."""
    return Activity.objects.filter(lesson__in=Lesson.objects.filter(lesson_scope(user)).values("pk")).select_related("lesson")


# --- Submissions -----------------------------------------------------------------------------------------


def submissions_for(user) -> QuerySet[Submission]:
    """Submissions ``user`` may open (their own, or their class's), with what every page shows of them."""
    return with_flags(
        Submission.objects.filter(submission_scope(user)).select_related("assignment__classroom__school", "assignment__session", "student")
    )


TODO, DONE, RETURNED = "todo", "done", "returned"
TABS = (TODO, DONE, RETURNED)
_TAB_STATES = {TODO: OPEN_STATES, DONE: (State.TURNED_IN, State.EXCUSED), RETURNED: (State.RETURNED,)}


def my_work(user, *, tab: str) -> QuerySet[Submission]:
    """A student's own work on one tab: "To do" (soonest due first, undated last), "Done", "Returned"."""
    if user.role != User.Role.STUDENT:
        return Submission.objects.none()
    work = submissions_for(user).filter(student_id=user.pk, state__in=_TAB_STATES[tab])
    if tab == TODO:
        return work.order_by(F("assignment__due_at").asc(nulls_last=True), "assignment__created_at", "pk")
    if tab == RETURNED:
        return work.order_by("-returned_at", "-pk")
    return work.order_by(F("turned_in_at").desc(nulls_last=True), "-updated_at", "-pk")


# What a work card of the student's home page shows: the state and flags, the assignment's title and due date.
_CARD_COLUMNS = ("state", "assignment__title", "assignment__title_es", "assignment__due_at")


def my_work_cards(user, *, tab: str) -> QuerySet[Submission]:
    """``my_work``'s submissions with only what their cards on the home page show."""
    return my_work(user, tab=tab).select_related(None).select_related("assignment").only(*_CARD_COLUMNS)


def my_work_counts(user) -> dict[str, int]:
    """How many of a student's own submissions are on each tab (one query)."""
    if user.role != User.Role.STUDENT:
        return dict.fromkeys(TABS, 0)
    mine = Submission.objects.filter(submission_scope(user), student_id=user.pk)
    counts = mine.aggregate(**{tab: Count("pk", filter=Q(state__in=states)) for tab, states in _TAB_STATES.items()})
    return {tab: counts[tab] or 0 for tab in TABS}


def submission_events(submission: Submission) -> list[SubmissionEvent]:
    """The submission's history, oldest first, with who made each change."""
    return list(submission.events.select_related("actor").order_by("at", "pk"))


def assignment_submissions(assignment: Assignment) -> QuerySet[Submission]:
    """Every submission of one assignment already scoped, by the student's name."""
    return with_flags(
        Submission.objects.filter(assignment=assignment)
        .select_related("student", "assignment")
        .order_by("student__last_name", "student__first_name", "student__username", "pk")
    )


def classroom_grid(classroom: Classroom, *, now: datetime | None = None) -> dict:
    """The teacher's grid of one classroom: its current students (rows) by its assignments (columns).

    Three queries whatever the size: the assignments, the roster, and every submission of those
    assignments (with only the columns a cell shows). A cell is None where a student was not given
    the assignment (chosen students, or joined later).
    """
    now = now or timezone.now()
    assignments = list(classroom_assignments(classroom, now=now))
    roster = list(
        Enrollment.objects.active().filter(classroom=classroom).select_related("student")
        .order_by("student__last_name", "student__first_name", "student__username")
    )
    cells = {
        (row["student_id"], row["assignment_id"]): row
        for row in with_flags(Submission.objects.filter(assignment__classroom=classroom), now=now).values(
            "pk", "student_id", "assignment_id", "state", "is_late", "is_missing", "rubric_points", "rubric_max",
            "accuracy_points", "accuracy_max",
        )
    }
    rows = [
        {"student": e.student, "cells": [cells.get((e.student_id, a.pk)) for a in assignments]}
        for e in roster
    ]
    return {"assignments": assignments, "rows": rows}


def activities_completed(classroom_ids, since: datetime | None, until: datetime | None) -> dict[int, int]:
    """Submissions turned in (or turned in and returned) in each of ``classroom_ids`` (already scoped by the
    caller), last turned in during the period: the practice beside the surveys' change (registered in
    ``classrooms.measures``). One query."""
    done = Submission.objects.filter(assignment__classroom_id__in=classroom_ids, state__in=HANDED_STATES)
    if since is not None:
        done = done.filter(turned_in_at__gte=since)
    if until is not None:
        done = done.filter(turned_in_at__lt=until)
    rows = done.order_by().values("assignment__classroom_id").annotate(n=Count("pk"))
    return dict(rows.values_list("assignment__classroom_id", "n"))
