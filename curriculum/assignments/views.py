"""Assignments: giving an activity to a class, the student's work (To do, the answer page), the teacher's
grid and review. Thin: fetch through the scoped selectors (another student's or school's object is a
404), call a service, render.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.data_versions import kept_page
from accounts.decorators import login_required_htmx
from accounts.models import User
from classrooms.permissions import can_manage_classroom
from classrooms.program.selectors import classroom_sessions_for
from classrooms.selectors import classroom_roster
from classrooms.views import managed_classroom
from curriculum import content
from curriculum.assignments import selectors, services
from curriculum.assignments.forms import AssignmentForm, ReviewForm
from curriculum.exercises.answers import answer_errors, answer_from_post, default_answer
from curriculum.exercises.scoring import RUBRIC_DEFAULT_LABELS
from curriculum.exercises.selectors import RATING_LEVELS, RATING_QUESTIONS, feelings_key_for, story_exchange_view
from curriculum.exercises.services import has_partners
from curriculum.models import Submission

State = Submission.State
ID_DIGITS_MAX = 18  # an id longer than this is no row's (and SQLite would overflow on it)


def _id(value) -> int | None:
    text = value if isinstance(value, str) else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= ID_DIGITS_MAX else None


def _spanish() -> bool:
    return (get_language() or "").startswith("es")


def text_in_language(text: dict | str | None) -> str:
    """A student-facing ``content.Text`` (as stored: {"en", "es"}) in the page's language (Text's own rule)."""
    return content.Text.model_validate(text).in_language(get_language()) if text else ""


def title_in_language(assignment) -> str:
    return (assignment.title_es if _spanish() else "") or assignment.title


def _service_errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def _add_errors(form, error: ValidationError, fields: dict | None = None) -> None:
    """A service's ValidationError on the form: on the field it names (renamed by ``fields``), else above it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = (fields or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _can_review(user) -> bool:
    return user.role == User.Role.TEACHER


# --- Giving work -----------------------------------------------------------------------------------------


@login_required
def assignment_create(request, classroom_pk):
    """The teacher gives a library activity (``?activity=``, and the session it belongs to, ``?session=``)
    to the class or to chosen students, with instructions and a due date in the school's time zone."""
    classroom = managed_classroom(request, classroom_pk)
    activity_id = _id(request.GET.get("activity"))
    if activity_id is None:
        raise Http404
    activity = get_object_or_404(selectors.library_activities_for(request.user), pk=activity_id)
    session = None
    if request.GET.get("session"):
        session_id = _id(request.GET["session"])
        if session_id is None:
            raise Http404
        session = get_object_or_404(classroom_sessions_for(request.user, classroom, manage=True), pk=session_id)
    live = activity.kind not in content.ASSIGNABLE_KINDS
    zone = classroom.school.zone
    roster = classroom_roster(classroom)
    students = User.objects.filter(pk__in=roster.values("student_id")).order_by("last_name", "first_name", "username")
    form = AssignmentForm(request.POST if request.method == "POST" and not live else None, roster=students, zone=zone)
    if request.method == "POST" and not live and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_create(
                classroom=classroom,
                activity=activity,
                by=request.user,
                instructions=data["instructions"],
                due_at=data["due_at"],
                students=list(data["students"]) if data["who"] == "chosen" else None,
                session=session,
            )
        except ValidationError as error:
            _add_errors(form, error, {"due_at": "due_date"})
        else:
            count = assignment.submissions.count()
            messages.success(
                request,
                _("“%(title)s” is assigned to %(count)d students of %(classroom)s.")
                % {"title": assignment.title, "count": count, "classroom": classroom.name},
            )
            return redirect(assignment)
    context = {
        "classroom": classroom,
        "activity": activity,
        "activity_title": activity.title_es if _spanish() and activity.title_es else activity.title,
        "activity_instructions": text_in_language(activity.instructions),
        "session": session,
        "live": live,
        "form": form,
        "zone": zone,
    }
    return render(request, "curriculum/assignments/assignment_form.html", context)


# --- The classroom page's section, the grid and one assignment ----------------------------------------------


SECTION_ASSIGNMENTS = 5


