"""Which figures of the help-request numbers show no number, and why. Pure: no Django, no database.

Every figure on the numbers page counts requests of a slice of one table: each request has a school, a week
(of its filing), a topic and an ending, and a figure fixes some of those and adds up over the others. Requests
per week and topic, a week's total, a topic's total, an ending's count, the school's total, and for a district's
admin the same figures of each school and of the district pooled: all of them are margins of that one table,
so anyone who sees some of them can add and subtract to learn others. A key is a tuple with one value per
attribute, ``None`` where the figure adds that attribute up; the first attribute is the school.

**Primary suppression.** A figure with 0 < n < ``min_n`` shows no number ("fewer than N"): it is *small*. A zero
is shown: it names nobody.

**Complementary suppression.** A hidden figure must not be recoverable from the shown ones by adding and
subtracting. The rule of thumb ("a row or column with exactly one hidden cell hides the next smallest, until
stable") is not enough once relations cross: two rings of hidden cells joined by one hidden cell leave that
cell exactly known although every row and column holds two hidden cells or none, and a district's pooled table
crosses every school's. So the test is exact. The relations are read off the keys: a figure that adds up an
attribute is the sum of the figures that fix it to each of its values (when all of them are released). A hidden
figure is *determined* when every change of the hidden figures that keeps every relation true (with the shown
figures fixed) leaves it unchanged, i.e. when its coordinate is zero on the null space of the relations
restricted to the hidden figures. That null space is found school by school (each school's own relations, a
few dozen figures) and then through the relations that cross schools (the pooled figures'), so a district of
eighty schools and a year of weeks is checked in milliseconds.

While some hidden figure is determined, each such figure hides one more: the smallest non-zero shown figure it
shares a relation with (a sibling in its row or column, a part of it, or its total; a zero only when nothing
else is left), one per neighbourhood a round, and the check runs again. With every figure hidden nothing is
known, so the loop ends.

What this guarantees, and what it does not: no hidden figure's exact value follows from the shown ones by
adding and subtracting (tests/peer_counselors/test_aggregates.py checks it, as a property, against the rank of
the figures written out over every (school, week, topic, ending) cell). It does not reason about bounds ("a
hidden figure is at least 1"): a hidden figure may be narrowed to a range, never to a value.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

Key = tuple
# Relative to the length of a figure's coordinates on the null space: a determined figure's comes out at about
# 1e-15 of it, a free one's at well over 1e-4.
_TOLERANCE = 1e-9
# A singular value or eigenvalue below this, relative to the largest (or to 1), is a zero.
_FLOOR = 1e-10


class Hidden(StrEnum):
    SMALL = "small"  # 0 < n < min_n
    COMPLEMENT = "complement"  # hidden so that a small figure cannot be worked out


@dataclass(frozen=True)
class Relation:
    """``total`` is the sum of ``parts`` (indexes into the keys)."""

    total: int
    parts: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (self.total, *self.parts)


def relations(keys: Sequence[Key], sizes: Sequence[int]) -> list[Relation]:
    """Every relation among ``keys``: each figure that adds up an attribute, with the figures that fix that
    attribute to each of its ``sizes[a]`` values, when all of those are among the keys."""
    position = {k: i for i, k in enumerate(keys)}
    parts_of: dict[tuple[int, Key], list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        for attribute, value in enumerate(key):
            if value is not None:
                parts_of[(attribute, key[:attribute] + (None,) + key[attribute + 1:])].append(i)
    found = []
    for (attribute, total), parts in parts_of.items():
        if total in position and len(parts) == sizes[attribute]:
            found.append(Relation(position[total], tuple(parts)))
    return found


def _row_space(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis (as rows) of the row space of ``matrix``, from the eigenvectors of its small Gram
    matrix (a school's relations are a few dozen rows over a few hundred figures)."""
    if matrix.shape[0] == 0:
        return np.zeros((0, matrix.shape[1]))
    values, vectors = np.linalg.eigh(matrix @ matrix.T)
    keep = values > _FLOOR * max(values.max(initial=0.0), 1.0)
    return (vectors[:, keep] / np.sqrt(values[keep])).T @ matrix


def _rows(relations_: Sequence[Relation], columns: Mapping[int, int]) -> np.ndarray:
    """The relations as rows over the hidden figures in ``columns`` (figure -> column): +1 for the total, -1
    for each part; shown figures are known numbers and drop out."""
    matrix = np.zeros((len(relations_), len(columns)))
    for row, relation in enumerate(relations_):
        if relation.total in columns:
            matrix[row, columns[relation.total]] += 1.0
        for part in relation.parts:
            if part in columns:
                matrix[row, columns[part]] -= 1.0
    return matrix


