"""A team puzzle's writes: dealing its parts, a member's contribution, the group's one answer.

Every write first locks the run's row (the bump that tells the polls would lock it anyway), so a write
and the teacher closing the run cannot cross: a contribution or an answer lands only while the run is
under way. The group's answer is saved only from the version the member saw (a conditional UPDATE):
when a groupmate saved in between, the member is told and shown what the groupmate wrote, and what
they typed is kept for them, never silently lost.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from curriculum.content import Kind
from curriculum.exercises.answers import ANSWER_TEXT_MAX
from curriculum.live import services as live
from curriculum.models import LiveMember, LiveRun, PuzzleAnswer, PuzzlePart
from curriculum.puzzles.dealing import deal

State = LiveRun.State


class AnswerConflict(ValidationError):
    """A groupmate saved the group's answer after this member last saw it; ``answer`` is theirs."""

    def __init__(self, answer: PuzzleAnswer):
        self.answer = answer
        super().__init__(
            _(
                "Someone in your group saved the answer a moment ago. Read what they wrote, add your ideas, and save again."
            )
        )


def puzzle_parts_deal(run: LiveRun) -> list[PuzzlePart]:
    """Deal the parts to every group of ``run``, and give each group an empty answer; once (idempotent).
    Called as the run starts running, in the same transaction as the step."""
    if PuzzlePart.objects.filter(run=run).exists():
        return list(PuzzlePart.objects.filter(run=run))
    count = len(run.content.get("parts", []))
    members: dict[int, list[int]] = {}
    groups = {}
    for member in (
        LiveMember.objects.filter(run=run, group__isnull=False)
        .select_related("group")
        .order_by("group__number", "joined_at", "pk")
    ):
        members.setdefault(member.group_id, []).append(member.student_id)
        groups[member.group_id] = member.group
    parts = [
        PuzzlePart(run=run, group=groups[group_id], student_id=student, index=index)
        for group_id, students in members.items()
        for student, index in deal(students, count)
    ]
    PuzzlePart.objects.bulk_create(parts, ignore_conflicts=True)
    PuzzleAnswer.objects.bulk_create(
        [PuzzleAnswer(run=run, group=group) for group in groups.values()], ignore_conflicts=True
    )
    return parts


live.register_on_enter(Kind.TEAM_PUZZLE, State.RUNNING, puzzle_parts_deal)


def puzzle_part_for_late_joiner(run: LiveRun, member: LiveMember) -> PuzzlePart | None:
    """A student placed in a group after the parts were dealt shares the piece the fewest in that group
    hold (the first such piece), and tells the group about it in their own words like the others.
    Called by ``live_member_move`` with the run's row locked."""
    count = len(run.content.get("parts", []))
    if count < 1 or PuzzlePart.objects.filter(run=run, student_id=member.student_id).exists():
        return None
    held = Counter(PuzzlePart.objects.filter(run=run, group_id=member.group_id).values_list("index", flat=True))
    index = min(range(count), key=lambda i: (held[i], i))
    PuzzleAnswer.objects.get_or_create(run=run, group_id=member.group_id)
    return PuzzlePart.objects.create(run=run, group_id=member.group_id, student_id=member.student_id, index=index)


live.register_on_place_late(Kind.TEAM_PUZZLE, puzzle_part_for_late_joiner)


def _clean(text: str | None, *, empty: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError(empty)
    if len(text) > ANSWER_TEXT_MAX:
        raise ValidationError(
            _("That is longer than %(max)d letters. Make it a little shorter.") % {"max": ANSWER_TEXT_MAX}
        )
    return text


def _lock_running(run: LiveRun) -> LiveRun:
    run = LiveRun.objects.select_for_update().get(pk=run.pk)
    if run.state == State.CLOSED:
        raise ValidationError(_("The puzzle has ended, so it can't be changed now."))
    if run.state != State.RUNNING:
        raise ValidationError(_("The puzzle hasn't started yet. Your teacher will start it soon."))
    return run


@transaction.atomic
def puzzle_contribution_save(*, part: PuzzlePart, by: User, text: str) -> PuzzlePart:
    """What ``by``'s part tells the group, in their own words (they may change it while the puzzle runs)."""
    if part.student_id != by.pk:
        raise PermissionDenied
    text = _clean(text, empty=_("Write what your piece tells your group first."))
    run = _lock_running(part.run)
    part.contribution, part.contributed_at = text, timezone.now()
    PuzzlePart.objects.filter(pk=part.pk).update(contribution=part.contribution, contributed_at=part.contributed_at)
    live.bump(run, stage=True)  # the groupmates' pages show it
    return part


@transaction.atomic
def puzzle_answer_save(*, answer: PuzzleAnswer, by: User, text: str, seen_version: int) -> PuzzleAnswer:
    """The group's one answer, written by any member; saved only over the version ``by`` saw."""
    if not LiveMember.objects.filter(run_id=answer.run_id, group_id=answer.group_id, student_id=by.pk).exists():
        raise PermissionDenied
    text = _clean(text, empty=_("Write your group's answer first."))
    run = _lock_running(answer.run)
    now = timezone.now()
    saved = PuzzleAnswer.objects.filter(pk=answer.pk, version=seen_version).update(
        text=text, version=F("version") + 1, saved_by=by, saved_at=now
    )
    current = PuzzleAnswer.objects.select_related("saved_by", "group").get(pk=answer.pk)
    if not saved:
        raise AnswerConflict(current)
    live.bump(run, stage=True)
    return current
