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
hidden cell is determined exactly when its row of a basis of that null space is zero (``determined``). (A
rule such as "every relation has no hidden cell or at least two" is not enough once relations cross, as the
grade-across-schools totals cross the schools.) Each hidden cell that is determined gets a companion: its smallest shown sibling
(another part of a total it is part of), else its smallest shown part, else its total; each round hides the
companions of such cells (one per neighbourhood, so that two cells of one total do not both bring one) and
the check runs again. Hiding every cell with students always ends it (with
all of them hidden the known values are zeros, and a solution can be scaled), so the loop stops.

The check first eliminates the cells that sit in one relation only (every classroom), then solves what is
left in connected parts, so a district of thousands of classrooms, most of them hidden, costs milliseconds.

A cell may also arrive hidden already (``forced``): the attrition figures, for example, are suppressed
after the main figures, on the unmatched students' n, starting from the cells the main figures hide.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import linalg, sparse

from surveys.outcomes.cells import Hidden

Key = Hashable
ALL = ("all",)
# On the squared norm of a cell's row of an orthonormal null-space basis: a fixed cell's comes out at ~1e-15,
# a free one's at well over 1e-4 in tables of thousands of cells; in between counts as fixed (hides more).
_TOLERANCE = 1e-10
# An eigenvalue of a Gram matrix below this (relative to the largest) is a zero: the smallest true ones of
# these tables' relations are above 1e-7 of the largest, the rounding of a zero is about 1e-15.
_EIGENVALUE_FLOOR = 1e-11


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


def _relation_rows(hidden: list[Key], relations: Sequence[Relation]) -> list[dict[int, float]]:
    column = {key: j for j, key in enumerate(hidden)}
    rows = []
    for relation in relations:
        row: dict[int, float] = {}
        for key, coefficient in relation.members():
            j = column.get(key)
            if j is not None:
                row[j] = row.get(j, 0.0) + coefficient
        row = {j: c for j, c in row.items() if c}
        if row:
            rows.append(row)
    return rows


def _peel(
    rows: list[dict[int, float]], columns: int
) -> tuple[list[bool], list[bool], list[tuple[int, int, list[int]]]]:
    """Eliminate, as far as it goes, every hidden cell that appears in one relation only (a classroom is in
    its grade's relation and nowhere else): that relation then fixes it from the others (the pivot) or, with
    two such cells or more, fixes none of them and nothing else. Returns the relations left, the cells left
    and what was eliminated, in order: (relation, pivot, the other cells found only there)."""
    in_rows: list[set[int]] = [set() for _ in range(columns)]
    for r, row in enumerate(rows):
        for j in row:
            in_rows[j].add(r)
    alive, left = [True] * len(rows), [True] * columns
    peeled = []
    stack = [r for r, row in enumerate(rows) if any(len(in_rows[j]) == 1 for j in row)]
    while stack:
        r = stack.pop()
        if not alive[r]:
            continue
        singles = [j for j in rows[r] if left[j] and len(in_rows[j]) == 1]
        if not singles:
            continue
        alive[r] = False
        peeled.append((r, singles[0], singles[1:]))
        for j in singles:
            left[j] = False
        for j in rows[r]:
            in_rows[j].discard(r)
            if left[j] and len(in_rows[j]) == 1:
                stack.append(next(iter(in_rows[j])))
    return alive, left, peeled


def _row_space(matrix: sparse.csr_matrix) -> np.ndarray:
    """M with M^T M the projection onto the row space of ``matrix`` (so a cell's null-space row has the squared
    norm 1 - |M e|^2), from the eigenvectors of the smaller of its two Gram matrices: an eigendecomposition of a
    few hundred rows where an SVD of the whole part (a few hundred relations by thousands of cells) took
    0.2-1.5 s on a busy machine. The Gram matrices of these 0/+-1 matrices are exact in floating point."""
    rows, columns = matrix.shape
    if rows <= columns:
        values, vectors = linalg.eigh((matrix @ matrix.T).toarray())
        keep = values > _EIGENVALUE_FLOOR * max(values.max(initial=0.0), 1.0)
        return np.asarray((matrix.T @ (vectors[:, keep] / np.sqrt(values[keep]))).T)
    values, vectors = linalg.eigh((matrix.T @ matrix).toarray())
    keep = values > _EIGENVALUE_FLOOR * max(values.max(initial=0.0), 1.0)
    return vectors[:, keep].T


