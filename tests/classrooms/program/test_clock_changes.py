"""Days the clocks change: the calendar feed, its VTIMEZONE, the two forms that take a time, the sessions list.

New York's clocks go back on 1 November 2026 (01:00-02:00 happens twice) and 7 November 2027, and go
forward on 14 March 2027 (02:00-03:00 does not exist) and 8 March 2026. Madrid's go back on 25 October
2026 and 31 October 2027 (02:00-03:00 twice) and forward on 29 March 2026 and 28 March 2027.
"""

import bisect
import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse

from classrooms.models import ProgramYear, Session
from tests.factories import ClassroomFactory, SessionFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

NEW_YORK, MADRID = ZoneInfo("America/New_York"), ZoneInfo("Europe/Madrid")
SEPTEMBER = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)

# The same wall time twice, in UTC: New York's 01:30 of 1 November 2026, Madrid's 02:30 of 25 October 2026.
REPEATED = {
    "America/New_York": (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 11, 1, 6, 30, tzinfo=UTC)),
    "Europe/Madrid": (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
}


@pytest.fixture
def september(time_machine):
    time_machine.move_to(SEPTEMBER, tick=False)
    return time_machine


def turn_on_feed(client, teacher, classroom) -> str:
    client.force_login(teacher)
    client.post(reverse("classrooms:calendar_link", kwargs={"pk": classroom.pk}), {"action": "on"})
    client.logout()
    classroom.refresh_from_db()
    return reverse("classrooms:calendar_feed", kwargs={"token": classroom.calendar_token})


def read_feed(client, url) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def utc(moment: datetime) -> datetime:
    """Compare instants in UTC: Python never finds a time of the repeated hour equal to one in another zone."""
    return moment.astimezone(UTC)


def events_by_pk(cal) -> dict[int, icalendar.Event]:
    return {int(str(e["UID"]).removeprefix("session-").removesuffix("@heard")): e for e in cal.walk("VEVENT")}


def program_year_url(classroom):
    return reverse("classrooms:program_year", kwargs={"pk": classroom.pk})


def reschedule_url(session):
    return reverse("classrooms:session_reschedule", kwargs={"pk": session.classroom_id, "session_pk": session.pk})


def clock_key(html: str) -> str:
    """The hidden answer to "which times were you shown", as the page gives it back."""
    return parse(html).find("input", name="clock_key").attrs["value"]


def clock_change_notes(html: str) -> list[str]:
    fieldset = parse(html).find("fieldset", id="clock-change")
    return [li.text for li in fieldset.find_all("li")]


def year(**changes) -> dict:
    return {
        "repeat": "weekday", "ordinal": "2", "weekday": "6", "day": "", "at": "10:00",
        "first_month": "2026-10", "last_month": "2027-06", "skipped_dates": "",
        "duration_minutes": "45", "format": "lessons", "pre_visit_days": "7", "post_visit_days": "7", **changes,
    }


def starts(classroom) -> list[datetime]:
    return list(Session.objects.filter(classroom=classroom).order_by("starts_at").values_list("starts_at", flat=True))


# --- The feed ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", sorted(REPEATED))
@pytest.mark.parametrize("which", [0, 1], ids=["first", "second"])
def test_a_session_in_the_repeated_hour_keeps_the_feed_up(client, zone, which):
    """Before: the end (on the second pass of the hour) compared earlier than the start, and the feed answered 500."""
    classroom = ClassroomFactory(school__time_zone=zone)
    starts_at = REPEATED[zone][which]
    session = SessionFactory(classroom=classroom, starts_at=starts_at, duration_minutes=45)
    other = SessionFactory(classroom=classroom, starts_at=starts_at + timedelta(days=7))
    cal = read_feed(client, turn_on_feed(client, classroom.teachers.get(), classroom))
    events = events_by_pk(cal)
    assert set(events) == {session.pk, other.pk}
    event = events[session.pk]
    start, end = utc(event.decoded("DTSTART")), utc(event.decoded("DTEND"))
    assert (start, end) == (starts_at, starts_at + timedelta(minutes=45))
    # Its end (or its start) is on the second pass, which a reader would take for the first: both are in UTC.
    assert "TZID" not in event["DTSTART"].params and "TZID" not in event["DTEND"].params
    assert events[other.pk]["DTSTART"].params["TZID"] == zone  # an ordinary week later, on the school's clock


