"""The story wall's pages: a student's writing page and their class wall, one story, the teacher's review
queue and the class's reading. Thin: scoped fetches (an unapproved story, another class's or school's,
is a 404), a service, a redirect back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from classrooms.selectors import classrooms_for, classrooms_managed_by
from classrooms.views import managed_classroom
from curriculum import content
from curriculum.assignments.selectors import submissions_for
from curriculum.assignments.services import EDITABLE_STATES, FEEDBACK_MAX, submission_draft_save
from curriculum.exercises.answers import answer_errors, answer_from_post, default_answer
from curriculum.models import Story, Submission
from curriculum.stories import selectors, services
from curriculum.stories.forms import APPROVE, DECLINE, SEND_BACK, DecisionForm

State = Story.State
SECONDS_DIGITS_MAX = 6


def _wall_classroom(request, pk):
    """A wall opens for the class's students and its teachers; any other classroom, or anyone else, is a 404."""
    user = request.user
    if user.role == User.Role.STUDENT:
        return get_object_or_404(classrooms_for(user), pk=pk)
    if user.role == User.Role.TEACHER:
        return get_object_or_404(classrooms_managed_by(user), pk=pk)
    raise Http404


def _teacher_classroom(request, pk):
    if request.user.role != User.Role.TEACHER:
        raise Http404
    return managed_classroom(request, pk)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _title(assignment) -> str:
    return (assignment.title_es if (get_language() or "").startswith("es") else "") or assignment.title


# --- The student's writing page ---------------------------------------------------------------------------


def _own_story_submission(request, pk) -> Submission:
    submission = get_object_or_404(submissions_for(request.user), pk=pk, assignment__kind=content.Kind.NORM_STORY)
    if submission.student_id != request.user.pk:
        raise Http404
    return submission


def _draft_version(submission: Submission) -> int:
    saved = submission.draft_saved_at
    return int(saved.timestamp() * 1_000_000) if saved else 0


@login_required
@require_safe
def story_write(request, pk):
    """Write the story (drafts saved as on every answer page), send it to the teacher, and follow it after."""
    submission = _own_story_submission(request, pk)
    assignment = submission.assignment
    story = selectors.story_of_submission(submission)
    editable = submission.state in EDITABLE_STATES and (story is None or story.state == State.SENT_BACK)
    answer = submission.answer or default_answer(assignment.kind, assignment.content)
    context = {
        "submission": submission,
        "assignment": assignment,
        "classroom": assignment.classroom,
        "title": _title(assignment),
        "activity_instructions": content.Text.model_validate(assignment.activity_instructions).in_language(
            get_language()
        ),
        "content": assignment.content,
        "language": get_language(),
        "answer": answer,
        "story": story,
        "editable": editable,
        "version": _draft_version(submission),
    }
    return render(request, "curriculum/stories/write.html", context)


@login_required
@require_POST
def story_send(request, pk):
    """Send the story as the form holds it (what was typed is saved as a draft even when it cannot go yet)."""
    submission = _own_story_submission(request, pk)
    answer = None
    if request.POST.get("answer_form") == "1":
        answer = answer_from_post(submission.assignment.kind, submission.assignment.content, request.POST)
    assignment = submission.assignment
    incomplete = answer is not None and answer_errors(assignment.kind, assignment.content, answer, final=True)
    try:
        if incomplete:
            # Not ready to send: what they typed is kept as a draft all the same, and they are told what is missing.
            submission_draft_save(submission=submission, by=request.user, answer=answer)
            raise ValidationError(incomplete)
        services.story_send(submission=submission, by=request.user, answer=answer)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Your story is on its way to your teacher. They will read it soon."))
    return redirect("curriculum:story_write", pk=submission.pk)


@login_required
@require_POST
def story_consent(request, pk):
    """The author shares the story with the other classes of their grade (without their name), or stops sharing."""
    story = get_object_or_404(selectors.stories_for(request.user), pk=pk, author_id=request.user.pk)
    share = request.POST.get("share") == "1"
    try:
        story, changed = services.story_consent_set(story=story, by=request.user, share=share)
    except PermissionDenied:
        raise Http404 from None
    if share:
        messages.success(
            request,
            _("Other classes in your grade can read your story now, without your name.")
            if changed
            else _("Your story is already shared with the other classes."),
        )
    else:
        messages.success(
            request,
            _("Done. Only your own class can read your story now.")
            if changed
            else _("Your story is already only for your own class. Nothing else to do."),
        )
    return redirect("curriculum:story_write", pk=story.submission_id)


# --- The wall and one story -------------------------------------------------------------------------------


