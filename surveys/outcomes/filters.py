"""The outcomes page's filters: school, grade, classroom, subscale and informant, offered only from what the
viewer may see of the cycle (its windows' classrooms in their scope, its forms' subscales).

A value that is not among the choices (another school's classroom, a subscale of another instrument) makes the
form invalid, and the page answers 404, as for an id that does not exist. The choices cost two queries, however
many classrooms and subscales there are: the schools and grades come with the classrooms, the informants with
the subscales.
"""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from accounts.models import Grade
from classrooms.models import Classroom
from surveys.models import Respondent, Subscale, SurveyCycle
from surveys.permissions import outcome_classrooms

FIELDS = ("school", "grade", "classroom", "subscale", "respondent")


def _text(data: dict) -> str:
    return data.get((get_language() or "en")[:2]) or data.get("en") or ""


def _choice(label, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, empty_value=None, widget=forms.Select(attrs={"class": "form-select"}), **kwargs
    )


class OutcomesFilter(HeardForm):
    school = _choice(_("School"), coerce=int)
    grade = _choice(_("Grade"), coerce=int)
    classroom = _choice(_("Classroom"), coerce=int)
    subscale = _choice(_("Subscale"), coerce=int)
    respondent = _choice(_("Informant"))

    def __init__(self, data, *, user, cycle: SurveyCycle | list[SurveyCycle]):
        super().__init__({k: v for k, v in data.items() if k in FIELDS})
        cycles = [cycle.pk] if isinstance(cycle, SurveyCycle) else [c.pk for c in cycle]
        rooms = list(
            Classroom.objects.filter(outcome_classrooms(user), survey_windows__cycle__in=cycles)
            .select_related("school")
            .distinct()
            .order_by("school__name", "school_id", "grade", "name", "pk")
        )
        subscales = list(
            Subscale.objects.filter(instrument__windows__cycle__in=cycles)
            .select_related("instrument")
            .distinct()
            .order_by("instrument__respondent", "instrument_id", "order", "key")
        )
        self.schools = {c.school_id: c.school for c in rooms}
        self.rooms = {c.pk: c for c in rooms}
        self.subscales = {s.pk: s for s in subscales}
        grades = sorted({c.grade for c in rooms})
        respondents = list(dict.fromkeys(s.instrument.respondent for s in subscales))
        everything = [("", _("All"))]
        self.fields["school"].choices = everything + [(pk, s.name) for pk, s in self.schools.items()]
        self.fields["grade"].choices = everything + [(g, Grade(g).label) for g in grades]
        several_schools = len(self.schools) > 1
        self.fields["classroom"].choices = everything + [
            (pk, f"{c.name} ({c.school.name})" if several_schools else c.name) for pk, c in self.rooms.items()
        ]
        by_instrument: dict[int, tuple[str, list]] = {}
        for s in subscales:
            by_instrument.setdefault(s.instrument_id, (_text(s.instrument.name), []))[1].append((s.pk, _text(s.name)))
        self.fields["subscale"].choices = everything + list(by_instrument.values())
        self.fields["respondent"].choices = everything + [(r, Respondent(r).label) for r in respondents]

    def shown_fields(self):
        """The filters worth offering: those with more than one thing to choose from (or already chosen)."""
        return [
            self[name]
            for name in FIELDS
            if len(self._flat_choices(name)) > 2 or (self.is_bound and self.data.get(name))
        ]

    def _flat_choices(self, name: str) -> list:
        flat = []
        for value, label in self.fields[name].choices:
            flat.extend(label if isinstance(label, list | tuple) else [(value, label)])
        return flat

    def summary(self) -> list[tuple[str, str]]:
        """(filter, the chosen thing's name) of each filter in use, for the printed page's header."""
        chosen = []
        for name in FIELDS:
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                chosen.append((self.fields[name].label, dict(self._flat_choices(name)).get(value, value)))
        return chosen

    def selection(self) -> dict:
        """The chosen filters as ``outcomes()`` takes them: pks, a grade number, a respondent type (or None)."""
        return {name: None if self.cleaned_data.get(name) in (None, "") else self.cleaned_data[name] for name in FIELDS}

    def query(self) -> dict:
        """The chosen values as a query string's parameters, to carry to the charts, the CSV and the print view."""
        return {name: self.cleaned_data[name] for name in FIELDS if self.cleaned_data.get(name) not in (None, "")}

    def querystring(self, **extra) -> str:
        return urlencode({**self.query(), **extra}, doseq=True)
