"""Scoring a survey response, and peer nominations. Pure functions: no database.

**A subscale score** is the mean of the subscale's answered items, each reverse-scored item turned round
first (on a 1-to-k scale, an answer a counts as k + 1 - a). It needs at least ``min_share`` of the
subscale's items answered (two thirds by default, so one skipped item of three still scores and two do
not); "prefer not to answer" counts as not answered. Below the share the subscale has no score: a mean of
one item in four would pass for the subscale.

**Peer nominations.** Each student names up to N classmates for a question ("who helps others?"). A
student's score is the number of nominations received, standardised within the classroom (a z-score, with
the class's mean and its SD over the students who could be named, ddof = 1), as sociometric research
does; the share of classmates who named them is kept beside it. The roster each nominator sees is in an
order of its own, stable for that student and that window and different between students: an alphabetical
list makes the first names on it named more often.
"""

import hashlib
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

PREFER_NOT = "prefer_not"  # the answer "prefer not to answer": stored, counted as not answered
MIN_SHARE = Fraction(2, 3)


@dataclass(frozen=True)
class Item:
    key: str
    subscale: str
    scale_points: int  # answers 1..scale_points
    reverse: bool = False


def item_value(item: Item, answer) -> float | None:
    """An answer as it counts: None when not answered (or "prefer not to answer"), turned round when reversed.
    An answer outside 1..scale_points is not an answer (the form never sends one; an import might)."""
    if answer is None or answer == PREFER_NOT or isinstance(answer, bool):
        return None
    if not isinstance(answer, int) or not 1 <= answer <= item.scale_points:
        return None
    return float(item.scale_points + 1 - answer) if item.reverse else float(answer)


def subscale_scores(
    items: Sequence[Item], answers: Mapping[str, object], *, min_share: Fraction = MIN_SHARE
) -> dict[str, float | None]:
    """Each subscale's score for one response: {subscale: mean, or None when too few items are answered}."""
    by_subscale: dict[str, list[Item]] = {}
    for item in items:
        by_subscale.setdefault(item.subscale, []).append(item)
    scores = {}
    for subscale, members in by_subscale.items():
        values = [v for v in (item_value(item, answers.get(item.key)) for item in members) if v is not None]
        enough = Fraction(len(values), len(members)) >= min_share
        scores[subscale] = sum(values) / len(values) if values and enough else None
    return scores


@dataclass(frozen=True)
class NominationScore:
    student: int
    received: int
    z: float | None  # None when the class cannot be standardised (fewer than 2 students, or everyone equal)
    share_of_classmates: float  # of the classmates who nominated anyone, the share who named this student


def nomination_scores(students: Sequence[int], nominations: Mapping[int, Iterable[int]]) -> list[NominationScore]:
    """Scores for every student of one classroom from ``nominations`` (nominator -> the classmates named).

    A nomination of oneself or of someone outside ``students`` does not count, nor does naming someone twice.
    """
    roster = set(students)
    received = dict.fromkeys(students, 0)
    nominators = 0
    for nominator, named in nominations.items():
        if nominator not in roster:
            continue
        valid = {s for s in named if s in roster and s != nominator}
        nominators += 1
        for student in valid:
            received[student] += 1
    counts = [received[s] for s in students]
    n = len(counts)
    mean = sum(counts) / n if n else 0.0
    sd = math.sqrt(sum((c - mean) ** 2 for c in counts) / (n - 1)) if n > 1 else 0.0
    scores = []
    for student in students:
        # The student's classmates who took part: the student is not among the nominators of themselves.
        took_part = nominators - (1 if student in nominations else 0)
        scores.append(
            NominationScore(
                student=student,
                received=received[student],
                z=(received[student] - mean) / sd if sd > 0 else None,
                share_of_classmates=received[student] / took_part if took_part > 0 else 0.0,
            )
        )
    return scores


def roster_order(classmates: Sequence[int], *, nominator: int, window: int) -> list[int]:
    """The order one nominator sees their classmates in for one window: shuffled by a seed made of the
    two, so it stays the same when they come back and differs from the next student's."""
    seed = int.from_bytes(hashlib.sha256(f"nominations:{window}:{nominator}".encode()).digest()[:8], "big")
    order = sorted(c for c in classmates if c != nominator)
    random.Random(seed).shuffle(order)
    return order
