"""Placeholder until the real screen lands (branch ``screening``): flags a few words, so the routing can be built."""

from dataclasses import dataclass

CATEGORIES = ("self_harm", "harm_to_others", "abuse", "weapon", "emergency", "unsafe_home")
_WORDS = {"kill myself": "self_harm", "knife": "weapon", "hits me": "abuse", "scared to go home": "unsafe_home"}


@dataclass(frozen=True)
class Screening:
    flagged: bool
    categories: tuple[str, ...]
    terms: tuple[str, ...] = ()


def screen(text: str) -> Screening:
    text = text.casefold()
    found = {word: category for word, category in _WORDS.items() if word in text}
    return Screening(bool(found), tuple(sorted(set(found.values()))), tuple(sorted(found)))
