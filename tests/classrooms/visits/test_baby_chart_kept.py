"""The baby chart kept for its classroom (classrooms.visits.views.baby_chart's first layer): a look costs the session,
the user and the classroom's scope, never the measurements; the scope is checked on every look, kept or not; a write
by anyone of the school (or a task) draws it again, another school's leaves it alone; each language has its own; a
failing cache costs the reading, never the chart."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts import data_versions
from classrooms.models import BabyObservation, Session, Theme
from classrooms.visits import charts
from tests.classrooms.visits.test_baby_chart import texts
from tests.factories import (
    ClassroomFactory,
    SchoolAdminFactory,
    SchoolFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
    VisitingFamilyFactory,
)

# The marks are set once a request's transaction commits: the tests run in autocommit, as the site does.
pytestmark = pytest.mark.django_db(transaction=True)
# The session, the user (with the school) and the classroom in the user's scope.
KEPT_QUERIES = 3


@pytest.fixture(autouse=True)
def _kept(settings, time_machine):
    settings.PAGE_CACHE = True
    settings.NOTIFICATIONS_UNREAD_CACHE = True
    time_machine.move_to(datetime(2027, 1, 20, 18, 0, tzinfo=UTC), tick=False)


def sign_in(client, user):
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(CSRF_SECRET_LENGTH)
    return client


def measured_classroom(visits: int, *, school=None):
    """A classroom whose baby was weighed at ``visits`` past visits (written as from a shell: no mark)."""
    classroom = ClassroomFactory(**({"school": school} if school else {}))
    family = VisitingFamilyFactory(classroom=classroom, baby_name="Ada", baby_born_on=date(2026, 2, 1))
    start = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
    for number in range(1, visits + 1):
        theme = Theme.objects.create(classroom=classroom, number=number, family=family)
        visit = Session.objects.create(classroom=classroom, theme=theme, kind=Session.Kind.FAMILY_VISIT,
                                       starts_at=start + timedelta(days=28 * (number - 1)))  # fmt: skip
        BabyObservation.objects.create(session=visit, weight_kg=f"{4 + number / 10:.2f}", length_cm="60")
    return classroom


def chart(client, classroom, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("classrooms:baby_chart", args=[classroom.pk]), headers=headers)
    return response, len(captured)


def later(time_machine, seconds: float = 2) -> None:
    time_machine.shift(seconds)


@pytest.mark.parametrize("visits", [2, 9])
def test_a_kept_chart_costs_the_session_the_user_and_the_scope_whatever_the_visits(client, visits):
    classroom = measured_classroom(visits)
    sign_in(client, classroom.teachers.get())
    with mock.patch.object(charts, "growth_svg", wraps=charts.growth_svg) as drawn:
        first, _ = chart(client, classroom)
        again, count = chart(client, classroom)
        assert drawn.call_count == 1
    assert first.status_code == again.status_code == 200
    assert count == KEPT_QUERIES
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "image/svg+xml" and "private" in again["Cache-Control"]
    assert "default-src 'none'" in again["Content-Security-Policy"]
    # Another browser of someone else who may see it is served the same kept chart, after its own scope check.
    admin = sign_in(type(client)(), SchoolAdminFactory(school=classroom.school))
    response, count = chart(admin, classroom)
    assert response.content == first.content and count == KEPT_QUERIES
    # A browser that has it is told so.
    response, count = chart(client, classroom, if_none_match=first["ETag"])
    assert response.status_code == 304 and count == KEPT_QUERIES


def test_the_scope_is_checked_on_every_look_at_a_kept_chart(client):
    classroom = measured_classroom(3)
    enrolled = StudentFactory(school=classroom.school)
    classroom.enrollments.create(student=enrolled)
    sign_in(client, classroom.teachers.get())
    assert chart(client, classroom)[0].status_code == 200  # kept from here on
    elsewhere = SchoolFactory(district=classroom.school.district)
    for user, expected in [
        (enrolled, 200),
        (StudentFactory(school=classroom.school), 404),  # not in this classroom
        (TeacherFactory(school=classroom.school), 404),  # a colleague's classroom
        (TeacherFactory(school=elsewhere), 404),  # another school of the district
        (SchoolAdminFactory(school=elsewhere), 404),
    ]:
        with CaptureQueriesContext(connection) as captured:
            response, count = chart(sign_in(type(client)(), user), classroom)
        assert response.status_code == expected, user.role
        # Neither the kept chart nor the measurements for those who may not see it (the 404 page counts the bell).
        assert not any("classrooms_babyobservation" in q["sql"] for q in captured), user.role
        if expected == 200:
            assert count == KEPT_QUERIES and "Ada" in " ".join(texts(response.content))
        else:
            assert b"<svg" not in response.content
    client.logout()
    assert chart(client, classroom)[0].status_code == 302  # to the sign-in page


def test_a_measurement_recorded_through_heard_shows_on_the_next_look(client, time_machine):
    classroom = measured_classroom(2)
    teacher = classroom.teachers.get()
    sign_in(client, teacher)
    first, _ = chart(client, classroom)
    assert "7.25" not in texts(first.content)
    later(time_machine)
    visit = Session.objects.create(classroom=classroom, kind=Session.Kind.FAMILY_VISIT,
                                   theme=Theme.objects.create(classroom=classroom, number=3,
                                                              family=classroom.families.get()),
                                   starts_at=timezone.now() - timedelta(days=1))  # fmt: skip
    url = reverse("classrooms:observation", args=[classroom.pk, visit.pk])
    form = {"weight_kg": "7.25", "length_cm": "", "milestones": "", "feelings_note": ""}
    assert client.post(url, form).status_code == 302
    changed, count = chart(client, classroom, if_none_match=first["ETag"])
    assert changed.status_code == 200 and count > KEPT_QUERIES
    assert "7.25" in texts(changed.content)
    later(time_machine)  # past the clock margin of the write: the next drawing is kept again
    chart(client, classroom)
    assert chart(client, classroom)[1] == KEPT_QUERIES


def test_another_schools_write_leaves_the_kept_chart_alone(client, time_machine):
    classroom = measured_classroom(2)
    sign_in(client, classroom.teachers.get())
    chart(client, classroom)
    later(time_machine)
    other = measured_classroom(1, school=SchoolFactory(district=classroom.school.district))
    other_teacher = sign_in(type(client)(), other.teachers.get())
    session = SessionFactory(classroom=other, starts_at=timezone.now() + timedelta(days=2))
    cancel = reverse("classrooms:session_cancel", args=[other.pk, session.pk])
    assert other_teacher.post(cancel, {"note": "Snow day"}).status_code == 302
    assert chart(client, classroom)[1] == KEPT_QUERIES


def test_a_write_no_request_sees_shows_within_the_ttl(client, time_machine):
    classroom = measured_classroom(2)
    sign_in(client, classroom.teachers.get())
    chart(client, classroom)
    BabyObservation.objects.filter(session__classroom=classroom).update(weight_kg="9.10")  # as from a shell
    assert "9.1" not in texts(chart(client, classroom)[0].content)
    time_machine.shift(data_versions.FRAGMENT_TTL + 1)
    assert "9.1" in texts(chart(client, classroom)[0].content)


def test_each_language_has_its_own_kept_chart(client):
    classroom = measured_classroom(2)
    sign_in(client, classroom.teachers.get())
    assert "Weight (kg)" in texts(chart(client, classroom)[0].content)
    spanish, _ = chart(client, classroom, accept_language="es")
    assert "Peso (kg)" in texts(spanish.content)
    assert "Weight (kg)" in texts(chart(client, classroom)[0].content)


def test_a_failing_cache_costs_the_reading_never_the_chart(client):
    classroom = measured_classroom(2)
    sign_in(client, classroom.teachers.get())
    first, _ = chart(client, classroom)
    with (
        mock.patch.object(cache, "get_many", side_effect=ConnectionError("redis down")),
        mock.patch.object(cache, "get", side_effect=ConnectionError("redis down")),
        mock.patch.object(cache, "set", side_effect=ConnectionError("redis down")),
    ):
        response, count = chart(client, classroom)
    assert response.status_code == 200 and response.content == first.content
    assert count == KEPT_QUERIES + 1  # and the measurements
