"""Who restates whose reason (curriculum.dilemmas.pairing): a classmate who chose differently, in one's own
group first; never oneself; each reason restated by about one person."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from curriculum.dilemmas.pairing import assign_restatements


def test_a_classmate_of_the_same_group_with_another_answer_comes_first():
    answers = {1: "A", 2: "B", 3: "B", 4: "A"}
    groups = {1: 1, 2: 1, 3: 2, 4: 2}
    assert assign_restatements(answers, groups) == {1: 2, 2: 1, 3: 4, 4: 3}


def test_without_another_answer_in_the_group_anyone_in_the_class_with_another_answer():
    answers = {1: "A", 2: "A", 3: "B", 4: "B"}
    groups = {1: 1, 2: 1, 3: 2, 4: 2}  # alike groups
    pairs = assign_restatements(answers, groups)
    assert all(answers[pairs[reader]] != answers[reader] for reader in answers)
    assert Counter(pairs.values()) == Counter({1: 1, 2: 1, 3: 1, 4: 1})


def test_when_everyone_chose_the_same_each_restates_another_classmate_once_round_the_ring():
    answers = dict.fromkeys(range(1, 6), "A")
    assert assign_restatements(answers, {}) == {1: 2, 2: 3, 3: 4, 4: 5, 5: 1}


def test_one_voter_restates_nobody_and_two_restate_each_other():
    assert assign_restatements({7: "A"}, {7: 1}) == {}
    assert assign_restatements({7: "A", 9: "A"}, {}) == {7: 9, 9: 7}


def test_the_same_class_gives_the_same_assignment_whatever_order_the_answers_come_in():
    answers = {5: "B", 1: "A", 3: "C", 2: "A", 4: "B"}
    groups = {1: 1, 2: 2, 3: 1, 4: 2, 5: 1}
    assert assign_restatements(answers, groups) == assign_restatements(dict(sorted(answers.items())), groups)


classes = st.integers(min_value=2, max_value=35).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(min_value=0, max_value=3), min_size=n, max_size=n),
        st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=8)), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(classes)
def test_every_voter_restates_one_other_classmate_who_chose_differently_when_anyone_did(data):
    options, group_numbers = data
    answers = {i + 100: option for i, option in enumerate(options)}
    groups = {i + 100: group for i, group in enumerate(group_numbers)}
    pairs = assign_restatements(answers, groups)
    assert set(pairs) == set(answers)
    for reader, author in pairs.items():
        assert author != reader and author in answers
        differs = [s for s in answers if answers[s] != answers[reader]]
        if differs:
            assert answers[author] != answers[reader]
        in_group = [s for s in differs if groups[reader] is not None and groups[s] == groups[reader]]
        if in_group:
            assert groups[author] == groups[reader]


@settings(deadline=None)
@given(st.integers(min_value=2, max_value=35), st.integers(min_value=1, max_value=4))
def test_in_an_even_split_each_reason_is_restated_by_about_one_person(n, kinds):
    answers = {i: i % kinds for i in range(n)}
    loads = Counter(assign_restatements(answers, {}).values())
    # each of the n readers lands on a reason; spread out, nobody's reason is said back by more than two
    # unless one answer is much smaller than the rest (an even split keeps them within one of each other)
    assert max(loads.values()) <= 2
    if kinds == 1:
        assert set(loads.values()) == {1}
