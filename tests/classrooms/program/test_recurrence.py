"""The monthly recurrence engine: month ends, holidays, daylight saving both ways, both hemispheres."""

import calendar
import dataclasses
import re
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classrooms.program.recurrence import Recurrence, describe, occurrences

NEW_YORK = "America/New_York"
SYDNEY = "Australia/Sydney"
OCT_2026, JUN_2027 = date(2026, 10, 1), date(2027, 6, 1)

# The autouse settings fixture in conftest.py touches nothing these pure functions read.
property_settings = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def program(**chosen) -> Recurrence:
    """A program year October 2026 to June 2027 in New York at 10:00, overridden by ``chosen``."""
    defaults = {"first_month": OCT_2026, "last_month": JUN_2027, "at": time(10), "time_zone": NEW_YORK}
    return Recurrence(**(defaults | chosen))


def local(starts: list[datetime], zone: str) -> list[datetime]:
    return [start.astimezone(ZoneInfo(zone)).replace(tzinfo=None) for start in starts]


def test_first_tuesday_stays_at_ten_local_while_utc_hour_follows_daylight_saving():
    """First Tuesday Oct 2026-Jun 2027 in New York: 9 sessions at 10:00 local, 14:00/15:00 UTC by season."""
    starts = occurrences(program(ordinal=1, weekday=1))

    assert local(starts, NEW_YORK) == [
        datetime(2026, 10, 6, 10), datetime(2026, 11, 3, 10), datetime(2026, 12, 1, 10),
        datetime(2027, 1, 5, 10), datetime(2027, 2, 2, 10), datetime(2027, 3, 2, 10),
        datetime(2027, 4, 6, 10), datetime(2027, 5, 4, 10), datetime(2027, 6, 1, 10),
    ]  # fmt: skip
    assert all(start.tzinfo is UTC for start in starts)
    # Summer time ends 1 Nov 2026 and starts again 14 Mar 2027, between the March and April sessions.
    assert [start.hour for start in starts] == [14, 15, 15, 15, 15, 15, 14, 14, 14]


def test_last_friday_of_each_month():
    """Ordinal -1 is the last such weekday, whether the month has four Fridays or five."""
    starts = occurrences(program(ordinal=-1, weekday=4, at=time(8, 15), time_zone="Europe/Berlin"))

    assert [d.date() for d in local(starts, "Europe/Berlin")] == [
        date(2026, 10, 30), date(2026, 11, 27), date(2026, 12, 25), date(2027, 1, 29), date(2027, 2, 26),
        date(2027, 3, 26), date(2027, 4, 30), date(2027, 5, 28), date(2027, 6, 25),
    ]  # fmt: skip
    assert {d.time() for d in local(starts, "Europe/Berlin")} == {time(8, 15)}


def test_the_31st_is_the_last_day_of_shorter_months_including_a_leap_february():
    """Day 31 falls on Nov 30, Feb 29 (2028 is a leap year), Apr 30 and Jun 30; no month is skipped."""
    starts = occurrences(program(day=31, first_month=date(2027, 10, 1), last_month=date(2028, 6, 1)))

    assert [d.date() for d in local(starts, NEW_YORK)] == [
        date(2027, 10, 31), date(2027, 11, 30), date(2027, 12, 31), date(2028, 1, 31), date(2028, 2, 29),
        date(2028, 3, 31), date(2028, 4, 30), date(2028, 5, 31), date(2028, 6, 30),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "february"), [(29, date(2027, 2, 28)), (30, date(2027, 2, 28)), (28, date(2027, 2, 28))]
)
def test_a_day_february_lacks_falls_on_its_last_day_never_in_march(day, february):
    """Days 29 and 30 in a common-year February fall on the 28th, not on 1 or 2 March."""
    starts = occurrences(program(day=day, first_month=date(2027, 2, 1), last_month=date(2027, 3, 1)))

    assert [d.date() for d in local(starts, NEW_YORK)] == [february, date(2027, 3, day)]


