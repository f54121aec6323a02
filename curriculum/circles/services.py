"""A listening circle's turns and closing cards: the only code that writes them.

Every change to a group's turns happens under a lock on the group's row (``select_for_update``), so a
teacher's skip and a student's rating or choice at the same moment are served one after the other: the
second sees what the first did and is told so. When several groups are changed at once (pause, resume or
skip for all) their rows are locked in number order, as a single group's change locks its one row, so two
such changes never wait on each other in a circle. The turn numbers' unique constraint is the last guard.

Every change bumps the run's ``version`` and ``stage`` (the turn shows on the teacher's, the projector's
and the group's pages). The server's clock is the truth: a turn's time is up when ``ends_at`` has passed,
whoever reads it; nothing has to run at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.permissions import require_classroom_manager
from curriculum import content
from curriculum.circles import rotation
from curriculum.circles.clock import Phase, phase, seconds_left
from curriculum.live.services import bump, register_on_place_late
from curriculum.models import (
    CARD_TEXT_MAX,
    HEARD_MAX,
    HEARD_MIN,
    CircleCard,
    CircleTurn,
    LiveGroup,
    LiveMember,
    LiveRun,
)

State = LiveRun.State
MINUTES_MIN, MINUTES_MAX = 1, 10
DEFAULT_MINUTES = 4


def speaker_minutes(run: LiveRun) -> int:
    minutes = (run.content or {}).get("speaker_minutes", DEFAULT_MINUTES)
    return minutes if isinstance(minutes, int) and MINUTES_MIN <= minutes <= MINUTES_MAX else DEFAULT_MINUTES


@dataclass
class _Group:
    group: LiveGroup
    members: list[int]
    turns: list[CircleTurn]

    @property
    def last(self) -> CircleTurn | None:
        return self.turns[-1] if self.turns else None

    def next(self) -> rotation.Next:
        return rotation.next_turn(self.members, [(t.speaker_id, t.reflector_id) for t in self.turns])


def _locked(run: LiveRun, *, numbers: list[int] | None = None, group_id: int | None = None) -> list[_Group]:
    """The run's groups (all, those numbered, or one by id), locked in number order, with members and turns."""
    groups = LiveGroup.objects.filter(run=run).order_by("number")
    if numbers is not None:
        groups = groups.filter(number__in=numbers)
    if group_id is not None:
        groups = groups.filter(pk=group_id)
    locked = list(groups.select_for_update())
    members: dict[int, list[int]] = {g.pk: [] for g in locked}
    for group_id_, student_id in (
        LiveMember.objects.filter(group__in=locked).order_by("pk").values_list("group_id", "student_id")
    ):
        members[group_id_].append(student_id)
    turns: dict[int, list[CircleTurn]] = {g.pk: [] for g in locked}
    for turn in CircleTurn.objects.filter(group__in=locked).order_by("number"):
        turns[turn.group_id].append(turn)
    return [_Group(group=g, members=members[g.pk], turns=turns[g.pk]) for g in locked]


def _fresh(run: LiveRun) -> LiveRun:
    return LiveRun.objects.get(pk=run.pk)


def _require_running(run: LiveRun) -> None:
    if run.state != State.RUNNING:
        raise ValidationError(_("The circle is not going right now."))


def _own_group(run: LiveRun, student: User) -> _Group:
    group_id = LiveMember.objects.filter(run=run, student=student).values_list("group_id", flat=True).first()
    if group_id is None:
        raise ValidationError(_("You are not in a group yet. Your teacher will put you in one."))
    return _locked(run, group_id=group_id)[0]


def _begin(run: LiveRun, found: _Group, *, reflector: int, now: datetime) -> CircleTurn:
    seconds = speaker_minutes(run) * 60
    speaker = found.next().speaker
    try:
        with transaction.atomic():
            turn = CircleTurn.objects.create(
                run=run, group=found.group, number=(found.last.number + 1) if found.last else 1,
                speaker_id=speaker, reflector_id=reflector, seconds=seconds, started_at=now,
                ends_at=now + timedelta(seconds=seconds),
            )  # fmt: skip
    except IntegrityError:  # the group's lock makes this unreachable; the constraint is the last guard
        raise ValidationError(_("Your group has just moved on. Look at the page again.")) from None
    found.turns.append(turn)
    return turn


