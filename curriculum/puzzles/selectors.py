"""Reading a team puzzle, always through the viewer's scope (curriculum.permissions).

A page costs the same two queries for a group of three or a class of thirty: every part of the run the
viewer may see, and every answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.models import User
from curriculum.models import PuzzleAnswer, PuzzlePart
from curriculum.permissions import puzzle_answer_scope, puzzle_part_scope


def parts_for(user: User) -> QuerySet[PuzzlePart]:
    return PuzzlePart.objects.filter(puzzle_part_scope(user))


def answers_for(user: User) -> QuerySet[PuzzleAnswer]:
    return PuzzleAnswer.objects.filter(puzzle_answer_scope(user))


@dataclass
class GroupPuzzle:
    """A group's puzzle as the viewer may see it: who holds which part, what they told the group, the answer."""

    number: int
    parts: list[PuzzlePart] = field(default_factory=list)
    answer: PuzzleAnswer | None = None

    @property
    def contributions(self) -> list[PuzzlePart]:
        return [part for part in self.parts if part.contribution]


def group_puzzles(run, viewer: User) -> list[GroupPuzzle]:
    """Every group of ``run`` the viewer may see (all for its teacher, their own for a student), by number."""
    groups: dict[int, GroupPuzzle] = {}
    parts = (
        parts_for(viewer)
        .filter(run=run)
        .select_related("student", "group")
        .order_by("group__number", "index", "student__first_name", "student__last_name", "pk")
    )
    for part in parts:
        groups.setdefault(part.group.number, GroupPuzzle(number=part.group.number)).parts.append(part)
    for answer in answers_for(viewer).filter(run=run).select_related("group", "saved_by"):
        groups.setdefault(answer.group.number, GroupPuzzle(number=answer.group.number)).answer = answer
    return [groups[number] for number in sorted(groups)]
