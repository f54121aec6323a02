"""The instrument file: one instrument as JSON, the format Heard ships its own in and a school imports a
licensed scale in (surveys/instruments/shipped/README.md describes it for the people who write one).

``instrument_from_json`` reads a file (text, bytes or an already-parsed dict) and returns the validated
``InstrumentSpec``, or raises ``InstrumentFileError`` listing **every** problem it found, each named by the
item it is about: ``subscales[1].items[3] (ec4): text.en: required``. The shape (fields, types, lengths) is
checked by the pydantic models below; what spans several fields (a scale numbered 1..k, keys used once,
peer instruments asking nomination questions only) by ``_meaning_problems``, which reads the raw data so
that it still reports when the shape is wrong somewhere else: a school fixing a file sees all of it at once.

Pure: no database, no Django models.
"""

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic import ValidationError as SchemaError

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
MAX_FILE_BYTES = 256 * 1024  # an instrument of a hundred items in two languages is about 60 KB
DEFAULT_SHARE = Fraction(2, 3)  # answered items a subscale needs for a score (surveys.scoring.MIN_SHARE)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
# Grade bands whose wording may differ from the item's own text (grades 0 = kindergarten .. 8).
BANDS = {"k2": (0, 2), "3_5": (3, 5), "6_8": (6, 8)}
# The faces a read-aloud scale may show beside its labels (the answering page draws them).
FACES = ("very_sad", "sad", "neutral", "happy", "very_happy")
RESPONDENTS = ("student", "teacher", "peer")
SCALE_POINTS_MAX = 11


def _text(max_length: int):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)]


Text80, Text200, Text500, Text2000 = _text(80), _text(200), _text(500), _text(2000)


class Strict(BaseModel):
    # An unknown key is a typo ("txt", "revers"), never something to ignore.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(Strict):
    en: Text80
    es: Text80 | None = None


class Name(Strict):
    en: Text200
    es: Text200 | None = None


class Description(Strict):
    en: Text2000
    es: Text2000 | None = None


class ItemText(Strict):
    en: Text500
    es: Text500 | None = None


class ScalePoint(Strict):
    value: int = Field(ge=1, le=SCALE_POINTS_MAX)
    label: Label
    face: Literal[FACES] | None = None


