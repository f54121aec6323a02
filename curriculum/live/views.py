"""Live class practice: the teacher's page and projector, the student's page, and their polls.

Thin, as everywhere: fetch through the scoped selectors (another class's run is a 404), call a service,
render. The polls answer a conditional GET: their ETag is the run's ``version`` (the teacher and the
projector, who see every vote) or its ``stage`` (a student, whose page changes only when the activity
moves on or their group changes), read in one query before anything is rendered, so an unchanged state
costs a 304 and no template. Each kind (a dilemma, a circle, a puzzle) adds its part of the page through
``PANELS``: its templates under templates/curriculum/live/<kind>/ and the context they need.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_POST, require_safe

from accounts.decorators import login_required_htmx
from accounts.models import User
from classrooms.views import managed_classroom
from curriculum.live import selectors, services
from curriculum.live.grouping import SIZE_MAX, SIZE_MIN
from curriculum.models import Activity, Lesson, LiveMember, LiveRun
from curriculum.permissions import lesson_scope

State = LiveRun.State
VIEWS = ("teacher", "projector", "student")
ID_DIGITS_MAX = 18

# kind -> (run=, viewer=, view=, member=, members=) -> the kind's context for its templates (``members``: the
# members the viewer may see, selectors.members_seen's list, once the run is past its open step; else None).
PANELS: dict[str, Callable[..., dict]] = {}
# kind -> run -> (student id -> answer, the answers' order): what groups are formed from, when a kind has answers.
GROUP_ANSWERS: dict[str, Callable[[LiveRun], tuple[dict, tuple]]] = {}


def register_kind(
    kind: str, *, panel: Callable[..., dict], group_answers: Callable[[LiveRun], tuple[dict, tuple]] | None = None
) -> None:
    """A kind's subpackage (curriculum.dilemmas, ...) adds its part of the live pages; it imports this
    module, never the other way, so the subpackages stay one-directional. Called when its views load
    (curriculum.urls includes them)."""
    PANELS[kind] = panel
    if group_answers is not None:
        GROUP_ANSWERS[kind] = group_answers


def posted_id(value) -> int | None:
    """A posted id as an int, or None when it is not a plain number of a sane length (never a 500)."""
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) <= ID_DIGITS_MAX else None


def run_in_scope(request, pk, *, lead: bool) -> LiveRun:
    """The run ``pk`` if the signed-in user leads it (``lead``) or takes part in it; else 404."""
    run = selectors.run_opened(request.user, pk, lead=lead, related=("classroom__school",))
    if run is None:
        raise Http404
    return run


def region_context(run: LiveRun, viewer: User, view: str) -> dict:
    """What the live region's templates need for ``viewer`` in ``view``, the kind's panel included."""
    # The members ``viewer`` may see, read once (past the open step) for the groups, the viewer's own member, the
    # joined count and the kind's panel. The run is one ``viewer`` may open or lead (every caller fetched it through
    # runs_for / runs_led_by), so their own member is among them, and a leader's list is every member of the run.
    members = selectors.members_seen(run, viewer) if run.state != State.OPEN else None
    member = None
    if viewer.role == User.Role.STUDENT:
        if members is None:
            member = LiveMember.objects.filter(run=run, student=viewer).select_related("group").first()
        else:
            member = next((m for m in members if m.student_id == viewer.pk), None)
    steps = services.STEPS[run.kind]
    context = {
        "run": run,
        "view": view,
        "member": member,
        "steps": [
            (step, State(step).label, steps.index(step) < steps.index(run.state), step == run.state) for step in steps
        ],
        "next_state": services.next_state(run),
        "next_label": State(services.next_state(run)).label if services.next_state(run) else "",
        "groups": selectors.groups_with_members(run, viewer, members=members) if members is not None else [],
        "places_late": view == "teacher" and services.places_late(run),
        "size_range": range(SIZE_MIN, SIZE_MAX + 1),
        "group_modes": LiveRun.GroupMode.choices if run.kind in GROUP_ANSWERS else [],
        "kind_template": f"curriculum/live/{run.kind}/_{view}.html",
        "etag": _etag(run.pk, view, run.stage if view == "student" else run.version, viewer),
        "joined": None if view == "student" else _joined(run, members),
        "poll_url": reverse("curriculum:live_poll", args=[run.pk, view]),
    }
    panel = PANELS.get(run.kind)
    if panel is not None:
        context.update(panel(run=run, viewer=viewer, view=view, member=member, members=members))
    return context


def _joined(run: LiveRun, members: list[LiveMember] | None) -> int:
    """How many joined ``run``, for its leader: their list of the run's members when the page read it."""
    return len(members) if members is not None else LiveMember.objects.filter(run=run).count()


