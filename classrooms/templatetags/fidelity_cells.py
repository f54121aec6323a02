"""The figures of a fidelity report's row, written in Python: a page of 50 schools drew each row's eight cells
through an included template (its ifs, its translations, its date filters), most of the page's time beyond one
school's (issue 15). The cells say what that template said, in the same words and the same HTML."""

from datetime import date
from functools import lru_cache

from django import template
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()


@lru_cache(maxsize=4096)
def _date_text(day: date, language: str) -> str:
    """A date as the ``date:"DATE_FORMAT"`` filter writes it in ``language`` (the active one), escaped: a page's
    rows share a few dates (the next sessions of a month), and formatting each was a third of the cells' time."""
    return escape(date_format(day, "DATE_FORMAT"))


def _none(words: str) -> str:
    return f'<span aria-hidden="true">—</span><span class="visually-hidden">{escape(words)}</span>'


@register.simple_tag
def fidelity_cells(row) -> str:
    """The eight figures of ``row`` (a ``classrooms.program.fidelity.FidelityRow``), after its name."""
    overdue = f'<strong class="fidelity-overdue">{int(row.overdue)}</strong>' if row.overdue else "0"
    held = _none(gettext("none past yet")) if row.percent_held is None else f"{row.percent_held}%"
    present = _none(gettext("no register yet")) if row.percent_present is None else f"{row.percent_present}%"
    language = get_language()
    next_session = _date_text(row.next_session, language) if row.next_session else _none(gettext("none planned"))
    last_held = _date_text(row.last_held, language) if row.last_held else _none(gettext("none yet"))
    return mark_safe(  # noqa: S308 - every piece is a number, an escaped date or escaped words
        f'<td class="text-end">{int(row.upcoming)}</td>'
        f'<td class="text-end">{int(row.held)}</td>'
        f'<td class="text-end">{int(row.cancelled)}</td>'
        f'<td class="text-end">{overdue}</td>'
        f'<td class="text-end text-nowrap">{held}</td>'
        f'<td class="text-end text-nowrap">{present}</td>'
        f'<td class="text-nowrap">{next_session}</td>'
        f'<td class="text-nowrap">{last_held}</td>'
    )
