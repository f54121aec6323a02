"""Reading live runs, always through the viewer's scope (curriculum.permissions)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import User
from curriculum.models import LiveMember, LiveRun
from curriculum.permissions import (
    live_members_of_run,
    live_members_seen_in,
    live_run_join_scope,
    live_run_manage_scope,
    live_run_scope,
    opened_by,
    opened_here,
)

logger = logging.getLogger(__name__)

# What a live page reads of a member (members_seen): who, in which group, and the student's names, as columns.
MEMBER_COLUMNS = (
    "pk", "run_id", "student_id", "group_id", "joined_at", "student__first_name", "student__last_name",
    "student__username", "group__number",
)  # fmt: skip


class StudentNames:
    """Of a classmate, what the live pages show: their names (not a User row: nothing else of it is read)."""

    __slots__ = ("pk", "first_name", "last_name", "username")

    def __init__(self, pk: int, first_name: str, last_name: str, username: str) -> None:
        self.pk, self.first_name, self.last_name, self.username = pk, first_name, last_name, username

    @property
    def id(self) -> int:
        return self.pk

    def get_full_name(self) -> str:
        """As User.get_full_name."""
        return f"{self.first_name} {self.last_name}".strip()

    def __str__(self) -> str:
        return self.username


class GroupNumber:
    """A member's group, as the live pages show it: its number."""

    __slots__ = ("pk", "run_id", "number")

    def __init__(self, pk: int, run_id: int, number: int) -> None:
        self.pk, self.run_id, self.number = pk, run_id, number

    @property
    def id(self) -> int:
        return self.pk


class MemberSeen:
    """A member of a live run as ``members_seen`` reads it: who, in which group, and the student's names. Read only
    (a member is changed through curriculum.live.services, which reads its own LiveMember row)."""

    __slots__ = ("pk", "run_id", "student_id", "group_id", "joined_at", "student", "group")

    def __init__(self, pk, run_id, student_id, group_id, joined_at, first_name, last_name, username, number) -> None:
        self.pk, self.run_id, self.student_id, self.group_id, self.joined_at = pk, run_id, student_id, group_id, joined_at
        self.student = StudentNames(student_id, first_name, last_name, username)
        self.group = GroupNumber(group_id, run_id, number) if group_id is not None else None

    @property
    def id(self) -> int:
        return self.pk


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


# How long a run's rows stay kept under one version (run_rows): what no version counts, a student's name
# changed on the roster meanwhile, shows on the live pages within this time.
RUN_ROWS_TTL = 60  # seconds


def run_rows(run: LiveRun, name: str, read: Callable[[], list]) -> list:
    """``read()``'s rows of ``run`` (all of the run's, with no viewer's scope: callers narrow them), kept in the
    cache under the run's ``version``. Every change a live page shows moves the version in the same transaction
    (curriculum.live.services.bump), so the rows kept under a version are that version's (or newer: rows read
    after a change committed, kept under the version the page read just before); a page that read the run after
    a change reads the new version's rows. When a run's stage moves, each of its 25 students' polls answers in
    full within the next two seconds: the first reads the rows, the others take them from here (issue 15).
    A failing cache costs the reading; a run read without its version (an expression left by an UPDATE) is
    read. Not for a page kept whole (accounts.data_versions.kept_page keeps a page by the tables its queries
    read, and rows taken from here run none): the live pages are drawn on every look."""
    if not isinstance(run.version, int) or run.started_at is None:
        return read()
    key = f"live:rows:{run.pk}:{run.started_at.timestamp()}:{run.version}:{name}"
    try:
        found = cache.get(key)
    except Exception:  # the cache is a saving, not a dependency
        logger.warning("the live rows cache failed; read again", exc_info=True)
        return read()
    if found is not None:
        return found
    rows = read()
    try:
        cache.set(key, rows, RUN_ROWS_TTL)
    except Exception:
        logger.warning("the live rows cache failed", exc_info=True)
    return rows


_MEMBER_ORDER = ("group__number", "student__first_name", "student__last_name", "pk")


def members_seen(run: LiveRun, viewer: User) -> list[MemberSeen]:
    """The members of ``run`` ``viewer`` may see (``live_member_scope``, as ``live_members_of_run`` narrows it to the
    run), with their students' names and group numbers, in ``groups_with_members``' order: read once for a live
    page, whose parts (the groups, the viewer's own member, a kind's panel) each take what they need from it. Of a
    student, only what the pages show of a classmate: their names. Read as columns (``MemberSeen``), not as model
    rows: a poll reads them every two seconds, and building three model instances a member cost more than the
    query. For a run the viewer opened in this request, every member of the run is read once per version
    (``run_rows``) and narrowed to the viewer's by ``live_members_seen_in``, the scope's twin."""
    if opened_here(run, viewer):
        everyone = run_rows(
            run,
            "members",
            lambda: list(LiveMember.objects.filter(run_id=run.pk).order_by(*_MEMBER_ORDER).values_list(*MEMBER_COLUMNS)),
        )
        return live_members_seen_in(viewer, run, [MemberSeen(*row) for row in everyone])
    rows = (
        LiveMember.objects.filter(live_members_of_run(viewer, run)).order_by(*_MEMBER_ORDER).values_list(*MEMBER_COLUMNS)
    )
    return [MemberSeen(*row) for row in rows]


def groups_with_members(
    run: LiveRun, viewer: User, *, members: list[MemberSeen] | None = None
) -> list[tuple[int, list[MemberSeen]]]:
    """(group number, its members) of ``run`` as ``viewer`` may see them: every group for its leader, a
    student's own group for a student; then those in no group yet (number 0). ``members``: ``members_seen``'s
    list when the page has it already."""
    grouped: dict[int, list[MemberSeen]] = {}
    for member in members_seen(run, viewer) if members is None else members:
        grouped.setdefault(member.group.number if member.group else 0, []).append(member)
    return sorted(grouped.items(), key=lambda item: (item[0] == 0, item[0]))
