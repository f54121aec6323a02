"""Forms of the survey-window pages: they read what an adult typed, in the school's time zone; the services decide."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from classrooms.students.forms import StudentsField
from surveys.windows import services
from surveys.windows.services import TITLE_MAX

CONFIDENTIAL, ANONYMOUS = "confidential", "anonymous"


class DateTimeLocalInput(forms.DateTimeInput):
    """``<input type=datetime-local>``: browsers send ``YYYY-MM-DDTHH:MM``, read in the school's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class RowsField(StudentsField):
    """Choices of rows by id, an id no row could have refused as any wrong one (StudentsField's check)."""


class WindowDatesForm(HeardForm):
    """A window's opening and closing moments, as the school's clocks show them. ``opens_at`` is left out once
    the window has opened (``with_opening=False``): it no longer moves."""

    opens_at = forms.DateTimeField(label=_("Opens"), widget=DateTimeLocalInput)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DateTimeLocalInput)

    def __init__(self, *args, zone: ZoneInfo, with_opening: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        hint = _("In the school's time zone (%(zone)s).") % {"zone": zone.key}
        self.fields["opens_at"].help_text = hint
        self.fields["closes_at"].help_text = hint
        if not with_opening:
            del self.fields["opens_at"]
        for name in ("opens_at", "closes_at"):
            if name in self.fields:
                self.fields[name].error_messages["invalid"] = _(
                    "Enter a date and a time, for example 2026-10-05 08:00."
                )
                self.fields[name].error_messages["required"] = _("Give the day and the time.")

    def full_clean(self):
        # Typed times are the school's wall clock, whoever is signed in and wherever their browser is.
        with timezone.override(self.zone):
            super().full_clean()

    @staticmethod
    def local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
        """A stored moment as the form shows it: the school's wall time, to the minute."""
        return timezone.localtime(moment, zone).replace(tzinfo=None, second=0, microsecond=0) if moment else None


class WindowPlanForm(WindowDatesForm):
    """A window's forms, classrooms and dates (the pre window with its cycle, or a cycle's post window)."""

    instruments = RowsField(
        label=_("Forms"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one form."),
            "invalid_choice": _("That form is not one you can use. Reload the page and choose again."),
            "invalid_pk_value": _("That form is not one you can use. Reload the page and choose again."),
        },
        help_text=_("One form of each kind per grade: each student gets the form of their classroom's grade."),
    )
    classrooms = RowsField(
        label=_("Classrooms"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one classroom."),
            "invalid_choice": _(
                "That classroom is not one you can give a survey to. Reload the page and choose again."
            ),
            "invalid_pk_value": _(
                "That classroom is not one you can give a survey to. Reload the page and choose again."
            ),
        },
    )

    field_order = ["title", "instruments", "classrooms", "opens_at", "closes_at", "privacy"]

    def __init__(self, *args, instruments, classrooms, anonymous: bool = False, not_before=None, **kwargs):
        """``anonymous``: the cycle's privacy (a new cycle's comes from its own field); ``not_before``: the
        earliest opening (the pre window's close, for a post window)."""
        super().__init__(*args, **kwargs)
        self.anonymous, self.not_before = anonymous, not_before
        self.fields["instruments"].queryset = instruments
        self.fields["classrooms"].queryset = classrooms
        self.fields["classrooms"].label_from_instance = lambda c: f"{c.name} ({c.get_grade_display()})"

    def is_anonymous(self, data) -> bool:
        return self.anonymous

    def clean(self):
        """Every problem of the plan at once, beside its field: the services' own rules (they check them again)."""
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at"):
            problems = services.date_problems(
                opens_at=data["opens_at"], closes_at=data["closes_at"], now=timezone.now(), not_before=self.not_before
            )
            for field, message in problems:
                self.add_error(field, message)
        if "instruments" in data and "classrooms" in data:
            problems = services.form_problems(
                instruments=list(data["instruments"]),
                classrooms=list(data["classrooms"]),
                anonymous=self.is_anonymous(data),
            )
            for field, message in problems:
                self.add_error(field, message)
        return data


class CycleForm(WindowPlanForm):
    """A new cycle: its title, privacy, and its pre window."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}),
        help_text=_("Students see it, for example “Autumn empathy survey”."),
        error_messages={"required": _("Give the survey a title, for example “Autumn empathy survey”.")},
    )
    privacy = forms.ChoiceField(
        label=_("Who the answers are linked to"),
        choices=[
            (CONFIDENTIAL, _("Confidential (recommended)")),
            (ANONYMOUS, _("Anonymous")),
        ],
        initial=CONFIDENTIAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)

    def is_anonymous(self, data) -> bool:
        return data.get("privacy") == ANONYMOUS


class WindowEditForm(WindowDatesForm):
    """A window's dates; and, for a confidential cycle nobody has answered yet, making it anonymous (an anonymous
    cycle is never offered the way back)."""

    make_anonymous = forms.BooleanField(label=_("Make this survey anonymous"), required=False)

    def __init__(self, *args, offer_anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not offer_anonymous:
            del self.fields["make_anonymous"]
        else:
            self.fields["make_anonymous"].help_text = _(
                "No answer will be linked to the student who gave it, in both windows. Pre and post can then only "
                "be compared as two groups, with no matched pairs. This cannot be undone."
            )