def determined(keys: Sequence[Key], hidden: Iterable[int], *, sizes: Sequence[int],
               relations_: Sequence[Relation] | None = None) -> set[int]:
    """The hidden figures (indexes into ``keys``) whose exact value follows from the shown ones.

    A change of the hidden figures that keeps every relation is, school by school, a point of that school's
    null space (P_s, the projection onto it, is I - Q_s^T Q_s with Q_s an orthonormal basis of the school's own
    relations), and a change of the pooled figures (their own coordinates: P is I), such that the relations
    across schools, C, hold too. A figure e is fixed on every such change exactly when P e lies in the span of
    the rows of C P, i.e. when |P e|^2 = e^T P C^T (C P C^T)^+ C P e.
    """
    hidden = sorted(set(hidden))
    if not hidden or len(hidden) == len(keys):
        return set()
    hidden_set = set(hidden)
    all_relations = relations(keys, sizes) if relations_ is None else relations_
    live = [r for r in all_relations if any(m in hidden_set for m in r.members)]
    blocks: dict[object, list[int]] = defaultdict(list)  # a school -> its hidden figures; None -> the pooled ones
    for i in hidden:
        blocks[keys[i][0]].append(i)
    own: dict[object, list[Relation]] = defaultdict(list)
    crossing: list[Relation] = []
    for relation in live:
        schools = {keys[m][0] for m in relation.members}
        if len(schools) == 1 and None not in schools:
            own[next(iter(schools))].append(relation)
        else:
            crossing.append(relation)
    parts = []  # per block: its figures, |P e|^2 of each, and P C^T
    gram = np.zeros((len(crossing), len(crossing)))
    column = {m: c for c, m in enumerate(hidden)}
    crossing_t = _rows(crossing, column).T  # C^T over every hidden figure, one row each
    for school, members in blocks.items():
        columns = {m: c for c, m in enumerate(members)}
        across = crossing_t[[column[m] for m in members]]
        if school is None:
            length, projected = np.ones(len(members)), across
        else:
            basis = _row_space(_rows(own[school], columns))
            length = 1.0 - (basis**2).sum(axis=0)
            projected = across - basis.T @ (basis @ across)
        gram += across.T @ projected
        parts.append((members, length, projected))
    found = set()
    if crossing:
        values, vectors = np.linalg.eigh(gram)
        keep = values > _FLOOR * max(values.max(initial=0.0), 1.0)
        inverse_root = vectors[:, keep] / np.sqrt(values[keep])
    for members, length, projected in parts:
        residual = length - ((projected @ inverse_root) ** 2).sum(axis=1) if crossing else length
        for figure, left, full in zip(members, residual, length, strict=True):
            if full < _TOLERANCE or left < _TOLERANCE * max(full, 1.0):
                found.add(figure)
    return found


def suppress(counts: Mapping[Key, int], *, sizes: Sequence[int], min_n: int) -> dict[Key, Hidden]:
    """The figures of ``counts`` that show no number, each with why. ``sizes`` holds how many values each attribute
    can take (every school, week, topic and ending that could be counted, not only those with requests; every
    figure of each is among ``counts``, zeros included)."""
    keys = list(counts)
    hidden = {k: Hidden.SMALL for k in keys if 0 < counts[k] < min_n}
    if not hidden:
        return hidden
    position = {k: i for i, k in enumerate(keys)}
    known = relations(keys, sizes)
    neighbours: list[set[int]] = [set() for _k in keys]
    for relation in known:
        for member in relation.members:
            neighbours[member].update(relation.members)
    for i, near in enumerate(neighbours):
        near.discard(i)

    def cost(i: int) -> tuple:
        return (counts[keys[i]] == 0, counts[keys[i]], i)

    while True:
        found = determined(keys, (position[k] for k in hidden), sizes=sizes, relations_=known)
        if not found:
            return hidden
        picked: set[int] = set()
        for i in sorted(found, key=cost):
            if picked & neighbours[i]:
                continue  # a complement hidden this round is already beside it: check again first
            candidates = [j for j in neighbours[i] if keys[j] not in hidden]
            if candidates:
                picked.add(min(candidates, key=cost))
        if not picked:
            # Every neighbour of each determined figure is hidden already: hide the smallest shown figure.
            picked.add(min((j for j, k in enumerate(keys) if k not in hidden), key=cost))
        hidden.update({keys[j]: Hidden.COMPLEMENT for j in picked})
