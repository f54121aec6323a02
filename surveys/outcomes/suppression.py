"""Which cells of an outcomes table show no figures, and why. Pure: no Django, no database.

A cell's figures are built from sums over its students (n, the sums of pre, post and change, their squares),
and every sum of a total is the sum of its parts': a school is the sum of its grades, a grade of a school the
sum of its classrooms, and the whole scope the sum of its schools (and, when the scope holds two schools or
more, also of its grades across schools, each of those the sum of that grade in every school). Someone who
sees some cells can therefore work out others by subtraction: a school minus all its classrooms but one
gives that one, a grade minus its classrooms, and relations can be combined (the district minus some
schools, minus a grade of another...).

**Primary suppression.** A cell with 0 < n < ``min_n`` shows nothing: it is *small*. A cell with n = 0 has
nothing to hide; it is shown, empty.

**Complementary suppression.** Then, until no hidden cell with students in it can be worked out from the
shown ones, more cells are hidden. "Worked out" is decided by linear algebra, not by a rule of thumb: the
shown cells fix the hidden ones up to the null space of the relations restricted to the hidden cells, so a
hidden cell is determined exactly when its row of a basis of that null space is zero. (A rule such as "every
relation has no hidden cell or at least two" is not enough once relations cross, as the grade-across-schools
totals cross the schools.) Each hidden cell that is determined gets a companion: its smallest shown sibling
(another part of a total it is part of), else its smallest shown part, else its total; each round hides the
companions of all such cells and the check runs again. Hiding every cell with students always ends it (with
all of them hidden the known values are zeros, and a solution can be scaled), so the loop stops.

The check runs on each connected group of hidden cells and the relations between them on its own (a school's
small classroom never involves another district's cells), so a large table with a few small cells costs
little.

A cell may also arrive hidden already (``forced``): the attrition figures, for example, are suppressed
after the main figures, on the unmatched students' n, starting from the cells the main figures hide.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import linalg

from surveys.outcomes.cells import Hidden

Key = Hashable
ALL = ("all",)
# A null-space basis is orthonormal: a row that is zero comes out at ~1e-16, a free one at well over 1e-3.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Relation:
    """``total`` = the sum of ``parts``, for every additive figure."""

    total: Key
    parts: tuple[Key, ...]

    def members(self) -> tuple[tuple[Key, float], ...]:
        return ((self.total, 1.0), *((part, -1.0) for part in self.parts))


def school_key(school) -> tuple:
    return ("school", school)


def grade_key(school, grade) -> tuple:
    return ("grade", school, grade)


def all_grade_key(grade) -> tuple:
    return ("all_grade", grade)


def classroom_key(classroom) -> tuple:
    return ("classroom", classroom)


def tree(
    classrooms: Iterable[tuple[object, int, object]], *, grade_totals: bool | None = None
) -> tuple[list[Key], list[Relation]]:
    """The cells and relations of a table over ``classrooms`` ((school, grade, classroom), in the order
    shown): the keys in display order (all; each grade across schools; then each school, each of its
    grades and that grade's classrooms) and every relation between them. ``grade_totals`` (by default: when
    there are two schools or more) adds the grade-across-schools totals."""
    schools: dict[object, dict[int, list]] = {}
    for school, grade, classroom in classrooms:
        schools.setdefault(school, {}).setdefault(grade, []).append(classroom)
    if grade_totals is None:
        grade_totals = len(schools) > 1
    grades = sorted({g for by_grade in schools.values() for g in by_grade})
    keys: list[Key] = [ALL]
    relations = [Relation(ALL, tuple(school_key(s) for s in schools))]
    if grade_totals:
        keys += [all_grade_key(g) for g in grades]
        relations.append(Relation(ALL, tuple(all_grade_key(g) for g in grades)))
        for g in grades:
            relations.append(Relation(all_grade_key(g), tuple(grade_key(s, g) for s in schools if g in schools[s])))
    for school, by_grade in schools.items():
        keys.append(school_key(school))
        relations.append(Relation(school_key(school), tuple(grade_key(school, g) for g in sorted(by_grade))))
        for g in sorted(by_grade):
            keys.append(grade_key(school, g))
            keys += [classroom_key(c) for c in by_grade[g]]
            relations.append(Relation(grade_key(school, g), tuple(classroom_key(c) for c in by_grade[g])))
    return keys, relations


def _exposed_by_component(hidden: Iterable[Key], relations: Sequence[Relation]) -> list[list[Key]]:
    """For each connected group of hidden cells (joined by the relations they share), the ones the shown cells fix."""
    index = {key: i for i, key in enumerate(dict.fromkeys(hidden))}
    if not index:
        return []
    parent = list(range(len(index)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows = []
    for relation in relations:
        row = [(index[key], coefficient) for key, coefficient in relation.members() if key in index]
        if not row:
            continue
        rows.append(row)
        first = root(row[0][0])
        for i, _coefficient in row[1:]:
            parent[root(i)] = first
    components: dict[int, list] = {}
    for row in rows:
        components.setdefault(root(row[0][0]), []).append(row)
    keys = list(index)
    found = []
    for component_rows in components.values():
        columns = sorted({i for row in component_rows for i, _c in row})
        at = {i: j for j, i in enumerate(columns)}
        matrix = np.zeros((len(component_rows), len(columns)))
        for r, row in enumerate(component_rows):
            for i, coefficient in row:
                matrix[r, at[i]] += coefficient
        basis = linalg.null_space(matrix)
        free = np.linalg.norm(basis, axis=1) if basis.size else np.zeros(len(columns))
        fixed = [keys[columns[j]] for j in np.flatnonzero(free < _TOLERANCE)]
        if fixed:
            found.append(fixed)
    return found


def determined(hidden: Iterable[Key], relations: Sequence[Relation]) -> set[Key]:
    """The hidden cells whose figures the shown cells fix through ``relations``."""
    return {key for group in _exposed_by_component(hidden, relations) for key in group}


def suppress(
    n: Mapping[Key, int], relations: Sequence[Relation], min_n: int, *, forced: Iterable[Key] = ()
) -> dict[Key, Hidden]:
    """The hidden cells of a table and why: ``n`` gives every cell's n (totals' n are their parts' sums),
    ``relations`` how they add up. See the module's docstring."""
    rank = {key: i for i, key in enumerate(n)}
    hidden: dict[Key, Hidden] = {key: Hidden.SMALL for key, count in n.items() if 0 < count < min_n}
    for key in forced:
        hidden.setdefault(key, Hidden.COMPLEMENTARY)
    if not hidden:
        return hidden
    as_part: dict[Key, list[Relation]] = {}
    as_total: dict[Key, list[Relation]] = {}
    for relation in relations:
        as_total.setdefault(relation.total, []).append(relation)
        for part in relation.parts:
            as_part.setdefault(part, []).append(relation)

    def order(key: Key) -> tuple:
        return (n[key], rank.get(key, len(rank)))

    def companion(key: Key) -> tuple | None:
        """(tier, n, rank, cell): the shown cell with students to hide beside ``key``: a sibling (tier 0), else a
        part (1), else a total (2); the smallest of its tier."""
        for tier, neighbours in enumerate(
            (
                [p for r in as_part.get(key, ()) for p in r.parts],
                [p for r in as_total.get(key, ()) for p in r.parts],
                [r.total for r in as_part.get(key, ())],
            )
        ):
            shown = [k for k in neighbours if k not in hidden and n.get(k, 0) > 0]
            if shown:
                best = min(shown, key=order)
                return (tier, *order(best), best)
        return None

    while True:
        # One companion per group of hidden cells a round (the best one of the group), so a group does not
        # hide two cells where one would do; separate groups are settled in the same round.
        exposed = [[k for k in group if n.get(k, 0) > 0] for group in _exposed_by_component(hidden, relations)]
        exposed = [group for group in exposed if group]
        if not exposed:
            return hidden
        companions = set()
        for group in exposed:
            options = [c for c in (companion(key) for key in group) if c is not None]
            if options:
                companions.add(min(options)[-1])
                continue
            # Every neighbour is hidden or empty: the smallest shown cell of any relation touching the group.
            near = [
                k for key in group for r in (*as_part.get(key, ()), *as_total.get(key, ())) for k, _c in r.members()
            ]
            near = [k for k in near if k not in hidden and n.get(k, 0) > 0]
            if not near:
                near = [k for r in relations for k, _c in r.members() if k not in hidden and n.get(k, 0) > 0]
            if near:
                companions.add(min(near, key=order))
        if not companions:
            return hidden
        for key in companions:
            hidden[key] = Hidden.COMPLEMENTARY