def test_a_reschedule_into_the_repeated_hour_keeps_a_healthy_feed(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 14, 0, tzinfo=UTC))
    feed = turn_on_feed(client, teacher, classroom)
    assert read_feed(client, feed)
    client.force_login(teacher)
    asked = client.post(reschedule_url(session), {"date": "2026-11-01", "time": "01:30"})
    assert asked.status_code == 200
    moved = client.post(
        reschedule_url(session), {"date": "2026-11-01", "time": "01:30", "clock_key": clock_key(asked.text), "repeated": "second"}
    )
    assert moved.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # the second 01:30, on winter time
    client.logout()
    event = events_by_pk(read_feed(client, feed))[session.pk]
    assert utc(event.decoded("DTSTART")) == session.starts_at
    assert utc(event.decoded("DTEND")) - session.starts_at == timedelta(minutes=session.duration_minutes)


def test_one_session_that_cannot_be_written_does_not_take_the_feed_down(client, classroom, teacher, caplog):
    """A session typed for the year 9999 has no end a datetime can hold: it is written as its start, and logged."""
    broken = SessionFactory(classroom=classroom, starts_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC))
    fine = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 13, 14, 0, tzinfo=UTC))
    with caplog.at_level(logging.ERROR, logger="classrooms.program.ics"):
        cal = read_feed(client, turn_on_feed(client, teacher, classroom))
    events = events_by_pk(cal)
    assert set(events) == {broken.pk, fine.pk}
    assert events[broken.pk].decoded("DTSTART") == broken.starts_at and "DTEND" not in events[broken.pk]
    assert utc(events[fine.pk].decoded("DTEND")) - fine.starts_at == timedelta(minutes=45)
    assert [r.getMessage() for r in caplog.records] == [
        f"Calendar feed of classroom {classroom.pk}: session {broken.pk} written as its start alone"
    ]
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]


def zoneinfo_transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, timedelta]]:
    """(instant in UTC, offset after) of every change of ``zone``'s offset, by a plain walk in 15-minute steps."""
    found, moment = [], start
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        moment += timedelta(minutes=15)
        now = moment.astimezone(zone).utcoffset()
        if now != offset:
            found.append((moment.replace(tzinfo=None), now))
            offset = now
    return found


@pytest.mark.parametrize(
    "zone", ["America/New_York", "Europe/Madrid", "Australia/Sydney", "Australia/Lord_Howe", "America/Phoenix",
             "America/Santiago", "Europe/Dublin"],
)
def test_the_vtimezone_changes_when_zoneinfo_does_every_year_the_feed_covers(client, zone):
    """Decoded by icalendar's own reading of its STANDARD and DAYLIGHT parts, the VTIMEZONE changes the offset
    exactly when zoneinfo does, in every year that has a session (2030, with none, is not covered).
    icalendar's own generator put the spring onsets an hour late."""
    tz = ZoneInfo(zone)
    classroom = ClassroomFactory(school__time_zone=zone)
    for day in (date(2026, 10, 6), date(2027, 2, 2), date(2027, 12, 7), date(2028, 3, 7), date(2031, 6, 3)):
        SessionFactory(classroom=classroom, starts_at=datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC))
    cal = read_feed(client, turn_on_feed(client, classroom.teachers.get(), classroom))
    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == zone
    times, infos = vtimezone.get_transitions()  # UTC instants, and the offset from each on
    decoded_changes = []
    for year in (2026, 2027, 2028, 2031):
        begin, end = datetime(year, 1, 1, tzinfo=tz).astimezone(UTC), datetime(year + 1, 1, 1, tzinfo=tz).astimezone(UTC)
        assert times[0] <= begin.replace(tzinfo=None)  # the year is covered from its first minute

        def decoded_offset(moment):
            index = bisect.bisect_right(times, moment.replace(tzinfo=None)) - 1
            return infos[index][0]

        assert decoded_offset(begin) == begin.astimezone(tz).utcoffset()
        offset = decoded_offset(begin)
        for at, (offset_to, _dst, _name) in zip(times, infos, strict=True):
            if begin < at.replace(tzinfo=UTC) <= end and offset_to != offset:
                decoded_changes.append((at, offset_to))
                offset = offset_to
        expected = zoneinfo_transitions(tz, begin, end)
        assert [c for c in decoded_changes if begin < c[0].replace(tzinfo=UTC) <= end] == expected, year
        assert len(expected) == (0 if zone == "America/Phoenix" else 2)


