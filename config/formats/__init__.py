"""Heard's one date and time style, per language (settings.FORMAT_MODULE_PATH points here).

Pages, e-mails and notification texts all say a moment the same way: ``|date`` (DATE_FORMAT) for a
day, ``|date:"DATETIME_FORMAT"`` for a day and a time, ``|time`` for a time alone, and
``|date:"YEAR_MONTH_FORMAT"`` for a month heading; Python code uses ``django.utils.formats.date_format``
with the same names. The weekday is always there (teachers plan by it), the month is a word (no
12/09 versus 09/12 doubt) and times are 24-hour, as Heard has always shown them.

Typed dates: ISO (2026-12-25, what ``<input type=date>`` sends) in every language, plus the order
people write by hand in the page's language: month/day/year in English, day/month/year in Spanish.
"""

from datetime import date

from django.utils.formats import get_format, get_format_modules
from django.utils.translation import gettext as _

EXAMPLE_DAY = date(2026, 12, 25)  # day and month cannot be swapped: it shows which comes first


def date_input_hint() -> str:
    """How to type a date by hand in the active language ("MM/DD/YYYY"), for help texts and errors."""
    for module in get_format_modules():
        if hasattr(module, "DATE_INPUT_HINT"):
            return module.DATE_INPUT_HINT
    return "YYYY-MM-DD"


def date_input_words() -> dict[str, str]:
    """The hand-typed way and an example of it, for messages: {"hint": "MM/DD/YYYY", "example": "12/25/2026"}."""
    hand_typed = [f for f in get_format("DATE_INPUT_FORMATS") if not f.startswith("%Y")]
    example = EXAMPLE_DAY.strftime(hand_typed[0]) if hand_typed else EXAMPLE_DAY.isoformat()
    return {"hint": date_input_hint(), "example": example}


def date_input_help() -> str:
    """ "Type it as MM/DD/YYYY (for example 12/25/2026) or YYYY-MM-DD." in the active language."""
    return _("Type it as %(hint)s (for example %(example)s) or YYYY-MM-DD.") % date_input_words()


def date_input_error() -> str:
    return _("Enter a date as %(hint)s (for example %(example)s) or YYYY-MM-DD.") % date_input_words()