def test_holidays_drop_their_session_without_moving_it():
    """A session on a skipped date is dropped; the others keep their dates and no replacement appears."""
    every_month = occurrences(program(ordinal=1, weekday=1))
    skipped = {date(2026, 11, 3), date(2027, 1, 5)}

    starts = occurrences(program(ordinal=1, weekday=1, skipped=skipped))

    assert len(starts) == 7
    assert starts == [s for s in every_month if s.astimezone(ZoneInfo(NEW_YORK)).date() not in skipped]


def test_holidays_outside_the_program_or_off_session_days_change_nothing():
    """Closures that are not session days are ignored, and describe() counts only sessions dropped."""
    recurrence = program(ordinal=1, weekday=1, skipped=[date(2026, 11, 4), date(2027, 7, 6), date(2027, 1, 5)])

    assert len(occurrences(recurrence)) == 8
    assert describe(recurrence).endswith(", skipping 1 date")


def test_southern_hemisphere_daylight_saving_runs_october_to_april():
    """First Monday 09:00 in Sydney: 22:00 UTC the day before in summer (AEDT), 23:00 UTC from April."""
    starts = occurrences(program(ordinal=1, weekday=0, at=time(9), time_zone=SYDNEY))

    assert {d.time() for d in local(starts, SYDNEY)} == {time(9)}
    assert [d.date() for d in local(starts, SYDNEY)][:7] == [
        date(2026, 10, 5), date(2026, 11, 2), date(2026, 12, 7), date(2027, 1, 4), date(2027, 2, 1),
        date(2027, 3, 1), date(2027, 4, 5),
    ]  # fmt: skip
    assert [start.hour for start in starts] == [22] * 6 + [23] * 3
    assert starts[0] == datetime(2026, 10, 4, 22, tzinfo=UTC)


def test_a_time_in_the_spring_forward_gap_is_pushed_forward_by_the_gap():
    """02:30 on 14 Mar 2027 does not exist in New York: it is read with the winter offset, i.e. 03:30 EDT."""
    starts = occurrences(
        program(ordinal=2, weekday=6, at=time(2, 30), first_month=date(2027, 2, 1), last_month=date(2027, 4, 1))
    )

    assert starts == [
        datetime(2027, 2, 14, 7, 30, tzinfo=UTC),  # 02:30 EST
        datetime(2027, 3, 14, 7, 30, tzinfo=UTC),  # the gap: 03:30 EDT on the wall clock
        datetime(2027, 4, 11, 6, 30, tzinfo=UTC),  # 02:30 EDT
    ]
    assert local(starts, NEW_YORK)[1] == datetime(2027, 3, 14, 3, 30)


def test_a_time_in_the_southern_spring_forward_gap_is_pushed_forward_too():
    """02:30 on 4 Oct 2026 does not exist in Sydney: it becomes 03:30 AEDT (16:30 UTC the day before)."""
    starts = occurrences(program(ordinal=1, weekday=6, at=time(2, 30), time_zone=SYDNEY, last_month=OCT_2026))

    assert starts == [datetime(2026, 10, 3, 16, 30, tzinfo=UTC)]
    assert local(starts, SYDNEY) == [datetime(2026, 10, 4, 3, 30)]


def test_an_ambiguous_fall_back_time_is_the_first_of_the_two():
    """01:30 on 1 Nov 2026 happens twice in New York; the session is the first one, still on EDT (05:30 UTC)."""
    starts = occurrences(
        program(ordinal=1, weekday=6, at=time(1, 30), first_month=date(2026, 11, 1), last_month=date(2026, 12, 1))
    )

    assert starts == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 12, 6, 6, 30, tzinfo=UTC)]


