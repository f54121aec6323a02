"""Forms of the program-year and session pages: they parse what a teacher typed, the schedule service decides."""

import dataclasses
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.baseforms import HeardForm
from classrooms.models import SESSION_MINUTES_MAX, SESSION_MINUTES_MIN, SESSION_NOTE_MAX, ProgramYear
from classrooms.program.recurrence import (
    MAX_MONTHS,
    REPEATED,
    SKIPPED,
    ClockChange,
    Recurrence,
    clock_changes,
    clock_changes_key,
    resolve_wall_time,
    wall_times,
)
from classrooms.program.selectors import classroom_program_year, program_year_recurrence
from classrooms.program.services import MAX_OFFSET_DAYS, RESCHEDULE_HORIZON, RESCHEDULE_HORIZON_YEARS
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


FIRST, SECOND = "first", "second"  # which of a repeated wall time: fold 0 or 1


def _day(moment: datetime | date) -> str:
    return formats.date_format(moment, "DATE_FORMAT")


def _clock(moment: datetime | time) -> str:
    return f"{moment:%H:%M}"  # as the time box and the sessions list write it


def explain_clock_change(change: ClockChange, zone: ZoneInfo) -> str:
    """One sentence, in the teacher's language, saying what the clocks do to a time they asked for."""
    if change.kind == SKIPPED:
        return _("%(time)s does not exist on %(date)s (clocks go forward); the session will be at %(new_time)s.") % {
            "time": _clock(change.local), "date": _day(change.local), "new_time": _clock(change.first.astimezone(zone)),
        }
    return _("%(time)s happens twice on %(date)s (clocks go back): first on %(first)s, then again on %(second)s.") % {
        "time": _clock(change.local), "date": _day(change.local),
        "first": change.first.astimezone(zone).tzname(), "second": change.second.astimezone(zone).tzname(),
    }


class ClockChangeForm(HeardForm):
    """A form that takes a wall time and, on a day the clocks change, asks before saving.

    A time that does not exist is confirmed (the session is then as much later as the clocks jump);
    for a time that happens twice the teacher chooses the first or the second. ``clock_key`` carries
    which times the teacher was shown: an answer given for other times (the date was then changed) is
    asked again, so nothing is saved on a confirmation of something else.
    """

    clock_key = forms.CharField(required=False, widget=forms.HiddenInput)
    skipped_ok = forms.BooleanField(required=False)
    repeated = forms.ChoiceField(required=False, widget=forms.RadioSelect, choices=[(FIRST, FIRST), (SECOND, SECOND)])

    clock_notes: list[str] = []  # the sentences the page shows, when there is anything to say
    clock_key_value = ""
    has_skipped = has_repeated = False

    def _show_clock_changes(self, changes: list[ClockChange], zone: ZoneInfo) -> None:
        self.clock_notes = [explain_clock_change(c, zone) for c in changes]
        self.clock_key_value = clock_changes_key(changes)
        skipped = [c for c in changes if c.kind == SKIPPED]
        repeated = [c for c in changes if c.kind == REPEATED]
        self.has_skipped, self.has_repeated = bool(skipped), bool(repeated)
        self.fields["skipped_ok"].label = ngettext(
            "Yes, hold this session at the later time shown above.",
            "Yes, hold these sessions at the later times shown above.",
            len(skipped),
        )
        if repeated:
            change = repeated[0]
            when = {"time": _clock(change.local)}
            self.fields["repeated"].label = _("Which %(time)s?") % when
            self.fields["repeated"].choices = [
                (FIRST, _("The first %(time)s (%(zone)s, before the clocks go back)")
                 % {**when, "zone": change.first.astimezone(zone).tzname()}),
                (SECOND, _("The second %(time)s (%(zone)s, after the clocks go back)")
                 % {**when, "zone": change.second.astimezone(zone).tzname()}),
            ]
        for name in ("skipped_ok", "repeated"):  # a bound field made before (by cleaning) keeps the old label
            self._bound_fields_cache.pop(name, None)

    def _initial_clock_answers(self, changes: list[ClockChange], zone: ZoneInfo, *, fold: int) -> None:
        """An unbound form for times already saved: the changes shown, and the answers already given."""
        self._show_clock_changes(changes, zone)
        if changes:
            self.initial.update({"clock_key": self.clock_key_value, "skipped_ok": True, "repeated": SECOND if fold else FIRST})

    def _confirmed_fold(self, changes: list[ClockChange], zone: ZoneInfo) -> int | None:
        """The fold the teacher chose (0 when no time happens twice), or None with the form's errors set."""
        self._show_clock_changes(changes, zone)
        if not changes:
            return 0
        data = self.cleaned_data
        if data.get("clock_key") != self.clock_key_value:
            self.add_error(
                None,
                ngettext(
                    "The clocks change at this time. Read what that means below, then confirm or choose another time.",
                    "The clocks change at some of these times. Read what that means below, then confirm or "
                    "choose another time.",
                    len(changes),
                ),
            )
            return None
        ok = True
        if self.has_skipped and not data.get("skipped_ok"):
            self.add_error("skipped_ok", _("Tick this box to accept the later time, or choose another time."))
            ok = False
        if self.has_repeated and data.get("repeated") not in (FIRST, SECOND):
            self.add_error("repeated", _("Choose the first or the second, or choose another time."))
            ok = False
        if not ok:
            return None
        return 1 if self.has_repeated and data["repeated"] == SECOND else 0