def assignments_section(request, classroom, can_manage) -> dict | None:
    """The classroom page's "Assignments": the latest ones with their counts (managers), or the
    student's own work of this classroom still to do. One query."""
    user = request.user
    if can_manage:
        latest = list(selectors.classroom_assignments(classroom)[:SECTION_ASSIGNMENTS])
        return {"assignments_card": {"latest": latest, "to_review": sum(a.turned_in_count for a in latest)}}
    if user.role == User.Role.STUDENT:
        todo = list(selectors.my_work(user, tab=selectors.TODO).filter(assignment__classroom=classroom))
        return {"assignments_card": {"todo": todo}}
    return None


@login_required
@kept_page
@require_safe
def classroom_assignments(request, classroom_pk):
    """The grid: every current student by every assignment, each cell's state in words (and late or missing)."""
    classroom = managed_classroom(request, classroom_pk)
    grid = selectors.classroom_grid(classroom)
    # Each cell links to curriculum:submission, "<prefix><pk>/": built once, not reversed 2,000 times.
    work_prefix = reverse("curriculum:submission", args=[0]).removesuffix("0/")
    context = {"classroom": classroom, "grid": grid, "can_review": _can_review(request.user), "work_prefix": work_prefix}
    return render(request, "curriculum/assignments/classroom_grid.html", context)


@login_required
@kept_page
@require_safe
def assignment_detail(request, pk):
    assignment = get_object_or_404(selectors.assignments_for(request.user), pk=pk)
    if request.user.role == User.Role.STUDENT:
        submission = get_object_or_404(selectors.submissions_for(request.user), assignment=assignment, student=request.user)
        return redirect(submission)
    submissions = list(selectors.assignment_submissions(assignment))
    pairs = (
        list(assignment.pairings.select_related("teller", "reader").order_by("reader__last_name", "reader__first_name"))
        if has_partners(assignment) else None
    )
    context = {
        "assignment": assignment,
        "classroom": assignment.classroom,
        "submissions": submissions,
        "counts": _state_counts(submissions),
        "activity_instructions": text_in_language(assignment.activity_instructions),
        "can_review": _can_review(request.user),
        "pairs": pairs,
        "pairs_locked": any(p.shared_at for p in pairs or []),
        "pair_rows": _pair_rows(submissions, pairs) if pairs is not None else [],
    }
    return render(request, "curriculum/assignments/assignment_detail.html", context)


def _pair_rows(submissions, pairs) -> list[tuple]:
    """(student, group number) for the teacher's "choose the partners" form: the students who read one
    another (a pair, or a trio passing stories round) share a number."""
    reads = {p.reader_id: p.teller_id for p in pairs}
    group_of: dict[int, int] = {}
    for start in reads:
        if start in group_of:
            continue
        number, student = len(set(group_of.values())) + 1, start
        while student is not None and student not in group_of:
            group_of[student] = number
            student = reads.get(student)
    return [(s.student, group_of.get(s.student_id, "")) for s in submissions if s.state != State.EXCUSED]


def _state_counts(submissions) -> dict:
    counts = dict.fromkeys(State.values, 0)
    for s in submissions:
        counts[s.state] += 1
    counts["missing"] = sum(bool(s.is_missing) for s in submissions)
    counts["late"] = sum(bool(s.is_late) for s in submissions)
    return counts


# --- The student's work ----------------------------------------------------------------------------------


@login_required
@kept_page
@require_safe
def my_work(request):
    """The student's work: "To do", "Done" and "Returned" (``?tab=``)."""
    if request.user.role != User.Role.STUDENT:
        raise Http404
    tab = request.GET.get("tab")
    tab = tab if tab in selectors.TABS else selectors.TODO
    context = {
        "tab": tab,
        "work": list(selectors.my_work(request.user, tab=tab)),
        "counts": selectors.my_work_counts(request.user),
    }
    return render(request, "curriculum/assignments/my_work.html", context)


def _submission(request, pk) -> Submission:
    return get_object_or_404(selectors.submissions_for(request.user), pk=pk)


def _own_submission(request, pk) -> Submission:
    """The signed-in student's own submission ``pk``; anyone else's, or a teacher asking, is a 404."""
    submission = _submission(request, pk)
    if submission.student_id != request.user.pk:
        raise Http404
    return submission


def _reviewable_submission(request, pk) -> Submission:
    submission = _submission(request, pk)
    if not _can_review(request.user) or not can_manage_classroom(request.user, submission.assignment.classroom):
        raise Http404
    return submission


