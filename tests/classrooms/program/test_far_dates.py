"""Dates far ahead get a message, not an OverflowError (issue 10, point 8)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms.models import Session
from tests.factories import ClassroomFactory, SessionFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned():
    classroom = ClassroomFactory()
    return SessionFactory(classroom=classroom, starts_at=timezone.now() + timedelta(days=3))


def reschedule(client, session, day: str):
    client.force_login(session.classroom.teachers.get())
    url = reverse("classrooms:session_reschedule", kwargs={"pk": session.classroom_id, "session_pk": session.pk})
    return client.post(url, {"date": day, "time": "10:00"})


@pytest.mark.parametrize("day", ["9999-12-31", "9999-01-01", "2100-06-01"])
def test_rescheduling_to_a_far_year_is_refused_with_a_message(client, planned, day):
    before = planned.starts_at
    response = reschedule(client, planned, day)
    assert response.status_code == 200
    assert "Choose a date within the next 5 years." in parse(response.text).text
    assert f'value="{day}"' in response.text, "the date typed is kept"
    planned.refresh_from_db()
    assert planned.starts_at == before


def test_four_years_ahead_is_fine_six_is_not(client, planned):
    today = timezone.localdate()
    assert reschedule(client, planned, today.replace(year=today.year + 4).isoformat()).status_code == 302
    assert reschedule(client, planned, today.replace(year=today.year + 6).isoformat()).status_code == 200
    planned.refresh_from_db()
    assert planned.starts_at.year == today.year + 4 and planned.status == Session.Status.PLANNED


@pytest.mark.parametrize(("first", "last"), [("9999-11", "9999-12"), ("9998-12", "9999-12"), ("0001-01", "0001-02")])
def test_a_program_year_in_a_far_year_gets_a_message(client, first, last):
    classroom = ClassroomFactory()
    client.force_login(classroom.teachers.get())
    data = {
        "repeat": "weekday", "ordinal": 1, "weekday": 1, "at": "10:00", "first_month": first, "last_month": last,
        "skipped_dates": "", "duration_minutes": 45, "format": "lessons", "pre_visit_days": 7, "post_visit_days": 7,
    }
    response = client.post(reverse("classrooms:program_year", kwargs={"pk": classroom.pk}), data)
    assert response.status_code == 200
    assert not Session.objects.filter(classroom=classroom).exists()
