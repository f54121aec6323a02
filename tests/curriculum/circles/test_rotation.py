"""The circle's rotation rule (curriculum.circles.rotation), over any group size, any number of rounds and any
choices the speakers make among those allowed."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curriculum.circles.rotation import allowed_reflectors, next_turn


def play(members, picks):
    """Turns played with each speaker choosing the ``picks[i]``-th allowed reflector (going round)."""
    turns = []
    for pick in picks:
        upcoming = next_turn(members, turns)
        turns.append((upcoming.speaker, upcoming.allowed[pick % len(upcoming.allowed)]))
    return turns


groups = st.integers(min_value=3, max_value=5).map(lambda n: list(range(100, 100 + n)))


@settings(max_examples=300, deadline=None)
@given(members=groups, rounds=st.integers(min_value=1, max_value=6), data=st.data())
def test_over_any_rounds_each_round_everyone_speaks_once_and_sums_up_once(members, rounds, data):
    n = len(members)
    picks = data.draw(st.lists(st.integers(min_value=0, max_value=10), min_size=n * rounds, max_size=n * rounds))
    turns = play(members, picks)
    for r in range(rounds):
        this_round = turns[r * n : (r + 1) * n]
        assert sorted(s for s, _ in this_round) == members
        assert sorted(x for _, x in this_round) == members


@settings(max_examples=300, deadline=None)
@given(members=groups, data=st.data())
def test_the_reflector_speaks_next_and_never_sums_up_for_themselves(members, data):
    picks = data.draw(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=25))
    turns = play(members, picks)
    for (_speaker, reflector), (next_speaker, _) in zip(turns, turns[1:], strict=False):
        assert next_speaker == reflector
    assert all(speaker != reflector for speaker, reflector in turns)


@settings(max_examples=300, deadline=None)
@given(members=groups, data=st.data())
def test_someone_who_has_not_summed_up_is_always_chosen_while_there_is_one(members, data):
    picks = data.draw(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=25))
    turns = play(members, picks)
    for k, (speaker, reflector) in enumerate(turns):
        before = turns[:k]
        counts = {m: sum(r == m for _, r in before) for m in members}
        others = [m for m in members if m != speaker]
        assert counts[reflector] == min(counts[m] for m in others)


def test_the_first_round_of_four_offers_a_real_choice_and_suggests_the_next_in_order():
    members = [1, 2, 3, 4]
    first = next_turn(members, [])
    assert (first.speaker, first.allowed, first.suggested) == (1, (2, 3, 4), 2)
    second = next_turn(members, [(1, 3)])
    assert (second.speaker, second.allowed, second.suggested) == (3, (4, 2), 4)
    # the one who spoke first sums up last in the round, and opens the next
    assert next_turn(members, [(1, 3), (3, 2), (2, 4)]).allowed == (1,)
    assert next_turn(members, [(1, 3), (3, 2), (2, 4), (4, 1)]).speaker == 1


def test_a_group_of_one_has_nobody_to_choose_and_no_group_has_no_first_speaker():
    assert allowed_reflectors([7], 7, []) == ()
    assert next_turn([7], []).suggested is None
    with pytest.raises(ValueError):
        next_turn([], [])
