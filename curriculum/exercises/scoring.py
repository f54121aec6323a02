"""How Heard scores the exercises. Pure functions: no database.

**Empathic accuracy (feelings guess)**, in the spirit of Ickes' paradigm, where a perceiver's inference
is compared with what the target says they actually felt. The target's own answer is the key: the
author's key of a written scenario, what the instructor observed at a baby visit, or the partner's
self-report. Each feeling the student picks earns points against the closest feeling of the key:

* 2 points for the same feeling ("frustrated" for "frustrated"),
* 1 point for another feeling of the same family on the feelings wheel ("angry" for "frustrated"),
* 0 otherwise.

The most a guess can earn is 2 points for each feeling of the key or of the guess, whichever are more,
so naming many feelings to catch the right one does not pay, and neither does naming one of three.
Accuracy is points / most. Separately, the intensity difference is |the student's 1-5 - the key's 1-5|
(none when the key has no intensity, as at a baby visit). The student's result page states this rule.

**Situational attribution.** Of the explanations a student tags, the share tagged "about the
situation", for someone else's behaviour and for their own. People tend to explain others by who they
are and themselves by what happened (the actor-observer asymmetry); a rising share for others is the
perspective-taking the exercise trains.

**Rubric.** The teacher's points per criterion, summed; the most is the sum of each criterion's points.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from curriculum.content import Criterion, Kind
from curriculum.feelings import FAMILY_OF

SAME_FEELING = 2
SAME_FAMILY = 1

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


@dataclass(frozen=True)
class Accuracy:
    points: int
    most: int
    intensity_difference: int | None

    @property
    def share(self) -> float:
        return self.points / self.most if self.most else 0.0


def feeling_points(guess: str, key: str) -> int:
    if guess == key:
        return SAME_FEELING
    if FAMILY_OF.get(guess) is not None and FAMILY_OF.get(guess) == FAMILY_OF.get(key):
        return SAME_FAMILY
    return 0


def feelings_accuracy(
    *, guessed: list[str], guessed_intensity: int | None, key: list[str], key_intensity: int | None
) -> Accuracy | None:
    """The guess scored against the key (see the module's docstring); None when either side is empty."""
    guessed = list(dict.fromkeys(guessed))
    key = list(dict.fromkeys(key))
    if not guessed or not key:
        return None
    points = sum(max(feeling_points(g, k) for k in key) for g in guessed)
    most = SAME_FEELING * max(len(guessed), len(key))
    difference = None
    if guessed_intensity is not None and key_intensity is not None:
        difference = abs(guessed_intensity - key_intensity)
    return Accuracy(points=points, most=most, intensity_difference=difference)


def situational_share(explanations: list[dict]) -> float | None:
    """The share of tagged explanations that are about the situation; None when none is tagged."""
    tagged = [e for e in explanations if e.get("text") and e.get("about") in ("person", "situation")]
    if not tagged:
        return None
    return sum(1 for e in tagged if e["about"] == "situation") / len(tagged)


def rubric_for(content: dict) -> tuple[Criterion, ...]:
    rubric = content.get("rubric")
    if rubric:
        return tuple(Criterion.model_validate(c) for c in rubric)
    return RUBRIC_DEFAULT


def rubric_total(criteria: tuple[Criterion, ...], scores: dict[str, int]) -> tuple[int, int]:
    """(points, most); a criterion left unscored counts 0, a score above its points is capped."""
    points = sum(min(max(int(scores.get(c.key, 0)), 0), c.points) for c in criteria)
    return points, sum(c.points for c in criteria)


def submission_scores(*, kind: str, content: dict, answer: dict, key: dict | None) -> dict:
    """The Submission columns an answer sets when it is turned in (the kinds that score themselves).

    ``key`` is the feelings guess's key, ``{"feelings": [...], "intensity": n or None}``, or None when
    there is none yet (a baby visit whose observation is not logged): the scores then stay empty.
    """
    scores: dict = {}
    if kind == Kind.FEELINGS_GUESS:
        accuracy = None
        if key:
            accuracy = feelings_accuracy(
                guessed=answer.get("feelings", []), guessed_intensity=answer.get("intensity"),
                key=key.get("feelings", []), key_intensity=key.get("intensity"),
            )
        scores["accuracy_points"] = accuracy.points if accuracy else None
        scores["accuracy_max"] = accuracy.most if accuracy else None
        scores["intensity_difference"] = accuracy.intensity_difference if accuracy else None
    elif kind == Kind.SITUATIONAL_ATTRIBUTION:
        scores["situational_share_others"] = situational_share(answer.get("explanations", []))
        scores["situational_share_self"] = situational_share(answer.get("self_explanations", []))
    return scores