def test_an_ambiguous_time_in_sydney_autumn_is_the_first_of_the_two():
    """02:30 on 4 Apr 2027 happens twice in Sydney; the session is the first, still on AEDT (15:30 UTC)."""
    starts = occurrences(program(ordinal=1, weekday=6, at=time(2, 30), time_zone=SYDNEY, first_month=date(2027, 4, 1)))

    assert starts == [
        datetime(2027, 4, 3, 15, 30, tzinfo=UTC),
        datetime(2027, 5, 1, 16, 30, tzinfo=UTC),
        datetime(2027, 6, 5, 16, 30, tzinfo=UTC),
    ]


def test_a_holiday_on_a_gap_day_still_drops_the_session():
    """Skipping works on a day whose chosen time does not exist (the exclusion is built the same way)."""
    recurrence = program(
        ordinal=2, weekday=6, at=time(2, 30), first_month=date(2027, 3, 1), last_month=date(2027, 3, 1)
    )

    assert occurrences(dataclasses.replace(recurrence, skipped=frozenset({date(2027, 3, 14)}))) == []


def test_describe_says_the_rule_the_months_and_the_sessions_skipped():
    """describe() reads as a sentence a teacher would say."""
    assert (
        describe(program(ordinal=1, weekday=1, skipped={date(2026, 11, 3), date(2027, 1, 5)}))
        == "First Tuesday of each month at 10:00, October 2026 to June 2027, skipping 2 dates"
    )
    assert describe(program(ordinal=-1, weekday=4, at=time(8, 15))) == (
        "Last Friday of each month at 08:15, October 2026 to June 2027"
    )
    assert describe(program(day=31)) == (
        "Day 31 of each month (the last day in shorter months) at 10:00, October 2026 to June 2027"
    )
    assert describe(program(day=15)) == "Day 15 of each month at 10:00, October 2026 to June 2027"