# Sessions on both switches of two years: (local wall time, fold, minutes, what the list says of it).
SWITCH_SESSIONS = {
    "America/New_York": [
        ((2026, 3, 8, 1, 30), 0, 45, "during"), ((2026, 3, 8, 3, 30), 0, 45, "forward"),
        ((2026, 3, 8, 0, 30), 0, 60, None),
        ((2026, 11, 1, 1, 30), 0, 45, "first"), ((2026, 11, 1, 1, 30), 1, 45, "second"),
        ((2026, 11, 1, 0, 45), 0, 120, "during"),
        ((2027, 3, 14, 3, 30), 0, 45, "forward"), ((2027, 3, 14, 10, 0), 0, 45, None),
        ((2027, 11, 7, 1, 0), 0, 60, "first"), ((2027, 11, 7, 1, 0), 1, 60, "second"),
    ],
    "Europe/Madrid": [
        ((2026, 3, 29, 1, 30), 0, 45, "during"), ((2026, 3, 29, 3, 30), 0, 45, "forward"),
        ((2026, 10, 25, 2, 30), 0, 45, "first"), ((2026, 10, 25, 2, 30), 1, 45, "second"),
        ((2026, 10, 25, 1, 45), 0, 90, "during"),
        ((2027, 3, 28, 3, 0), 0, 45, "forward"), ((2027, 3, 28, 1, 30), 0, 60, "during"),
        ((2027, 10, 31, 2, 0), 0, 30, "first"), ((2027, 10, 31, 2, 0), 1, 30, "second"),
        ((2027, 10, 31, 11, 0), 0, 45, None),
    ],
}


def make_switch_sessions(classroom, zone) -> dict[int, tuple]:
    tz, made = ZoneInfo(zone), {}
    for wall, fold, minutes, mark in SWITCH_SESSIONS[zone]:
        starts_at = datetime(*wall, tzinfo=tz, fold=fold).astimezone(UTC)
        made[SessionFactory(classroom=classroom, starts_at=starts_at, duration_minutes=minutes).pk] = (starts_at, minutes, mark)
    assert len({s for s, _m, _k in made.values()}) == len(made)  # each a different instant
    return made


def list_rows(client, classroom) -> dict[int, object]:
    page = parse(client.get(reverse("classrooms:sessions", kwargs={"pk": classroom.pk})).text)
    return {int(row.attrs["id"].removeprefix("session-")): row for row in page.find_all("li", class_="session")}