def determined(hidden: Iterable[Key], relations: Sequence[Relation]) -> set[Key]:
    """The hidden cells whose figures the shown cells fix through ``relations``.

    A cell is fixed when its row of a basis of the null space of the relations (restricted to the hidden
    cells) is zero. The cells that sit in one relation only are eliminated first (``_peel``); what is left,
    the core, is solved in connected parts (from each part's row space a core cell's null-space row has the
    squared norm 1 - |M e|^2, ``_row_space``). An eliminated cell is a combination of the cells of its
    relation, so its null-space row is that combination of theirs, each further cell found only in that
    relation bringing a free direction of its own.
    """
    keys = list(dict.fromkeys(hidden))
    if not keys:
        return set()
    rows = _relation_rows(keys, relations)
    alive, left, peeled = _peel(rows, len(keys))
    # The core's connected parts and their row spaces.
    core_rows = [r for r, ok in enumerate(alive) if ok]
    parent = {j: j for r in core_rows for j in rows[r]}

    def root(j: int) -> int:
        while parent[j] != j:
            parent[j] = parent[parent[j]]
            j = parent[j]
        return j

    for r in core_rows:
        first = root(next(iter(rows[r])))
        for j in rows[r]:
            parent[root(j)] = first
    parts: dict[int, list[int]] = {}
    for r in core_rows:
        parts.setdefault(root(next(iter(rows[r]))), []).append(r)
    part_of: dict[int, int] = {}
    spaces: dict[int, tuple[dict[int, int], np.ndarray]] = {}
    for part, part_rows in parts.items():
        columns = sorted({j for r in part_rows for j in rows[r]})
        at = {j: i for i, j in enumerate(columns)}
        entries = [(i, at[j], c) for i, r in enumerate(part_rows) for j, c in rows[r].items()]
        r_, c_, v_ = zip(*entries, strict=True)
        spaces[part] = (at, _row_space(sparse.csr_matrix((v_, (r_, c_)), shape=(len(part_rows), len(columns)))))
        for j in columns:
            part_of[j] = part
    # Every cell as a combination of core cells and fresh directions: {("core", j) or ("fresh", j): coefficient}.
    combination: dict[int, dict[tuple, float]] = {}
    for j in range(len(keys)):
        if left[j]:
            combination[j] = {("core", j): 1.0} if j in part_of else {("fresh", j): 1.0}
    for _r, _pivot, fresh in peeled:
        for j in fresh:
            combination[j] = {("fresh", j): 1.0}
    for r, pivot, _fresh in reversed(peeled):
        total: dict[tuple, float] = {}
        scale = -1.0 / rows[r][pivot]
        for j, coefficient in rows[r].items():
            if j == pivot:
                continue
            for direction, value in combination[j].items():
                total[direction] = total.get(direction, 0.0) + scale * coefficient * value
        combination[pivot] = {d: v for d, v in total.items() if abs(v) > 1e-12}
    cells = list(combination)
    squared = np.zeros(len(cells))
    core_terms: dict[int, list[tuple[int, int, float]]] = {}  # part -> (cell row, part column, weight)
    for row, j in enumerate(cells):
        for (kind, c), v in combination[j].items():
            squared[row] += v * v
            if kind == "core":
                core_terms.setdefault(part_of[c], []).append((row, spaces[part_of[c]][0][c], v))
    for part, terms in core_terms.items():
        at, space = spaces[part]
        rows_, columns_, weights = zip(*terms, strict=True)
        w = sparse.csr_matrix((weights, (rows_, columns_)), shape=(len(cells), len(at)))
        projected = np.asarray(w @ space.T)  # each cell's weights seen in the part's row space
        squared -= (projected**2).sum(axis=1)
    # Conservative: a cell only just free counts as fixed, and gets a companion.
    fixed = {keys[j] for j, value in zip(cells, squared, strict=True) if value < _TOLERANCE}
    return fixed


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
        exposed = [key for key in determined(hidden, relations) if n.get(key, 0) > 0]
        if not exposed:
            return hidden
        # The best companion of each exposed cell, best first; one per neighbourhood a round (cells that share
        # a relation with one settled this round wait for the next check), so two cells of one total do not
        # both bring a companion where one would do.
        options = sorted((option, key) for key in exposed if (option := companion(key)) is not None)
        touched: set[int] = set()
        companions = set()
        for option, key in options:
            around = {id(r) for r in (*as_part.get(key, ()), *as_total.get(key, ()))}
            if around & touched:
                continue
            chosen = option[-1]
            companions.add(chosen)
            touched |= around | {id(r) for r in (*as_part.get(chosen, ()), *as_total.get(chosen, ()))}
        if not companions:
            # Every neighbour is hidden or empty: the smallest shown cell of any relation touching them.
            near = [
                k for key in exposed for r in (*as_part.get(key, ()), *as_total.get(key, ())) for k, _c in r.members()
            ]
            near = [k for k in near if k not in hidden and n.get(k, 0) > 0]
            if not near:
                near = [k for r in relations for k, _c in r.members() if k not in hidden and n.get(k, 0) > 0]
            if not near:
                return hidden
            companions.add(min(near, key=order))
        for key in companions:
            hidden[key] = Hidden.COMPLEMENTARY