def test_a_recurrence_is_a_value():
    """Recurrence is frozen and hashable, and a list of skipped dates is kept as a frozenset."""
    recurrence = program(day=1, skipped=[date(2026, 12, 1)])

    assert recurrence.skipped == frozenset({date(2026, 12, 1)})
    assert hash(recurrence) == hash(program(day=1, skipped={date(2026, 12, 1)}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        recurrence.day = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ({"ordinal": 1, "weekday": 1, "last_month": date(2026, 9, 1)}, "before the first month"),
        ({"day": 1, "last_month": date(2028, 10, 1)}, "at most 24 months"),
        ({"day": 1, "time_zone": "Mars/Olympus_Mons"}, "Unknown time zone"),
        ({"day": 1, "time_zone": "../../etc/passwd"}, "Unknown time zone"),
        ({"day": 1, "time_zone": ""}, "Unknown time zone"),
        ({"ordinal": 5, "weekday": 1}, "first, second, third, fourth or last"),
        ({"ordinal": 0, "weekday": 1}, "first, second, third, fourth or last"),
        ({"ordinal": -2, "weekday": 1}, "first, second, third, fourth or last"),
        ({"ordinal": 1, "weekday": 7}, "between 0 (Monday) and 6 (Sunday)"),
        ({"ordinal": 1}, "between 0 (Monday) and 6 (Sunday)"),
        ({"weekday": 1}, "first, second, third, fourth or last"),
        ({"day": 0}, "between 1 and 31"),
        ({"day": 32}, "between 1 and 31"),
        ({}, "either a weekday of the month or a day of the month"),
        ({"day": 3, "ordinal": 1, "weekday": 1}, "either a weekday of the month or a day of the month"),
        ({"day": 1, "first_month": date(2026, 10, 15)}, "1st of the month"),
        ({"day": 1, "at": time(10, tzinfo=UTC)}, "local time"),
        ({"day": 1, "at": time(10, 0, 0, 500)}, "fractions of a second"),
    ],
)
def test_invalid_choices_are_refused_with_a_clear_message(chosen, message):
    """Each impossible choice raises ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=re.escape(message)):
        program(**chosen)


def test_a_program_of_exactly_24_months_is_allowed():
    """The 24-month limit counts both end months: October 2026 to September 2028 is fine."""
    assert len(occurrences(program(day=1, last_month=date(2028, 9, 1)))) == 24


# --- properties -------------------------------------------------------------------------------

ZONES = [
    NEW_YORK,
    SYDNEY,
    "Europe/London",
    "Pacific/Auckland",
    "America/Santiago",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Asia/Kolkata",
    "UTC",
]

rules = st.one_of(
    st.fixed_dictionaries({"ordinal": st.sampled_from([1, 2, 3, 4, -1]), "weekday": st.integers(0, 6)}),
    st.fixed_dictionaries({"day": st.integers(1, 31)}),
)


@st.composite
def recurrences(draw) -> Recurrence:
    first = draw(st.dates(date(2020, 1, 1), date(2037, 12, 1))).replace(day=1)
    return Recurrence(
        **draw(rules),
        first_month=first,
        last_month=first + relativedelta(months=draw(st.integers(0, 23))),
        at=time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45, 59]))),
        time_zone=draw(st.sampled_from(ZONES)),
    )


def on_rule_day(recurrence: Recurrence, day: date) -> bool:
    """An independent oracle for the rule, in plain calendar terms."""
    if recurrence.day is not None:
        return day.day == min(recurrence.day, calendar.monthrange(day.year, day.month)[1])
    if recurrence.ordinal == -1:
        nth = (day + timedelta(days=7)).month != day.month
    else:
        nth = (day.day - 1) // 7 + 1 == recurrence.ordinal
    return day.weekday() == recurrence.weekday and nth


@property_settings
@given(recurrence=recurrences(), data=st.data())
def test_every_occurrence_is_the_chosen_local_time_on_a_rule_day_once_a_month(recurrence, data):
    """One session per month, on a rule day, at the chosen local time (fold=0), increasing, none on a skip."""
    zone = recurrence.zone
    every_month = occurrences(recurrence)
    days = [start.astimezone(zone).date() for start in every_month]
    skipped = data.draw(st.sets(st.sampled_from(days)) | st.sets(st.dates(date(2019, 1, 1), date(2040, 12, 31))))

    starts = occurrences(dataclasses.replace(recurrence, skipped=frozenset(skipped)))

    months = {(day.year, day.month) for day in days}
    first, last = recurrence.first_month, recurrence.last_month
    assert len(days) == len(months) == (last.year - first.year) * 12 + last.month - first.month + 1
    assert all(a < b for a, b in pairwise(starts))
    assert starts == [s for s in every_month if s.astimezone(zone).date() not in skipped]
    for start in starts:
        day = start.astimezone(zone).date()
        assert start.utcoffset() == timedelta(0)
        assert datetime.combine(day, recurrence.at, tzinfo=zone).astimezone(UTC) == start
        assert on_rule_day(recurrence, day)
        assert first <= day <= last + relativedelta(day=31)
        assert day not in skipped


@property_settings
@given(
    ordinal=st.one_of(st.none(), st.integers(-10, 10)),
    weekday=st.one_of(st.none(), st.integers(-10, 10)),
    day=st.one_of(st.none(), st.integers(-40, 40)),
    span=st.integers(-30, 30),
    zone=st.one_of(st.sampled_from(ZONES), st.text(max_size=20)),
)
def test_any_choice_either_builds_a_recurrence_or_raises_value_error(ordinal, weekday, day, span, zone):
    """Bad input from a form never escapes as anything but ValueError."""
    try:
        recurrence = program(
            ordinal=ordinal, weekday=weekday, day=day, time_zone=zone, last_month=OCT_2026 + relativedelta(months=span)
        )
    except ValueError:
        return
    assert 0 <= span < 24
    assert occurrences(recurrence)
    assert describe(recurrence)