def draft_version(submission: Submission) -> int:
    """What the answer page's browser copy is compared with: the moment of the last draft saved, in µs."""
    saved = submission.draft_saved_at
    return int(saved.timestamp() * 1_000_000) if saved else 0


def _criteria(assignment):
    return services.rubric_of(assignment)


def _rubric_rows(submission) -> list[dict]:
    criteria = _criteria(submission.assignment)
    return [
        {"label": RUBRIC_DEFAULT_LABELS.get(c.key, c.label), "points": submission.rubric_scores.get(c.key), "most": c.points}
        for c in criteria
    ]


def _exercise_context(submission: Submission, *, disabled: bool) -> dict:
    """What the exercise's own templates (curriculum/exercises/<kind>_form.html, _answer.html) are given."""
    assignment = submission.assignment
    kind, kind_content = assignment.kind, assignment.content
    context = {
        "content": kind_content,
        "answer": submission.answer or default_answer(kind, kind_content),
        "language": get_language(),
        "disabled": disabled,
        "form_template": f"curriculum/exercises/{kind}_form.html",
        "answer_template": f"curriculum/exercises/{kind}_answer.html",
    }
    if kind == content.Kind.STORY_EXCHANGE:
        exchange = story_exchange_view(submission)
        context.update(
            exchange=exchange, partner_story=exchange.to_retell, extra_template="curriculum/exercises/story_exchange_rating.html",
            rating_questions=RATING_QUESTIONS, rating_levels=RATING_LEVELS,
        )
    if kind == content.Kind.STORY_INNER_STATE and submission.state in (State.TURNED_IN, State.RETURNED):
        context["spread_url"] = reverse("curriculum:class_spread", args=[submission.assignment_id])
    if kind == content.Kind.FEELINGS_GUESS and submission.state in (State.TURNED_IN, State.RETURNED):
        context["result_template"] = "curriculum/exercises/feelings_guess_result.html"
        context["key"] = feelings_key_for(submission)
    return context


@login_required
@require_safe
def submission_detail(request, pk):
    """The student's answer page (their own work), or the teacher's review page (their class's)."""
    submission = _submission(request, pk)
    if submission.assignment.kind == content.Kind.NORM_STORY:
        return _to_story_pages(request, submission)
    if submission.student_id == request.user.pk:
        return _answer_page(request, submission)
    if _can_review(request.user):
        return _review_page(request, submission, ReviewForm(criteria=_criteria(submission.assignment), labels=RUBRIC_DEFAULT_LABELS, initial=_review_initial(submission)))
    raise Http404


def _to_story_pages(request, submission: Submission):
    """A norm story is written, sent and decided on the story wall's own pages (curriculum.stories), which
    reuse these drafts: its turn-in puts it in the teacher's queue."""
    if submission.student_id == request.user.pk:
        return redirect("curriculum:story_write", pk=submission.pk)
    if _can_review(request.user) and can_manage_classroom(request.user, submission.assignment.classroom):
        return redirect("curriculum:story_review", classroom_pk=submission.assignment.classroom_id)
    raise Http404


def _answer_page(request, submission: Submission):
    assignment = submission.assignment
    editable = submission.state in services.EDITABLE_STATES
    context = {
        "submission": submission,
        "assignment": assignment,
        "title": title_in_language(assignment),
        "activity_instructions": text_in_language(assignment.activity_instructions),
        "editable": editable,
        "version": draft_version(submission),
        "rubric": _rubric_rows(submission) if submission.state == State.RETURNED else [],
        **_exercise_context(submission, disabled=not editable),
    }
    return render(request, "curriculum/assignments/answer.html", context)


def _review_initial(submission) -> dict:
    initial = {"feedback": submission.feedback}
    initial.update({f"rubric_{key}": value for key, value in submission.rubric_scores.items()})
    return initial


def _review_page(request, submission: Submission, form, status=200):
    assignment = submission.assignment
    context = {
        "submission": submission,
        "assignment": assignment,
        "classroom": assignment.classroom,
        "activity_instructions": text_in_language(assignment.activity_instructions),
        "form": form,
        "events": selectors.submission_events(submission),
        "can_return": submission.state == State.TURNED_IN,
        "can_score": submission.state in (State.TURNED_IN, State.RETURNED),
        "can_excuse": submission.state != State.EXCUSED,
        **_exercise_context(submission, disabled=True),
    }
    return render(request, "curriculum/assignments/review.html", context, status=status)