class ProgramYearForm(ClockChangeForm):
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

    def __init__(self, *args, classroom, now: datetime | None = None, **kwargs):
        self.classroom, self.now = classroom, now
        super().__init__(*args, **kwargs)
        self.fields["at"].help_text = _("In the school's time zone (%(zone)s).") % {"zone": classroom.school.time_zone}
        self.fields["skipped_dates"].help_text = self.fields["skipped_dates"].help_text % date_input_words()
        if not self.is_bound:
            self.initial = self.initial_for(classroom)
            program_year = classroom_program_year(classroom)
            if program_year is not None:
                recurrence = program_year_recurrence(program_year)
                changes = self.clock_changes_of(
                    recurrence, format=program_year.format,
                    pre_visit_days=program_year.pre_visit_days, post_visit_days=program_year.post_visit_days,
                )
                self._initial_clock_answers(changes, recurrence.zone, fold=program_year.fold)

    def clock_changes_of(self, recurrence: Recurrence, *, format: str, pre_visit_days: int, post_visit_days: int):
        """The clock changes among the year's future sessions: the rule's dates, and in a year of family
        visits the lessons around them (at the same wall time, a number of days away)."""
        starts = wall_times(recurrence)
        if format == ProgramYear.Format.VISITS:
            starts += [s + timedelta(days=d) for s in starts for d in (-pre_visit_days, post_visit_days)]
        now = self.now or timezone.now()
        zone = recurrence.zone
        return [c for c in clock_changes(starts, zone) if resolve_wall_time(c.local, zone) > now]

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
        today = timezone.localdate()
        if first and not (today.replace(day=1) - YEAR_SPAN <= first <= today + RESCHEDULE_HORIZON):
            # A year typed as 9999 (or 0001) is a typo; far ahead it would also overflow the date arithmetic.
            self.add_error(
                "first_month",
                _("Choose a first month between %(start)s and %(end)s.")
                % {"start": formats.date_format(today.replace(day=1) - YEAR_SPAN, "YEAR_MONTH_FORMAT"),
                   "end": formats.date_format(today + RESCHEDULE_HORIZON, "YEAR_MONTH_FORMAT")},
            )
            first = None
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
        recurrence = data["recurrence"]
        changes = self.clock_changes_of(
            recurrence, format=data["format"],
            pre_visit_days=data["pre_visit_days"], post_visit_days=data["post_visit_days"],
        )
        fold = self._confirmed_fold(changes, recurrence.zone)
        if fold is None:
            del data["recurrence"]
        else:
            data["recurrence"] = dataclasses.replace(recurrence, fold=fold)
        return data


# How far back a program year may start: the school year under way, begun last autumn, and the one before.
YEAR_SPAN = timedelta(days=2 * 365)


class RescheduleForm(ClockChangeForm):
    date = forms.DateField(label=_("New date"), widget=DateInput)  # typed formats: the language's (config/formats)
    time = forms.TimeField(label=_("New time"), widget=TimeInput)

    field_order = ["date", "time"]

    def __init__(self, *args, zone: ZoneInfo, current: datetime | None = None, now: datetime | None = None, **kwargs):
        """``current`` is the session's start now: the form starts from it (and from which of a repeated time it is)."""
        self.zone, self.now = zone, now
        super().__init__(*args, **kwargs)
        self.fields["time"].help_text = _("In the school's time zone (%(zone)s).") % {"zone": zone.key}
        self.fields["date"].help_text = date_input_help()
        self.fields["date"].error_messages["invalid"] = date_input_error()
        if current is not None and not self.is_bound:
            local = current.astimezone(zone)
            self.initial.update({"date": local.date(), "time": local.time()})
            self._initial_clock_answers(clock_changes([local.replace(tzinfo=None)], zone), zone, fold=local.fold)

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            now = self.now or timezone.now()
            if data["date"] > (now + RESCHEDULE_HORIZON).date():
                # Checked first: a date near 9999 overflows the time-zone arithmetic below.
                self.add_error("date", _("Choose a date within the next %(years)d years.") % {"years": RESCHEDULE_HORIZON_YEARS})
                return data
            local = datetime.combine(data["date"], data["time"].replace(microsecond=0))
            if local.replace(tzinfo=self.zone) <= now:
                self.add_error("date", _("That time has already passed. Choose a date and time from now on."))
                return data
            fold = self._confirmed_fold(clock_changes([local], self.zone), self.zone)
            if fold is not None:
                data["starts_at"] = resolve_wall_time(local, self.zone, fold=fold)
        return data


class SessionNoteForm(HeardForm):
    note = forms.CharField(
        label=_("What happened (optional)"),
        required=False,
        max_length=SESSION_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": SESSION_NOTE_MAX}),
        help_text=_("A line or two for you and your co-teachers: what you covered, who was away. Students do not see it."),
    )


class SessionHeldForm(SessionNoteForm):
    """Mark held: who was away (the register, ticked) and the note. Only a student on the session's
    register can be ticked: any other id is refused with a message."""

    away = forms.ModelMultipleChoiceField(
        label=_("Who was away?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Only students of this classroom can be marked away. Reload the page and tick again."),
            "invalid_pk_value": _("Only students of this classroom can be marked away. Reload the page and tick again."),
        },
    )

    def __init__(self, *args, register, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["away"].queryset = register
        self.fields["away"].label_from_instance = lambda student: student.display_name
        self.fields["note"].help_text = _("A line or two for you and your co-teachers: what you covered. Students do not see it.")


class SessionTitleForm(HeardForm):
    title = forms.CharField(label=_("Title"), required=False, max_length=TITLE_MAX)
