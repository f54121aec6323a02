"""The library's filters, as a django-filter FilterSet over lessons already scoped to the viewer.

``?program=baby_visits&band=k2&theme=3&kind=feelings_guess&q=baby+cries``: every word of ``q`` must be in
the lesson's title, theme, objectives or activities' titles (``Lesson.search_text``). A value that is
not a choice is shown as an error beside its filter and leaves the list unfiltered by it.
"""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from curriculum.library.selectors import library_themes
from curriculum.models import BAND_CHOICES, KIND_CHOICES, PROGRAM_CHOICES, Activity

SEARCH_MAX = 200
SEARCH_WORDS_MAX = 10  # each word is one more condition


def search_words(text: str) -> list[str]:
    """The words of the search box, lower-cased, in order, without repeats."""
    words = []
    for word in re.split(r"\s+", text.casefold()):
        if word and word not in words:
            words.append(word)
    return words[:SEARCH_WORDS_MAX]


def _theme_choices(request) -> list[tuple[str, str]]:
    if request is None:
        return []
    choices = []
    for number, titles in library_themes(request.user):
        shown = " · ".join(titles[:3]) + (" …" if len(titles) > 3 else "")
        choices.append((str(number), _("%(n)d: %(titles)s") % {"n": number, "titles": shown}))
    return choices


class LibraryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_words", max_length=SEARCH_MAX,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )
    program = django_filters.ChoiceFilter(label=_("Program"), choices=PROGRAM_CHOICES, empty_label=_("Any program"))
    band = django_filters.ChoiceFilter(label=_("Grades"), choices=BAND_CHOICES, empty_label=_("Any grades"))
    theme = django_filters.ChoiceFilter(label=_("Theme or unit"), choices=[], empty_label=_("Any theme"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind of activity"), choices=KIND_CHOICES, empty_label=_("Any kind"), method="filter_kind",
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["theme"].extra["choices"] = _theme_choices(request)

    def filter_words(self, queryset, name, value):
        for word in search_words(value):
            queryset = queryset.filter(search_text__icontains=word)
        return queryset

    def filter_kind(self, queryset, name, value):
        return queryset.filter(pk__in=Activity.objects.filter(kind=value).values("lesson_id"))

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list (the page then says how many lessons it found)."""
        return self.is_bound and any(self.form.cleaned_data.get(name) not in (None, "") for name in self.filters)
