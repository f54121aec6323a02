"""The exercises' own steps beyond answering: pairing a class, sharing a story, rating a retelling, and
the class's spread of interpretations. Thin: scoped fetches (another student's or school's object is a
404), a service, a redirect back to the page the step belongs to.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from curriculum.content import Kind
from curriculum.exercises import selectors, services
from curriculum.models import Assignment, Pairing, Submission
from curriculum.permissions import assignment_manage_scope, assignment_scope, submission_scope

DONE = selectors.DONE


def _own_submission(request, pk) -> Submission:
    submission = get_object_or_404(Submission.objects.filter(submission_scope(request.user)).select_related("assignment"), pk=pk)
    if submission.student_id != request.user.pk:
        raise Http404
    return submission


def _messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def pairs_redo(request, pk):
    """The teacher asks Heard to pair the class again (until a story has been shared)."""
    assignment = get_object_or_404(Assignment.objects.filter(assignment_manage_scope(request.user)), pk=pk)
    try:
        services.pairs_make(assignment=assignment, by=request.user)
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("The class has new partners."))
    return redirect(assignment)


@login_required
@require_POST
def pairs_choose(request, pk):
    """The teacher's own groups: each student given a group number; the students with one number are partners."""
    assignment = get_object_or_404(Assignment.objects.filter(assignment_manage_scope(request.user)), pk=pk)
    groups: dict[str, list[int]] = {}
    for student_id in assignment.submissions.exclude(state=Submission.State.EXCUSED).values_list("student_id", flat=True):
        number = request.POST.get(f"group-{student_id}", "").strip()
        groups.setdefault(number if number.isdigit() and len(number) <= 3 else f"none-{student_id}", []).append(student_id)
    try:
        services.pairs_make(assignment=assignment, by=request.user, groups=list(groups.values()))
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("The partners are as you chose."))
    return redirect(assignment.get_absolute_url() + "#pairs-heading")


@login_required
@require_POST
def story_share(request, pk):
    """The student shares the story the form holds (the answer page keeps saving their draft as they type)."""
    submission = _own_submission(request, pk)
    if submission.assignment.kind != Kind.STORY_EXCHANGE:
        raise Http404
    try:
        services.story_share(submission=submission, by=request.user, story=request.POST.get("story", ""))
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("Your story is shared. Your partner can read it now."))
    return redirect(submission)


@login_required
@require_POST
def retelling_rate(request, pk):
    """The storyteller rates how their story was retold: three points, 1 to 3 each."""
    submission = _own_submission(request, pk)
    pairing = get_object_or_404(Pairing, assignment_id=submission.assignment_id, teller_id=request.user.pk)
    points = {}
    for name in services.RATING_POINTS:
        value = request.POST.get(name, "")
        points[name] = int(value) if value in ("1", "2", "3") else 0
    try:
        services.retelling_rate(retelling=pairing, by=request.user, **points)
    except ValidationError as error:
        _messages(request, error)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Thank you! Now you can see how your own retelling was rated."))
    return redirect(submission)


@login_required
@require_safe
def class_spread(request, pk):
    """A story's questions and the class's answers without names: for the teacher, and for a student
    once their own work is turned in (so nobody copies an interpretation before making their own)."""
    assignment = get_object_or_404(Assignment.objects.filter(assignment_scope(request.user)), pk=pk)
    if assignment.kind != Kind.STORY_INNER_STATE:
        raise Http404
    if request.user.role == User.Role.STUDENT:
        if not assignment.submissions.filter(student_id=request.user.pk, state__in=DONE).exists():
            raise Http404
    spread = selectors.inner_state_spread(assignment)
    if request.user.role == User.Role.STUDENT:
        back = assignment.submissions.get(student_id=request.user.pk).get_absolute_url()
    else:
        back = assignment.get_absolute_url()
    return render(
        request, "curriculum/exercises/class_spread.html",
        {"assignment": assignment, "spread": spread, "content": assignment.content, "language": get_language(), "back_url": back},
    )

