"""Suppression (surveys/outcomes/suppression.py) against the subtraction attack.

Two attackers, written here independently of the module: one subtracts, over and over, whatever a total and
all but one of its parts give away (the school minus the classrooms shown, then the grade that gave, ...);
the other solves the whole system at once (scipy's null space of every relation over every hidden cell, not
component by component as the module does): a hidden cell is recovered when the null space does not move it.
"""

from collections.abc import Mapping

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import linalg

from surveys.outcomes import suppression
from surveys.outcomes.cells import Hidden
from surveys.outcomes.suppression import ALL, all_grade_key, classroom_key, grade_key, school_key


def recovered_by_subtraction(shown: Mapping, relations) -> dict:
    """Every value the attacker works out by "total minus all known parts" and "part = total minus the
    other parts", repeated until nothing new comes out."""
    known = dict(shown)
    progress = True
    while progress:
        progress = False
        for relation in relations:
            unknown = [k for k in (relation.total, *relation.parts) if k not in known]
            if len(unknown) != 1:
                continue
            (missing,) = unknown
            if missing == relation.total:
                known[missing] = sum(known[p] for p in relation.parts)
            else:
                known[missing] = known[relation.total] - sum(known[p] for p in relation.parts if p != missing)
            progress = True
    return {k: v for k, v in known.items() if k not in shown}


def recovered_by_null_space(hidden, relations) -> set:
    """The hidden cells the shown ones fix: those whose row of the null space of the full system is zero."""
    hidden = list(dict.fromkeys(hidden))
    if not hidden:
        return set()
    column = {key: j for j, key in enumerate(hidden)}
    matrix = np.zeros((len(relations), len(hidden)))
    for i, relation in enumerate(relations):
        if relation.total in column:
            matrix[i, column[relation.total]] += 1
        for part in relation.parts:
            if part in column:
                matrix[i, column[part]] -= 1
    basis = linalg.null_space(matrix)
    if basis.size == 0:
        return set(hidden)
    return {hidden[j] for j in np.flatnonzero(np.linalg.norm(basis, axis=1) < 1e-9)}


def table(schools: Mapping, grade_totals=None):
    """{school: {grade: [n of each classroom]}} -> keys, relations and every cell's n."""
    rooms, n = [], {}
    for school, grades in schools.items():
        for grade, sizes in grades.items():
            for i, size in enumerate(sizes):
                room = f"{school}-{grade}-{i}"
                rooms.append((school, grade, room))
                n[classroom_key(room)] = size
    keys, relations = suppression.tree(rooms, grade_totals=grade_totals)
    while len(n) < len(keys):  # totals from their parts, as the selector sums them
        for relation in relations:
            if relation.total not in n and all(p in n for p in relation.parts):
                n[relation.total] = sum(n[p] for p in relation.parts)
    return keys, relations, {key: n[key] for key in keys}


def assert_safe(keys, relations, n, hidden, min_n):
    for key in keys:
        if key in hidden:
            assert n[key] > 0, f"{key} has nobody in it and is hidden"
            assert (hidden[key] == Hidden.SMALL) == (n[key] < min_n)
        else:
            assert not 0 < n[key] < min_n, f"{key} is small ({n[key]}) and shown"
    shown = {key: n[key] for key in keys if key not in hidden}
    at_risk = {key for key in hidden if n[key] > 0}
    by_subtraction = recovered_by_subtraction(shown, relations)
    assert not at_risk & set(by_subtraction), by_subtraction
    assert not at_risk & recovered_by_null_space(hidden, relations)


SIZES = st.one_of(st.integers(0, 30), st.sampled_from([0, 1, 2, 4, 9, 10, 11]))
SCHOOLS = st.dictionaries(
    st.sampled_from(["s1", "s2", "s3", "s4"]),
    st.dictionaries(st.sampled_from([3, 4, 5, 6]), st.lists(SIZES, min_size=1, max_size=4), min_size=1, max_size=3),
    min_size=1,
    max_size=4,
)


@given(schools=SCHOOLS, min_n=st.sampled_from([3, 5, 10]))
@settings(max_examples=300, deadline=None)
def test_no_small_cell_shows_and_no_hidden_cell_can_be_worked_out(schools, min_n):
    keys, relations, n = table(schools)
    hidden = suppression.suppress(n, relations, min_n)
    assert_safe(keys, relations, n, hidden, min_n)


