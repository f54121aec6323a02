"""The schema of an instrument file (surveys/instruments/shipped/README.md describes it for the people who write one).

The shape (fields, types, lengths) is the pydantic models'; what spans several fields (a scale numbered 1..k,
keys used once, peer instruments asking nomination questions only, 6-8 wording inside the instrument's grades)
is ``meaning_problems``, which reads the raw data, so that it still reports when the shape is wrong somewhere
else: a school fixing a file sees all of it at once (``surveys.instruments.files.instrument_from_json``).

Pure: no database, no Django models.
"""

from fractions import Fraction
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
            problems = meaning_problems(self.model_dump(mode="json"))
            if problems:
                raise ValueError("; ".join(f"{loc_path(loc)}: {message}" for loc, message in problems))
        return self

    def items(self) -> list[ItemSpec]:
        return [item for subscale in self.subscales for item in subscale.items]


def loc_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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


def meaning_problems(data: dict) -> list[tuple[tuple, str]]:
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
                            % {"key": key, "where": loc_path(item_keys[key])},
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
