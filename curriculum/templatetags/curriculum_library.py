"""Showing a lesson's content and a student's answer: a student text in the reader's language, a picture with its
words, a feeling's name, the feelings wheel, the answer boxes' limit."""

from django import template

from curriculum import feelings
from curriculum.content import Text
from curriculum.exercises.answers import ANSWER_TEXT_MAX
from curriculum.library import pictures
from curriculum.models import KIND_CHOICES

register = template.Library()
KIND_LABELS = dict(KIND_CHOICES)


def _text(value) -> Text | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Text) else Text.model_validate(value)


@register.filter
def in_language(value, language: str) -> str:
    """A student text (``content.Text``, or as stored) in ``language`` when it has it, in English otherwise."""
    text = _text(value)
    return text.in_language(language) if text else ""


@register.filter
def shown_language(value, language: str) -> str:
    """The language ``in_language`` shows the text in: for the ``lang`` attribute, so a screen reader reads it right."""
    text = _text(value)
    return "es" if text and language.startswith("es") and text.es else "en"


@register.filter
def spanish(value) -> str:
    text = _text(value)
    return (text.es or "") if text else ""


@register.filter
def picture_url(name: str) -> str:
    return pictures.picture_url(name) if name else ""


@register.filter
def picture_alt(name: str) -> str:
    return pictures.picture_alt(name) if name else ""


@register.filter
def feeling_label(name: str) -> str:
    return feelings.label(name)


@register.filter
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


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
