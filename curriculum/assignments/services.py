"""Every way an assignment is given and a submission changes state (Google Classroom's flow).

    assigned --first draft saved--> in_progress --turn in--> turned_in --return--> returned
                                         ^                       |                    |
                                         +------ reclaim --------+                    |
                                                                 ^--- turn in again --+
    any state but excused --excuse--> excused

Every change of state writes a ``SubmissionEvent`` (who, when) in the same transaction. A student
may edit a draft (assigned, in progress) and work that was returned (to revise it and turn it in
again); turned-in work is locked until they reclaim it or the teacher returns it. The row is locked
(``select_for_update``) before each change, so two requests at once (a double tap on "Turn in", two
tabs) queue up and the second finds the first's result: turning in twice is one turn-in.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import Classroom, Enrollment, Session
from classrooms.permissions import require_classroom_manager
from curriculum import content
from curriculum.exercises.answers import answer_errors, answer_is_blank
from curriculum.exercises.scoring import rubric_for, rubric_total
from curriculum.exercises.services import (
    has_partners,
    pairs_make,
    submission_scores_after_turn_in,
    submission_scores_write,
)
from curriculum.models import Activity, Assignment, Submission, SubmissionEvent

State = Submission.State
EDITABLE_STATES = (State.ASSIGNED, State.IN_PROGRESS, State.RETURNED)
INSTRUCTIONS_MAX = 2000
FEEDBACK_MAX = 2000
# The kinds whose work the teacher scores with a rubric.
RUBRIC_KINDS = frozenset({content.Kind.PERSPECTIVE_WRITING})


def _event(submission: Submission, *, state: str, by: User | None, at: datetime) -> None:
    SubmissionEvent.objects.create(submission=submission, state=state, actor=by, at=at)


def _locked(submission: Submission) -> Submission:
    """The submission's row as it is now, locked until the transaction ends (PostgreSQL; SQLite's
    IMMEDIATE transactions serialise writers anyway)."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("assignment__classroom__school", "assignment__session", "student")
        .get(pk=submission.pk)
    )


def _require_student(submission: Submission, by: User) -> None:
    if submission.student_id != by.pk:
        raise PermissionDenied


def _require_teacher(submission: Submission, by: User) -> None:
    require_classroom_manager(by, submission.assignment.classroom)


# --- Giving work ---------------------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    classroom: Classroom,
    activity: Activity,
    by: User,
    instructions: str = "",
    due_at: datetime | None = None,
    students: list[User] | None = None,
    session: Session | None = None,
    now: datetime | None = None,
) -> Assignment:
    """Give ``activity`` to the whole class (``students`` None) or to the chosen students; each gets
    a submission at once. The assignment keeps its own copy of the activity (curriculum.models)."""
    require_classroom_manager(by, classroom)
    now = now or timezone.now()
    if activity.kind not in content.ASSIGNABLE_KINDS:
        raise ValidationError(
            _("“%(title)s” is done together in class, led by you. Live activities cannot be assigned yet; teach it from the lesson page.")
            % {"title": activity.title}
        )
    if due_at is not None and due_at <= now:
        raise ValidationError({"due_at": _("That moment has already passed. Choose a due date and time from now on.")})
    if len(instructions) > INSTRUCTIONS_MAX:
        raise ValidationError({"instructions": _("Keep the instructions to %(max)d characters.") % {"max": INSTRUCTIONS_MAX}})
    if session is not None and session.classroom_id != classroom.pk:
        raise ValidationError(_("That session is not one of this classroom's."))
    roster = set(Enrollment.objects.active().filter(classroom=classroom).values_list("student_id", flat=True))
    if students is None:
        chosen = sorted(roster)
    else:
        chosen = sorted({s.pk for s in students})
        if not set(chosen) <= roster:
            raise ValidationError({"students": _("Only students of this classroom can be given its work.")})
    if not chosen:
        raise ValidationError({"students": _("Choose at least one student.") if students is not None else _("This classroom has no students yet.")})
    assignment = Assignment.objects.create(
        classroom=classroom,
        session=session,
        activity=activity,
        kind=activity.kind,
        title=activity.title,
        title_es=activity.title_es,
        activity_instructions=activity.instructions,
        content=activity.content,
        band=activity.lesson.band,
        instructions=instructions.strip(),
        due_at=due_at,
        whole_class=students is None,
        created_by=by,
        created_at=now,
    )
    submissions = Submission.objects.bulk_create(
        [Submission(assignment=assignment, student_id=pk) for pk in chosen]
    )
    SubmissionEvent.objects.bulk_create(
        [SubmissionEvent(submission=s, state=State.ASSIGNED, actor=by, at=now) for s in submissions]
    )
    if has_partners(assignment) and len(chosen) >= 2:
        pairs_make(assignment=assignment, by=by)  # the teacher may pair them again until a story is shared
    return assignment


