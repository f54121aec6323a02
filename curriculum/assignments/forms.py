"""Forms of the assignment pages: they parse what a teacher typed; the services decide."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from classrooms.program.recurrence import resolve_wall_time
from classrooms.students.forms import StudentsField
from config.formats import date_input_error, date_input_help
from curriculum.assignments.services import FEEDBACK_MAX, INSTRUCTIONS_MAX

DUE_TIME_DEFAULT = time(23, 59)  # "by the end of the day", when only a date is given
DUE_HORIZON = timedelta(days=2 * 365)
WHOLE_CLASS, CHOSEN = "class", "chosen"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class AssignmentForm(HeardForm):
    who = forms.ChoiceField(
        label=_("Who does it?"),
        choices=[(WHOLE_CLASS, _("The whole class")), (CHOSEN, _("The students I choose"))],
        widget=forms.RadioSelect,
        initial=WHOLE_CLASS,
    )
    students = StudentsField(
        label=_("Students"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Only students of this classroom can be given its work. Reload the page and choose again.")},
    )
    instructions = forms.CharField(
        label=_("Instructions for the class (optional)"),
        required=False,
        max_length=INSTRUCTIONS_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": INSTRUCTIONS_MAX}),
        help_text=_("Shown above the activity, for example when to do it or what to bring."),
    )
    due_date = forms.DateField(label=_("Due date (optional)"), required=False, widget=DateInput)
    due_time = forms.TimeField(label=_("Due time"), required=False, widget=TimeInput)

    def __init__(self, *args, roster, zone: ZoneInfo, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone, self.now = zone, now
        self.fields["students"].queryset = roster
        self.fields["students"].label_from_instance = lambda u: u.display_name
        self.fields["due_date"].help_text = date_input_help()
        self.fields["due_date"].error_messages["invalid"] = date_input_error()
        self.fields["due_time"].help_text = _("In the school's time zone (%(zone)s). Without a time: %(time)s.") % {
            "zone": zone.key, "time": DUE_TIME_DEFAULT.strftime("%H:%M"),
        }

    def clean(self):
        data = super().clean()
        if data.get("who") == CHOSEN and "students" in data and not data["students"]:
            self.add_error("students", _("Choose at least one student, or give it to the whole class."))
        data["due_at"] = None
        day = data.get("due_date")
        if day is not None:
            now = self.now or timezone.now()
            if day > (now + DUE_HORIZON).date():
                # Checked first: a date near 9999 overflows the time-zone arithmetic below.
                self.add_error("due_date", _("Choose a due date within the next two years."))
                return data
            due_at = resolve_wall_time(datetime.combine(day, data.get("due_time") or DUE_TIME_DEFAULT), self.zone)
            if due_at <= now:
                self.add_error("due_date", _("That moment has already passed. Choose a due date and time from now on."))
            data["due_at"] = due_at
        elif data.get("due_time"):
            self.add_error("due_date", _("Give the day as well as the time."))
        return data


class ReviewForm(HeardForm):
    """The teacher's rubric (one 0-to-points choice per criterion, where the activity has a rubric) and feedback."""

    feedback = forms.CharField(
        label=_("Private feedback for the student"),
        required=False,
        max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": FEEDBACK_MAX}),
        help_text=_("Only this student and the classroom's teachers see it."),
    )

    def __init__(self, *args, criteria, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"rubric_{criterion.key}"] = forms.TypedChoiceField(
                label=labels.get(criterion.key, criterion.label),
                choices=[(n, str(n)) for n in range(criterion.points + 1)],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "rubric__choice"}),
            )
        self.order_fields([*(f"rubric_{c.key}" for c in criteria), "feedback"])

    def rubric_fields(self):
        return [self[f"rubric_{c.key}"] for c in self.criteria]

    def clean(self):
        data = super().clean()
        data["rubric_scores"] = {
            c.key: data[f"rubric_{c.key}"] for c in self.criteria if data.get(f"rubric_{c.key}") is not None
        }
        return data
