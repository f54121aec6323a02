"""The numbers page's weeks, the search for a student, and the confirmation an anonymisation asks for."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from peer_counselors.aggregates.figures import WEEKS_MAX

DEFAULT_WEEKS = 12


def default_range(today: date) -> tuple[date, date]:
    """Twelve weeks to ``today``: from the Monday eleven weeks before this week's."""
    return today - timedelta(days=today.weekday(), weeks=DEFAULT_WEEKS - 1), today


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


class NumbersFilter(HeardForm):
    start = _date(_("From"))
    end = _date(_("To"))

    def __init__(self, data, *, today: date):
        super().__init__({k: v for k, v in data.items() if k in ("start", "end")})
        self.today = today

    def clean(self):
        data = super().clean()
        end = data.get("end") or self.today
        start = data.get("start") or default_range(end)[0]
        if start > end:
            raise forms.ValidationError(_("The first day comes after the last: swap them."))
        if (end - start).days >= WEEKS_MAX * 7:
            raise forms.ValidationError(_("Choose at most %(weeks)s weeks at a time.") % {"weeks": WEEKS_MAX})
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[date, date]:
        """The chosen days, or the last twelve weeks when the choice is not valid (the page says why)."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_range(self.today)

    def query(self) -> dict:
        """The days as chosen in the query string (not the defaults), to carry to the chart."""
        return {k: self.data[k] for k in ("start", "end") if self.data.get(k)}


class StudentSearchForm(HeardForm):
    q = forms.CharField(
        label=_("Name or username"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control", "autocomplete": "off"}),
    )


class AnonymiseForm(HeardForm):
    """Two deliberate steps: a box ticked, and the student's username typed again (ignoring case and spaces)."""

    confirm = forms.BooleanField(
        label=_("I understand: the requests stay in the numbers, but nothing in them will lead back to this student, "
                "and it cannot be undone."),
        required=True,
    )
    username = forms.CharField(label=_("Type the student's username to confirm"), max_length=150)

    def __init__(self, data=None, *, student):
        super().__init__(data)
        self.student = student

    def clean_username(self):
        typed = self.cleaned_data["username"].strip()
        if typed.casefold() != self.student.username.casefold():
            raise forms.ValidationError(_("That is not this student's username."))
        return typed