# --- The student's side --------------------------------------------------------------------------------


def _refuse_edit(submission: Submission) -> None:
    if submission.state == State.TURNED_IN:
        raise ValidationError(_("You already turned this in. To change it, press “Unsubmit” first."))
    if submission.state == State.EXCUSED:
        raise ValidationError(_("Your teacher excused you from this work: there is nothing to do."))


@transaction.atomic
def submission_draft_save(*, submission: Submission, by: User, answer: dict, now: datetime | None = None) -> Submission:
    """Keep what the student has typed so far. The first save that holds anything starts the work
    (assigned -> in progress); saving what is already saved writes nothing."""
    submission = _locked(submission)
    _require_student(submission, by)
    _refuse_edit(submission)
    errors = answer_errors(submission.assignment.kind, submission.assignment.content, answer, final=False)
    if errors:
        raise ValidationError(errors)
    if answer == submission.answer or (submission.state == State.ASSIGNED and answer_is_blank(submission.assignment.kind, answer)):
        return submission
    now = now or timezone.now()
    submission.answer = answer
    submission.draft_saved_at = now
    fields = ["answer", "draft_saved_at", "updated_at"]
    if submission.state == State.ASSIGNED:
        submission.state = State.IN_PROGRESS
        fields.append("state")
        _event(submission, state=State.IN_PROGRESS, by=by, at=now)
    submission.save(update_fields=fields)
    return submission


@transaction.atomic
def submission_turn_in(
    *, submission: Submission, by: User, answer: dict | None = None, now: datetime | None = None
) -> Submission:
    """Hand the work to the teacher (with ``answer``, what the form holds now; else what was saved).

    Turning in what is already turned in returns it unchanged: a double tap, or two requests at
    once (the second waits for the first's lock), is one turn-in. The self-scoring kinds are scored
    here; a guess with no key yet is scored when its key comes (curriculum.exercises) or at the return.
    """
    submission = _locked(submission)
    _require_student(submission, by)
    if submission.state == State.TURNED_IN:
        return submission
    if submission.state == State.EXCUSED:
        raise ValidationError(_("Your teacher excused you from this work: there is nothing to turn in."))
    assignment = submission.assignment
    answer = submission.answer if answer is None else answer
    errors = answer_errors(assignment.kind, assignment.content, answer, final=True)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    submission.answer = answer
    submission.state = State.TURNED_IN
    submission.turned_in_at = now
    submission.turn_ins += 1
    submission.save(update_fields=["answer", "state", "turned_in_at", "turn_ins", "updated_at"])
    _event(submission, state=State.TURNED_IN, by=by, at=now)
    # The self-scoring kinds' columns; and a partner's guess this answer is the key of (curriculum.exercises).
    submission_scores_after_turn_in(submission=submission)
    return submission


@transaction.atomic
def submission_reclaim(*, submission: Submission, by: User, now: datetime | None = None) -> Submission:
    """Take turned-in work back to change it ("Unsubmit"), as long as the teacher has not returned it."""
    submission = _locked(submission)
    _require_student(submission, by)
    if submission.state == State.RETURNED:
        raise ValidationError(_("Your teacher already gave this back. You can change it and turn it in again."))
    if submission.state != State.TURNED_IN:
        raise ValidationError(_("This is not turned in, so there is nothing to take back."))
    now = now or timezone.now()
    submission.state = State.IN_PROGRESS
    submission.save(update_fields=["state", "updated_at"])
    _event(submission, state=State.IN_PROGRESS, by=by, at=now)
    return submission


