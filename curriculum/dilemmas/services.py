"""A live dilemma's writes: a vote (in the first round or at the re-vote), a restatement of a classmate's
reason with the reply to it, and the author's rating of that restatement.

Each one locks the run's row first (``SELECT ... FOR UPDATE``), then checks its step: a teacher moving the
run on waits for a vote under way, and a vote that arrives after the step moved on is refused, never
counted in the wrong round. The lock also orders the 30 students of a class writing at once; the unique
constraints (one vote per round, one restatement per reader) are the last word if anything slips past.

Refusals are ``ValidationError`` with a sentence for a child of 8 to 14; the view shows the form again with
what they typed.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from curriculum.dilemmas import selectors
from curriculum.live.services import bump, live_join
from curriculum.models import DILEMMA_TEXT_MAX, DilemmaVote, LiveRun, Restatement

State = LiveRun.State


def _text(value: str, *, field: str, required: bool, empty: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationError({field: empty})
    if len(value) > DILEMMA_TEXT_MAX:
        raise ValidationError(
            {
                field: _("That is a bit long: please keep it under %(max)d letters (you have %(n)d).")
                % {"max": DILEMMA_TEXT_MAX, "n": len(value)}
            }
        )
    if "\x00" in value:
        raise ValidationError({field: _("Something odd was pasted in. Please type it again.")})
    return value


def _locked(run: LiveRun) -> LiveRun:
    return LiveRun.objects.select_for_update().get(pk=run.pk)


def dilemma_vote(
    run: LiveRun, *, by: User, option: int | None, reason: str, now: datetime | None = None
) -> DilemmaVote:
    """``by`` picks an option (with a reason in the first round; the reason is optional at the re-vote)."""
    live_join(run, by)  # a student of the class who never opened the page joins by voting
    with transaction.atomic():
        run = _locked(run)
        round_ = selectors.round_open(run)
        if round_ is None:
            raise ValidationError(_("Voting has closed, so this vote was not counted."))
        if option is None or not 0 <= option < len(selectors.options_of(run)):
            raise ValidationError({"option": _("Pick one of the choices.")})
        reason = _text(
            reason,
            field="reason",
            required=round_ == selectors.FIRST,
            empty=_("Tell why you picked it, in a few words."),
        )
        if DilemmaVote.objects.filter(run=run, round=round_, student=by).exists():
            raise ValidationError(_("You have already voted. Each person votes once."))
        try:
            with transaction.atomic():
                vote = DilemmaVote.objects.create(
                    run=run, student=by, round=round_, option=option, reason=reason, voted_at=now or timezone.now()
                )
        except IntegrityError:  # the same student's other tab, a moment ago
            raise ValidationError(_("You have already voted. Each person votes once.")) from None
        bump(run)
    return vote


def restatement_write(
    run: LiveRun, *, by: User, author_id: int | None, restatement: str, reply: str, now: datetime | None = None
) -> Restatement:
    """``by`` says back the reason of the classmate they were given (``author_id``, as their page showed it),
    in their own words, then replies to it. The assignments of the whole run are stored with the first one."""
    if by.role != User.Role.STUDENT:
        raise PermissionDenied
    if author_id == by.pk:
        raise ValidationError(_("That is your own reason. Say back a classmate's reason instead."))
    restatement = _text(
        restatement, field="restatement", required=True, empty=_("Say back their reason in your own words first.")
    )
    reply = _text(reply, field="reply", required=True, empty=_("Now write your reply to them."))
    now = now or timezone.now()
    with transaction.atomic():
        run = _locked(run)
        if run.state != State.RESTATING:
            raise ValidationError(_("This step has ended, so this was not saved."))
        assigned = selectors.assignments(run)
        mine = assigned.get(by.pk)
        if mine is None:
            raise ValidationError(_("There is no classmate's reason for you to say back."))
        if author_id != mine:
            raise ValidationError(_("This is not the reason you were given. The page now shows yours."))
        Restatement.objects.bulk_create(
            [
                Restatement(run=run, reader_id=reader, author_id=author, assigned_at=now)
                for reader, author in sorted(assigned.items())
            ],
            ignore_conflicts=True,
        )
        row = Restatement.objects.select_for_update().get(run=run, reader=by)
        if row.restated_at is not None:
            raise ValidationError(_("You have already said it back. Thank you!"))
        row.restatement, row.reply, row.restated_at = restatement, reply, now
        row.save(update_fields=["restatement", "reply", "restated_at"])
        bump(run, stage=True)  # the author's page now shows it, to rate
    return row


def restatement_rate(restatement: Restatement, *, by: User, rating: str, now: datetime | None = None) -> Restatement:
    """The author of the reason says whether the restatement got it (yes / partly / no); they may change it
    until the activity closes."""
    if restatement.author_id != by.pk:
        raise PermissionDenied
    if rating not in Restatement.Rating.values:
        raise ValidationError({"rating": _("Pick yes, partly or not really.")})
    with transaction.atomic():
        run = _locked(restatement.run)
        if run.state == State.CLOSED:
            raise ValidationError(_("This activity has ended, so the rating was not saved."))
        row = Restatement.objects.select_for_update().get(pk=restatement.pk)
        if row.restated_at is None:
            raise ValidationError(_("There is nothing to rate yet."))
        row.rating, row.rated_at = rating, now or timezone.now()
        row.save(update_fields=["rating", "rated_at"])
        bump(run, stage=True)  # the reader sees how it landed
    return row