@login_required
@require_safe
def story_wall(request, classroom_pk):
    classroom = _wall_classroom(request, classroom_pk)
    stories = list(selectors.wall(request.user, classroom))
    read = selectors.read_by(request.user, classroom, stories)
    is_teacher = request.user.role == User.Role.TEACHER
    context = {
        "classroom": classroom,
        "stories": stories,
        "read": read,
        "is_teacher": is_teacher,
        "pending": selectors.pending_count(request.user, classroom) if is_teacher else 0,
    }
    return render(request, "curriculum/stories/wall.html", context)


def _wall_story(request, classroom_pk, pk):
    classroom = _wall_classroom(request, classroom_pk)
    return classroom, get_object_or_404(selectors.wall(request.user, classroom), pk=pk)


@login_required
@require_POST
def story_open(request, classroom_pk, pk):
    """Open a story from the wall: the opening is counted (no script needed), then the story is shown."""
    classroom, story = _wall_story(request, classroom_pk, pk)
    services.story_open(story=story, reader=request.user, classroom=classroom)
    return redirect("curriculum:story", classroom_pk=classroom.pk, pk=story.pk)


@login_required
@require_safe
def story_detail(request, classroom_pk, pk):
    classroom, story = _wall_story(request, classroom_pk, pk)
    context = {
        "classroom": classroom,
        "story": story,
        "from_other_class": story.classroom_id != classroom.pk,
        "counts_time": request.user.role == User.Role.STUDENT and story.author_id != request.user.pk,
    }
    return render(request, "curriculum/stories/story.html", context)


@login_required
@require_POST
def story_read_time(request, classroom_pk, pk):
    """The page's beacon: seconds spent reading (static/js/story-read.js). Answered 204, whatever it counted."""
    classroom, story = _wall_story(request, classroom_pk, pk)
    value = request.POST.get("seconds", "")
    if value.isascii() and value.isdigit() and len(value) <= SECONDS_DIGITS_MAX:
        services.story_read_time_add(story=story, reader=request.user, classroom=classroom, seconds=int(value))
    return HttpResponse(status=204)


# --- The teacher's review queue and the class's reading --------------------------------------------------


def _review_page(
    request, classroom, *, failed: Story | None = None, form: DecisionForm | None = None, status: int = 200
):
    context = {
        "classroom": classroom,
        **selectors.review_queue(request.user, classroom),
        "failed": failed,
        "failed_form": form,
        "note_max": FEEDBACK_MAX,
    }
    return render(request, "curriculum/stories/review.html", context, status=status)


@login_required
@require_safe
def story_review(request, classroom_pk):
    return _review_page(request, _teacher_classroom(request, classroom_pk))


@login_required
@require_POST
def story_decide(request, classroom_pk, pk):
    """Approve, send back with a note, or keep off the wall. A refused decision shows the queue again with the note kept."""
    classroom = _teacher_classroom(request, classroom_pk)
    story = get_object_or_404(selectors.stories_to_moderate(request.user).filter(classroom_id=classroom.pk), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _review_page(request, classroom, failed=story, form=form)
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    name = story.author.display_name
    try:
        if action == APPROVE:
            services.story_approve(story=story, by=request.user)
            messages.success(request, _("%(name)s's story is on the wall.") % {"name": name})
        elif action == SEND_BACK:
            services.story_send_back(story=story, by=request.user, note=note)
            messages.success(request, _("Sent back to %(name)s with your note.") % {"name": name})
        elif action == DECLINE:
            services.story_decline(story=story, by=request.user, note=note)
            messages.success(request, _("%(name)s's story is kept off the wall.") % {"name": name})
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return _review_page(request, classroom, failed=story, form=form)
        _errors(request, error)
    return redirect("curriculum:story_review", classroom_pk=classroom.pk)


@login_required
@require_safe
def story_engagement(request, classroom_pk):
    """How much the class reads its wall: counts for the class (its teachers and the school's admin), never per student."""
    classroom = managed_classroom(request, classroom_pk)
    return render(
        request,
        "curriculum/stories/engagement.html",
        {
            "classroom": classroom,
            "engagement": selectors.engagement(classroom),
            "is_teacher": request.user.role == User.Role.TEACHER,
        },
    )


def stories_section(request, classroom, can_manage) -> dict | None:
    """The classroom page's "Story wall": the wall for its students; for its teachers also their review queue
    and the class's reading; for the school's admin, the class's reading. No query: the page's count is fixed."""
    user = request.user
    if user.role == User.Role.STUDENT:
        return {"stories_card": {"student": True}}
    if can_manage and user.role == User.Role.TEACHER:
        return {"stories_card": {"teacher": True}}
    if can_manage:
        return {"stories_card": {}}
    return None