def _posted_answer(request, submission) -> dict | None:
    """The answer the form sent, or None when the request came from a button without the answer's fields."""
    if request.POST.get("answer_form") != "1":
        return None
    return answer_from_post(submission.assignment.kind, submission.assignment.content, request.POST)


@login_required_htmx
@require_POST
def submission_save(request, pk):
    """Save the draft: as the student types (htmx, answered with a small "Saved 10:04"), or with the button."""
    submission = _own_submission(request, pk)
    answer = _posted_answer(request, submission)
    if answer is None:
        answer = submission.answer
    errors = []
    try:
        submission = services.submission_draft_save(submission=submission, by=request.user, answer=answer)
    except ValidationError as error:
        errors = _service_errors(error)
    if request.htmx:
        context = {"submission": submission, "version": draft_version(submission), "errors": errors}
        return render(request, "curriculum/assignments/_draft_status.html", context)
    for message in errors:
        messages.error(request, message)
    if not errors:
        messages.success(request, _("Saved. You can come back to it later."))
    return redirect(submission)


@login_required
@require_POST
def submission_turn_in(request, pk):
    submission = _own_submission(request, pk)
    if submission.assignment.kind == content.Kind.NORM_STORY:
        return _to_story_pages(request, submission)  # sent from its own page, so that it reaches the queue
    answer = _posted_answer(request, submission)
    assignment = submission.assignment
    incomplete = answer is not None and answer_errors(assignment.kind, assignment.content, answer, final=True)
    try:
        if incomplete:
            # Not complete yet: what they typed is kept as a draft all the same, and they are told what is missing.
            services.submission_draft_save(submission=submission, by=request.user, answer=answer)
            raise ValidationError(incomplete)
        submission = services.submission_turn_in(submission=submission, by=request.user, answer=answer)
    except ValidationError as error:
        for message in _service_errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("You turned it in. Well done!"))
    return redirect(submission)


@login_required
@require_POST
def submission_reclaim(request, pk):
    submission = _own_submission(request, pk)
    if submission.assignment.kind == content.Kind.NORM_STORY:
        return _to_story_pages(request, submission)  # the teacher sends a story back; it is not taken back
    try:
        submission = services.submission_reclaim(submission=submission, by=request.user)
    except ValidationError as error:
        for message in _service_errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("You took it back. Change what you want, then turn it in again."))
    return redirect(submission)


# --- The teacher's review --------------------------------------------------------------------------------


RETURN = "return"


@login_required
@require_POST
def submission_review(request, pk):
    """Save the rubric and the private feedback; with "Return", give the work back to the student too."""
    submission = _reviewable_submission(request, pk)
    if submission.assignment.kind == content.Kind.NORM_STORY:
        return _to_story_pages(request, submission)  # decided in the story queue
    form = ReviewForm(request.POST, criteria=_criteria(submission.assignment), labels=RUBRIC_DEFAULT_LABELS)
    if not form.is_valid():
        return _review_page(request, submission, form)
    scores = {"rubric_scores": form.cleaned_data["rubric_scores"], "feedback": form.cleaned_data["feedback"]}
    try:
        if request.POST.get("action") == RETURN:
            submission = services.submission_return(submission=submission, by=request.user, **scores)
        else:
            submission = services.submission_score(submission=submission, by=request.user, **scores)
    except ValidationError as error:
        for message in _service_errors(error):
            messages.error(request, message)
        return redirect(submission)
    name = submission.student.display_name
    if submission.state == State.RETURNED and request.POST.get("action") == RETURN:
        messages.success(request, _("Returned to %(name)s, with your feedback.") % {"name": name})
        return redirect(submission.assignment)
    if submission.state == State.RETURNED:
        messages.success(request, _("Saved. %(name)s sees the change now.") % {"name": name})
    else:
        messages.success(request, _("Saved. %(name)s sees it once you return the work.") % {"name": name})
    return redirect(submission)


@login_required
@require_POST
def submission_excuse(request, pk):
    submission = _reviewable_submission(request, pk)
    submission = services.submission_excuse(submission=submission, by=request.user)
    messages.success(request, _("%(name)s is excused from “%(title)s”.") % {"name": submission.student.display_name, "title": submission.assignment.title})
    return redirect(submission.assignment)
