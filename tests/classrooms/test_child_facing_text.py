"""What a child reads about their class: the next time it meets, in words, not the year's tally or a
time-zone name; and no empty state promising what Heard does not do yet."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from classrooms.models import Session
from classrooms.program.recurrence import Recurrence
from classrooms.program.services import program_year_set
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    SchoolFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom():
    """A class in New York with a held session, a past one never marked and two to come."""
    school = SchoolFactory(time_zone="America/New_York")
    classroom = ClassroomFactory(school=school, students=[StudentFactory(school=school)])
    now = timezone.now()
    SessionFactory(classroom=classroom, starts_at=now - timedelta(days=30), status=Session.Status.HELD)
    SessionFactory(classroom=classroom, starts_at=now - timedelta(days=2))
    SessionFactory(classroom=classroom, starts_at=now + timedelta(days=40))
    SessionFactory(classroom=classroom, starts_at=now + timedelta(days=9))
    return classroom


def next_time(classroom, language="en") -> str:
    local = timezone.localtime(classroom.sessions.filter(starts_at__gt=timezone.now()).earliest("starts_at").starts_at, classroom.school.zone)
    with translation.override(language):
        weekday, month = dateformat.format(local, "l"), dateformat.format(local, "F")
    if language == "es":
        return f"La próxima vez: el {weekday} {local.day} de {month} a las {local:%H:%M}"
    return f"Next time: {weekday} {local.day} {month} at {local:%H:%M}"


@pytest.fixture
def monthly_class(time_machine):
    """Second Wednesdays at 10:00 in New York, October to June; today is Tuesday 1 December 2026."""
    time_machine.move_to("2026-12-01 12:00:00+00:00", tick=False)
    school = SchoolFactory(time_zone="America/New_York")
    classroom = ClassroomFactory(school=school, students=[StudentFactory(school=school)])
    rule = Recurrence(first_month=date(2026, 10, 1), last_month=date(2027, 6, 1), at=time(10, 0),
                      time_zone="America/New_York", ordinal=2, weekday=2)
    program_year_set(classroom=classroom, recurrence=rule, by=classroom.teachers.get())
    return classroom


def test_with_a_program_year_the_child_reads_the_next_date_in_words_in_english_and_spanish(client, monthly_class):
    client.force_login(monthly_class.enrollments.get().student)
    url = reverse("classrooms:sessions", args=[monthly_class.pk])
    text = main_text(client, url)
    assert "Next time: Wednesday 9 December at 10:00" in text
    assert "America/New_York" not in text and "9 sessions" not in text and "held" not in text
    assert "La próxima vez: el miércoles 9 de diciembre a las 10:00" in main_text(client, url, HTTP_ACCEPT_LANGUAGE="es")
    assert "Next time: Wednesday 9 December at 10:00" in main_text(client, monthly_class.get_absolute_url())
    client.force_login(monthly_class.teachers.get())
    assert "America/New_York" in main_text(client, url)  # the adults keep the zone and the tally


def main_text(client, url, **headers) -> str:
    return parse(client.get(url, **headers).text).find("main").text


def test_a_childs_sessions_page_says_when_the_class_meets_next_and_no_tally_or_zone_name(client, classroom):
    client.force_login(classroom.enrollments.get().student)
    text = main_text(client, reverse("classrooms:sessions", args=[classroom.pk]))
    assert next_time(classroom) in text
    assert "held ·" not in text and "sessions ·" not in text and "4 sessions" not in text
    assert "America/New_York" not in text and "time zone" not in text


def test_a_childs_classroom_page_says_it_too(client, classroom):
    client.force_login(classroom.enrollments.get().student)
    text = main_text(client, classroom.get_absolute_url())
    assert next_time(classroom) in text
    assert "will appear here" not in text  # no promise of activities that do not exist yet
    assert "Leave this classroom" in text


def test_in_spanish_the_child_reads_it_in_spanish(client, classroom):
    client.force_login(classroom.enrollments.get().student)
    text = main_text(client, reverse("classrooms:sessions", args=[classroom.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert next_time(classroom, "es") in text


def test_the_teacher_still_sees_the_tally(client, classroom):
    client.force_login(classroom.teachers.get())
    text = main_text(client, reverse("classrooms:sessions", args=[classroom.pk]))
    assert "4 sessions · 1 held" in text and "1 overdue" in text
    assert "Next time:" not in text


def test_empty_notifications_promise_only_what_heard_sends(client):
    for person in (StudentFactory(), TeacherFactory(), CounselorFactory()):
        client.force_login(person)
        for url in (reverse("notifications:list"), reverse("dashboard")):
            text = main_text(client, url).lower()
            # (help requests are sent now, and a counselor's home shows their queue: peer_counselors)
            assert "assignment" not in text and "survey" not in text, (person.role, url)
    client.force_login(StudentFactory())
    assert "Reminders" not in main_text(client, reverse("notifications:list"))  # nothing reminds a child yet
