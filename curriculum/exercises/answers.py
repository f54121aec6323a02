"""STAND-IN until the main session's curriculum/exercises lands (dropped at that merge): the interface only.

``answer_from_post(kind, content, data)`` reads the kind's fields as typed; ``answer_errors(...)``
checks limits (a draft) or completeness (a turn-in).
"""

from django.utils.translation import gettext as _

from curriculum.content import Kind
from curriculum.feelings import FEELINGS

ANSWER_TEXT_MAX = 2000


def _text(data, name: str) -> str:
    value = data.get(name, "")
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""


def answer_from_post(kind: str, content: dict, data) -> dict:
    if kind == Kind.PERSPECTIVE_WRITING:
        return {"text": _text(data, "text")}
    if kind == Kind.STORY_EXCHANGE:
        return {"story": _text(data, "story"), "retelling": _text(data, "retelling")}
    if kind == Kind.FEELINGS_GUESS:
        picked = [f for f in dict.fromkeys(data.getlist("feelings")) if f in FEELINGS] if hasattr(data, "getlist") else []
        try:
            intensity = int(data.get("intensity", ""))
        except (TypeError, ValueError):
            intensity = None
        return {"feelings": picked, "intensity": intensity if intensity in range(1, 6) else None, "why": _text(data, "why")}
    return {"text": _text(data, "text")}


def _texts(answer: dict) -> list[str]:
    return [v for v in answer.values() if isinstance(v, str)]


def answer_errors(kind: str, content: dict, answer: dict, *, final: bool) -> list[str]:
    if any(len(t) > ANSWER_TEXT_MAX for t in _texts(answer)):
        return [_("One of your answers is longer than %(max)d characters. Make it a little shorter.") % {"max": ANSWER_TEXT_MAX}]
    if final and not any(_texts(answer)) and not answer.get("feelings"):
        return [_("Write your answer before you turn it in.")]
    return []
