"""A team puzzle on the live pages: its panel (what each view shows) and a member's two writes.

Each student reads only the part(s) they hold; they see what their groupmates told the group and their
group's answer, never another group's (the scoped selectors make another group's part a 404). A write
answers an htmx request with the student's live region, or, without htmx, redirects to the page (or,
when refused, shows it with the message and what they typed).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from curriculum.content import Kind
from curriculum.live import selectors as live_selectors
from curriculum.live import views as live_views
from curriculum.models import LiveRun
from curriculum.puzzles import selectors, services

State = LiveRun.State


def puzzle_panel(*, run: LiveRun, viewer: User, view: str, member, members) -> dict:
    """The puzzle's context: every group for the teacher and the projector, the student's own otherwise."""
    if run.state in (State.OPEN, State.GROUPED):
        return {"puzzle_groups": [], "puzzle_mine": None, "puzzle_form": {}}
    groups = selectors.group_puzzles(run, viewer)
    texts = run.content.get("parts", [])
    mine = None
    if view == "student":
        mine = groups[0] if groups else None
        if mine is not None:
            # A student reads the text of the parts they hold only; their groupmates' words, not their parts.
            mine.own_parts = [part for part in mine.parts if part.student_id == viewer.pk]
            for part in mine.own_parts:
                part.text = texts[part.index] if part.index < len(texts) else None
            mine.others = [part for part in mine.contributions if part.student_id != viewer.pk]
    elif view == "teacher":
        for group in groups:
            for part in group.parts:
                part.text = texts[part.index] if part.index < len(texts) else None
    return {
        "puzzle_groups": groups if view != "student" else [],
        "puzzle_mine": mine,
        "puzzle_form": {},
        "puzzle_answered": sum(1 for group in groups if group.answer and group.answer.text),
    }


live_views.register_kind(Kind.TEAM_PUZZLE, panel=puzzle_panel)


def _student_run(request, pk) -> LiveRun:
    if request.user.role != User.Role.STUDENT:
        raise Http404
    return get_object_or_404(live_selectors.runs_for(request.user).select_related("classroom__school"), pk=pk)


def _answer(request, run, form: dict):
    """The student's page again: their region for htmx, the whole page otherwise; ``form`` holds a refusal."""
    context = live_views.region_context(run, request.user, "student")
    context["puzzle_form"] = form
    if request.headers.get("HX-Request"):
        return render(request, "curriculum/live/_region.html", context)
    if not form:
        return redirect(run)
    return render(request, "curriculum/live/run_student.html", context)


@login_required
@require_POST
def puzzle_contribution(request, pk):
    """A member tells the group what their part says."""
    run = _student_run(request, pk)
    part_id = live_views.posted_id(request.POST.get("part"))
    part = get_object_or_404(selectors.parts_for(request.user).filter(run=run, student=request.user), pk=part_id or 0)
    text = request.POST.get("text", "")
    try:
        services.puzzle_contribution_save(part=part, by=request.user, text=text)
    except ValidationError as error:
        run.refresh_from_db()
        return _answer(request, run, {"part": part.pk, "text": text, "error": " ".join(error.messages)})
    run.refresh_from_db()
    return _answer(request, run, {})


@login_required
@require_POST
def puzzle_answer(request, pk):
    """A member saves the group's answer, over the version they saw."""
    run = _student_run(request, pk)
    answer = get_object_or_404(selectors.answers_for(request.user).filter(run=run).select_related("run"))
    text = request.POST.get("text", "")
    seen = live_views.posted_id(request.POST.get("version"))
    try:
        services.puzzle_answer_save(
            answer=answer, by=request.user, text=text, seen_version=seen if seen is not None else -1
        )
    except services.AnswerConflict as conflict:
        run.refresh_from_db()
        return _answer(
            request, run, {"answer": True, "text": text, "error": conflict.messages[0], "theirs": conflict.answer}
        )
    except ValidationError as error:
        run.refresh_from_db()
        return _answer(request, run, {"answer": True, "text": text, "error": " ".join(error.messages)})
    run.refresh_from_db()
    return _answer(request, run, {})
