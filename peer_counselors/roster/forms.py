"""Forms of the roster pages: they read what was typed; the roster's services decide, and say beside the field
what is wrong (peer_counselors/roster/services.py)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from accounts.models import Grade
from classrooms.phones import PHONE_MAX_LENGTH
from config.formats import date_input_error, date_input_help
from peer_counselors.models import Weekday
from peer_counselors.roster.services import CONTACT_EMAIL_MAX, CONTACT_NAME_MAX, NOTES_MAX, PERIOD_NAME_MAX

# A peer is on duty on school days: the model allows the weekend, the form does not offer it.
SCHOOL_WEEKDAYS = [(day.value, day.label) for day in Weekday if day.value < Weekday.SATURDAY]
ID_MAX = 2**63 - 1  # a bigint: a larger number in a form is no id, and PostgreSQL would refuse to compare it


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


def posted_id(value) -> int | None:
    """The id a form sent, or None for anything that is no id (empty, words, "-4", a 30-digit number)."""
    text = str(value)
    if text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX:
        return int(text)
    return None


class IdChoiceField(forms.TypedChoiceField):
    """A select of the choices it is given that accepts any id: whether that one may be chosen is for the service
    to say, in words, beside the field (a student added by a colleague a moment ago is not "an invalid choice")."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def valid_value(self, value):
        return posted_id(value) is not None


def _trained_on() -> forms.DateField:
    return forms.DateField(label=_("Trained on (optional)"), required=False, widget=DateInput)


def _notes() -> forms.CharField:
    return forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTES_MAX}),
        help_text=_("For the school's counselors: the training they took, a partner they work well with."),
    )


class _ProfileForm(HeardForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["trained_on"].help_text = date_input_help()
        self.fields["trained_on"].error_messages["invalid"] = date_input_error()


class ProfileAddForm(_ProfileForm):
    student = IdChoiceField(label=_("Student"))
    trained_on = _trained_on()
    notes = _notes()

    def __init__(self, *args, candidates, chosen=None, **kwargs):
        """``candidates``: the students who may be added, by grade; ``chosen``: the student posted, shown as chosen
        even when they are no candidate any more (the error beside the field says why)."""
        super().__init__(*args, **kwargs)
        students = list(candidates)
        if chosen is not None and chosen.pk not in {s.pk for s in students}:
            students.append(chosen)
        by_grade: dict = {}
        for student in sorted(students, key=lambda s: (s.grade is None, s.grade or 0)):
            grade = Grade(student.grade).label if student.grade is not None else _("No grade")
            label = f"{student.display_name} · {student.username}"
            by_grade.setdefault(str(grade), []).append((student.pk, label))
        self.fields["student"].choices = [("", _("Choose a student"))] + list(by_grade.items())
        self.fields["student"].error_messages["required"] = _("Choose a student.")
        self.fields["student"].error_messages["invalid_choice"] = _("Choose a student from the list.")
        self.fields["student"].help_text = _(
            "Students of your school who are not on the roster yet, by grade. Type a name's first letters to jump to it."
        )


class ProfileEditForm(_ProfileForm):
    trained_on = _trained_on()
    notes = _notes()
    active = forms.BooleanField(
        label=_("Active: offered new requests"), required=False,
        help_text=_("Turn this off when they stop for a while or leave the program. Their history stays; "
                    "the requests they already have stay theirs until you reassign them."),
    )


class SlotForm(HeardForm):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=SCHOOL_WEEKDAYS, coerce=int)
    period = IdChoiceField(label=_("Period"))

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["period"].choices = [(p.pk, f"{p.name} ({p.starts:%H:%M}–{p.ends:%H:%M})") for p in periods]
        self.fields["weekday"].error_messages["required"] = _("Choose a day of the week.")
        self.fields["weekday"].error_messages["invalid_choice"] = _("Choose a school day, Monday to Friday.")
        self.fields["period"].error_messages["required"] = _("Choose one of the school's duty periods.")
        self.fields["period"].error_messages["invalid_choice"] = _("Choose one of the school's duty periods.")


class PeriodForm(HeardForm):
    name = forms.CharField(label=_("Name"), max_length=PERIOD_NAME_MAX, help_text=_("For example: Lunch recess."))
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["name"].error_messages["required"] = _("Give the period a name, for example “Lunch recess”.")
        self.fields["starts"].error_messages["required"] = _("Give the time the period starts.")
        self.fields["ends"].error_messages["required"] = _("Give the time the period ends.")
        for name in ("starts", "ends"):
            self.fields[name].error_messages["invalid"] = _("Enter a time as hours and minutes, for example 12:15.")


class PeriodDeleteForm(HeardForm):
    """The number of slots the counselor was shown: deleting goes ahead only if it is still so."""

    slots_seen = forms.IntegerField(min_value=0, max_value=ID_MAX, widget=forms.HiddenInput)


class DeskForm(HeardForm):
    day_starts = forms.TimeField(label=_("The school day starts"), widget=TimeInput)
    day_ends = forms.TimeField(label=_("The school day ends"), widget=TimeInput)
    last_contact_name = forms.CharField(
        label=_("Last contact's name"), max_length=CONTACT_NAME_MAX, required=False,
        help_text=_("For example: Ms. Rivera, principal; or the district's safety officer."),
    )
    last_contact_email = forms.EmailField(
        label=_("Last contact's e-mail"), required=False, max_length=CONTACT_EMAIL_MAX,
        error_messages={"invalid": _("Give an e-mail address they read, like principal@school.example.")},
    )
    last_contact_phone = forms.CharField(
        label=_("Last contact's phone (optional)"), max_length=PHONE_MAX_LENGTH, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
        help_text=_("For the school's counselors and admin, to call them. Heard itself reaches the last contact by e-mail."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["day_starts"].error_messages["required"] = _("Give the time the school day starts.")
        self.fields["day_ends"].error_messages["required"] = _("Give the time the school day ends.")
        for name in ("day_starts", "day_ends"):
            self.fields[name].error_messages["invalid"] = _("Enter a time as hours and minutes, for example 08:00.")
