"""The feelings wheel: six families of feelings, each with the specific feelings children learn to name.

A feelings guess is scored on it (``curriculum.exercises.scoring``): naming the same specific feeling
as the person who had it is closer than naming another feeling of the same family. Every feeling the
class may read in the baby at a family visit (``classrooms.models.Feeling``, the instructor's
observation log) is on the wheel, so an observation can be the key of a guess.

Pure data and lookups: no database.
"""

from django.utils.translation import gettext_lazy as _

# family -> its specific feelings, in the order the wheel shows them. The family's own word is
# also a feeling a young child may pick ("happy"), so each family lists itself first.
WHEEL: dict[str, tuple[str, ...]] = {
    "happy": ("happy", "excited", "proud", "loved", "grateful"),
    "calm": ("calm", "relaxed", "safe", "tired"),
    "surprised": ("surprised", "curious", "confused", "amazed"),
    "sad": ("sad", "lonely", "disappointed", "hurt"),
    "scared": ("scared", "worried", "nervous", "shy"),
    "angry": ("angry", "frustrated", "jealous", "annoyed"),
}

LABELS = {
    "happy": _("happy"),
    "excited": _("excited"),
    "proud": _("proud"),
    "loved": _("loved"),
    "grateful": _("grateful"),
    "calm": _("calm"),
    "relaxed": _("relaxed"),
    "safe": _("safe"),
    "tired": _("tired"),
    "surprised": _("surprised"),
    "curious": _("curious"),
    "confused": _("confused"),
    "amazed": _("amazed"),
    "sad": _("sad"),
    "lonely": _("lonely"),
    "disappointed": _("disappointed"),
    "hurt": _("hurt"),
    "scared": _("scared"),
    "worried": _("worried"),
    "nervous": _("nervous"),
    "shy": _("shy"),
    "angry": _("angry"),
    "frustrated": _("frustrated"),
    "jealous": _("jealous"),
    "annoyed": _("annoyed"),
}

FAMILY_OF: dict[str, str] = {feeling: family for family, feelings in WHEEL.items() for feeling in feelings}
FEELINGS: tuple[str, ...] = tuple(FAMILY_OF)


def family_of(feeling: str) -> str:
    """The family a feeling belongs to; ``KeyError`` for a word that is not on the wheel."""
    return FAMILY_OF[feeling]


def label(feeling: str) -> str:
    return str(LABELS.get(feeling, feeling))
