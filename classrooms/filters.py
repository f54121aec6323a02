"""Filters of the reports on classrooms (program fidelity today; survey outcomes next), as django-filter FilterSets.

Their choices come from the scopes, so a school outside the viewer's scope is not a choice: the
report answers 404 for it, exactly like an id of a school that does not exist.
"""

import django_filters
from django import forms

from accounts.selectors import schools_for


class SchoolYearFilter(django_filters.Filter):
    """A school year as the year it starts in (2026 for 2026-27); anything but a whole number is invalid."""

    field_class = forms.IntegerField


def _schools_of(request):
    return schools_for(request.user) if request is not None else schools_for(None)


class ClassroomReportFilter(django_filters.FilterSet):
    """``?year=2026&school=7`` over a queryset of classrooms already scoped to the viewer."""

    year = SchoolYearFilter(field_name="school_year", min_value=1900, max_value=9999)
    school = django_filters.ModelChoiceFilter(field_name="school", queryset=_schools_of)
