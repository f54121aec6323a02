"""Reading a listening circle as its viewer may see it: every group for the leader, a student's own group."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User
from curriculum.circles import rotation
from curriculum.circles.clock import Phase, phase, seconds_left
from curriculum.live.selectors import run_rows
from curriculum.models import CircleCard, CircleTurn, LiveMember, LiveRun
from curriculum.permissions import circle_card_scope, circle_turns_of_run, live_members_of_run


@dataclass
class Seat:
    """A member of a group, with how many times they spoke and summed up so far."""

    member: LiveMember
    spoke: int = 0
    reflected: int = 0

    @property
    def student(self) -> User:
        return self.member.student

    @property
    def name(self) -> str:
        """What classmates call them: the first name (or the username, if there is none)."""
        return self.member.student.first_name or self.member.student.username

    @property
    def full_name(self) -> str:
        return self.member.student.get_full_name() or self.member.student.username

    @property
    def student_id(self) -> int:
        return self.member.student_id


@dataclass
class GroupBoard:
    number: int
    seats: list[Seat]
    turns: list[CircleTurn] = field(default_factory=list)
    phase: str | None = None  # of the current turn; None before the first
    seconds_left: int = 0
    next: rotation.Next | None = None

    @property
    def current(self) -> CircleTurn | None:
        return self.turns[-1] if self.turns else None

    def seat(self, student_id: int | None) -> Seat | None:
        return next((s for s in self.seats if s.student_id == student_id), None)

    @property
    def speaker(self) -> Seat | None:
        return self.seat(self.current.speaker_id) if self.current else None

    @property
    def reflector(self) -> Seat | None:
        return self.seat(self.current.reflector_id) if self.current else None

    @property
    def next_speaker(self) -> Seat | None:
        return self.seat(self.next.speaker) if self.next else None

    @property
    def allowed(self) -> list[Seat]:
        return [s for s in (self.seat(i) for i in (self.next.allowed if self.next else ())) if s]

    @property
    def choosing(self) -> bool:
        """The next speaker may choose who sums up for them now."""
        return self.phase in (None, Phase.RATED, Phase.SKIPPED) and bool(self.allowed)

    @property
    def ends_at_ms(self) -> int | None:
        """When the speaker's time is up, in milliseconds since the epoch (the page's countdown counts to it)."""
        return int(self.current.ends_at.timestamp() * 1000) if self.current else None

    @property
    def clock_text(self) -> str:
        minutes, seconds = divmod(self.seconds_left, 60)
        return f"{minutes}:{seconds:02d}"

    @property
    def rounds_done(self) -> int:
        """Full rounds: every student has spoken this many times at least."""
        return min((s.spoke for s in self.seats), default=0)


def circle_boards(
    run: LiveRun, viewer: User, *, now: datetime, members: list[LiveMember] | None = None
) -> list[GroupBoard]:
    """The groups of ``run`` ``viewer`` may see, each with its turns and whose turn it is (two queries; one when
    ``members`` is the list of the members ``viewer`` may see, curriculum.live.selectors.members_seen's, read
    already by the page). The turns read are those of the groups of those members: for a student, their own
    group's, as ``circle_turn_scope`` allows; for the leader, every group's (a turn of a group with no member
    has no board). With ``members`` given, by the group ids alone, rather than the scope's subquery again, from
    every turn of the run read once per version (``run_rows``: no query while the run's version stands)."""
    given = members is not None
    if members is None:
        members = (
            LiveMember.objects.filter(live_members_of_run(viewer, run), group__isnull=False)
            .select_related("student", "group")
            .order_by("group__number", "pk")
        )
    else:
        members = sorted((m for m in members if m.group_id is not None), key=lambda m: (m.group.number, m.pk))
    boards: dict[int, GroupBoard] = {}
    for member in members:
        boards.setdefault(member.group_id, GroupBoard(number=member.group.number, seats=[])).seats.append(Seat(member))
    if given:
        # The turns of the groups of the members the viewer may see (every turn of the run is read once per version:
        # run_rows), which is circle_turns_of_run's rows for the members' list read through the viewer's scope.
        turns = run_rows(run, "circle-turns", lambda: list(CircleTurn.objects.filter(run_id=run.pk).order_by("number")))
    else:
        turns = CircleTurn.objects.filter(circle_turns_of_run(viewer, run)).order_by("number")
    for turn in turns:
        board = boards.get(turn.group_id)
        if board is None:
            continue
        board.turns.append(turn)
    for board in boards.values():
        for turn in board.turns:
            for seat in board.seats:
                seat.spoke += seat.student_id == turn.speaker_id
                seat.reflected += seat.student_id == turn.reflector_id
        if board.current is not None:
            board.phase = phase(board.current, now)
            board.seconds_left = seconds_left(board.current, now)
        order = [s.student_id for s in board.seats]
        board.next = rotation.next_turn(order, [(t.speaker_id, t.reflector_id) for t in board.turns]) if order else None
    return sorted(boards.values(), key=lambda b: b.number)


def cards_for(run: LiveRun, viewer: User) -> QuerySet[CircleCard]:
    return CircleCard.objects.filter(circle_card_scope(viewer), run=run).select_related("student")
