"""A lesson schema's refusal (pydantic's ``ValidationError``) as a Django ``ValidationError``, in Heard's words.

The schemas of ``curriculum.content`` are the one statement of what a lesson may hold (how many steps,
how long a line); the teachers' forms and services validate with them, and this module says what they
found beside the field it is about, in the reader's language, instead of pydantic's English.

Where an error sits is its ``loc`` in the data, turned into the name of the form field that holds it:

* ``("prompt",)`` or ``("prompt", "en")`` is ``prompt``; ``("prompt", "es")`` is ``prompt_es``;
* an item of a list typed one per line, ``("steps", 2)`` or ``("guiding_questions", 2, "es")``, is the list's
  field (``steps``, ``guiding_questions_es``), and the message names the line ("Line 3: ...");
* an item of a list the form shows as rows of fields (``rows``), ``("questions", 1, "character")``, is
  ``questions_2_character``;
* a part of a nested object, ``("key", "feelings")``, is ``key_feelings``.

Errors about the whole object (a Baby-visits lesson for grades 6-8) are put on the field they are about.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from accounts.baseforms import MAX_LENGTH_MESSAGE

# The schema's own reasons (curriculum.content), each with the field it is about and Heard's wording.
KNOWN_REASONS = (
    ("a Baby-visits lesson is a pre_visit", "part", lambda: _("A Baby-visits lesson is a pre-visit lesson, a family visit or a post-visit lesson.")),
    ("a Caring-community lesson has part", "part", lambda: _("A Caring-community lesson is a lesson of its own, not part of a family visit.")),
    ("Baby visits is written for", "band", lambda: _("Baby visits is written for K-2 and grades 3-5.")),
    ("Caring community is written for", "band", lambda: _("Caring community is written for grades 3-5 and 6-8.")),
    ("a Baby-visits lesson has a home-link", "home_link", lambda: _("A Baby-visits lesson has a note for families.")),
    ("a scenario with key_source 'author' needs its key", "key_feelings",
     lambda: _("Choose the feelings the person in the moment had: they are the answer students' guesses are compared with.")),
    ("takes its key from the class", "key_feelings", lambda: _("Leave the feelings empty: the answer comes from the class.")),
    ("a question comes after line", None, lambda: _("A question comes after a line the story does not have.")),
    ("two activities share the key", None, lambda: _("Two activities of this lesson have the same key.")),
)
LANGUAGES = ("en", "es")


def _field_and_line(loc: tuple, rows: frozenset[str]) -> tuple[str | None, int | None]:
    """The form field an error at ``loc`` belongs to, and the line (1-based) when it is one item of a list."""
    if not loc:
        return None, None
    name, rest = str(loc[0]), list(loc[1:])
    line = None
    if rest and isinstance(rest[0], int):
        index = rest.pop(0)
        if name in rows:
            name = f"{name}_{index + 1}"
        else:
            line = index + 1
    parts = [name]
    for step in rest:
        if isinstance(step, int):
            continue  # an item of a nested list of choices (key.feelings[1]): the choice field itself
        if step == "en":
            continue
        parts.append("es" if step == "es" else str(step))
    return "_".join(parts), line


def _message(error: dict) -> tuple[str, str | None]:
    """Heard's words for one pydantic error, and the field a whole-object reason is about (or None)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    value = error.get("input")
    if error["loc"] and error["loc"][-1] == "feelings" and kind in ("too_short", "too_long"):
        if kind == "too_short":
            return _("Choose at least %(min)d feeling.") % {"min": ctx["min_length"]}, None
        return _("Choose at most %(max)d feelings.") % {"max": ctx["max_length"]}, None
    if kind == "value_error":
        reason = str(ctx.get("error", error["msg"]))
        for start, field, words in KNOWN_REASONS:
            if start in reason:
                return words(), field
        return _("This does not fit the lesson: %(reason)s") % {"reason": reason}, None
    if kind in ("missing", "string_too_short") and not (kind == "string_too_short" and ctx.get("min_length", 1) > 1):
        return _("This field is required."), None
    if kind == "string_too_long":
        shown = len(value) if isinstance(value, str) else 0
        return MAX_LENGTH_MESSAGE % {"limit_value": ctx["max_length"], "show_value": shown}, None
    if kind == "too_short":
        return _("Give at least %(min)d, one a line (there are %(n)d).") % {
            "min": ctx["min_length"], "n": ctx.get("actual_length") or 0,
        }, None
    if kind == "too_long":
        return _("Give at most %(max)d, one a line (there are %(n)d).") % {
            "max": ctx["max_length"], "n": ctx.get("actual_length") or 0,
        }, None
    if kind in ("greater_than_equal", "greater_than"):
        return _("The smallest allowed is %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}, None
    if kind in ("less_than_equal", "less_than"):
        return _("The largest allowed is %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}, None
    if kind.startswith("int_"):
        return _("Enter a whole number."), None
    if kind in ("literal_error", "enum"):
        return _("Choose one of the choices offered."), None
    if kind == "string_pattern_mismatch":
        return _("Use only lower-case letters, digits and dashes."), None
    if kind == "extra_forbidden":
        return _("This is not part of this kind of activity."), None
    return _("This does not fit the lesson: %(reason)s") % {"reason": error["msg"]}, None


def schema_error_as_validation_error(error: SchemaError, *, rows: frozenset[str] = frozenset(), prefix: tuple = ()) -> ValidationError:
    """``error`` as a Django ``ValidationError`` keyed by form field (``None``: above the form)."""
    found: dict[str | None, list[str]] = {}
    for item in error.errors(include_url=False):
        loc = tuple(prefix) + tuple(item["loc"])
        message, reason_field = _message(item)
        field, line = _field_and_line(loc, rows)
        if reason_field is not None:
            field = reason_field
        if line is not None:
            message = _("Line %(line)d: %(message)s") % {"line": line, "message": message}
        found.setdefault(field, [])
        if message not in found[field]:
            found[field].append(message)
    return ValidationError({("__all__" if k is None else k): v for k, v in found.items()})

