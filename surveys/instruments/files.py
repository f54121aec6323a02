"""The instrument file: one instrument as JSON, the format Heard ships its own in and a school imports a
licensed scale in (surveys/instruments/shipped/README.md describes it for the people who write one).

``instrument_from_json`` reads a file (text, bytes or an already-parsed dict) and returns the validated
``InstrumentSpec`` (``surveys.instruments.schema``), or raises ``InstrumentFileError`` listing **every**
problem it found, each named by the item it is about: ``subscales[1].items[3] (ec4): text.en: required``.

Pure: no database, no Django models.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from surveys.instruments.schema import BANDS, InstrumentSpec, loc_path, meaning_problems

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
MAX_FILE_BYTES = 256 * 1024  # an instrument of a hundred items in two languages is about 60 KB


# --- Problems, by item ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (``subscales[1].items[3] (ec4)``), which field in it, and what."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.where, self.field, self.message) if part)


class InstrumentFileError(ValueError):
    def __init__(self, problems: list[Problem], *, path: Path | None = None):
        self.problems, self.path = problems, path
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{path.name + ': ' if path else ''}{len(problems)} problem(s):\n{lines}")


def _at(data: Any, loc: tuple) -> Any:
    for part in loc:
        if isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _problem(data: Any, loc: tuple, message: str) -> Problem:
    """Split ``loc`` into the subscale or item it is in (named by its key, when the file gives one) and the rest."""
    split = 0
    if len(loc) >= 2 and loc[0] == "subscales" and isinstance(loc[1], int):
        split = 2
        if len(loc) >= 4 and loc[2] == "items" and isinstance(loc[3], int):
            split = 4
    where = loc_path(loc[:split])
    key = _at(data, (*loc[:split], "key")) if split else None
    if isinstance(key, str) and key:
        where = f"{where} ({key[:60]})"
    return Problem(where, loc_path(loc[split:]) if split else loc_path(loc), message)


def _message(error: dict) -> str:
    """Heard's words for one of pydantic's errors (in the reader's language)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return _("required")
    if kind == "extra_forbidden":
        return _("not part of the format (a typo?)")
    if kind in ("string_type", "string_sub_type"):
        return _("must be text in quotes")
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        return _("too long: at most %(max)d characters") % {"max": ctx["max_length"]}
    if kind == "string_pattern_mismatch":
        return _("use lower-case letters, digits and dashes only (a key may have “_” too)")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("must be a whole number")
    if kind in ("bool_type", "bool_parsing"):
        return _("must be true or false")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("must be an object: {…}")
    if kind == "list_type":
        return _("must be a list: […]")
    if kind == "literal_error":
        return _("must be one of %(expected)s") % {"expected": ctx.get("expected", "")}
    if kind == "too_short":
        return _("needs at least %(min)d") % {"min": ctx["min_length"]}
    if kind == "too_long":
        return _("at most %(max)d allowed") % {"max": ctx["max_length"]}
    if kind in ("greater_than_equal", "greater_than"):
        return _("must be at least %(limit)s") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("must be at most %(limit)s") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"]


def _order(problem_and_loc: tuple) -> tuple:
    loc = problem_and_loc[0]
    subscale = loc[1] if len(loc) > 1 and loc[0] == "subscales" and isinstance(loc[1], int) else -1
    item = loc[3] if subscale >= 0 and len(loc) > 3 and loc[2] == "items" and isinstance(loc[3], int) else -1
    return (subscale, item)


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(_("the key “%(key)s” appears twice in one object") % {"key": key[:60]})
        seen[key] = value
    return seen


def instrument_from_json(source: str | bytes | dict) -> InstrumentSpec:
    """The validated instrument of ``source`` (JSON text, UTF-8 bytes or a parsed dict), or an
    ``InstrumentFileError`` listing every problem found, by item."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InstrumentFileError(
                [Problem("", "", _("This file is not UTF-8 text: save it as UTF-8 JSON."))]
            ) from None
    if isinstance(source, str):
        try:
            data = json.loads(source.lstrip("\ufeff"), object_pairs_hook=_no_repeated_keys)
        except json.JSONDecodeError as error:
            message = _("This is not JSON Heard can read: %(reason)s (line %(line)d, column %(column)d).") % {
                "reason": error.msg,
                "line": error.lineno,
                "column": error.colno,
            }
            raise InstrumentFileError([Problem("", "", message)]) from None
        except ValueError as error:  # a key twice, from the hook; RecursionError is not a ValueError
            raise InstrumentFileError([Problem("", "", str(error))]) from None
        except RecursionError:
            raise InstrumentFileError([Problem("", "", _("This JSON is nested too deeply."))]) from None
    else:
        data = source
    if not isinstance(data, dict):
        raise InstrumentFileError([Problem("", "", _("The file holds no instrument: a JSON object {…} is expected."))])
    found: list[tuple[tuple, str]] = []
    spec = None
    try:
        spec = InstrumentSpec.model_validate(data, context={"meaning_checked": True})
    except SchemaError as error:
        found += [(tuple(e["loc"]), _message(e)) for e in error.errors(include_url=False)]
    found += meaning_problems(data)
    if found:
        found.sort(key=_order)  # stable: each item's problems together, in the file's order
        problems = list(dict.fromkeys(_problem(data, loc, message) for loc, message in found))
        raise InstrumentFileError(problems)
    return spec


def spec_digest(spec: InstrumentSpec) -> str:
    """A digest of what the spec says (not how its file was laid out)."""
    canonical = json.dumps(spec.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- The shipped files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentFile:
    path: Path
    spec: InstrumentSpec
    digest: str  # of the file's bytes


def shipped_paths(directory: Path = SHIPPED_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def instrument_file_read(path: Path) -> InstrumentFile:
    raw = path.read_bytes()
    return _parse(path, raw, hashlib.sha256(raw).hexdigest())


@lru_cache(maxsize=64)
def _parse(path: Path, raw: bytes, digest: str) -> InstrumentFile:
    # Cached by content: a test database is flushed and reloaded many times, the files stay the same.
    try:
        spec = instrument_from_json(raw)
    except InstrumentFileError as error:
        raise InstrumentFileError(error.problems, path=path) from None
    return InstrumentFile(path=path, spec=spec, digest=digest)


# --- Reading an instrument's texts ------------------------------------------------------------------------


def in_language(text: dict | None, language: str | None) -> str:
    """A {"en", "es"} text in ``language`` (Spanish for a Spanish reader when there is one), English otherwise."""
    text = text or {}
    if language and language.startswith("es") and text.get("es"):
        return text["es"]
    return text.get("en", "")


def band_of(grade: int) -> str:
    return next(band for band, (low, high) in BANDS.items() if low <= grade <= high)


def text_for_grade(text: dict, band_text: dict | None, grade: int) -> dict:
    """An item's {"en", "es"} wording for a classroom of ``grade``: its band's own wording where it has one."""
    return (band_text or {}).get(band_of(grade)) or text