def live_section(request, classroom, can_manage) -> dict | None:
    """The classroom page's "Live now": the run under way here, for its leaders to return to and its
    students to join. One query; nothing (no tab) when no run is under way."""
    scope = selectors.runs_led_by(request.user) if can_manage else selectors.runs_for(request.user)
    if not can_manage and request.user.role != User.Role.STUDENT:
        return None
    run = scope.filter(classroom=classroom).exclude(state=State.CLOSED).first()
    return {"live_run": run} if run else None


def _leads(user: User) -> bool:
    return user.role in (User.Role.TEACHER, User.Role.SCHOOL_ADMIN)


@login_required
@require_POST
def live_start(request):
    """Start an activity live with one of the teacher's classrooms (both chosen on the lesson page)."""
    classroom = managed_classroom(request, posted_id(request.POST.get("classroom")) or 0)
    lessons = Lesson.objects.filter(lesson_scope(request.user)).values("pk")
    activity = Activity.objects.filter(lesson__in=lessons, pk=posted_id(request.POST.get("activity"))).first()
    if activity is None:
        raise Http404
    try:
        run = services.live_start(classroom=classroom, activity=activity, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        running = selectors.runs_led_by(request.user).filter(classroom=classroom).exclude(state=State.CLOSED).first()
        return redirect(running or activity.lesson)
    return redirect(run)


@login_required
@require_safe
def live_run(request, pk):
    """The teacher's page (controls, every group) or the student's (their step, their group)."""
    if _leads(request.user):
        run = run_in_scope(request, pk, lead=True)
        return render(request, "curriculum/live/run_teacher.html", region_context(run, request.user, "teacher"))
    run = run_in_scope(request, pk, lead=False)
    if request.user.role != User.Role.STUDENT:
        raise Http404
    if run.state != State.CLOSED:
        try:
            services.live_join(run, request.user)
        except ValidationError:
            pass  # closed a moment ago: the page says so
        run.refresh_from_db()
    return render(request, "curriculum/live/run_student.html", region_context(run, request.user, "student"))


@login_required
@require_safe
def live_projector(request, pk):
    """What the class sees on the wall: no names of who chose what, large type, the step and its timer."""
    run = run_in_scope(request, pk, lead=True)
    return render(request, "curriculum/live/projector.html", region_context(run, request.user, "projector"))


def _etag(run_pk: int, view: str, value: int, user: User) -> str:
    return f'"live-{run_pk}-{view}-{value}-{user.pk}-{get_language()}"'


def _poll_etag(request, pk, view):
    """The run's version (teacher, projector) or stage (student), one query; None (so a 404) if not theirs. The
    run it reads is kept on the request (``live_poll_run``): a poll that must answer in full renders that row
    rather than read it again."""
    if view not in VIEWS or not request.user.is_authenticated:
        return None
    lead = view != "student"
    if lead != _leads(request.user):
        return None
    run = selectors.run_opened(request.user, pk, lead=lead)
    if run is None:
        return None
    request.live_poll_run = run
    return _etag(pk, view, run.version if lead else run.stage, request.user)


@login_required_htmx
@require_safe
@cache_control(private=True, no_cache=True)
@condition(etag_func=_poll_etag)
def live_poll(request, pk, view):
    """The live part of a page, for htmx to swap in; 304 when nothing changed since the page's ETag."""
    if view not in VIEWS or (view != "student") != _leads(request.user):
        raise Http404
    run = getattr(request, "live_poll_run", None) or run_in_scope(request, pk, lead=view != "student")
    return render(request, "curriculum/live/_region.html", region_context(run, request.user, view))


def _back(request, run: LiveRun):
    return redirect(run)


@login_required
@require_POST
def live_advance(request, pk):
    run = run_in_scope(request, pk, lead=True)
    try:
        services.live_advance(run, by=request.user, expected=request.POST.get("expected", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, run)


@login_required
@require_POST
def live_close(request, pk):
    run = run_in_scope(request, pk, lead=True)
    services.live_close(run, by=request.user)
    return _back(request, run)


@login_required
@require_POST
def live_groups(request, pk):
    """Form the groups (again), in the mode and size the teacher chose."""
    run = run_in_scope(request, pk, lead=True)
    size = posted_id(request.POST.get("size")) or 0
    mode = request.POST.get("mode", LiveRun.GroupMode.MIXED)
    answers_for = GROUP_ANSWERS.get(run.kind)
    answers, order = answers_for(run) if answers_for else (None, ())
    try:
        services.live_groups_form(run, by=request.user, size=size, mode=mode, answers=answers, order=order)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, run)


@login_required
@require_POST
def live_move(request, pk):
    run = run_in_scope(request, pk, lead=True)
    try:
        services.live_member_move(
            run,
            by=request.user,
            student_id=posted_id(request.POST.get("student")) or 0,
            group_number=posted_id(request.POST.get("group")) or 0,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, run)
