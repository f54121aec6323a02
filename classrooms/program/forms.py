"""Forms of the program-year and session pages: they parse what a teacher typed, the schedule service decides."""

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from classrooms.models import SESSION_MINUTES_MAX, SESSION_MINUTES_MIN, SESSION_NOTE_MAX, ProgramYear
from classrooms.program.recurrence import MAX_MONTHS, Recurrence
from classrooms.program.selectors import classroom_program_year
from classrooms.program.services import MAX_OFFSET_DAYS
from config.formats import date_input_error, date_input_help, date_input_words

TITLE_MAX = 200
MAX_SKIPPED = 100

ORDINALS = [(1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth")), (-1, _("last"))]
BY_WEEKDAY, BY_DAY = "weekday", "day"


class MonthInput(forms.DateInput):
    """``<input type=month>``: browsers send ``YYYY-MM``; one without month pickers shows a text box."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "YYYY-MM", **(attrs or {})}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, stored as its 1st day (the program year's ``first_month``/``last_month``)."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d", "%m/%Y"]  # month/year is the hand-typed order in English and Spanish
    default_error_messages = {"invalid": _("Enter a month as MM/YYYY or YYYY-MM, for example 10/2026.")}

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def parse_skipped_dates(text: str) -> list[date]:
    """One date per line or separated by commas, each YYYY-MM-DD or as the page's language writes dates
    by hand (config/formats); every bad entry is named."""
    entries = [e.strip() for e in re.split(r"[\n,;]+", text) if e.strip()]
    if len(entries) > MAX_SKIPPED:
        raise ValidationError(_("List at most %(max)d dates to skip.") % {"max": MAX_SKIPPED})
    days, bad = set(), []
    typed = forms.DateField()
    for entry in entries:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}", entry):
                raise ValidationError("")
            days.add(typed.to_python(entry))
        except ValidationError:
            bad.append(entry[:40])
    if bad:
        raise ValidationError(
            _("These are not dates written as %(hint)s or YYYY-MM-DD (for example %(example)s): %(bad)s")
            % {**date_input_words(), "bad": ", ".join(f"“{b}”" for b in bad)}
        )
    return sorted(days)


class ProgramYearForm(HeardForm):
    repeat = forms.ChoiceField(
        label=_("Which day of the month"),
        choices=[(BY_WEEKDAY, _("The same weekday each month")), (BY_DAY, _("The same date each month"))],
        widget=forms.RadioSelect,
        required=False,
    )
    ordinal = forms.TypedChoiceField(label=_("Week"), choices=ORDINALS, coerce=int, required=False, empty_value=None)
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=list(WEEKDAYS.items()), coerce=int, required=False, empty_value=None
    )
    day = forms.IntegerField(
        label=_("Day of the month"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("29, 30 or 31 means the last day of the month in months that are shorter (February, April…)."),
    )
    at = forms.TimeField(label=_("Time"), widget=TimeInput, help_text=_("In the school's time zone."))
    first_month = MonthField(label=_("First month"))
    last_month = MonthField(label=_("Last month"), help_text=_("Both months are included."))
    skipped_dates = forms.CharField(
        label=_("Dates to skip (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "Holidays and closures: one date per line or separated by commas, written %(hint)s or YYYY-MM-DD. "
            "A session that falls on one is left out, not moved."
        ),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length of a session, in minutes"), min_value=SESSION_MINUTES_MIN, max_value=SESSION_MINUTES_MAX
    )
    format = forms.ChoiceField(label=_("Kind of year"), choices=ProgramYear.Format.choices, widget=forms.RadioSelect)
    pre_visit_days = forms.IntegerField(
        label=_("Pre-visit lesson: days before each visit"), min_value=1, max_value=MAX_OFFSET_DAYS, required=False
    )
    post_visit_days = forms.IntegerField(
        label=_("Post-visit lesson: days after each visit"), min_value=1, max_value=MAX_OFFSET_DAYS, required=False
    )

    def __init__(self, *args, classroom, **kwargs):
        self.classroom = classroom
        super().__init__(*args, **kwargs)
        self.fields["at"].help_text = _("In the school's time zone (%(zone)s).") % {"zone": classroom.school.time_zone}
        self.fields["skipped_dates"].help_text = self.fields["skipped_dates"].help_text % date_input_words()
        if not self.is_bound:
            self.initial = self.initial_for(classroom)

    @staticmethod
    def initial_for(classroom) -> dict:
        """The existing program year, or a typical one: first Tuesday at 10:00, October to June, 45 minutes."""
        program_year = classroom_program_year(classroom)
        if program_year is None:
            return {
                "repeat": BY_WEEKDAY, "ordinal": 1, "weekday": 1, "at": time(10, 0),
                "first_month": date(classroom.school_year, 10, 1), "last_month": date(classroom.school_year + 1, 6, 1),
                "skipped_dates": "", "duration_minutes": 45, "format": ProgramYear.Format.LESSONS,
                "pre_visit_days": 7, "post_visit_days": 7,
            }
        by_day = program_year.day is not None
        return {
            "repeat": BY_DAY if by_day else BY_WEEKDAY,
            "ordinal": program_year.ordinal if not by_day else 1,
            "weekday": program_year.weekday if not by_day else 1,
            "day": program_year.day,
            "at": program_year.at,
            "first_month": program_year.first_month,
            "last_month": program_year.last_month,
            "skipped_dates": "\n".join(program_year.skipped_dates),
            "duration_minutes": program_year.duration_minutes,
            "format": program_year.format,
            "pre_visit_days": program_year.pre_visit_days,
            "post_visit_days": program_year.post_visit_days,
        }

    def clean_skipped_dates(self):
        return parse_skipped_dates(self.cleaned_data.get("skipped_dates", ""))

    def clean_at(self):
        return self.cleaned_data["at"].replace(microsecond=0)

    def clean(self):
        data = super().clean()
        repeat = data.get("repeat")
        has_weekday = data.get("ordinal") is not None or data.get("weekday") is not None
        has_day = data.get("day") is not None
        if not repeat:  # a form sent without the choice (no browser does): the fields must say it alone
            if has_weekday == has_day:
                self.add_error(
                    "repeat",
                    _("Choose either a weekday of the month (like the first Tuesday) or a day of the month, not both."),
                )
                return data
            repeat = BY_WEEKDAY if has_weekday else BY_DAY
        if repeat == BY_WEEKDAY:
            for field, message in (("ordinal", _("Choose the week.")), ("weekday", _("Choose the weekday."))):
                if data.get(field) is None and field not in self.errors:
                    self.add_error(field, message)
            data["day"] = None
        else:
            if data.get("day") is None and "day" not in self.errors:
                self.add_error("day", _("Give the day of the month, from 1 to 31."))
            data["ordinal"] = data["weekday"] = None
        first, last = data.get("first_month"), data.get("last_month")
        if first and last:
            months = (last.year - first.year) * 12 + last.month - first.month + 1
            if last < first:
                self.add_error("last_month", _("The last month is before the first month."))
            elif months > MAX_MONTHS:
                self.add_error("last_month", _("A program year can span at most %(max)d months.") % {"max": MAX_MONTHS})
        if data.get("format") == ProgramYear.Format.VISITS:
            for field in ("pre_visit_days", "post_visit_days"):
                if data.get(field) is None and field not in self.errors:
                    self.add_error(field, _("Give a number of days for a year of family visits."))
        else:  # not used by a lessons year; keep the stored values sensible
            for field in ("pre_visit_days", "post_visit_days"):
                if data.get(field) is None:
                    data[field] = 7
        if self.errors:
            return data
        try:
            data["recurrence"] = Recurrence(
                first_month=first,
                last_month=last,
                at=data["at"],
                time_zone=self.classroom.school.time_zone,
                ordinal=data.get("ordinal"),
                weekday=data.get("weekday"),
                day=data.get("day"),
                skipped=data["skipped_dates"],
            )
        except ValueError as error:
            raise ValidationError(str(error)) from None
        return data


class RescheduleForm(HeardForm):
    date = forms.DateField(label=_("New date"), widget=DateInput)  # typed formats: the language's (config/formats)
    time = forms.TimeField(label=_("New time"), widget=TimeInput)

    def __init__(self, *args, zone: ZoneInfo, now: datetime | None = None, **kwargs):
        self.zone, self.now = zone, now
        super().__init__(*args, **kwargs)
        self.fields["time"].help_text = _("In the school's time zone (%(zone)s).") % {"zone": zone.key}
        self.fields["date"].help_text = date_input_help()
        self.fields["date"].error_messages["invalid"] = date_input_error()

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            # A wall time in a daylight-saving gap or overlap is read as recurrence.py reads it (fold=0).
            starts_at = datetime.combine(data["date"], data["time"].replace(microsecond=0), tzinfo=self.zone)
            if starts_at <= (self.now or timezone.now()):
                self.add_error("date", _("That time has already passed. Choose a date and time from now on."))
            else:
                data["starts_at"] = starts_at.astimezone(UTC)
        return data


class SessionNoteForm(HeardForm):
    note = forms.CharField(
        label=_("What happened (optional)"),
        required=False,
        max_length=SESSION_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": SESSION_NOTE_MAX}),
        help_text=_("A line or two for you and your co-teachers: what you covered, who was away. Students do not see it."),
    )


class SessionTitleForm(HeardForm):
    title = forms.CharField(label=_("Title"), required=False, max_length=TITLE_MAX)
