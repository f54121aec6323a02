"""Showing lesson content: a student-facing text in the reader's language, a feeling's name, a picture."""

from django import template
from django.templatetags.static import static

from curriculum import feelings
from curriculum.content import PICTURES
from curriculum.exercises.answers import ANSWER_TEXT_MAX

register = template.Library()


@register.filter
def in_language(text, language: str = "en") -> str:
    """A ``content.Text`` as stored ({"en": ..., "es": ...}, or a plain string): Spanish for a Spanish reader when written."""
    if isinstance(text, dict):
        if language and str(language).startswith("es") and text.get("es"):
            return text["es"]
        return text.get("en", "")
    return "" if text is None else str(text)


@register.filter
def feeling_label(name: str) -> str:
    return feelings.label(name)


@register.filter
def picture_url(name: str) -> str:
    return static(f"curriculum/pictures/{name}.svg") if name in PICTURES else ""


@register.simple_tag
def feelings_wheel():
    """[(family, [(feeling, label), ...]), ...] in the wheel's order."""
    return [(family, [(f, feelings.label(f)) for f in names]) for family, names in feelings.WHEEL.items()]


@register.filter
def at(sequence, index):
    """``sequence[index]``, or {} past its end (an answer saved before a question was added)."""
    try:
        return sequence[int(index)]
    except (IndexError, KeyError, TypeError, ValueError):
        return {}


@register.simple_tag
def answer_text_max() -> int:
    return ANSWER_TEXT_MAX


@register.filter
def fmt(pattern: str, value) -> str:
    """``"q-%s-text"|fmt:2`` is "q-2-text": a field name built from a loop's index."""
    return pattern % (value,)
