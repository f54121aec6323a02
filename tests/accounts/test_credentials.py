import re

from hypothesis import given
from hypothesis import strategies as st

from accounts.credentials import WORDS, propose_password, username_base, username_candidates
from classrooms import joincodes


def test_proposed_passwords_are_two_words_and_two_digits():
    for _ in range(200):
        first, second, digits = propose_password().split("-")
        assert first in WORDS and second in WORDS and first != second
        assert 10 <= int(digits) <= 99


def test_proposed_passwords_vary():
    assert len({propose_password() for _ in range(100)}) > 90


@given(st.text(max_size=60), st.text(max_size=60))
def test_usernames_are_always_plain_lowercase_ascii(first, last):
    assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9])?", username_base(first, last))


def test_username_candidates_count_up():
    candidates = username_candidates("maya.r")
    assert [next(candidates) for _ in range(3)] == ["maya.r", "maya.r2", "maya.r3"]


@given(st.text(alphabet=joincodes.ALPHABET, min_size=6, max_size=6), st.sampled_from(["", " ", "-", "  -"]))
def test_join_codes_survive_case_spaces_and_dashes(code, noise):
    typed = f"{noise}{code[:3].lower()}{noise}{code[3:]}{noise}"
    assert joincodes.normalize(typed) == code
    assert joincodes.normalize(joincodes.display(code)) == code


def test_join_codes_avoid_lookalike_characters():
    assert not set("01OIL") & set(joincodes.ALPHABET)
