"""Forms of the family-visit pages. They parse what was typed; the rules live in ``classrooms.visits.services``."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from classrooms.models import Feeling
from classrooms.phones import PHONE_MAX_LENGTH
from classrooms.visits import units
from classrooms.visits.selectors import instructors_for
from classrooms.visits.services import baby_birth_date_problem


def _helper(layout=None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout is not None:
        helper.layout = layout
    return helper


class FamilyForm(HeardForm):
    name = forms.CharField(label=_("Family name"), max_length=100, help_text=_("For example: the Okafor family."))
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        max_length=254,
        help_text=_("Only the classroom's teachers, the school's administrators and the adult who leads the visits see it; students never do."),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone (optional)"),
        max_length=PHONE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
        help_text=_("The instructor phones the family before each visit. For example +1 555 0100, or (555) 010-0199 ext 2."),
    )
    baby_name = forms.CharField(
        label=_("Baby's first name (optional)"),
        max_length=60,
        required=False,
        help_text=_("Shown to the class. Leave empty if the family prefers."),
    )
    baby_born_on = forms.DateField(
        label=_("Baby's date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Each visit shows the baby's age on that day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_baby_born_on(self):
        born = self.cleaned_data["baby_born_on"]
        problem = baby_birth_date_problem(born, today=timezone.localdate())
        if problem:
            raise ValidationError(problem)
        return born


class ThemeForm(HeardForm):
    title = forms.CharField(
        label=_("Theme"), max_length=200, required=False, help_text=_("For example: Crying, or Safety and sleep.")
    )
    family = forms.ModelChoiceField(
        label=_("Visiting family"), queryset=None, required=False, empty_label=_("No family chosen yet")
    )
    instructor = forms.ModelChoiceField(
        label=_("Instructor"),
        queryset=None,
        required=False,
        empty_label=_("No instructor chosen yet"),
        help_text=_("The trained adult who leads the visit and phones the family beforehand."),
    )

    def __init__(self, *args, classroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = classroom.families.order_by("created_at", "pk")
        self.fields["instructor"].queryset = instructors_for(classroom)
        self.fields["instructor"].label_from_instance = lambda user: f"{user.display_name} ({user.get_role_display()})"
        self.helper = _helper()


class _MeasureField(forms.CharField):
    """A weight or a length typed in metric or US units (classrooms.visits.units), cleaned to kg or cm, unrounded:
    the service checks the range and rounds to what is stored."""

    parse = staticmethod(lambda text: Decimal(text))
    unit = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        """A stored value reads back with its unit: 6.40 is "6.4 kg", so nobody wonders which unit it is in."""
        if isinstance(value, Decimal):
            return f"{value.normalize():f} {self.unit}"
        return value

    def clean(self, value):
        text = super().clean(value)  # the text, checked as text (its length), then read as a measure
        if text in self.empty_values:
            return None
        try:
            return self.parse(text)
        except (ValueError, ArithmeticError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class WeightField(_MeasureField):
    parse = staticmethod(units.parse_weight)
    unit = "kg"
    default_error_messages = {
        "invalid": _("Type a weight like 6.4 (kilograms), 6.4 kg, 6400 g, or in pounds and ounces: 14 lb 2 oz."),
    }


class LengthField(_MeasureField):
    parse = staticmethod(units.parse_length)
    unit = "cm"
    default_error_messages = {
        "invalid": _("Type a length like 62.5 (centimetres), 62.5 cm, or in inches: 24.5 in."),
    }


class ObservationForm(HeardForm):
    weight_kg = WeightField(
        label=_("Weight (optional)"),
        help_text=_("In kilograms (6.4) or in pounds and ounces (14 lb 2 oz)."),
    )
    length_cm = LengthField(
        label=_("Length (optional)"),
        help_text=_("In centimetres (62.5) or in inches (24.5 in)."),
    )
    milestones = forms.CharField(
        label=_("New milestones (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the baby can do now, for example: rolls over, holds a toy with both hands."),
    )
    feelings = forms.MultipleChoiceField(
        label=_("Feelings the class noticed (optional)"),
        required=False,
        choices=Feeling.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    feelings_note = forms.CharField(
        label=_("How the class could tell (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: she smiled and kicked her legs when she saw her brother."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Layout(
                Div(Field("weight_kg", wrapper_class="col-sm-6"), Field("length_cm", wrapper_class="col-sm-6"), css_class="row"),
                "milestones",
                Field("feelings", wrapper_class="feelings-choice"),
                "feelings_note",
            )
        )
