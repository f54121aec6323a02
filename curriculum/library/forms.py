"""The forms teachers write their own lessons with, and choose a session's lesson with; and what the
activities' forms (``activity_forms``) share. They parse what was typed (a list is a textarea, one item
a line); the schema of ``curriculum.content``, applied by the services, decides what a lesson may hold,
and every refusal comes back at once, beside the field it is about.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from curriculum import content
from curriculum.content import LINE_MAX, TEXT_MAX
from curriculum.library.services import lesson_fields_check
from curriculum.models import BAND_CHOICES, PART_CHOICES, PROGRAM_CHOICES

CONNECTION_SUBJECTS = {
    "maths": _("maths"), "literature": _("literature"), "art": _("art"),
    "science": _("science"), "music": _("music"), "movement": _("movement"),
}


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a textarea, each without the spaces around it."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def lines_shown(items) -> str:
    return "\n".join(str(item) for item in items)


def list_limits(model, name: str) -> tuple[int, int]:
    """How many items a list field of a schema holds, at least and at most (from the schema itself)."""
    low, high = 0, 0
    for rule in model.model_fields[name].metadata:
        low = getattr(rule, "min_length", low)
        high = getattr(rule, "max_length", high)
    return low, high


def count_help(model, name: str, extra: str = "") -> str:
    low, high = list_limits(model, name)
    if low:
        text = _("One a line: %(low)d to %(high)d.") % {"low": low, "high": high}
    else:
        text = _("One a line, at most %(high)d (optional).") % {"high": high}
    return f"{text} {extra}".strip()


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def lines_field(label, help_text, required=True, rows=5) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=required, widget=textarea(rows), strip=False)


def spanish_label(label) -> str:
    return _("%(label)s, in Spanish (optional)") % {"label": label}


def text_pair(label, help_text="", *, long=True, required=True):
    """An English field and its optional Spanish one, for one student-facing text."""
    limit = TEXT_MAX if long else LINE_MAX
    widget = textarea(3) if long else None
    english = forms.CharField(label=label, help_text=help_text, max_length=limit, required=required, widget=widget)
    spanish = forms.CharField(label=spanish_label(label), max_length=limit, required=False, widget=widget)
    return english, spanish


def schema_errors_add(form, error: ValidationError, skip: set[str]) -> None:
    """The schema's refusals on the form, beside their fields; none on a field that already has its own error."""
    for key, messages in error.error_dict.items():
        field = form.service_error_field(key)
        if field is None:
            form.add_error(None, messages)
        elif field not in skip and field not in form.errors:
            form.add_error(field, messages)


def text_value(english: str, spanish: str) -> dict:
    value = {"en": english}
    if spanish:
        value["es"] = spanish
    return value


class LessonForm(HeardForm):
    title = forms.CharField(label=_("Title"), max_length=LINE_MAX)
    program = forms.ChoiceField(label=_("Program"), choices=PROGRAM_CHOICES)
    band = forms.ChoiceField(label=_("Grades"), choices=BAND_CHOICES)
    part = forms.ChoiceField(
        label=_("Part"), choices=PART_CHOICES,
        help_text=_("A Baby-visits lesson belongs to a family visit: before it, the visit itself, or after it."),
    )
    theme = forms.IntegerField(label=_("Theme or unit number"))
    theme_title = forms.CharField(label=_("Theme or unit"), max_length=LINE_MAX, help_text=_("For example: Crying."))
    minutes = forms.IntegerField(label=_("Minutes"), help_text=_("How long the lesson takes, from 10 to 120 minutes."))
    objectives = lines_field(_("Objectives"), count_help(content.LessonSpec, "objectives"), rows=4)
    materials = lines_field(_("Materials"), count_help(content.LessonSpec, "materials"), rows=4)
    steps = lines_field(_("Steps"), count_help(content.LessonSpec, "steps", _("In the order you teach them.")), rows=8)
    discussion = lines_field(_("Discussion questions"), count_help(content.LessonSpec, "discussion"), rows=5)
    connections = lines_field(
        _("Links to other subjects"),
        count_help(
            content.LessonSpec, "connections",
            _("Start each line with the subject (maths, literature, art, science, music or movement) and a colon. "
              "For example: art: Draw the baby's face."),
        ),
        required=False, rows=3,
    )
    home_link = forms.CharField(
        label=_("Note for families"), max_length=TEXT_MAX, required=False, widget=textarea(4),
        help_text=_("What families read about the lesson, with a question to ask at home. A Baby-visits lesson needs one."),
    )

    LISTS = ("objectives", "materials", "steps", "discussion")

    @classmethod
    def initial_for(cls, lesson) -> dict:
        initial = {name: getattr(lesson, name) for name in ("title", "program", "band", "part", "theme", "theme_title", "minutes", "home_link")}
        initial.update({name: lines_shown(getattr(lesson, name)) for name in cls.LISTS})
        initial["connections"] = lines_shown(f"{c['subject']}: {c['text']}" for c in lesson.connections)
        return initial

    def clean_connections(self):
        subjects = {key: key for key in CONNECTION_SUBJECTS} | {str(word).casefold(): key for key, word in CONNECTION_SUBJECTS.items()}
        found, problems = [], []
        for n, line in enumerate(lines_of(self.cleaned_data["connections"]), start=1):
            subject, colon, text = line.partition(":")
            key = subjects.get(subject.strip().casefold())
            if not colon or key is None or not text.strip():
                problems.append(_("Line %(line)d: start with the subject (maths, literature, art, science, music or movement), then a colon.") % {"line": n})
                continue
            found.append({"subject": key, "text": text.strip()})
        if problems:
            raise ValidationError(problems)
        return found

    def clean(self):
        """Every refusal at once: what does not parse (a subject that is not one), and what the schema refuses."""
        data = super().clean()
        unparsed = set(self.errors)
        try:
            lesson_fields_check(**self.lesson_fields(partial=True))
        except ValidationError as error:
            schema_errors_add(self, error, skip=unparsed)
        return data

    def service_error_field(self, key: str) -> str | None:
        return key if key in self.fields else None

    def lesson_fields(self, partial: bool = False) -> dict:
        """What the lesson services take, from the cleaned form (``partial``: only what parsed, for the check)."""
        data = self.cleaned_data
        names = ("title", "program", "band", "part", "theme", "theme_title", "minutes", "home_link", "connections")
        fields = {name: data[name] for name in names if not partial or name in data}
        fields.update({name: lines_of(data[name]) for name in self.LISTS if not partial or name in data})
        if partial and "connections" not in fields:
            fields["connections"] = []  # its own error is shown; the rest is still checked
        return fields


class SessionPlanForm(HeardForm):
    """The lesson chosen for a session among ``lessons`` (the classroom's band); empty takes the plan away."""

    lesson = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, lessons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].queryset = lessons