@pytest.mark.parametrize("zone", sorted(SWITCH_SESSIONS))
def test_the_feed_across_both_switches_of_two_years_matches_the_sessions_list(client, zone):
    """Parsed with icalendar and expanded with recurring-ical-events, the feed has the very sessions the
    list shows: the same instants (the list's <time datetime>, with its offset), the same lengths."""
    classroom = ClassroomFactory(school__time_zone=zone)
    teacher = classroom.teachers.get()
    made = make_switch_sessions(classroom, zone)
    cal = read_feed(client, turn_on_feed(client, teacher, classroom))
    expanded = recurring_ical_events.of(cal).between(date(2026, 1, 1), date(2028, 1, 1))
    feed = {
        int(str(e["UID"]).removeprefix("session-").removesuffix("@heard")): (utc(e["DTSTART"].dt), utc(e["DTEND"].dt) - utc(e["DTSTART"].dt))
        for e in expanded
    }
    assert feed == {pk: (s, timedelta(minutes=m)) for pk, (s, m, _k) in made.items()}
    client.force_login(teacher)
    rows = list_rows(client, classroom)
    listed = {pk: utc(datetime.fromisoformat(row.find("time").attrs["datetime"])) for pk, row in rows.items()}
    assert listed == {pk: start for pk, (start, _length) in feed.items()}
    for pk, row in rows.items():
        assert f"{feed[pk][1] // timedelta(minutes=1)} min" in row.find("div", class_="session__when").text


@pytest.mark.parametrize("zone", sorted(SWITCH_SESSIONS))
def test_the_list_marks_the_sessions_the_clock_change_touches(client, zone):
    tz = ZoneInfo(zone)
    classroom = ClassroomFactory(school__time_zone=zone)
    made = make_switch_sessions(classroom, zone)
    client.force_login(classroom.teachers.get())
    rows = list_rows(client, classroom)
    expected = {
        "first": "this session is at the first", "second": "this session is at the second",
        "forward": "The clocks go forward at", "during": "The clocks change during this session",
    }
    for pk, row in rows.items():
        starts_at, _minutes, mark = made[pk]
        notes = [p.text for p in row.find_all("p", class_="session__clock-note")]
        if mark is None:
            assert not notes and "Clock change day" not in row.text, row.text
            continue
        assert "Clock change day" in row.find("div", class_="session__when").text
        [note] = notes
        assert expected[mark] in note
        if mark in ("first", "second"):
            assert f"({starts_at.astimezone(tz).tzname()})." in note


# --- The program-year form ---------------------------------------------------------------------------------


def test_the_program_year_form_says_a_time_does_not_exist_before_saving(client, classroom, teacher, september):
    """Second Sunday at 02:30: on 14 March 2027 New York's clocks jump from 02:00 to 03:00."""
    client.force_login(teacher)
    typed = year(at="02:30")
    asked = client.post(program_year_url(classroom), typed)
    assert asked.status_code == 200
    assert not ProgramYear.objects.filter(classroom=classroom).exists() and not starts(classroom)
    assert clock_change_notes(asked.text) == [
        "02:30 does not exist on Sun 14 Mar 2027 (clocks go forward); the session will be at 03:30."
    ]
    assert "The clocks change at this time" in asked.text  # one date: the summary above the form, in the singular
    html = parse(asked.text)
    assert html.find("input", name="at").attrs["value"] == "02:30"  # nothing typed is lost
    assert html.find("option", value="2").attrs.get("selected") is not None  # the second (Sunday)
    box = html.find("input", name="skipped_ok", type="checkbox")
    [label] = [label for label in html.find_all("label") if label.attrs.get("for") == box.attrs["id"]]
    assert label.text == "Yes, hold this session at the later time shown above."
    assert not list(html.find_all("input", name="repeated"))
    # Confirmation that names these dates is needed, and enough.
    unticked = client.post(program_year_url(classroom), {**typed, "clock_key": clock_key(asked.text)})
    assert unticked.status_code == 200 and "Tick this box to accept the later time" in unticked.text
    saved = client.post(program_year_url(classroom), {**typed, "clock_key": clock_key(asked.text), "skipped_ok": "on"})
    assert saved.status_code == 302
    assert datetime(2027, 3, 14, 7, 30, tzinfo=UTC) in starts(classroom)  # 03:30 EDT
    assert datetime(2026, 10, 11, 6, 30, tzinfo=UTC) in starts(classroom)  # 02:30 EDT on an ordinary day
    listing = client.get(reverse("classrooms:sessions", kwargs={"pk": classroom.pk})).text
    assert listing.count("Clock change day") == 1
    assert "The clocks go forward at 02:00 this day, straight to 03:00: this session is at 03:30 (EDT)." in listing


