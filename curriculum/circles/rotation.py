"""Who speaks and who sums up next in a listening circle: pure, so it can be tested over any number of rounds.

The rules (issue 14, the empathy-cafe circle):

- The reflector of a turn is the speaker of the next one.
- The speaker chooses the next reflector among those *allowed*: anyone in the group but the speaker,
  who has summed up the fewest times so far, and among those, has spoken the fewest times. So the first
  round lets nobody speak twice before everyone has spoken once, and over any run of turns the times
  each student has summed up differ by at most one: after ``n`` turns in a group of ``n`` each has
  summed up once, and spoken once (the first speaker speaks the first turn; the one who summed up
  last opens the next round).
- The suggested choice (the one a skip takes) is the first allowed student after the speaker in the
  group's order, going round.
- The first speaker is the first student in the group's order.

Turns are (speaker, reflector) pairs of student ids, oldest first. A student no longer in the group
counts for nobody's choice: only ``members`` can be chosen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Next:
    speaker: int
    allowed: tuple[int, ...]  # in the group's order, starting after the speaker
    suggested: int | None


def first_speaker(members: Sequence[int]) -> int:
    if not members:
        raise ValueError("a circle needs its members")
    return members[0]


def _after(members: Sequence[int], speaker: int) -> list[int]:
    """The group's order, going round from the one after ``speaker``."""
    if speaker not in members:
        return list(members)
    at = members.index(speaker)
    return [*members[at + 1 :], *members[:at]]


def allowed_reflectors(members: Sequence[int], speaker: int, turns: Sequence[tuple[int, int]]) -> tuple[int, ...]:
    """Who ``speaker`` may choose to sum up for them, given the ``turns`` so far."""
    reflected = Counter(reflector for _, reflector in turns)
    spoke = Counter(speaker_ for speaker_, _ in turns)
    others = [m for m in _after(members, speaker) if m != speaker]
    if not others:
        return ()
    fewest = min((reflected[m], spoke[m]) for m in others)
    return tuple(m for m in others if (reflected[m], spoke[m]) == fewest)


def next_turn(members: Sequence[int], turns: Sequence[tuple[int, int]]) -> Next:
    """The next turn's speaker, and whom they may choose (and the suggestion)."""
    speaker = turns[-1][1] if turns else first_speaker(members)
    allowed = allowed_reflectors(members, speaker, turns)
    return Next(speaker=speaker, allowed=allowed, suggested=allowed[0] if allowed else None)
