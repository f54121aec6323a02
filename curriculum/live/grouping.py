"""Forming discussion groups from a class's answers. Pure: students are ids, answers are any hashable.

Rules, for ``n`` students and a wanted ``size`` (3-5):

* Everyone is in exactly one group. With three students or more every group holds 3 to 5 of them, so
  nobody is left alone or in a pair; below three they form one group. The number of groups is the one,
  among those that keep every group within 3-5, closest to ``n / size``; group sizes differ by one at most.
* **mixed** (for debate): each answer is dealt round the groups in turn, so every answer's students are
  spread as evenly as they can be (in each group, the count of an answer differs from its count in any
  other group by one at most), and each group holds as many different answers as the split allows.
* **alike** (to build the case together): students of the same answer sit together; the list, ordered by
  answer (the most chosen first), is cut into the groups' sizes, so only where one answer ends and the next
  begins does a group hold two answers: at most one mixed group per answer boundary.

A student with no answer (``None``) counts as an answer of their own, "no answer yet".
The order is deterministic: students are taken by id within an answer, answers by how many chose them
and then by their position in ``order`` (the options as listed), so the same class gives the same groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Literal

SIZE_MIN, SIZE_MAX = 3, 5
Mode = Literal["mixed", "alike"]


def group_count(n: int, size: int) -> int:
    """How many groups ``n`` students make, each of 3-5 where ``n`` allows, as near ``size`` as can be."""
    if not SIZE_MIN <= size <= SIZE_MAX:
        raise ValueError(f"a group size is {SIZE_MIN} to {SIZE_MAX}, not {size}")
    if n < SIZE_MIN:
        return 1 if n else 0
    fewest, most = -(-n // SIZE_MAX), n // SIZE_MIN
    return min(range(fewest, most + 1), key=lambda g: (abs(n / g - size), g))


def group_sizes(n: int, size: int) -> list[int]:
    count = group_count(n, size)
    if not count:
        return []
    base, extra = divmod(n, count)
    return [base + 1] * extra + [base] * (count - extra)


def _ordered(answers: Mapping[int, Hashable | None], order: Sequence[Hashable]) -> list[int]:
    """Students ordered by answer (the most chosen answer first), then by id."""
    counts = Counter(answers.values())
    rank = {answer: position for position, answer in enumerate(order)}

    def key(student: int) -> tuple:
        answer = answers[student]
        return (-counts[answer], answer is None, rank.get(answer, len(rank)), str(answer), student)

    return sorted(answers, key=key)


def form_groups(
    answers: Mapping[int, Hashable | None], *, size: int = 4, mode: Mode = "mixed", order: Sequence[Hashable] = ()
) -> list[list[int]]:
    """The groups, as lists of student ids; see the module's rules."""
    sizes = group_sizes(len(answers), size)
    students = _ordered(answers, order)
    if mode == "alike":
        groups, start = [], 0
        for length in sizes:
            groups.append(students[start : start + length])
            start += length
        return groups
    if mode != "mixed":
        raise ValueError(f"a grouping mode is 'mixed' or 'alike', not {mode!r}")
    groups = [[] for _ in sizes]
    # Deal in turn, skipping a group once it is full: the larger groups come first in ``sizes``, so the
    # turn goes round all of them until the smaller ones are full, and every answer stays spread evenly.
    turn = 0
    for student in students:
        while len(groups[turn % len(groups)]) >= sizes[turn % len(groups)]:
            turn += 1
        groups[turn % len(groups)].append(student)
        turn += 1
    return groups