def _finished(turn: CircleTurn | None) -> bool:
    return turn is None or turn.rated_at is not None or turn.skipped_at is not None


@transaction.atomic
def circle_reflector_choose(
    run: LiveRun, *, by: User, reflector_id: int | None, now: datetime | None = None
) -> CircleTurn:
    """The next speaker (who just summed up, or the group's first) chooses who sums up for them; their turn begins."""
    now = now or timezone.now()
    run = _fresh(run)
    _require_running(run)
    found = _own_group(run, by)
    upcoming = found.next()
    if upcoming.speaker != by.pk or not _finished(found.last):
        raise ValidationError(_("It is not your turn to choose yet."))
    if reflector_id == by.pk:
        raise ValidationError(_("Choose someone else: you are the one talking."))
    if reflector_id not in found.members:
        raise ValidationError(_("Choose someone from your group."))
    if reflector_id not in upcoming.allowed:
        raise ValidationError(_("Choose someone who has not had a turn to sum up yet."))
    turn = _begin(run, found, reflector=reflector_id, now=now)
    bump(run, stage=True)
    return turn


@transaction.atomic
def circle_turn_finish(run: LiveRun, *, by: User, now: datetime | None = None) -> CircleTurn:
    """The speaker has said all they want to: their time ends now, and the reflector sums up."""
    now = now or timezone.now()
    run = _fresh(run)
    _require_running(run)
    found = _own_group(run, by)
    turn = found.last
    if turn is None or turn.speaker_id != by.pk:
        raise ValidationError(_("It is not your turn to talk."))
    if phase(turn, now) in (Phase.TALKING, Phase.PAUSED):
        turn.ends_at, turn.paused_at, turn.remaining = now, None, None
        turn.save(update_fields=["ends_at", "paused_at", "remaining"])
        bump(run, stage=True)
    return turn


@transaction.atomic
def circle_rate(run: LiveRun, *, by: User, turn_id: int, heard: int | None, now: datetime | None = None) -> CircleTurn:
    """The speaker says how fully heard they felt (1-5), once, after their time is up."""
    now = now or timezone.now()
    run = _fresh(run)
    group_id = CircleTurn.objects.filter(run=run, pk=turn_id).values_list("group_id", flat=True).first()
    if group_id is None:
        raise PermissionDenied
    found = _locked(run, group_id=group_id)[0]
    turn = next((t for t in found.turns if t.pk == turn_id), None)
    if turn is None or turn.speaker_id != by.pk:
        raise PermissionDenied
    if turn.rated_at is not None:
        raise ValidationError(_("You already told us how heard you felt. Thank you!"))
    if turn.skipped_at is not None or turn is not found.last:
        raise ValidationError(_("Your teacher moved your group on, so this turn is over."))
    if heard is None or not HEARD_MIN <= heard <= HEARD_MAX:
        raise ValidationError(_("Choose a number from 1 to 5."))
    if phase(turn, now) != Phase.TIME_UP:
        raise ValidationError(_("Your time is not up yet. Keep talking! You can tell us after."))
    turn.heard, turn.rated_at = heard, now
    turn.save(update_fields=["heard", "rated_at"])
    bump(run, stage=True)
    return turn


def _groups(run: LiveRun, group_number: int | None) -> list[_Group]:
    found = _locked(run, numbers=None if group_number is None else [group_number])
    if group_number is not None and not found:
        raise ValidationError(_("That group is not part of this circle."))
    return found


@transaction.atomic
def circle_pause(run: LiveRun, *, by: User, group_number: int | None = None, now: datetime | None = None) -> int:
    """Stop the clock of one group's speaker (or every group's); returns how many clocks stopped."""
    require_classroom_manager(by, run.classroom)
    now = now or timezone.now()
    run = _fresh(run)
    _require_running(run)
    paused = 0
    for found in _groups(run, group_number):
        turn = found.last
        if turn is not None and phase(turn, now) == Phase.TALKING:
            turn.remaining, turn.paused_at = seconds_left(turn, now), now
            turn.save(update_fields=["remaining", "paused_at"])
            paused += 1
    if paused:
        bump(run, stage=True)
    return paused