def test_a_confirmation_for_other_times_is_asked_again(client, classroom, teacher, september):
    client.force_login(teacher)
    asked = client.post(program_year_url(classroom), year(at="02:30"))
    # The teacher ticks the box but also changes the time: 02:15 is skipped too, but was not the time shown.
    again = client.post(program_year_url(classroom), {**year(at="02:15"), "clock_key": clock_key(asked.text), "skipped_ok": "on"})
    assert again.status_code == 200 and not starts(classroom)
    assert clock_change_notes(again.text) == [
        "02:15 does not exist on Sun 14 Mar 2027 (clocks go forward); the session will be at 03:15."
    ]


def test_the_program_year_form_asks_which_of_a_repeated_time_and_remembers(client, classroom, teacher, september):
    """First Sunday at 01:30: on 1 November 2026 New York's 01:30 comes twice."""
    client.force_login(teacher)
    typed = year(ordinal="1", at="01:30")
    asked = client.post(program_year_url(classroom), typed)
    assert asked.status_code == 200 and not starts(classroom)
    assert clock_change_notes(asked.text) == [
        "01:30 happens twice on Sun 1 Nov 2026 (clocks go back): first on EDT, then again on EST."
    ]
    html = parse(asked.text)
    labels = [label.text for label in html.find("fieldset", id="clock-change").find_all("label")]
    assert "Which 01:30?" in html.find("fieldset", id="clock-change").text
    assert "The first 01:30 (EDT, before the clocks go back)" in labels
    assert "The second 01:30 (EST, after the clocks go back)" in labels
    key = clock_key(asked.text)
    unanswered = client.post(program_year_url(classroom), {**typed, "clock_key": key})
    assert unanswered.status_code == 200 and "Choose the first or the second, or choose another time." in unanswered.text
    assert client.post(program_year_url(classroom), {**typed, "clock_key": key, "repeated": "second"}).status_code == 302
    assert datetime(2026, 11, 1, 6, 30, tzinfo=UTC) in starts(classroom)
    assert datetime(2026, 11, 1, 5, 30, tzinfo=UTC) not in starts(classroom)
    assert ProgramYear.objects.get(classroom=classroom).fold == 1
    # Editing the year shows the answer given; saving it unchanged asks nothing and moves nothing.
    edit = parse(client.get(program_year_url(classroom)).text)
    assert edit.find("input", name="repeated", value="second").attrs.get("checked") is not None
    again = {**typed, "clock_key": edit.find("input", name="clock_key").attrs["value"], "repeated": "second"}
    assert client.post(program_year_url(classroom), again).status_code == 302
    assert datetime(2026, 11, 1, 6, 30, tzinfo=UTC) in starts(classroom)
    listing = client.get(reverse("classrooms:sessions", kwargs={"pk": classroom.pk})).text
    assert "this session is at the second 01:30 (EST)." in listing


def test_the_program_year_form_lists_every_affected_date_of_the_year(client, teacher, september):
    """Madrid, last Sunday at 02:30 from October 2026 to October 2027: twice repeated, once skipped."""
    classroom = ClassroomFactory(school__time_zone="Europe/Madrid")
    client.force_login(classroom.teachers.get())
    typed = year(ordinal="-1", at="02:30", last_month="2027-10")
    asked = client.post(program_year_url(classroom), typed)
    assert clock_change_notes(asked.text) == [
        "02:30 happens twice on Sun 25 Oct 2026 (clocks go back): first on CEST, then again on CET.",
        "02:30 does not exist on Sun 28 Mar 2027 (clocks go forward); the session will be at 03:30.",
        "02:30 happens twice on Sun 31 Oct 2027 (clocks go back): first on CEST, then again on CET.",
    ]
    assert "The clocks change at some of these times" in asked.text
    answer = {"clock_key": clock_key(asked.text), "skipped_ok": "on", "repeated": "first"}
    assert client.post(program_year_url(classroom), {**typed, **answer}).status_code == 302
    saved = starts(classroom)
    assert datetime(2026, 10, 25, 0, 30, tzinfo=UTC) in saved  # the first 02:30, CEST
    assert datetime(2027, 3, 28, 1, 30, tzinfo=UTC) in saved  # 03:30 CEST
    assert datetime(2027, 10, 31, 0, 30, tzinfo=UTC) in saved


