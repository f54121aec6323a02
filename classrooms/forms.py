from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from accounts.models import Grade
from classrooms.school_years import current_school_year, school_year_choices


class ClassroomForm(HeardForm):
    name = forms.CharField(label=_("Classroom name"), max_length=100, help_text=_("For example: Room 12, or Ms. Rivera's 3rd grade."))
    grade = forms.TypedChoiceField(label=_("Grade"), choices=Grade.choices, coerce=int)
    school_year = forms.TypedChoiceField(label=_("School year"), coerce=int, choices=school_year_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].initial = current_school_year()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Give the classroom a name."))
        return name


class JoinForm(HeardForm):
    code = forms.CharField(
        label=_("Join code"),
        max_length=40,
        help_text=_("Your teacher has it: six letters and numbers, like K7P-4QX (the dash is optional)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


BIGINT_MAX = 2**63 - 1


class TeacherChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        # SQLite raises OverflowError (a 500) on an id beyond 64 bits; refuse it as any unknown id.
        text = str(value).strip() if value is not None else ""
        if text and not (text.isascii() and text.isdigit() and len(text) <= 19 and int(text) <= BIGINT_MAX):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class TeacherChoiceForm(HeardForm):
    """A colleague of the classroom's school to make one of its teachers."""

    teacher = TeacherChoiceField(
        label=_("Teacher"),
        queryset=None,
        empty_label=_("Choose a teacher"),
        error_messages={
            "required": _("Choose the teacher to add."),
            "invalid_choice": _("Choose a teacher of this classroom's school from the list."),
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = candidates
        self.fields["teacher"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"
        self.helper = FormHelper()
        self.helper.form_tag = False
