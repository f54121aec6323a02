"""A listening circle's part of the live pages, and what its students and teacher do there.

The run's own pages, polls and steps are curriculum.live's; this module adds the circle's panel (every
group's turn and countdown for the teacher and the projector, a student's role and buttons) through
``register_kind``, and the POSTs: a student chooses who sums up for them, ends their talking, says how
heard they felt, writes their closing card; the teacher pauses, resumes or skips a group or all of them,
and sets the speaker's minutes. Each POST goes back to the run's page (a message says what was refused),
but a card that is refused is shown again with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from curriculum import content
from curriculum.circles import selectors, services
from curriculum.circles.clock import Phase
from curriculum.live.views import posted_id, region_context, register_kind, run_in_scope
from curriculum.models import CARD_TEXT_MAX, CircleTurn, LiveRun
from curriculum.permissions import circle_turn_scope

State = LiveRun.State

# The teacher's checklist of a good reflection, on the projector (our own words).
CHECKLIST = (
    _("Say back what you heard, in your own words."),
    _("Name the feeling: “You felt … when …”"),
    _("No advice: not “you should …”."),
    _("No judging: not “that was silly” or “that was right”."),
    _("No questions: just sum up."),
)
CARD_FIELDS = (
    ("like", _("I like …"), _("Something you liked about the circle today.")),
    ("wish", _("I wish …"), _("Something you wish for next time.")),
)
HEARD_CHOICES = (
    (1, _("Not really")),
    (2, _("A little")),
    (3, _("Partly")),
    (4, _("Mostly")),
    (5, _("Fully heard")),
)


def _epoch_ms(moment) -> int:
    return int(moment.timestamp() * 1000)


def circle_panel(*, run: LiveRun, viewer: User, view: str, member, members) -> dict:
    now = timezone.now()
    boards = selectors.circle_boards(run, viewer, now=now, members=members) if run.state != State.OPEN else []
    context = {
        "boards": boards,
        "server_now_ms": _epoch_ms(now),
        "server_now": now.isoformat(),
        "checklist": CHECKLIST,
        "heard_choices": HEARD_CHOICES,
        "speaker_minutes": services.speaker_minutes(run),
        "minutes_range": range(services.MINUTES_MIN, services.MINUTES_MAX + 1),
        "card_max": CARD_TEXT_MAX,
        "card_fields": CARD_FIELDS,
        "Phase": {name: getattr(Phase, name) for name in ("TALKING", "PAUSED", "TIME_UP", "RATED", "SKIPPED")},
    }
    if view == "student":
        board = boards[0] if boards else None
        turn = board.current if board else None
        role = None
        if turn is not None and board.phase in (Phase.TALKING, Phase.PAUSED, Phase.TIME_UP):
            role = (
                "speaker"
                if turn.speaker_id == viewer.pk
                else "reflector"
                if turn.reflector_id == viewer.pk
                else "listener"
            )
        context.update(
            board=board,
            turn=turn,
            role=role,
            me=board.seat(viewer.pk) if board else None,
            choosing_me=bool(board and board.choosing and board.next.speaker == viewer.pk),
        )
        if run.state in (State.CARDS, State.CLOSED):
            card = selectors.cards_for(run, viewer).first()
            context.setdefault("card", card)
            context.setdefault(
                "card_values", {"like": card.like, "wish": card.wish} if card else {"like": "", "wish": ""}
            )
            context.setdefault("card_errors", {})
    elif run.state in (State.CARDS, State.CLOSED):
        context["cards"] = list(selectors.cards_for(run, viewer))
    return context


register_kind(content.Kind.LISTENING_CIRCLE, panel=circle_panel)


def _student_run(request, pk) -> LiveRun:
    if request.user.role != User.Role.STUDENT:
        raise Http404
    run = run_in_scope(request, pk, lead=False)
    if run.kind != content.Kind.LISTENING_CIRCLE:
        raise Http404
    return run


def _leader_run(request, pk) -> LiveRun:
    run = run_in_scope(request, pk, lead=True)
    if run.kind != content.Kind.LISTENING_CIRCLE:
        raise Http404
    return run


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def circle_choose(request, pk):
    """The next speaker chooses who sums up for them: their turn begins."""
    run = _student_run(request, pk)
    try:
        services.circle_reflector_choose(run, by=request.user, reflector_id=posted_id(request.POST.get("reflector")))
    except ValidationError as error:
        _refused(request, error)
    return redirect(run)


@login_required
@require_POST
def circle_finish(request, pk):
    """The speaker has said all they want to."""
    run = _student_run(request, pk)
    try:
        services.circle_turn_finish(run, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    return redirect(run)


@login_required
@require_POST
def circle_rate(request, pk):
    """The speaker says how fully heard they felt. A turn they did not speak in is a 404."""
    run = _student_run(request, pk)
    turn = get_object_or_404(
        CircleTurn.objects.filter(circle_turn_scope(request.user), run=run, speaker=request.user),
        pk=posted_id(request.POST.get("turn")) or 0,
    )
    heard = posted_id(request.POST.get("heard"))
    try:
        services.circle_rate(run, by=request.user, turn_id=turn.pk, heard=heard)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Thank you for telling your group!"))
    return redirect(run)


@login_required
@require_POST
def circle_card(request, pk):
    """A student's closing card; refused, it is shown again with what they typed and what to change."""
    run = _student_run(request, pk)
    like, wish = request.POST.get("like", ""), request.POST.get("wish", "")
    try:
        services.circle_card_write(run, by=request.user, like=like, wish=wish)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        context = region_context(run, request.user, "student")
        if hasattr(error, "error_dict"):
            context.update(card_values={"like": like, "wish": wish}, card_errors=error.message_dict)
            return render(request, "curriculum/live/run_student.html", context)
        _refused(request, error)
        return redirect(run)
    messages.success(request, _("Your card is saved. Thank you!"))
    return redirect(run)


def _group_number(request) -> int | None:
    """The group the teacher's button is for; None (every group) for "all"."""
    value = request.POST.get("group", "all")
    return None if value == "all" else (posted_id(value) or 0)


def _teacher_action(request, pk, action) -> object:
    run = _leader_run(request, pk)
    try:
        action(run, by=request.user, group_number=_group_number(request))
    except ValidationError as error:
        _refused(request, error)
    return redirect(run)


@login_required
@require_POST
def circle_pause(request, pk):
    return _teacher_action(request, pk, services.circle_pause)


@login_required
@require_POST
def circle_resume(request, pk):
    return _teacher_action(request, pk, services.circle_resume)


@login_required
@require_POST
def circle_skip(request, pk):
    return _teacher_action(request, pk, services.circle_skip)


@login_required
@require_POST
def circle_minutes(request, pk):
    run = _leader_run(request, pk)
    try:
        run = services.circle_minutes_set(run, by=request.user, minutes=posted_id(request.POST.get("minutes")))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("Saved: turns that begin from now on last %(n)d minutes.") % {"n": services.speaker_minutes(run)}
        )
    return redirect(run)