def test_a_visits_year_asks_about_the_lessons_around_a_visit_too(client, classroom, teacher, september):
    """A visit on the second Sunday of November at 01:30; its pre-visit lesson a week before is on the 1st."""
    client.force_login(teacher)
    typed = year(at="01:30", format="visits", first_month="2026-11", last_month="2026-11")
    asked = client.post(program_year_url(classroom), typed)
    assert clock_change_notes(asked.text) == [
        "01:30 happens twice on Sun 1 Nov 2026 (clocks go back): first on EDT, then again on EST."
    ]
    answer = {"clock_key": clock_key(asked.text), "repeated": "second"}
    assert client.post(program_year_url(classroom), {**typed, **answer}).status_code == 302
    pre = Session.objects.get(classroom=classroom, kind=Session.Kind.PRE_VISIT)
    assert pre.starts_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_the_explanation_is_in_the_teachers_language(client, classroom, teacher, september):
    client.force_login(teacher)
    asked = client.post(program_year_url(classroom), year(at="02:30"), headers={"accept-language": "es"})
    assert clock_change_notes(asked.text) == [
        "Las 02:30 no existen el dom 14 mar 2027 (los relojes se adelantan); la sesión será a las 03:30."
    ]


# --- The reschedule form -----------------------------------------------------------------------------------


@pytest.fixture
def session(classroom):
    return SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 14, 0, tzinfo=UTC))


def test_rescheduling_to_a_time_that_does_not_exist_is_confirmed_first(client, classroom, teacher, session, september):
    client.force_login(teacher)
    typed = {"date": "2027-03-14", "time": "02:30"}
    asked = client.post(reschedule_url(session), typed)
    assert asked.status_code == 200
    assert clock_change_notes(asked.text) == [
        "02:30 does not exist on Sun 14 Mar 2027 (clocks go forward); the session will be at 03:30."
    ]
    assert 'value="2027-03-14"' in asked.text and 'value="02:30"' in asked.text
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 10, 6, 14, 0, tzinfo=UTC)
    moved = client.post(reschedule_url(session), {**typed, "clock_key": clock_key(asked.text), "skipped_ok": "on"}, follow=True)
    session.refresh_from_db()
    assert session.starts_at == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)
    assert "Clock change day" in moved.text


def test_rescheduling_into_the_repeated_hour_asks_which(client, classroom, teacher, session, september):
    client.force_login(teacher)
    typed = {"date": "2026-11-01", "time": "01:30"}
    asked = client.post(reschedule_url(session), typed)
    assert clock_change_notes(asked.text) == [
        "01:30 happens twice on Sun 1 Nov 2026 (clocks go back): first on EDT, then again on EST."
    ]
    refused = client.post(reschedule_url(session), {**typed, "clock_key": clock_key(asked.text)})
    assert refused.status_code == 200 and "Choose the first or the second, or choose another time." in refused.text
    assert client.post(reschedule_url(session), {**typed, "clock_key": clock_key(asked.text), "repeated": "first"}).status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    # The form opened again starts from the session's time and the answer given: sending it moves nothing.
    page = parse(client.get(reschedule_url(session)).text)
    assert page.find("input", name="repeated", value="first").attrs.get("checked") is not None
    assert page.find("input", name="time").attrs["value"] == "01:30"


def test_an_ordinary_time_is_rescheduled_without_a_question(client, classroom, teacher, session, september):
    client.force_login(teacher)
    response = client.post(reschedule_url(session), {"date": "2026-11-01", "time": "10:00"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 11, 1, 15, 0, tzinfo=UTC)  # 10:00 EST
