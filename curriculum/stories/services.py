"""Every way a story on the empathy story wall changes (curriculum.models.Story's state machine).

The student writes in the norm-story assignment's submission, with the drafts every exercise has
(curriculum.assignments); ``story_send`` turns it in and puts a copy in the teacher's queue. The
teacher approves it, sends it back with a note (the submission is returned with that note, so the
student can change it and send it again), or declines it; an approved story can still be taken down
(declined). The author gives or withdraws consent to share it with the other classes of their band at
any time, and it takes effect at the next page anyone loads. Each row is locked before it changes, so a
double tap or two teachers at once give one decision.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import Classroom
from curriculum.assignments.services import FEEDBACK_MAX, submission_return, submission_turn_in
from curriculum.content import Kind
from curriculum.models import Story, StoryRead, Submission
from curriculum.permissions import story_moderate_scope

State = Story.State
# One report of time spent on a story counts at most this much: a tab left open all night is not reading.
READ_SECONDS_MAX = 15 * 60


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update(of=("self",)).select_related("submission", "classroom").get(pk=story.pk)


def _require_moderator(story: Story, by: User) -> None:
    if not Story.objects.filter(story_moderate_scope(by), pk=story.pk).exists():
        raise PermissionDenied


@transaction.atomic
def story_send(*, submission: Submission, by: User, answer: dict | None = None, now: datetime | None = None) -> Story:
    """Turn in the student's story (``answer`` as the form holds it, else the saved draft) and put it in the
    teacher's queue. Sending what is already waiting is one sending; an approved or declined story stays as it is."""
    if submission.assignment.kind != Kind.NORM_STORY:
        raise ValidationError(_("This work is not a story for the story wall."))
    if submission.student_id != by.pk:
        raise PermissionDenied
    story = Story.objects.select_for_update().filter(submission_id=submission.pk).first()
    if story is not None and story.state == State.PENDING:
        return story
    if story is not None and story.state == State.APPROVED:
        raise ValidationError(_("Your story is already on the wall."))
    if story is not None and story.state == State.DECLINED:
        raise ValidationError(_("Your teacher decided not to put this story on the wall."))
    submission = submission_turn_in(submission=submission, by=by, answer=answer, now=now)
    now = submission.turned_in_at
    text, share = submission.answer.get("text", ""), bool(submission.answer.get("share"))
    if story is None:
        return Story.objects.create(
            submission=submission,
            classroom_id=submission.assignment.classroom_id,
            author=by,
            text=text,
            share_consent=share,
            consent_changed_at=now,
            sent_at=now,
        )
    if share != story.share_consent:
        story.share_consent, story.consent_changed_at = share, now
    story.text, story.state, story.sent_at, story.sends = text, State.PENDING, now, story.sends + 1
    story.save()
    return story


@transaction.atomic
def story_approve(*, story: Story, by: User, now: datetime | None = None) -> Story:
    """Put a waiting story on the class wall (and, if its author consents, on the band's other walls). Twice is once."""
    _require_moderator(story, by)
    story = _locked(story)
    if story.state == State.APPROVED:
        return story
    if story.state != State.PENDING:
        raise ValidationError(_("Only a story waiting for you can be put on the wall."))
    now = now or timezone.now()
    story.state, story.decided_by, story.decided_at, story.approved_at, story.note = State.APPROVED, by, now, now, ""
    story.save(update_fields=["state", "decided_by", "decided_at", "approved_at", "note"])
    return story


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").replace("\r\n", "\n").strip()
    if required and not note:
        raise ValidationError({"note": _("Write a note so the student knows what to change.")})
    if len(note) > FEEDBACK_MAX:
        raise ValidationError({"note": _("Keep the note to %(max)d characters.") % {"max": FEEDBACK_MAX}})
    return note


@transaction.atomic
def story_send_back(*, story: Story, by: User, note: str, now: datetime | None = None) -> Story:
    """Give a waiting story back to its author with a note; the submission is returned with it, so they can
    change it and send it again."""
    _require_moderator(story, by)
    note = _clean_note(note, required=True)
    story = _locked(story)
    if story.state == State.SENT_BACK and story.note == note:
        return story
    if story.state != State.PENDING:
        raise ValidationError(_("Only a story waiting for you can be sent back."))
    now = now or timezone.now()
    submission_return(submission=story.submission, by=by, feedback=note, now=now)
    story.state, story.note, story.decided_by, story.decided_at = State.SENT_BACK, note, by, now
    story.save(update_fields=["state", "note", "decided_by", "decided_at"])
    return story


@transaction.atomic
def story_decline(*, story: Story, by: User, note: str = "", now: datetime | None = None) -> Story:
    """Keep a story off every wall: a waiting one, or one already on the wall (taken down at once)."""
    _require_moderator(story, by)
    note = _clean_note(note, required=False)
    story = _locked(story)
    if story.state == State.DECLINED:
        return story
    if story.state not in (State.PENDING, State.APPROVED):
        raise ValidationError(_("This story is with the student now; it is not on any wall."))
    now = now or timezone.now()
    story.state, story.note, story.decided_by, story.decided_at = State.DECLINED, note, by, now
    story.save(update_fields=["state", "note", "decided_by", "decided_at"])
    return story


@transaction.atomic
def story_consent_set(*, story: Story, by: User, share: bool, now: datetime | None = None) -> tuple[Story, bool]:
    """The author gives or withdraws consent to show the story, without their name, on the other walls of
    their band; the story and the draft's checkbox both follow. Returns the story and whether it changed
    (withdrawing twice changes nothing, and is no error)."""
    story = _locked(story)
    if story.author_id != by.pk:
        raise PermissionDenied
    if story.share_consent == share:
        return story, False
    story.share_consent, story.consent_changed_at = share, now or timezone.now()
    story.save(update_fields=["share_consent", "consent_changed_at"])
    submission = Submission.objects.select_for_update().get(pk=story.submission_id)
    submission.answer = {**(submission.answer or {}), "share": share}
    submission.save(update_fields=["answer", "updated_at"])
    return story, True


def story_open(*, story: Story, reader: User, classroom: Classroom, now: datetime | None = None) -> StoryRead | None:
    """Count one opening of ``story`` on ``classroom``'s wall by a student of that class (the caller has
    checked both are in the reader's scope). The author's own openings and adults' are not counted."""
    if reader.role != User.Role.STUDENT or story.author_id == reader.pk:
        return None
    now = now or timezone.now()
    read, created = StoryRead.objects.get_or_create(
        story=story,
        reader=reader,
        classroom=classroom,
        defaults={"opens": 1, "first_opened_at": now, "last_opened_at": now},
    )
    if not created:
        StoryRead.objects.filter(pk=read.pk).update(opens=F("opens") + 1, last_opened_at=now)
    return read


def story_read_time_add(*, story: Story, reader: User, classroom: Classroom, seconds: int) -> int:
    """Add the time the page reports a reader spent on a story they opened, at most ``READ_SECONDS_MAX`` a
    report. Returns the seconds counted (0 when there was no opening to add them to)."""
    seconds = max(0, min(int(seconds), READ_SECONDS_MAX))
    if not seconds:
        return 0
    updated = StoryRead.objects.filter(story=story, reader=reader, classroom=classroom).update(
        seconds=F("seconds") + seconds
    )
    return seconds if updated else 0