# --- The teacher's side --------------------------------------------------------------------------------


def rubric_of(assignment: Assignment):
    """The criteria a teacher scores this assignment's work on: its own, Heard's default, or none."""
    if assignment.kind not in RUBRIC_KINDS:
        return ()
    return rubric_for(assignment.content)


def _score(submission: Submission, *, rubric_scores: dict[str, int], feedback: str) -> list[str]:
    """Set the rubric and the feedback on a locked submission; the fields to save."""
    if submission.state not in (State.TURNED_IN, State.RETURNED):
        raise ValidationError(_("Work can be scored once the student has turned it in."))
    feedback = feedback.replace("\r\n", "\n").strip()
    if len(feedback) > FEEDBACK_MAX:
        raise ValidationError({"feedback": _("Keep the feedback to %(max)d characters.") % {"max": FEEDBACK_MAX}})
    criteria = rubric_of(submission.assignment)
    points = {c.key: c.points for c in criteria}
    if set(rubric_scores) - set(points) or any(
        not isinstance(v, int) or not 0 <= v <= points[k] for k, v in rubric_scores.items()
    ):
        raise ValidationError({"rubric": _("Give each criterion a score the rubric allows.")})
    submission.feedback = feedback
    submission.rubric_scores = dict(rubric_scores)
    if criteria and rubric_scores:
        submission.rubric_points, submission.rubric_max = rubric_total(criteria, rubric_scores)
    else:
        submission.rubric_points = submission.rubric_max = None
    return ["feedback", "rubric_scores", "rubric_points", "rubric_max"]


@transaction.atomic
def submission_score(*, submission: Submission, by: User, rubric_scores: dict[str, int], feedback: str) -> Submission:
    """Score turned-in work on its rubric and write the student private feedback (both may change
    until, and after, it is returned; the student sees them once it is returned)."""
    submission = _locked(submission)
    _require_teacher(submission, by)
    fields = _score(submission, rubric_scores=rubric_scores, feedback=feedback)
    submission.save(update_fields=[*fields, "updated_at"])
    return submission


@transaction.atomic
def submission_return(
    *,
    submission: Submission,
    by: User,
    rubric_scores: dict[str, int] | None = None,
    feedback: str | None = None,
    now: datetime | None = None,
) -> Submission:
    """Give turned-in work back to the student, with its feedback and score (set here too when given;
    None leaves them as they are); they may revise it and turn it in again. Returning twice is once."""
    submission = _locked(submission)
    _require_teacher(submission, by)
    fields = []
    if rubric_scores is not None or feedback is not None:
        fields += _score(
            submission,
            rubric_scores=submission.rubric_scores if rubric_scores is None else rubric_scores,
            feedback=submission.feedback if feedback is None else feedback,
        )
    if submission.state == State.RETURNED:
        if fields:
            submission.save(update_fields=[*fields, "updated_at"])
        return submission
    if submission.state != State.TURNED_IN:
        raise ValidationError(_("Only work that was turned in can be returned."))
    now = now or timezone.now()
    assignment = submission.assignment
    submission.state = State.RETURNED
    submission.returned_at = now
    fields += ["state", "returned_at", "updated_at"]
    if assignment.kind == content.Kind.FEELINGS_GUESS and submission.accuracy_points is None:
        # No key when it was turned in (a visit's observation not logged, a partner not done): scored now, if there is one.
        submission_scores_write(submission=submission)
    submission.save(update_fields=fields)
    _event(submission, state=State.RETURNED, by=by, at=now)
    return submission


@transaction.atomic
def submission_excuse(*, submission: Submission, by: User, now: datetime | None = None) -> Submission:
    """Excuse a student from the work: it leaves their To do and is never missing. Excusing twice is once."""
    submission = _locked(submission)
    _require_teacher(submission, by)
    if submission.state == State.EXCUSED:
        return submission
    now = now or timezone.now()
    submission.state = State.EXCUSED
    submission.save(update_fields=["state", "updated_at"])
    _event(submission, state=State.EXCUSED, by=by, at=now)
    return submission
