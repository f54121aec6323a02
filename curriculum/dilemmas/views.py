"""A live dilemma's part of the live pages (its panel) and the students' three actions: vote, say back a
classmate's reason and reply, rate what a classmate said back of one's own reason.

The actions are plain form POSTs (they work without JavaScript): a success goes back to the page; a
refusal shows the page again with the message and what the student typed in the box, so nothing typed is
lost. When the step moved on meanwhile, the typed text is also put in the message at the top of the page,
outside the part that follows the run, so the next poll cannot take it away.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from curriculum.content import Kind
from curriculum.dilemmas import selectors, services
from curriculum.live import selectors as live_selectors
from curriculum.live import views as live_views
from curriculum.live.views import register_kind
from curriculum.models import DILEMMA_TEXT_MAX, LiveRun, Restatement
from curriculum.permissions import restatement_scope

State = LiveRun.State


def panel(*, run: LiveRun, viewer: User, view: str, member, members) -> dict:
    """What the dilemma's templates need at the run's step, for the teacher, the projector or a student."""
    context: dict = {"text_max": DILEMMA_TEXT_MAX, "vote_form": {}, "restate_form": {}}
    if run.state == State.OPEN:
        return context
    counts = selectors.split(run)
    context["split"] = counts
    context["round_open"] = selectors.round_open(run)
    context["total_first"] = sum(c.first for c in counts)
    context["total_second"] = sum(c.second for c in counts)
    if run.state in (State.RESTATING, State.REVOTE, State.CLOSED):
        context["ratings"] = selectors.rating_counts(run)
    if run.state == State.CLOSED:
        context["movement"] = selectors.movement(run, counts)
    if view == "student":
        mine = selectors.votes_of(run, viewer)
        context["my_votes"] = mine
        context["my_first"] = mine.get(selectors.FIRST)
        context["my_second"] = mine.get(selectors.SECOND)
        if run.state in (State.RESTATING, State.REVOTE, State.CLOSED):
            context["restated"] = selectors.restatement_by(run, viewer)
            context["of_mine"] = selectors.restatements_of(run, viewer)
            context["rating_choices"] = Restatement.Rating.choices
        if run.state == State.RESTATING and context["restated"] is None:
            context["to_restate"] = selectors.reason_to_restate(run, viewer)
    return context


register_kind(Kind.DILEMMA, panel=panel, group_answers=selectors.first_answers)


def _student_run(request, pk) -> LiveRun:
    if request.user.role != User.Role.STUDENT:
        raise Http404
    return get_object_or_404(live_selectors.runs_for(request.user).select_related("classroom__school"), pk=pk)


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _again(request, run: LiveRun, error: ValidationError, *, form: str, typed: dict, kept: str):
    """The student's page again with the refusal and what they typed: in the form when it is still there;
    otherwise (the step has moved on, or it was done already) in the message, so nothing typed is lost.
    When the step has moved on, the message is at the top of the page, outside the polled part."""
    run = LiveRun.objects.get(pk=run.pk)  # the run as it is now: the step may have moved on
    errors = _errors(error)
    general = errors.pop("__all__", [])
    if general and kept:
        general = [_("%(why)s Here is what you wrote: “%(text)s”") % {"why": " ".join(general), "text": kept}]
    step = State.RESTATING if form == "restate_form" else None
    moved = (run.state != step) if step else selectors.round_open(run) is None
    if general and moved:
        for message in general:
            messages.warning(request, message)
        general = []
    context = live_views.region_context(run, request.user, "student")
    context[form] = {"typed": typed, "errors": errors, "general": general}
    return render(request, "curriculum/live/run_student.html", context)


@login_required
@require_POST
def dilemma_vote(request, pk):
    run = _student_run(request, pk)
    option = live_views.posted_id(request.POST.get("option"))
    reason = request.POST.get("reason", "")
    try:
        services.dilemma_vote(run, by=request.user, option=option, reason=reason)
    except ValidationError as error:
        return _again(
            request, run, error, form="vote_form", typed={"option": option, "reason": reason}, kept=reason.strip()
        )
    return redirect(run)


@login_required
@require_POST
def dilemma_restate(request, pk):
    run = _student_run(request, pk)
    restatement, reply = request.POST.get("restatement", ""), request.POST.get("reply", "")
    try:
        services.restatement_write(
            run,
            by=request.user,
            author_id=live_views.posted_id(request.POST.get("author")),
            restatement=restatement,
            reply=reply,
        )
    except ValidationError as error:
        kept = " / ".join(t.strip() for t in (restatement, reply) if t.strip())
        return _again(
            request, run, error, form="restate_form", typed={"restatement": restatement, "reply": reply}, kept=kept
        )
    return redirect(run)


@login_required
@require_POST
def dilemma_rate(request, pk, restatement_pk):
    """Only the author of the reason rates it: anyone else's id is a 404."""
    run = _student_run(request, pk)
    restatement = get_object_or_404(
        Restatement.objects.filter(restatement_scope(request.user), run=run, author=request.user).select_related("run"),
        pk=restatement_pk,
    )
    try:
        services.restatement_rate(restatement, by=request.user, rating=request.POST.get("rating", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(run)
