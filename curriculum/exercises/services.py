"""The story exchange's own steps: pairing the class, sharing a story for retelling, rating a retelling.

A story exchange runs in three steps. Each student writes a short story of their own and shares it;
then retells, in the first person, the story of the classmate they were paired with; then rates the
retelling of their own story on three points (faithful to what I said, my feelings included, no
judgement; 1-3 each). A student sees how their own retelling was rated only after rating the
retelling of theirs, the "must review before you see" step of Open edX's peer assessment: everyone
gives a careful rating before anyone can react to the one they got.
"""

import random
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from curriculum.content import Kind
from curriculum.exercises.answers import ANSWER_TEXT_MAX
from curriculum.exercises.scoring import submission_scores
from curriculum.exercises.selectors import DONE, feelings_key_for, partner_guessing
from curriculum.models import Assignment, Pairing, Submission

RATING_POINTS = ("faithful", "feelings", "no_judgement")
RATING_RANGE = range(1, 4)


def pair_cycles(student_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(storyteller, reteller) pairs in which each student retells exactly one story and has theirs
    retold by one classmate: partners swap stories, and with an odd class one group of three passes
    them round (a to b, b to c, c to a). Nobody retells their own story. Pure."""
    ids = list(student_ids)
    if len(ids) < 2:
        return []
    groups = [ids[i : i + 2] for i in range(0, len(ids), 2)]
    if len(groups[-1]) == 1:
        groups[-2].extend(groups.pop())
    pairs = []
    for group in groups:
        for i, teller in enumerate(group):
            pairs.append((teller, group[(i + 1) % len(group)]))
    return pairs


def has_partners(assignment: Assignment) -> bool:
    return assignment.kind == Kind.STORY_EXCHANGE or (
        assignment.kind == Kind.FEELINGS_GUESS and assignment.content.get("key_source") == "partner"
    )


def _participants(assignment: Assignment) -> list[int]:
    return list(
        assignment.submissions.exclude(state=Submission.State.EXCUSED).order_by("student_id").values_list("student_id", flat=True)
    )


@transaction.atomic
def pairs_make(*, assignment: Assignment, by: User, groups: list[list[int]] | None = None, seed: int | None = None) -> list[Pairing]:
    """Pair the class for a story exchange or a partner feelings guess: Heard shuffles them, or the teacher
    gives the groups (of 2 or 3).

    Pairs may be made again until the first story is shared; after that a new pairing would take a
    story away from a classmate who may be retelling it.
    """
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not has_partners(assignment):
        raise ValidationError(_("Only a story exchange or a feelings guess with a partner has partners."))
    if assignment.pairings.filter(shared_at__isnull=False).exists():
        raise ValidationError(_("A story has already been shared, so the partners stay as they are."))
    students = _participants(assignment)
    if groups is None:
        random.Random(seed).shuffle(students)
        pairs = pair_cycles(students)
    else:
        named = [s for group in groups for s in group]
        if sorted(named) != sorted(students):
            raise ValidationError(_("Put every student of this assignment in exactly one group."))
        if any(len(group) not in (2, 3) for group in groups):
            raise ValidationError(_("Each group has two or three students."))
        pairs = [(t, r) for group in groups for (t, r) in pair_cycles(group)]
    assignment.pairings.all().delete()
    return Pairing.objects.bulk_create(
        [Pairing(assignment=assignment, teller_id=t, reader_id=r) for t, r in pairs]
    )


@transaction.atomic
def story_share(*, submission: Submission, by: User, story: str | None = None) -> Pairing:
    """Give a student's story to their partner to retell: ``story`` as the form holds it now, or what
    their saved draft holds. Sharing again updates it until the partner has started retelling; after
    that the story they are retelling stays as it was. The student's own draft is not written here (the
    answer page saves it as they type)."""
    if submission.student_id != by.pk:
        raise PermissionDenied
    if story is None:
        story = (submission.answer or {}).get("story", "")
    story = story.strip()
    if not story:
        raise ValidationError(_("Write your story first, then share it."))
    if len(story) > ANSWER_TEXT_MAX:
        raise ValidationError(_("Your story is longer than %(max)d letters. Make it a little shorter.") % {"max": ANSWER_TEXT_MAX})
    retelling = Pairing.objects.select_for_update().filter(assignment_id=submission.assignment_id, teller_id=by.pk).first()
    if retelling is None:
        raise ValidationError(_("Your teacher has not given you a partner yet."))
    partner = Submission.objects.filter(assignment_id=submission.assignment_id, student_id=retelling.reader_id).first()
    if retelling.shared_at and partner and (partner.answer or {}).get("retelling"):
        if story == retelling.story:
            return retelling
        raise ValidationError(_("Your partner has started retelling your story, so it stays as you shared it."))
    retelling.story = story
    retelling.shared_at = timezone.now()
    retelling.save(update_fields=["story", "shared_at"])
    return retelling


@transaction.atomic
def retelling_rate(*, retelling: Pairing, by: User, faithful: int, feelings: int, no_judgement: int) -> Pairing:
    """The storyteller's rating of how their story was retold, once the reteller has turned it in."""
    retelling = Pairing.objects.select_for_update().get(pk=retelling.pk)
    if retelling.teller_id != by.pk:
        raise PermissionDenied
    if retelling.rated_at is not None:
        raise ValidationError(_("You have already rated this retelling."))
    turned_in = Submission.objects.filter(
        assignment_id=retelling.assignment_id,
        student_id=retelling.reader_id,
        state__in=(Submission.State.TURNED_IN, Submission.State.RETURNED),
    ).exists()
    if not turned_in:
        raise ValidationError(_("Your partner has not finished retelling your story yet."))
    points = {"faithful": faithful, "feelings": feelings, "no_judgement": no_judgement}
    if any(value not in RATING_RANGE for value in points.values()):
        raise ValidationError(_("Give each point 1, 2 or 3."))
    for name, value in points.items():
        setattr(retelling, name, value)
    retelling.rated_at = timezone.now()
    retelling.save(update_fields=[*points, "rated_at"])
    return retelling


def submission_scores_write(*, submission: Submission) -> Submission:
    """Score a piece of work that is turned in: the columns reports aggregate (scoring.submission_scores)."""
    key = feelings_key_for(submission) if submission.assignment.kind == Kind.FEELINGS_GUESS else None
    scores = submission_scores(kind=submission.assignment.kind, content=submission.assignment.content, answer=submission.answer, key=key)
    if scores:
        for name, value in scores.items():
            setattr(submission, name, value)
        Submission.objects.filter(pk=submission.pk).update(**scores)
    return submission


def submission_scores_after_turn_in(*, submission: Submission) -> Submission:
    """Score the work just turned in, and the partner's guess that this student's own answer is the key of."""
    submission_scores_write(submission=submission)
    if submission.assignment.kind == Kind.FEELINGS_GUESS and submission.assignment.content.get("key_source") == "partner":
        guess = partner_guessing(submission)
        if guess is not None:
            submission_scores_write(submission=guess)
    return submission


def session_guesses_rescore(*, session_id: int) -> int:
    """After the instructor logs (or corrects) what the baby showed at a visit, score that visit's guesses again."""
    guesses = Submission.objects.filter(
        assignment__session_id=session_id, assignment__kind=Kind.FEELINGS_GUESS, state__in=DONE
    ).select_related("assignment")
    count = 0
    for guess in guesses:
        if guess.assignment.content.get("key_source") == "baby_visit":
            submission_scores_write(submission=guess)
            count += 1
    return count
