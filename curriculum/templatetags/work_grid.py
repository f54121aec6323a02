"""The cells of a classroom's assignment grid, written in Python: a grid of 35 students by 60 assignments has 2,100
cells, and drawing each through the template language (its ifs, its translations, its lookups) was most of the page's
time (issue 15). What a cell says is what ``_state.html`` says of one submission, in words with an icon."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

STATES = {"assigned": "○ ", "in_progress": "✎ ", "turned_in": "✓ ", "returned": "↩ ", "excused": "– "}


def _labels() -> dict[str, str]:
    """The words of _state.html, translated and escaped once per row."""
    return {
        key: escape(words)
        for key, words in {
            "assigned": gettext("Assigned"),
            "in_progress": gettext("In progress"),
            "turned_in": gettext("Turned in"),
            "returned": gettext("Returned"),
            "excused": gettext("Excused"),
            "missing": gettext("Missing"),
            "late": gettext("Late"),
            "not_given": gettext("Not given"),
        }.items()
    }


def _cell(cell: dict | None, labels: dict, link: str | None) -> str:
    # Plain strings, escaped where they come from outside: format_html per piece was itself most of the time.
    if cell is None:
        return f'<td class="work-grid__cell"><span class="text-body-secondary">{labels["not_given"]}</span></td>'
    state = escape(cell["state"])
    icon = STATES.get(cell["state"])
    body = f'<span class="work-state work-state--{state}">'
    if icon:
        body += f'<span aria-hidden="true">{icon}</span>{labels[cell["state"]]}'
    body += "</span>"
    if cell["is_missing"]:
        body += f' <span class="work-flag work-flag--missing"><span aria-hidden="true">⚠ </span>{labels["missing"]}</span>'
    if cell["is_late"]:
        body += f' <span class="work-flag work-flag--late"><span aria-hidden="true">⏰ </span>{labels["late"]}</span>'
    if link is not None:
        body = f'<a href="{link}{int(cell["pk"])}/">{body}</a>'
    for got, out_of in (("rubric_points", "rubric_max"), ("accuracy_points", "accuracy_max")):
        if cell[out_of] is not None:
            points = escape(gettext("%(p)s of %(m)s points") % {"p": cell[got], "m": cell[out_of]})
            body += f'<span class="d-block small">{points}</span>'
            break
    missing = " work-grid__cell--missing" if cell["is_missing"] else ""
    return f'<td class="work-grid__cell{missing}">{body}</td>'


@register.simple_tag
def work_cells(cells, can_review: bool, work_prefix: str):
    """One grid row's cells (``curriculum.assignments.selectors.classroom_grid``: a dict per submission, or None)."""
    labels = _labels()
    link = escape(work_prefix) if can_review else None
    return mark_safe("".join(_cell(cell, labels, link) for cell in cells))  # noqa: S308 (every piece escaped above)
