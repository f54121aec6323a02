"""The pictures a student text may show: our own drawings, ``static/curriculum/pictures/<name>.svg``, and
what each shows in words (its ``alt`` text, in the reader's language), for a reader who cannot see it."""

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from curriculum.content import PICTURES

ALT = {
    "baby": _("A baby sitting up and looking at you"),
    "baby-crying": _("A baby crying, with tears on her cheeks"),
    "baby-sleeping": _("A baby asleep under a green blanket, with the moon outside"),
    "baby-smiling": _("A baby smiling with both arms up"),
    "blanket": _("A green blanket spread out flat"),
    "bottle": _("A baby's bottle with milk in it"),
    "crib": _("A baby's crib with a mobile above it"),
    "family": _("A family: two grown-ups and a child"),
    "friends": _("Two children holding hands"),
    "hands": _("A big hand and a small hand"),
    "heart": _("A red heart"),
    "playground": _("A playground with a slide and a swing"),
    "classroom": _("A classroom with a board and two desks"),
    "scale": _("A baby scale"),
    "ruler": _("A ruler and a tape measure"),
    "book": _("An open book"),
    "ball": _("A bright beach ball"),
    "rain": _("A cloud with rain falling"),
}
assert set(ALT) == set(PICTURES), "every picture has its words"


def picture_alt(name: str) -> str:
    return str(ALT.get(name, ""))


def picture_url(name: str) -> str:
    return static(f"curriculum/pictures/{name}.svg")