@transaction.atomic
def circle_resume(run: LiveRun, *, by: User, group_number: int | None = None, now: datetime | None = None) -> int:
    """Start the stopped clocks again, with the time that was left."""
    require_classroom_manager(by, run.classroom)
    now = now or timezone.now()
    run = _fresh(run)
    _require_running(run)
    resumed = 0
    for found in _groups(run, group_number):
        turn = found.last
        if turn is not None and phase(turn, now) == Phase.PAUSED:
            turn.ends_at, turn.paused_at, turn.remaining = now + timedelta(seconds=turn.remaining or 0), None, None
            turn.save(update_fields=["ends_at", "paused_at", "remaining"])
            resumed += 1
    if resumed:
        bump(run, stage=True)
    return resumed


@transaction.atomic
def circle_skip(
    run: LiveRun, *, by: User, group_number: int | None = None, now: datetime | None = None
) -> list[CircleTurn]:
    """Move a group (or every group) on to its next turn now, with the suggested reflector: a turn not yet
    rated stays unrated (skipped). A group waiting for its first speaker's choice starts with the suggestion."""
    require_classroom_manager(by, run.classroom)
    now = now or timezone.now()
    run = _fresh(run)
    _require_running(run)
    begun = []
    for found in _groups(run, group_number):
        upcoming = found.next()
        if upcoming.suggested is None:
            continue  # a group of one cannot take turns
        turn = found.last
        if turn is not None and not _finished(turn):
            turn.skipped_at, turn.ends_at = now, min(turn.ends_at, now)
            turn.paused_at = turn.remaining = None
            turn.save(update_fields=["skipped_at", "ends_at", "paused_at", "remaining"])
        begun.append(_begin(run, found, reflector=upcoming.suggested, now=now))
    if begun:
        bump(run, stage=True)
    return begun


@transaction.atomic
def circle_minutes_set(run: LiveRun, *, by: User, minutes: int | None) -> LiveRun:
    """The speaker's time for the turns that begin from now on (the run's own copy of the content)."""
    require_classroom_manager(by, run.classroom)
    if minutes is None or not MINUTES_MIN <= minutes <= MINUTES_MAX:
        raise ValidationError(
            {"minutes": _("A speaker talks for %(min)d to %(max)d minutes.") % {"min": MINUTES_MIN, "max": MINUTES_MAX}}
        )
    run = LiveRun.objects.select_for_update().get(pk=run.pk)
    if run.state == State.CLOSED:
        raise ValidationError(_("This circle has ended."))
    run.content = {**(run.content or {}), "speaker_minutes": minutes}
    run.save(update_fields=["content"])
    bump(run)
    return _fresh(run)


def clean_card_text(value: str | None, *, field: str) -> str:
    text = (value or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({field: _("Write a few words here.")})
    if len(text) > CARD_TEXT_MAX:
        raise ValidationError(
            {
                field: _("That is a bit long. Make it %(max)d letters or fewer (now %(n)d).")
                % {"max": CARD_TEXT_MAX, "n": len(text)}
            }
        )
    return text


def circle_card_write(run: LiveRun, *, by: User, like: str, wish: str, now: datetime | None = None) -> CircleCard:
    """A student's closing card ("I like ... / I wish ..."), at the cards step; writing again replaces it."""
    now = now or timezone.now()
    run = _fresh(run)
    if run.state != State.CARDS:
        raise ValidationError(_("The closing cards are not open right now."))
    if not LiveMember.objects.filter(run=run, student=by).exists():
        raise PermissionDenied
    errors = {}
    texts = {}
    for field, value in (("like", like), ("wish", wish)):
        try:
            texts[field] = clean_card_text(value, field=field)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                card, _created = CircleCard.objects.update_or_create(
                    run=run, student=by, defaults={**texts, "written_at": now}
                )
        except IntegrityError:  # the student's other tab wrote one a moment ago
            card = CircleCard.objects.get(run=run, student=by)
            card.like, card.wish, card.written_at = texts["like"], texts["wish"], now
            card.save(update_fields=["like", "wish", "written_at"])
        bump(run)
    return card


def _late_joiner_placed(run: LiveRun, member: LiveMember) -> None:
    """Nothing to set up: the rotation counts the group's members afresh at every turn, so a student placed
    in a group late listens now and is among the first the next speakers may choose to sum up."""


register_on_place_late(content.Kind.LISTENING_CIRCLE, _late_joiner_placed)
