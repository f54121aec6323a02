"""The classroom calendar feed: what a subscribed calendar app reads, and who may turn the link on or off."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classrooms.models import Classroom, Session
from classrooms.program.services import session_reschedule
from tests.factories import (
    ClassroomFactory,
    DistrictAdminFactory,
    SchoolAdminFactory,
    SchoolFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
    ThemeFactory,
    VisitingFamilyFactory,
)

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
# 2026: DST starts in Chicago on Sunday 8 March, so 10:00 local is 16:00 UTC before and 15:00 UTC after.
BEFORE_DST = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
AFTER_DST = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def teacher():
    return TeacherFactory(school=SchoolFactory(time_zone="America/Chicago"))


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(school=teacher.school, teachers=[teacher], name="Room 4")


def link(client, classroom, action):
    return client.post(reverse("classrooms:calendar_link", kwargs={"pk": classroom.pk}), {"action": action})


def feed_url(token):
    return reverse("classrooms:calendar_feed", kwargs={"token": token})


def turn_on(client, teacher, classroom) -> str:
    client.force_login(teacher)
    assert link(client, classroom, "on").status_code == 302
    client.logout()
    classroom.refresh_from_db()
    assert classroom.calendar_token
    return classroom.calendar_token


def read_feed(client, token) -> icalendar.Calendar:
    response = client.get(feed_url(token))
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(cal) -> dict:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_feed_needs_no_sign_in_and_says_what_it_is(client, teacher, classroom):
    """A calendar app cannot sign in: the token alone opens the feed, which no cache or search engine keeps."""
    token = turn_on(client, teacher, classroom)
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"] and "max-age=900" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    cal = icalendar.Calendar.from_ical(response.content)
    assert "Room 4" in str(cal["X-WR-CALNAME"])
    assert cal["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content
    assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"
    assert client.head(feed_url(token)).status_code == 200


def test_tokens_are_long_and_random(client, teacher, classroom):
    first = turn_on(client, teacher, classroom)
    client.force_login(teacher)
    link(client, classroom, "new")
    classroom.refresh_from_db()
    assert len(first) >= 43 and len(classroom.calendar_token) >= 43
    assert classroom.calendar_token != first


def test_sessions_are_in_the_schools_time_zone_across_a_dst_change(client, teacher, classroom):
    """10:00 in Chicago stays 10:00 on both sides of the March clock change, with a TZID and its VTIMEZONE."""
    before = SessionFactory(classroom=classroom, starts_at=BEFORE_DST, duration_minutes=45)
    after = SessionFactory(classroom=classroom, starts_at=AFTER_DST, duration_minutes=60)
    cal = read_feed(client, turn_on(client, teacher, classroom))
    events = events_by_uid(cal)
    assert set(events) == {f"session-{before.pk}@heard", f"session-{after.pk}@heard"}
    for session, minutes in ((before, 45), (after, 60)):
        event = events[f"session-{session.pk}@heard"]
        assert event["DTSTART"].params["TZID"] == "America/Chicago"
        start = event.decoded("DTSTART")
        assert start == session.starts_at  # the same instant
        assert start.astimezone(CHICAGO).hour == 10 and start.astimezone(CHICAGO).minute == 0
        assert start.utcoffset() == start.astimezone(CHICAGO).utcoffset()  # written as local time, not UTC
        assert event.decoded("DTEND") - start == timedelta(minutes=minutes)
        assert event.decoded("DTSTAMP").tzinfo is not None
    assert events[f"session-{before.pk}@heard"].decoded("DTSTART").utcoffset() == timedelta(hours=-6)
    assert events[f"session-{after.pk}@heard"].decoded("DTSTART").utcoffset() == timedelta(hours=-5)
    timezones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert timezones == ["America/Chicago"]
    assert not cal.get_missing_tzids()


def test_summaries_name_the_classroom_and_the_kind_of_session(client, teacher, classroom):
    SessionFactory(classroom=classroom, starts_at=BEFORE_DST)
    SessionFactory(classroom=classroom, starts_at=BEFORE_DST + timedelta(days=1), title="Naming feelings")
    SessionFactory(classroom=classroom, starts_at=BEFORE_DST + timedelta(days=2), kind=Session.Kind.PRE_VISIT)
    SessionFactory(classroom=classroom, starts_at=BEFORE_DST + timedelta(days=3), kind=Session.Kind.FAMILY_VISIT)
    cal = read_feed(client, turn_on(client, teacher, classroom))
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert summaries == sorted(
        ["Room 4 · Heard lesson", "Room 4 · Naming feelings", "Room 4 · Pre-visit lesson", "Room 4 · Family visit"]
    )


def test_cancelled_sessions_stay_marked_cancelled_and_free(client, teacher, classroom):
    """Google drops a cancelled event, Apple strikes it through; Outlook ignores the status, so the title says it too."""
    held = SessionFactory(classroom=classroom, starts_at=BEFORE_DST, status=Session.Status.HELD)
    cancelled = SessionFactory(classroom=classroom, starts_at=AFTER_DST, status=Session.Status.CANCELLED)
    planned = SessionFactory(classroom=classroom, starts_at=AFTER_DST + timedelta(days=7))
    events = events_by_uid(read_feed(client, turn_on(client, teacher, classroom)))
    assert len(events) == 3
    gone = events[f"session-{cancelled.pk}@heard"]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert str(gone["TRANSP"]) == "TRANSPARENT"
    assert str(gone["SUMMARY"]).startswith("Cancelled: Room 4")
    for kept in (held, planned):
        event = events[f"session-{kept.pk}@heard"]
        assert str(event["STATUS"]) == "CONFIRMED"
        assert "TRANSP" not in event


def test_a_rescheduled_session_keeps_its_uid_so_calendars_move_it(client, teacher, classroom, time_machine):
    time_machine.move_to(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False)
    session = SessionFactory(classroom=classroom, starts_at=BEFORE_DST)
    token = turn_on(client, teacher, classroom)
    uid = f"session-{session.pk}@heard"
    assert events_by_uid(read_feed(client, token))[uid].decoded("DTSTART") == BEFORE_DST
    session_reschedule(session=session, starts_at=AFTER_DST, by=teacher)
    events = events_by_uid(read_feed(client, token))
    assert list(events) == [uid]
    assert events[uid].decoded("DTSTART") == AFTER_DST
    assert events[uid].decoded("DTSTART").astimezone(CHICAGO).hour == 10


def test_the_feed_carries_no_private_data(client, teacher, classroom):
    """A calendar URL leaks easily: no notes, no student names, no family name or e-mail."""
    student = StudentFactory(school=classroom.school, first_name="Zebediah", last_name="Quillfeather")
    classroom.enrollments.create(student=student)
    family = VisitingFamilyFactory(classroom=classroom, name="Okonkwo-Lindqvist", contact_email="okl@home.example", baby_name="Tuli")
    theme = ThemeFactory(classroom=classroom, family=family, title="")
    SessionFactory(classroom=classroom, starts_at=BEFORE_DST, kind=Session.Kind.FAMILY_VISIT, theme=theme,
                   status=Session.Status.HELD, note="Zebediah cried; call home about the baby's rash")
    SessionFactory(classroom=classroom, starts_at=AFTER_DST, status=Session.Status.CANCELLED, note="Snow day, secret reason")
    token = turn_on(client, teacher, classroom)
    text = client.get(feed_url(token)).content.decode()
    for private in ("Zebediah", "Quillfeather", "Okonkwo", "okl@home.example", "Tuli", "rash", "secret reason"):
        assert private not in text
    assert "DESCRIPTION" not in text and "ATTENDEE" not in text and "ORGANIZER" not in text
    assert "Family visit" in text


def test_a_wrong_token_is_a_404(client, teacher, classroom):
    turn_on(client, teacher, classroom)
    assert client.get(feed_url("x" * 43)).status_code == 404
    assert client.get(feed_url(classroom.calendar_token[:-1])).status_code == 404
    swapped = classroom.calendar_token.swapcase()  # the match is exact, case included
    assert swapped == classroom.calendar_token or client.get(feed_url(swapped)).status_code == 404


def test_a_classroom_without_a_link_has_no_feed(client, classroom):
    assert classroom.calendar_token is None
    assert client.get(feed_url("None")).status_code == 404


def test_a_new_link_stops_the_old_one_at_once(client, teacher, classroom):
    old = turn_on(client, teacher, classroom)
    client.force_login(teacher)
    assert link(client, classroom, "new").status_code == 302
    classroom.refresh_from_db()
    client.logout()
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(classroom.calendar_token)).status_code == 200


def test_turning_the_link_off_stops_the_feed(client, teacher, classroom):
    token = turn_on(client, teacher, classroom)
    client.force_login(teacher)
    response = link(client, classroom, "off")
    assert response.status_code == 302 and response["Location"].endswith("#calendar-heading")
    classroom.refresh_from_db()
    assert classroom.calendar_token is None
    client.logout()
    assert client.get(feed_url(token)).status_code == 404


def test_the_schools_admin_may_manage_the_link(client, classroom):
    client.force_login(SchoolAdminFactory(school=classroom.school))
    assert link(client, classroom, "on").status_code == 302
    classroom.refresh_from_db()
    assert classroom.calendar_token


@pytest.mark.parametrize("who", ["student", "other_teacher", "other_school_admin", "district_admin", "colleague"])
def test_only_the_classrooms_managers_can_change_the_link(client, classroom, who):
    student = StudentFactory(school=classroom.school)
    classroom.enrollments.create(student=student)
    user = {
        "student": lambda: student,
        "other_teacher": lambda: TeacherFactory(),
        "other_school_admin": lambda: SchoolAdminFactory(),
        "district_admin": lambda: DistrictAdminFactory(district=classroom.school.district),
        "colleague": lambda: TeacherFactory(school=classroom.school),  # same school, not this classroom's teacher
    }[who]()
    client.force_login(user)
    for action in ("on", "new", "off"):
        assert link(client, classroom, action).status_code == 404
    assert Classroom.objects.get(pk=classroom.pk).calendar_token is None


def test_the_link_cannot_be_changed_by_a_get_or_a_bad_action(client, teacher, classroom):
    client.force_login(teacher)
    url = reverse("classrooms:calendar_link", kwargs={"pk": classroom.pk})
    assert client.get(url).status_code == 405
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"action": "delete-everything"}).status_code == 400
    classroom.refresh_from_db()
    assert classroom.calendar_token is None


def test_the_classroom_page_offers_a_link_when_off(client, teacher, classroom):
    client.force_login(teacher)
    html = client.get(classroom.get_absolute_url()).content.decode()
    assert 'id="calendar-heading"' in html
    assert "Make a calendar link" in html
    assert "webcal://" not in html


def test_the_classroom_page_shows_the_address_when_on(client, teacher, classroom):
    token = turn_on(client, teacher, classroom)
    client.force_login(teacher)
    html = client.get(classroom.get_absolute_url()).content.decode()
    assert f'value="http://testserver/classrooms/calendar/{token}.ics"' in html
    assert "readonly" in html and 'for="calendar-url"' in html
    assert f'href="webcal://testserver/classrooms/calendar/{token}.ics"' in html
    assert "Make a new link (the old one stops working)" in html
    assert html.count("data-confirm=") >= 3  # new link, turn off (and the join code's own)


def test_students_never_see_the_calendar_card(client, teacher, classroom):
    token = turn_on(client, teacher, classroom)
    student = StudentFactory(school=classroom.school)
    classroom.enrollments.create(student=student)
    client.force_login(student)
    html = client.get(classroom.get_absolute_url()).content.decode()
    assert token not in html and "calendar-heading" not in html


def test_the_card_adds_no_queries_to_the_classroom_page(client, teacher, classroom):
    client.force_login(teacher)
    with CaptureQueriesContext(connection) as off:
        client.get(classroom.get_absolute_url())
    turn_on(client, teacher, classroom)
    client.force_login(teacher)
    with CaptureQueriesContext(connection) as on:
        client.get(classroom.get_absolute_url())
    assert len(on) == len(off)


def _feed_queries(client, teacher, n) -> int:
    classroom = ClassroomFactory(school=teacher.school, teachers=[teacher])
    themes = [ThemeFactory(classroom=classroom) for _ in range(2)]
    for i in range(n):
        SessionFactory(classroom=classroom, starts_at=BEFORE_DST + timedelta(days=7 * i), theme=themes[i % 2],
                       kind=Session.Kind.FAMILY_VISIT)
    token = turn_on(client, teacher, classroom)
    with CaptureQueriesContext(connection) as queries:
        assert len(read_feed(client, token).walk("VEVENT")) == n
    return len(queries)


def test_the_feed_costs_the_same_queries_for_2_or_20_sessions(client, teacher, django_assert_max_num_queries):
    small = _feed_queries(client, teacher, 2)
    large = _feed_queries(client, teacher, 20)
    assert small == large
    assert small <= 2  # the classroom with its school, then its sessions with their themes
    token = Classroom.objects.exclude(calendar_token=None).first().calendar_token
    with django_assert_max_num_queries(2):
        read_feed(client, token)
