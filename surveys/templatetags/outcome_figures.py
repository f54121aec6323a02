"""How the outcomes pages write their figures (surveys.outcomes.figures does the work)."""

from django import template

from surveys.outcomes import figures

register = template.Library()


@register.filter
def fig(value, places=2) -> str:
    """A figure to two decimals (or ``places``), in the reader's language; "—" for none."""
    return figures.number(value, int(places))


@register.filter
def whole(value) -> str:
    return figures.count(value)


@register.filter
def pct(value) -> str:
    return figures.percent(value)


@register.filter
def pval(value) -> str:
    return figures.p_value(value)


@register.filter
def dof(value) -> str:
    return figures.degrees_of_freedom(value)


@register.simple_tag
def ci(low, high, places=2) -> str:
    return figures.interval(low, high, int(places))


@register.filter
def hidden_reason(cell, min_n) -> str:
    return figures.hidden_reason(cell, int(min_n))


@register.filter
def attrition_reading(reading) -> str:
    return figures.attrition_reading(reading)


@register.filter
def attrition_short(reading) -> str:
    return figures.attrition_short(reading)


@register.filter
def informant(value) -> str:
    return figures.respondent_label(value)


@register.filter
def dose_of(cell, key) -> str:
    """A classroom's amount of one kind of practice, as a whole number when it is one."""
    value = cell.dose.get(key)
    if not figures.finite(value):
        return figures.NONE
    return figures.count(value) if float(value).is_integer() else figures.number(value, 1)
