"""Exercise scoring against hand-computed expectations: empathic accuracy, situational share, rubric."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curriculum.exercises.scoring import (
    RUBRIC_DEFAULT,
    feelings_accuracy,
    rubric_for,
    rubric_total,
    situational_share,
    submission_scores,
)
from curriculum.feelings import FEELINGS, WHEEL


def test_the_same_feeling_scores_two_points_of_two():
    result = feelings_accuracy(guessed=["frustrated"], guessed_intensity=4, key=["frustrated"], key_intensity=2)
    assert (result.points, result.most, result.intensity_difference) == (2, 2, 2)
    assert result.share == 1.0


def test_a_feeling_of_the_same_family_scores_one_point():
    # "angry" and "frustrated" are both in the angry family of the wheel.
    result = feelings_accuracy(guessed=["angry"], guessed_intensity=3, key=["frustrated"], key_intensity=3)
    assert (result.points, result.most, result.intensity_difference) == (1, 2, 0)


def test_a_feeling_of_another_family_scores_nothing():
    result = feelings_accuracy(guessed=["happy"], guessed_intensity=None, key=["sad"], key_intensity=5)
    assert (result.points, result.most, result.intensity_difference) == (0, 2, None)


def test_naming_many_feelings_to_catch_the_right_one_does_not_pay():
    # sad: 2 (same), lonely: 1 (sad family), happy: 0; most = 2 x 3 guesses = 6.
    result = feelings_accuracy(guessed=["sad", "lonely", "happy"], guessed_intensity=2, key=["sad"], key_intensity=2)
    assert (result.points, result.most) == (3, 6)


def test_naming_one_of_the_keys_three_feelings_earns_a_third():
    # The baby was tired, calm and curious; the guess "tired" earns 2 of 2 x 3.
    result = feelings_accuracy(guessed=["tired"], guessed_intensity=None, key=["tired", "calm", "curious"], key_intensity=None)
    assert (result.points, result.most) == (2, 6)


def test_each_guess_is_scored_against_its_closest_key_feeling():
    # worried -> scared (same family, 1); proud -> proud (2). most = 2 x 2.
    result = feelings_accuracy(guessed=["worried", "proud"], guessed_intensity=1, key=["scared", "proud"], key_intensity=4)
    assert (result.points, result.most, result.intensity_difference) == (3, 4, 3)


def test_no_guess_or_no_key_is_no_score():
    assert feelings_accuracy(guessed=[], guessed_intensity=3, key=["sad"], key_intensity=3) is None
    assert feelings_accuracy(guessed=["sad"], guessed_intensity=3, key=[], key_intensity=None) is None


def test_every_feeling_has_exactly_one_family():
    names = [f for feelings in WHEEL.values() for f in feelings]
    assert len(names) == len(set(names)) == len(FEELINGS)


@given(
    guessed=st.lists(st.sampled_from(FEELINGS), min_size=1, max_size=3, unique=True),
    key=st.lists(st.sampled_from(FEELINGS), min_size=1, max_size=3, unique=True),
)
def test_accuracy_is_between_nothing_and_all_and_all_only_for_the_same_feelings(guessed, key):
    result = feelings_accuracy(guessed=guessed, guessed_intensity=None, key=key, key_intensity=None)
    assert 0 <= result.points <= result.most
    assert (result.points == result.most) == (set(guessed) == set(key))


def test_situational_share_counts_only_tagged_explanations():
    explanations = [
        {"text": "He is lazy", "about": "person"},
        {"text": "His dog was sick", "about": "situation"},
        {"text": "The bus was late", "about": "situation"},
        {"text": "not tagged", "about": ""},
        {"text": "", "about": "situation"},
    ]
    assert situational_share(explanations) == pytest.approx(2 / 3)
    assert situational_share([]) is None


def test_attribution_scores_for_others_and_for_self():
    answer = {
        "explanations": [{"text": "a", "about": "person"}, {"text": "b", "about": "situation"}],
        "self_explanations": [{"text": "c", "about": "situation"}],
    }
    scores = submission_scores(kind="situational_attribution", content={}, answer=answer, key=None)
    assert scores == {"situational_share_others": 0.5, "situational_share_self": 1.0}


def test_a_feelings_guess_without_a_key_yet_has_no_scores():
    answer = {"feelings": ["sad"], "intensity": 3, "why": "tears"}
    assert submission_scores(kind="feelings_guess", content={}, answer=answer, key=None) == {
        "accuracy_points": None, "accuracy_max": None, "intensity_difference": None,
    }
    scored = submission_scores(kind="feelings_guess", content={}, answer=answer, key={"feelings": ["hurt"], "intensity": 5})
    assert scored == {"accuracy_points": 1, "accuracy_max": 2, "intensity_difference": 2}


def test_the_rubric_total_caps_each_criterion_and_counts_missing_as_zero():
    assert rubric_total(RUBRIC_DEFAULT, {"perspective_kept": 2, "inner_states": 9}) == (4, 6)
    custom = rubric_for({"rubric": [{"key": "voice", "label": "Uses the baby's voice", "points": 3}]})
    assert rubric_total(custom, {"voice": -1}) == (0, 3)