def _share(value: Any) -> Fraction:
    """``"2/3"`` or a number such as ``0.75``, as an exact fraction (``0.667`` stays 667/1000: write "2/3")."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(_('write the share as a fraction in quotes ("2/3") or a number (0.75)'))
    try:
        share = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(_('write the share as a fraction in quotes ("2/3") or a number (0.75)')) from None
    if not 0 < share <= 1:
        raise ValueError(_("the share is more than 0 and at most 1"))
    return share


Share = Annotated[Fraction, BeforeValidator(_share), PlainSerializer(lambda f: f"{f.numerator}/{f.denominator}")]
Key = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=KEY_PATTERN)]


class ItemSpec(Strict):
    key: Key
    kind: Literal["rating", "nomination"] = "rating"
    text: ItemText
    band_text: dict[Literal[tuple(BANDS)], ItemText] = Field(default_factory=dict)
    reverse: bool = False
    scale: list[ScalePoint] | None = None  # this item's own; the instrument's otherwise


class SubscaleSpec(Strict):
    key: Key
    name: Name
    # Answered items needed for a score; the instrument's min_share of the items (rounded up) otherwise.
    min_items: int | None = Field(default=None, ge=1)
    items: list[ItemSpec] = Field(min_length=1, max_length=100)


class InstrumentSpec(Strict):
    slug: Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=SLUG_PATTERN)]
    name: Name
    description: Description | None = None
    respondent: Literal[RESPONDENTS]
    grade_min: int = Field(ge=0, le=8)
    grade_max: int = Field(ge=0, le=8)
    read_aloud: bool = False
    scale: list[ScalePoint] = Field(default_factory=list, max_length=SCALE_POINTS_MAX)
    nominations_max: int = Field(default=3, ge=1, le=10)
    source: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    min_share: Share = DEFAULT_SHARE
    subscales: list[SubscaleSpec] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _meaning(self, info: ValidationInfo) -> "InstrumentSpec":
        # instrument_from_json runs these checks itself on the raw data, with their places; a caller that
        # validates a spec directly still cannot get one that breaks them.
        if not (info.context or {}).get("meaning_checked"):
            problems = _meaning_problems(self.model_dump(mode="json"))
            if problems:
                raise ValueError("; ".join(f"{_path(loc)}: {message}" for loc, message in problems))
        return self

    def items(self) -> list[ItemSpec]:
        return [item for subscale in self.subscales for item in subscale.items]


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


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
    where = _path(loc[:split])
    key = _at(data, (*loc[:split], "key")) if split else None
    if isinstance(key, str) and key:
        where = f"{where} ({key[:60]})"
    return Problem(where, _path(loc[split:]) if split else _path(loc), message)


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


def _scale_problems(scale: Any, loc: tuple, out: list) -> None:
    if not isinstance(scale, list):
        return
    values = [point.get("value") if isinstance(point, dict) else None for point in scale]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        if len(values) < 2:
            out.append((loc, _("a scale needs at least 2 answers")))
        elif values != list(range(1, len(values) + 1)):
            out.append(
                (
                    loc,
                    _("the values must be 1 to %(k)d, in order (they are %(found)s)")
                    % {"k": len(values), "found": ", ".join(str(v) for v in values)},
                )
            )
    faces = [isinstance(point, dict) and point.get("face") is not None for point in scale]
    if any(faces) and not all(faces):
        out.append((loc, _("give every answer a face, or none")))


def _meaning_problems(data: dict) -> list[tuple[tuple, str]]:
    """What spans several fields, each with its place; tolerant of a wrong shape (that is reported apart)."""
    out: list[tuple[tuple, str]] = []
    respondent = data.get("respondent") if data.get("respondent") in RESPONDENTS else None
    low, high = data.get("grade_min"), data.get("grade_max")
    grades_known = all(isinstance(g, int) and not isinstance(g, bool) and 0 <= g <= 8 for g in (low, high))
    if grades_known and low > high:
        out.append((("grade_max",), _("must not be below grade_min (%(low)d)") % {"low": low}))
    scale = data.get("scale")
    has_scale = isinstance(scale, list) and len(scale) > 0
    if respondent == "peer" and has_scale:
        out.append((("scale",), _("a peer nomination has no answer scale: leave it out")))
    elif has_scale:
        _scale_problems(scale, ("scale",), out)
    subscales = data.get("subscales") if isinstance(data.get("subscales"), list) else []
    subscale_keys: dict[str, int] = {}
    item_keys: dict[str, tuple] = {}
    for i, subscale in enumerate(subscales):
        if not isinstance(subscale, dict):
            continue
        key = subscale.get("key")
        if isinstance(key, str):
            if key in subscale_keys:
                out.append(
                    (
                        ("subscales", i, "key"),
                        _("“%(key)s” is the key of subscales[%(n)d] already") % {"key": key, "n": subscale_keys[key]},
                    )
                )
            subscale_keys.setdefault(key, i)
        items = subscale.get("items") if isinstance(subscale.get("items"), list) else []
        needed = subscale.get("min_items")
        if isinstance(needed, int) and not isinstance(needed, bool) and items and needed > len(items):
            out.append(
                (("subscales", i, "min_items"), _("is more than the subscale's %(n)d items") % {"n": len(items)})
            )
        for j, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            loc = ("subscales", i, "items", j)
            key = item.get("key")
            if isinstance(key, str):
                if key in item_keys:
                    out.append(
                        (
                            (*loc, "key"),
                            _("“%(key)s” is the key of %(where)s already")
                            % {"key": key, "where": _path(item_keys[key])},
                        )
                    )
                item_keys.setdefault(key, loc)
            kind = item.get("kind", "rating")
            if respondent == "peer" and kind == "rating":
                out.append(
                    ((*loc, "kind"), _('a peer nomination asks nomination questions only ("kind": "nomination")'))
                )
            elif respondent in ("student", "teacher") and kind == "nomination":
                out.append(
                    ((*loc, "kind"), _('only a peer nomination ("respondent": "peer") asks nomination questions'))
                )
            own_scale = item.get("scale")
            if kind == "nomination":
                if item.get("reverse") is True:
                    out.append(((*loc, "reverse"), _("a nomination question cannot be reverse-scored")))
                if own_scale:
                    out.append(((*loc, "scale"), _("a nomination question has no answer scale")))
            elif kind == "rating":
                if own_scale:
                    _scale_problems(own_scale, (*loc, "scale"), out)
                elif not has_scale and respondent != "peer":
                    out.append(
                        ((*loc, "scale"), _("no answer scale: give the instrument a scale, or this item its own"))
                    )
            band_text = item.get("band_text")
            if grades_known and isinstance(band_text, dict):
                for band in band_text:
                    if band in BANDS and (BANDS[band][1] < low or BANDS[band][0] > high):
                        out.append(
                            (
                                (*loc, "band_text", band),
                                _("grades %(band)s are outside the instrument's grades")
                                % {"band": band.replace("_", "-")},
                            )
                        )
    return out


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
    found += _meaning_problems(data)
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
