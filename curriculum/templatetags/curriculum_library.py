"""Showing a lesson's content: a student text in the reader's language, a picture with its words, a feeling's name."""

from django import template

from curriculum import feelings
from curriculum.content import Text
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
