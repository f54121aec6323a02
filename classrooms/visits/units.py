"""A baby's weight and length as people type them, in metric or US units, and back. No database.

Heard stores kilograms and centimetres (the growth chart and the stored precision, 0.01 kg and
0.1 cm, stay one scale). A US classroom weighs in pounds and ounces and measures in inches, so
the observation form also takes "7 lb 8 oz", "120 oz", "21 in", "1 ft 9 in", and plain grams.
A number without a unit is kilograms or centimetres, as the form's labels say.

The conversions are the exact definitions (1 lb = 0.45359237 kg, 1 in = 2.54 cm) in Decimal
arithmetic, never floats; the only rounding is the service's, to the stored precision.
Either decimal mark is read ("6.4" or "6,4"), and the unit words of English and Spanish.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

KG_PER_LB = Decimal("0.45359237")
OZ_PER_LB = 16
CM_PER_IN = Decimal("2.54")
IN_PER_FT = 12

_NUMBER = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_KG = r"(?:kg|kgs|kilos?|kilograms?|kilogramos?)"
_G = r"(?:g|grams?|gramos?)"
_LB = r"(?:lb|lbs|pounds?|libras?)\.?"
_OZ = r"(?:oz|ounces?|onzas?)\.?"
_CM = r"(?:cm|cms|centimet(?:re|er)s?|centímetros?|centimetros?)"
_IN = r"(?:in|inch|inches|pulg|pulgadas?|\"|”)\.?"
_FT = r"(?:ft|foot|feet|pies?|'|’)\.?"

_METRIC_WEIGHT = re.compile(rf"{_NUMBER}\s*({_KG}|{_G})?", re.IGNORECASE)
_POUNDS_OUNCES = re.compile(rf"(?:{_NUMBER}\s*{_LB})?\s*(?:{_NUMBER}\s*{_OZ})?", re.IGNORECASE)
_METRIC_LENGTH = re.compile(rf"{_NUMBER}\s*{_CM}?", re.IGNORECASE)
_FEET_INCHES = re.compile(rf"(?:{_NUMBER}\s*{_FT})?\s*(?:{_NUMBER}\s*{_IN})?", re.IGNORECASE)


def _decimal(text: str | None) -> Decimal:
    return Decimal(text.replace(",", ".")) if text else Decimal(0)


def parse_weight(text: str) -> Decimal:
    """Kilograms, exactly, from "6.4", "6.4 kg", "6400 g", "7 lb 8 oz", "14 lb" or "120 oz"; ValueError otherwise."""
    text = " ".join(text.split())
    if match := _METRIC_WEIGHT.fullmatch(text):
        number, unit = _decimal(match.group(1)), (match.group(2) or "kg").lower()
        return number / 1000 if re.fullmatch(_G, unit, re.IGNORECASE) else number
    match = _POUNDS_OUNCES.fullmatch(text)
    if match and (match.group(1) or match.group(2)):
        pounds = _decimal(match.group(1)) + _decimal(match.group(2)) / OZ_PER_LB
        return pounds * KG_PER_LB
    raise ValueError(text)


def parse_length(text: str) -> Decimal:
    """Centimetres, exactly, from "62.5", "62.5 cm", "21 in", "21.5 inches", '21"' or "1 ft 9 in"; ValueError otherwise."""
    text = " ".join(text.split())
    if match := _METRIC_LENGTH.fullmatch(text):
        return _decimal(match.group(1))
    match = _FEET_INCHES.fullmatch(text)
    if match and (match.group(1) or match.group(2)):
        inches = _decimal(match.group(1)) * IN_PER_FT + _decimal(match.group(2))
        return inches * CM_PER_IN
    raise ValueError(text)


def pounds_ounces(kg: Decimal) -> tuple[int, int]:
    """(pounds, ounces) to the nearest ounce: 3.40 kg is (7, 8)."""
    ounces = int((Decimal(kg) / KG_PER_LB * OZ_PER_LB).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return divmod(ounces, OZ_PER_LB)


def inches(cm: Decimal) -> Decimal:
    """Inches to the nearest tenth: 53.3 cm is 21.0 in (shown "21")."""
    return (Decimal(cm) / CM_PER_IN).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


NBSP = "\u00a0"  # "12 lb 6 oz" never breaks across lines in a narrow table cell


def pounds_ounces_text(kg: Decimal) -> str:
    """ "7 lb 8 oz" (or "7 lb" on a whole pound), in the reader's language."""
    pounds, ounces = pounds_ounces(kg)
    if ounces == 0:
        return (_("%(lb)d lb") % {"lb": pounds}).replace(" ", NBSP)
    return (_("%(lb)d lb %(oz)d oz") % {"lb": pounds, "oz": ounces}).replace(" ", NBSP)


def inches_text(cm: Decimal) -> str:
    """ "21 in", "24.5 in", with the reader's decimal mark."""
    return (_("%(inches)s in") % {"inches": number_format(inches(cm).normalize())}).replace(" ", NBSP)
