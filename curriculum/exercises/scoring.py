"""STAND-IN until the main session's curriculum/exercises lands (dropped at that merge): the interface only."""

from django.utils.translation import gettext_lazy as _

from curriculum.content import Criterion, Kind
from curriculum.feelings import FAMILY_OF

# Heard's own rubric for perspective writing, used when an activity brings none.
RUBRIC_DEFAULT = (
    Criterion(key="perspective_kept", label="Stays in the other person's point of view throughout", points=2),
    Criterion(key="inner_states", label="Names what they think, feel and want", points=2),
    Criterion(key="no_judgement", label="Describes without judging them", points=2),
)
RUBRIC_DEFAULT_LABELS = {
    "perspective_kept": _("Stays in the other person's point of view throughout"),
    "inner_states": _("Names what they think, feel and want"),
    "no_judgement": _("Describes without judging them"),
}


def rubric_for(content: dict) -> tuple[Criterion, ...]:
    rubric = content.get("rubric")
    return tuple(Criterion.model_validate(c) for c in rubric) if rubric else RUBRIC_DEFAULT


def rubric_total(criteria: tuple[Criterion, ...], scores: dict[str, int]) -> tuple[int, int]:
    points = sum(min(max(int(scores.get(c.key, 0)), 0), c.points) for c in criteria)
    return points, sum(c.points for c in criteria)


def submission_scores(*, kind: str, content: dict, answer: dict, key: dict | None) -> dict:
    if kind != Kind.FEELINGS_GUESS:
        return {}
    guessed, wanted = answer.get("feelings", []), (key or {}).get("feelings", [])
    if not guessed or not wanted:
        return {"accuracy_points": None, "accuracy_max": None, "intensity_difference": None}
    points = sum(max(2 if g == k else 1 if FAMILY_OF.get(g) == FAMILY_OF.get(k) else 0 for k in wanted) for g in guessed)
    difference = None
    if answer.get("intensity") is not None and key.get("intensity") is not None:
        difference = abs(answer["intensity"] - key["intensity"])
    return {"accuracy_points": points, "accuracy_max": 2 * max(len(guessed), len(wanted)), "intensity_difference": difference}