@given(schools=SCHOOLS)
@settings(max_examples=150, deadline=None)
def test_cells_hidden_already_stay_hidden_and_stay_safe(schools):
    """The attrition figures start from the cells the main figures hide, with other n's (the unmatched ones)."""
    keys, relations, n = table(schools)
    main = suppression.suppress(n, relations, 10)
    keys, relations, unmatched = table(
        {s: {g: [max(0, x // 3 - 1) for x in sizes] for g, sizes in grades.items()} for s, grades in schools.items()}
    )
    also = suppression.suppress(unmatched, relations, 5, forced=main)
    assert set(main) <= set(also)
    for key in keys:
        if key not in also:
            assert not 0 < unmatched[key] < 5
    shown = {key: unmatched[key] for key in keys if key not in also}
    at_risk = {key for key in also if unmatched[key] > 0}
    assert not at_risk & set(recovered_by_subtraction(shown, relations))
    assert not at_risk & recovered_by_null_space(also, relations)


def test_a_school_minus_all_but_one_classroom():
    keys, relations, n = table({"s1": {4: [5, 20, 30]}})
    hidden = suppression.suppress(n, relations, 10)
    assert hidden == {classroom_key("s1-4-0"): Hidden.SMALL, classroom_key("s1-4-1"): Hidden.COMPLEMENTARY}
    assert_safe(keys, relations, n, hidden, 10)


def test_a_grade_minus_its_classrooms():
    keys, relations, n = table({"s1": {3: [4, 30], 4: [25]}})
    hidden = suppression.suppress(n, relations, 10)
    assert hidden == {classroom_key("s1-3-0"): Hidden.SMALL, classroom_key("s1-3-1"): Hidden.COMPLEMENTARY}
    assert_safe(keys, relations, n, hidden, 10)


def test_the_only_classroom_of_a_grade():
    """Grade 3 is its one small classroom, so it is small too; the school would then give it away by
    subtracting grade 4, and grade 4 by its classrooms: both are hidden with a companion."""
    keys, relations, n = table({"s1": {3: [6], 4: [20, 25]}})
    hidden = suppression.suppress(n, relations, 10)
    assert hidden == {
        classroom_key("s1-3-0"): Hidden.SMALL,
        grade_key("s1", 3): Hidden.SMALL,
        grade_key("s1", 4): Hidden.COMPLEMENTARY,
        classroom_key("s1-4-0"): Hidden.COMPLEMENTARY,
    }
    assert_safe(keys, relations, n, hidden, 10)


def test_grade_totals_across_schools_cross_the_schools():
    """A small grade of one school: hiding its sibling grade in the school is not enough, since the grade
    across schools minus the other school's same grade gives it back."""
    keys, relations, n = table({"s1": {3: [6], 4: [20]}, "s2": {3: [30], 4: [40]}})
    assert all_grade_key(3) in keys
    hidden = suppression.suppress(n, relations, 10)
    assert grade_key("s2", 3) in hidden  # the companion across schools
    assert_safe(keys, relations, n, hidden, 10)


def test_counting_hidden_cells_per_total_is_not_enough_when_totals_cross():
    """Four schools by four grades, one classroom each: two blocks of four hidden cells joined by one more.
    Every total has no hidden part or at least two, yet the joining cell is fixed by the shown ones."""
    keys, relations, n = table({s: {g: [20] for g in (3, 4, 5, 6)} for s in ("s1", "s2", "s3", "s4")})
    cells = [("s1", 3), ("s1", 4), ("s2", 3), ("s2", 4), ("s3", 5), ("s3", 6), ("s4", 5), ("s4", 6), ("s2", 5)]
    hidden = [grade_key(s, g) for s, g in cells] + [classroom_key(f"{s}-{g}-0") for s, g in cells]
    for relation in relations:
        count = sum(k in hidden for k in (relation.total, *relation.parts))
        assert count == 0 or count >= 2
    assert suppression.determined(hidden, relations) == {grade_key("s2", 5), classroom_key("s2-5-0")}
    assert recovered_by_null_space(hidden, relations) == {grade_key("s2", 5), classroom_key("s2-5-0")}


def test_an_empty_cell_is_shown_and_a_table_with_nothing_small_hides_nothing():
    keys, relations, n = table({"s1": {3: [0, 12]}, "s2": {4: [15]}})
    assert suppression.suppress(n, relations, 10) == {}
    keys, relations, n = table({"s1": {3: [0, 0]}})
    assert suppression.suppress(n, relations, 10) == {}


def test_everything_small_is_hidden_and_safe():
    keys, relations, n = table({"s1": {3: [2, 3]}})
    hidden = suppression.suppress(n, relations, 10)
    assert set(hidden) == set(keys) and {ALL, school_key("s1")} <= set(hidden)
    assert_safe(keys, relations, n, hidden, 10)


@pytest.mark.parametrize("grade_totals", [True, False])
def test_the_tree_lists_cells_in_display_order(grade_totals):
    keys, relations = suppression.tree([("a", 4, "r1"), ("a", 3, "r2"), ("b", 3, "r3")], grade_totals=grade_totals)
    totals = [all_grade_key(3), all_grade_key(4)] if grade_totals else []
    assert keys == [
        ALL,
        *totals,
        school_key("a"),
        grade_key("a", 3),
        classroom_key("r2"),
        grade_key("a", 4),
        classroom_key("r1"),
        school_key("b"),
        grade_key("b", 3),
        classroom_key("r3"),
    ]
    assert len(relations) == 1 + 2 + 3 + (1 + 2 if grade_totals else 0)  # all, schools, grades; across schools


@given(schools=SCHOOLS, grade_totals=st.booleans(), data=st.data())
@settings(max_examples=300, deadline=None)
def test_the_cells_found_fixed_are_those_the_full_null_space_fixes(schools, grade_totals, data):
    """Any hidden set, not only suppression's: the module's elimination and per-part row spaces find exactly
    the cells the attacker's null space of the whole system finds."""
    keys, relations, _n = table(schools, grade_totals=grade_totals)
    hidden = data.draw(st.lists(st.sampled_from(keys), unique=True))
    assert suppression.determined(hidden, relations) == recovered_by_null_space(hidden, relations)
