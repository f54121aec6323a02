"""Discussion groups from a class's answers (curriculum.live.grouping), over random classes and splits."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curriculum.live.grouping import form_groups, group_count, group_sizes

OPTIONS = ["a", "b", "c", "d", None]

classes = st.integers(min_value=0, max_value=40).flatmap(
    lambda n: st.lists(st.sampled_from(OPTIONS), min_size=n, max_size=n).map(
        lambda picks: {100 + i: pick for i, pick in enumerate(picks)}
    )
)
sizes = st.integers(min_value=3, max_value=5)
modes = st.sampled_from(["mixed", "alike"])


@settings(max_examples=400, deadline=None)
@given(answers=classes, size=sizes, mode=modes)
def test_everyone_is_in_exactly_one_group_of_three_to_five_where_the_class_allows(answers, size, mode):
    groups = form_groups(answers, size=size, mode=mode, order="abcd")
    placed = [student for group in groups for student in group]
    assert sorted(placed) == sorted(answers)
    if len(answers) >= 3:
        assert all(3 <= len(group) <= 5 for group in groups), [len(g) for g in groups]
    else:
        assert len(groups) == (1 if answers else 0)
    lengths = [len(group) for group in groups]
    assert not lengths or max(lengths) - min(lengths) <= 1


@settings(max_examples=400, deadline=None)
@given(answers=classes, size=sizes)
def test_mixed_groups_spread_every_answer_as_evenly_as_the_split_allows(answers, size):
    groups = form_groups(answers, size=size, mode="mixed")
    for option in set(answers.values()):
        per_group = [sum(1 for s in group if answers[s] == option) for group in groups]
        assert max(per_group) - min(per_group) <= 1, (option, per_group)
    # So each group holds as many different answers as it can: all of them, or one per seat.
    answer_kinds = len(set(answers.values()))
    for group in groups:
        distinct = len({answers[s] for s in group})
        common = sum(1 for option in set(answers.values()) if Counter(answers.values())[option] >= len(groups))
        assert distinct >= min(len(group), common)
        assert distinct <= answer_kinds


@settings(max_examples=400, deadline=None)
@given(answers=classes, size=sizes)
def test_alike_groups_hold_one_answer_but_where_one_answer_ends_and_the_next_begins(answers, size):
    groups = form_groups(answers, size=size, mode="alike")
    mixed = [group for group in groups if len({answers[s] for s in group}) > 1]
    assert len(mixed) <= max(len(set(answers.values())) - 1, 0)
    # And an answer chosen by a whole group's worth of students fills at least one group by itself.
    counts = Counter(answers.values())
    for option, count in counts.items():
        if groups and count >= 2 * max(len(g) for g in groups):
            assert any(all(answers[s] == option for s in group) for group in groups), option


def test_the_number_of_groups_is_the_nearest_to_the_wanted_size_that_keeps_every_group_three_to_five():
    assert [group_count(n, 4) for n in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 30)] == [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 8]
    assert group_sizes(7, 3) == [4, 3]  # not 3 + 3 + 1
    assert group_sizes(30, 5) == [5] * 6
    assert group_sizes(11, 5) == [4, 4, 3]  # 5 + 5 + 1 would leave someone alone
    assert group_count(9, 3) == 3 and group_count(9, 5) == 2


def test_mixed_groups_of_an_even_split_each_hold_both_answers():
    answers = {i: ("yes" if i % 2 else "no") for i in range(12)}
    for group in form_groups(answers, size=4, mode="mixed"):
        assert Counter(answers[s] for s in group) == {"yes": 2, "no": 2}


def test_the_same_class_gives_the_same_groups():
    answers = {5: "a", 3: "b", 9: "a", 1: "c", 7: "b", 2: "a"}
    assert form_groups(answers, size=3, mode="alike") == form_groups(
        dict(reversed(answers.items())), size=3, mode="alike"
    )


@pytest.mark.parametrize("size", [2, 6])
def test_a_size_outside_three_to_five_is_refused(size):
    with pytest.raises(ValueError):
        form_groups({1: "a", 2: "a", 3: "b"}, size=size)
