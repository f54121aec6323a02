"""How the Practice page writes its figures: shares as whole percentages, ratings to one decimal, "—" for none."""

from django import template
from django.utils.formats import number_format

register = template.Library()

NONE = "—"


@register.filter
def percent(value) -> str:
    return NONE if value is None else f"{round(value * 100)}%"


@register.filter
def one_decimal(value) -> str:
    return NONE if value is None else number_format(round(value, 1), decimal_pos=1)
