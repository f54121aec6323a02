"""Reading live runs, always through the viewer's scope (curriculum.permissions)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from curriculum.models import LiveMember, LiveRun
from curriculum.permissions import (
    live_members_of_run,
    live_run_join_scope,
    live_run_manage_scope,
    live_run_scope,
    opened_by,
)

# What a live page reads of a member (members_seen): who, in which group, and the student's names.
MEMBER_FIELDS = (
    "run", "student", "group", "joined_at", "student__first_name", "student__last_name", "student__username",
    "group__run", "group__number",
)  # fmt: skip


def runs_for(user: User) -> QuerySet[LiveRun]:
    return LiveRun.objects.filter(live_run_scope(user))


def runs_led_by(user: User) -> QuerySet[LiveRun]:
    return LiveRun.objects.filter(live_run_manage_scope(user))


def run_opened(user: User, pk, *, lead: bool, related: tuple[str, ...] = ()) -> LiveRun | None:
    """The run ``pk`` if ``user`` leads it (``lead``: ``runs_led_by``) or takes part in it (``runs_for``), recorded as
    opened by them (curriculum.permissions.opened_by: its members and turns are then read by lookups on it alone);
    else None."""
    # runs_led_by is runs_for for everyone but a student, who leads none; live_run_join_scope is runs_for's scope as
    # joins, which compile faster for one run (tests/test_scopes.py holds them to the same rows).
    if lead and (not getattr(user, "is_authenticated", False) or user.role == User.Role.STUDENT):
        return None
    scope = LiveRun.objects.filter(live_run_join_scope(user), pk=pk)
    run = (scope.select_related(*related) if related else scope).first()
    if run is not None:
        opened_by(run, user)
    return run


def live_now_for_student(user: User) -> list[LiveRun]:
    """The runs under way in the student's classrooms (one per classroom at most), for their home page: only their
    titles and classroom names (a run's content is read by its own page)."""
    return list(
        runs_for(user)
        .exclude(state=LiveRun.State.CLOSED)
        .select_related("classroom")
        .only("title", "title_es", "classroom__name")
        .order_by("classroom__name")
    )


def members_seen(run: LiveRun, viewer: User) -> list[LiveMember]:
    """The members of ``run`` ``viewer`` may see (``live_member_scope``, as ``live_members_of_run`` narrows it to the
    run), with their students and groups, in ``groups_with_members``' order: read once for a live page, whose parts
    (the groups, the viewer's own member, a kind's panel) each take what they need from it. Of a student, only what
    the pages show of a classmate: their names."""
    return list(
        LiveMember.objects.filter(live_members_of_run(viewer, run))
        .select_related("student", "group")
        .only(*MEMBER_FIELDS)
        .order_by("group__number", "student__first_name", "student__last_name", "pk")
    )


def groups_with_members(
    run: LiveRun, viewer: User, *, members: list[LiveMember] | None = None
) -> list[tuple[int, list[LiveMember]]]:
    """(group number, its members) of ``run`` as ``viewer`` may see them: every group for its leader, a
    student's own group for a student; then those in no group yet (number 0). ``members``: ``members_seen``'s
    list when the page has it already."""
    grouped: dict[int, list[LiveMember]] = {}
    for member in members_seen(run, viewer) if members is None else members:
        grouped.setdefault(member.group.number if member.group else 0, []).append(member)
    return sorted(grouped.items(), key=lambda item: (item[0] == 0, item[0]))
