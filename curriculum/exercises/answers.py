"""What a student's answer to each kind of activity holds, read from their form and checked.

An answer is stored as typed (``Submission.answer``, a dict), so a draft saved halfway keeps every
word. It is checked twice: a *draft* only against the limits (no text over ``ANSWER_TEXT_MAX``, only
feelings on the wheel), so nothing the student typed is refused for being unfinished; and at *turn-in*
for completeness (every question answered). Messages speak to the student.

Pure: no database. ``answer_from_post`` never raises on anything a browser can send.
"""

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from curriculum.content import Kind
from curriculum.feelings import FEELINGS

ANSWER_TEXT_MAX = 2000
FEELINGS_PICK_MAX = 3
EXPLANATIONS_MAX = 5
SELF_EXPLANATIONS_MAX = 3
ABOUT = ("person", "situation")


def _text(data, name: str) -> str:
    value = data.get(name, "")
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""


def _int(data, name: str, low: int, high: int) -> int | None:
    try:
        value = int(data.get(name, ""))
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def _feelings(data, name: str) -> list[str]:
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    picked = []
    for value in values if isinstance(values, list) else []:
        if value in FEELINGS and value not in picked:
            picked.append(value)
    return picked


def _explanations(data, prefix: str, rows: int) -> list[dict]:
    found = []
    for i in range(rows):
        text = _text(data, f"{prefix}-{i}-text")
        about = data.get(f"{prefix}-{i}-about", "")
        found.append({"text": text, "about": about if about in ABOUT else ""})
    return found


def answer_from_post(kind: str, content: dict, data) -> dict:
    """The answer fields of ``kind`` from a submitted form (a ``QueryDict``), as typed."""
    if kind == Kind.PERSPECTIVE_WRITING:
        return {"text": _text(data, "text")}
    if kind == Kind.STORY_EXCHANGE:
        return {"story": _text(data, "story"), "retelling": _text(data, "retelling")}
    if kind == Kind.NORM_STORY:
        # "share": the author's consent to show it, without the name, on the walls of the other classes of their band.
        return {"text": _text(data, "text"), "share": data.get("share", "") == "1"}
    if kind == Kind.FEELINGS_GUESS:
        answer = {
            "feelings": _feelings(data, "feelings"),
            "intensity": _int(data, "intensity", 1, 5),
            "why": _text(data, "why"),
        }
        if content.get("key_source") == "partner":
            answer["self_feelings"] = _feelings(data, "self_feelings")
            answer["self_intensity"] = _int(data, "self_intensity", 1, 5)
        return answer
    if kind == Kind.SITUATIONAL_ATTRIBUTION:
        return {
            "explanations": _explanations(data, "exp", EXPLANATIONS_MAX),
            "self_explanations": _explanations(data, "self", SELF_EXPLANATIONS_MAX),
        }
    if kind == Kind.STORY_INNER_STATE:
        lines = len(content.get("lines", []))
        answers = []
        for i, _question in enumerate(content.get("questions", [])):
            feeling = data.get(f"q-{i}-feeling", "")
            answers.append({
                "text": _text(data, f"q-{i}-text"),
                "line": _int(data, f"q-{i}-line", 1, max(lines, 1)),
                "feeling": feeling if feeling in FEELINGS else "",
            })
        return {"answers": answers}
    return {}


def answer_texts(kind: str, answer: dict) -> list[str]:
    """Every piece of free text in an answer (for limits, and for showing that nothing was lost)."""
    if kind in (Kind.PERSPECTIVE_WRITING, Kind.NORM_STORY):
        return [answer.get("text", "")]
    if kind == Kind.STORY_EXCHANGE:
        return [answer.get("story", ""), answer.get("retelling", "")]
    if kind == Kind.FEELINGS_GUESS:
        return [answer.get("why", "")]
    if kind == Kind.SITUATIONAL_ATTRIBUTION:
        return [e.get("text", "") for e in [*answer.get("explanations", []), *answer.get("self_explanations", [])]]
    if kind == Kind.STORY_INNER_STATE:
        return [a.get("text", "") for a in answer.get("answers", [])]
    return []


def _filled(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row.get("text")]


def answer_errors(kind: str, content: dict, answer: dict, *, final: bool) -> list[str]:
    """What is wrong with ``answer``, in words for the student; [] when it may be saved (or turned in)."""
    errors = []
    if any(len(text) > ANSWER_TEXT_MAX for text in answer_texts(kind, answer)):
        errors.append(_("One of your answers is longer than %(max)d characters. Make it a little shorter.") % {"max": ANSWER_TEXT_MAX})
    if kind == Kind.FEELINGS_GUESS and len(answer.get("feelings", [])) > FEELINGS_PICK_MAX:
        errors.append(ngettext("Pick at most %(n)d feeling.", "Pick at most %(n)d feelings.", FEELINGS_PICK_MAX) % {"n": FEELINGS_PICK_MAX})
    if not final or errors:
        return errors

    if kind == Kind.PERSPECTIVE_WRITING and not answer.get("text"):
        errors.append(_("Write your piece before you turn it in."))
    elif kind == Kind.NORM_STORY and not answer.get("text"):
        errors.append(_("Write your story before you send it to your teacher."))
    elif kind == Kind.STORY_EXCHANGE:
        if not answer.get("story"):
            errors.append(_("Write your own story first."))
        if not answer.get("retelling"):
            errors.append(_("Retell your partner's story before you turn it in."))
    elif kind == Kind.FEELINGS_GUESS:
        if not answer.get("feelings"):
            errors.append(_("Pick at least one feeling."))
        if answer.get("intensity") is None:
            errors.append(_("Choose how strong the feeling is, from 1 to 5."))
        if not answer.get("why"):
            errors.append(_("Tell why you think so."))
        if content.get("key_source") == "partner" and (not answer.get("self_feelings") or answer.get("self_intensity") is None):
            errors.append(_("Say how you felt yourself, and how strongly."))
    elif kind == Kind.SITUATIONAL_ATTRIBUTION:
        wanted = int(content.get("explanations_min", 3))
        others = _filled(answer.get("explanations", []))
        if len(others) < wanted:
            errors.append(
                ngettext("Write at least %(n)d reason.", "Write at least %(n)d different reasons.", wanted) % {"n": wanted}
            )
        if not _filled(answer.get("self_explanations", [])):
            errors.append(_("Write what you would say if it had been you."))
        if any(not row.get("about") for row in [*others, *_filled(answer.get("self_explanations", []))]):
            errors.append(_("For each reason, choose: is it about the person, or about what was happening?"))
    elif kind == Kind.STORY_INNER_STATE:
        answers = answer.get("answers", [])
        questions = content.get("questions", [])
        if len(answers) != len(questions) or any(not a.get("text") for a in answers):
            errors.append(_("Answer every question about the story."))
        if any(a.get("line") is None for a in answers):
            errors.append(_("For each answer, pick the line of the story that shows it."))
    return errors


def answer_is_blank(kind: str, answer: dict) -> bool:
    """Nothing typed or picked yet: saving it does not start the work."""
    if any(answer_texts(kind, answer)):
        return False
    return not any(answer.get(k) for k in ("feelings", "intensity", "self_feelings", "self_intensity")) and not any(
        a.get("line") or a.get("feeling") for a in answer.get("answers", [])
    )


def default_answer(kind: str, content: dict) -> dict[str, Any]:
    """An empty answer of the right shape, so a form can show its rows before anything is saved."""
    return answer_from_post(kind, content, QueryDict())
