"""Scoring a response (reverse items, too few answered, "prefer not to answer") and peer nominations (z within
the class, the random order per student)."""

import statistics
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.scoring import PREFER_NOT, Item, nomination_scores, roster_order, subscale_scores

ITEMS = [
    Item("pt1", "perspective", 4),
    Item("pt2", "perspective", 4),
    Item("pt3", "perspective", 4, reverse=True),
    Item("ec1", "concern", 3),
    Item("ec2", "concern", 3),
]


def test_a_reverse_scored_item_is_turned_round_before_the_mean():
    # pt3 answered 1 on a 4-point scale counts as 4: (3 + 2 + 4) / 3.
    scores = subscale_scores(ITEMS, {"pt1": 3, "pt2": 2, "pt3": 1, "ec1": 3, "ec2": 1})
    assert scores == {"perspective": 3.0, "concern": 2.0}


def test_two_thirds_answered_scores_and_fewer_does_not():
    assert subscale_scores(ITEMS, {"pt1": 4, "pt2": 2})["perspective"] == 3.0  # 2 of 3
    assert subscale_scores(ITEMS, {"pt1": 4})["perspective"] is None  # 1 of 3
    assert subscale_scores(ITEMS, {"ec1": 2})["concern"] is None  # 1 of 2 is below two thirds
    assert subscale_scores(ITEMS, {"ec1": 2}, min_share=Fraction(1, 2))["concern"] == 2.0


def test_prefer_not_to_answer_and_impossible_answers_count_as_not_answered():
    answers = {"pt1": 4, "pt2": PREFER_NOT, "pt3": 9, "ec1": True, "ec2": "3"}
    assert subscale_scores(ITEMS, answers) == {"perspective": None, "concern": None}
    assert subscale_scores(ITEMS, {"pt1": 4, "pt2": PREFER_NOT, "pt3": 4})["perspective"] == 2.5  # 4 and (5 - 4)


def test_nominations_are_standardised_within_the_class():
    students = [1, 2, 3, 4, 5]
    nominations = {1: [2, 3], 2: [3], 3: [2, 1], 4: [3, 3, 4, 99], 5: []}  # 4 names 3 twice, itself and a stranger
    scores = {s.student: s for s in nomination_scores(students, nominations)}
    received = {1: 1, 2: 2, 3: 3, 4: 0, 5: 0}
    assert {s: scores[s].received for s in students} == received
    mean, sd = statistics.mean(received.values()), statistics.stdev(received.values())
    for s in students:
        assert scores[s].z == pytest.approx((received[s] - mean) / sd)
    assert scores[3].share_of_classmates == pytest.approx(3 / 4)  # named by 3 of the 4 others who took part


def test_a_class_where_everyone_is_named_alike_has_no_z():
    scores = nomination_scores([1, 2], {1: [2], 2: [1]})
    assert [s.z for s in scores] == [None, None]


@given(st.lists(st.integers(min_value=1, max_value=10_000), min_size=3, max_size=35, unique=True), st.integers(1, 500))
def test_each_student_sees_the_roster_in_an_order_of_their_own_and_the_same_when_they_come_back(classmates, window):
    first = classmates[0]
    order = roster_order(classmates, nominator=first, window=window)
    assert sorted(order) == sorted(c for c in classmates if c != first)
    assert roster_order(list(reversed(classmates)), nominator=first, window=window) == order


def test_the_order_differs_between_students():
    classmates = list(range(1, 31))
    orders = {tuple(roster_order(classmates, nominator=n, window=7)) for n in classmates}
    assert len(orders) == 30  # no two students see the same order
    alphabetical = sorted(classmates)
    assert sum(order[0] == alphabetical[0] for order in orders) < 5  # the first name is not always first
