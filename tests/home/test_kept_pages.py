"""An everyday page is kept in the cache (accounts.data_versions.kept_page), shown here with the home pages: a second
look costs the session and the user and nothing else, and the page is drawn again as soon as anyone of the school
writes through Heard to a table the page read (a request; any write of a task), the user's notifications change,
or after FRAGMENT_TTL for what no request shows (time passing, a write from a shell). Another school's writes leave it alone; a page with a message
is never kept; a failing cache costs the drawing, never the page."""

from datetime import timedelta
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
from classrooms.tasks import reminders_dispatch
from peer_counselors.models import HelpDesk, Topic
from tests.factories import (
    PASSWORD,
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    EnrollmentFactory,
    NotificationFactory,
    SchoolFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
)

# The marks are set once a request's transaction commits: the tests run in autocommit, as the site does.
pytestmark = pytest.mark.django_db(transaction=True)
DASHBOARD = reverse("dashboard")
# The session and the user (with the school): what a kept page costs.
KEPT_QUERIES = 2


@pytest.fixture(autouse=True)
def _kept(settings, time_machine):
    settings.PAGE_CACHE = True
    settings.NOTIFICATIONS_UNREAD_CACHE = True
    time_machine.move_to(timezone.now(), tick=False)


@pytest.fixture
def room():
    school = SchoolFactory(name="Maple Elementary")
    teacher = TeacherFactory(school=school)
    student = StudentFactory(school=school, first_name="Mia")
    classroom = ClassroomFactory(school=school, name="Room Sunflower", teachers=[teacher], students=[student])
    soon = timezone.now() + timedelta(days=2)
    return {
        "school": school,
        "teacher": teacher,
        "student": student,
        "classroom": classroom,
        "session": SessionFactory(classroom=classroom, starts_at=soon),
    }


def sign_in(client, user):
    """Signed in as through the sign-in page, which leaves the browser its CSRF cookie (part of a kept page's key)."""
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(CSRF_SECRET_LENGTH)
    return client


def queries(client, path=DASHBOARD) -> tuple[int, str]:
    """The page's queries and its <main>."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.text.split("<main", 1)[1]


def later(time_machine, seconds: float = 2) -> None:
    """Past the clock margin of the last change (a body drawn within it is drawn again)."""
    time_machine.shift(seconds)


def test_a_second_look_costs_only_the_session_and_the_user(client, room):
    sign_in(client, room["student"])
    drawn, first = queries(client)
    kept, second = queries(client)
    assert drawn > 8  # the drawing: classrooms, work, surveys, sessions, help, live ...
    assert kept == KEPT_QUERIES
    assert second == first
    assert "Room Sunflower" in second


def test_a_teachers_write_shows_on_the_students_next_page(client, room, time_machine):
    student_client, teacher_client = client, type(client)()
    sign_in(student_client, room["student"])
    sign_in(teacher_client, room["teacher"])
    sessions = reverse("classrooms:sessions", args=[room["classroom"].pk])
    assert f"{sessions}#session-{room['session'].pk}" in queries(student_client)[1]
    later(time_machine)
    cancel = reverse("classrooms:session_cancel", args=[room["classroom"].pk, room["session"].pk])
    assert teacher_client.post(cancel, {"note": "Snow day"}).status_code == 302
    drawn, page = queries(student_client)
    assert drawn > KEPT_QUERIES
    assert f"{sessions}#session-{room['session'].pk}" not in page


def test_another_schools_write_leaves_the_kept_page_alone(client, room, time_machine):
    elsewhere = SchoolFactory(district=room["school"].district, name="Oak Middle")
    other_teacher = TeacherFactory(school=elsewhere)
    other_room = ClassroomFactory(school=elsewhere, teachers=[other_teacher])
    other_session = SessionFactory(classroom=other_room)
    sign_in(client, room["student"])
    queries(client)
    later(time_machine)
    other = type(client)()
    sign_in(other, other_teacher)
    cancel = reverse("classrooms:session_cancel", args=[other_room.pk, other_session.pk])
    assert other.post(cancel, {"note": "Snow day"}).status_code == 302
    assert queries(client)[0] == KEPT_QUERIES


def ask_for_help(client, student, text="Maya keeps taking my pencil at lunch and laughs"):
    asking = type(client)()
    sign_in(asking, student)
    response = asking.post(reverse("peer_counselors:ask"), {"topic": Topic.CONFLICT, "text": text})
    assert response.status_code in (200, 302)


def test_a_write_to_tables_the_page_did_not_read_leaves_it_kept_and_one_it_read_redraws_it(client, room, time_machine):
    """Kept by the tables its drawing read: a student's help request (the help tables) leaves the teacher's
    sessions list kept; the teacher cancelling a session (the sessions table) redraws it at once."""
    sign_in(client, room["teacher"])
    sessions = reverse("classrooms:sessions", args=[room["classroom"].pk])
    queries(client, sessions)
    later(time_machine)
    ask_for_help(client, room["student"])
    assert queries(client, sessions)[0] == KEPT_QUERIES
    cancel = reverse("classrooms:session_cancel", args=[room["classroom"].pk, room["session"].pk])
    assert client.post(cancel, {"note": "Snow day"}).status_code == 302
    drawn, page = queries(client, sessions)
    assert drawn > KEPT_QUERIES and "Snow day" in page


def test_a_district_admins_page_is_drawn_again_after_a_write_in_any_of_its_schools(client, room, time_machine):
    admin = DistrictAdminFactory(district=room["school"].district)
    sign_in(client, admin)
    queries(client)
    assert queries(client)[0] == KEPT_QUERIES
    later(time_machine)
    teacher = type(client)()
    sign_in(teacher, room["teacher"])
    cancel = reverse("classrooms:session_cancel", args=[room["classroom"].pk, room["session"].pk])
    teacher.post(cancel, {"note": "Snow day"})
    assert queries(client)[0] > KEPT_QUERIES


def test_signing_in_and_reading_pages_change_nothing_kept(client, room, time_machine):
    """A bell of classmates signing in (the session, axes' log, their last sign-in) does not redraw the page."""
    sign_in(client, room["student"])
    queries(client)
    later(time_machine)
    classmate = StudentFactory(school=room["school"])
    other = type(client)()
    response = other.post(reverse("login"), {"username": classmate.username, "password": PASSWORD})
    assert response.status_code == 302
    assert other.get(DASHBOARD).status_code == 200
    assert queries(client)[0] == KEPT_QUERIES


def test_a_task_that_writes_redraws_every_school(client, room, time_machine):
    """The dispatcher's safety chain logs its step on a flagged request: every kept page is drawn again, the
    teacher's too (whom the chain does not notify)."""
    CounselorFactory(school=room["school"])
    HelpDesk.objects.create(school=room["school"], last_contact_name="Sam Lee", last_contact_email="s@d.example")
    asking = type(client)()
    sign_in(asking, room["student"])
    response = asking.post(reverse("peer_counselors:ask"), {"topic": Topic.CONFLICT, "text": "I want to kill myself"})
    assert response.status_code in (200, 302)
    time_machine.shift(timedelta(minutes=20))  # no adult opened it: the chain's first step is due
    sign_in(client, room["teacher"])
    queries(client)
    assert queries(client)[0] == KEPT_QUERIES
    assert reminders_dispatch.apply().get() >= 1
    assert queries(client)[0] > KEPT_QUERIES


def test_a_new_notification_redraws_its_recipients_page(client, room, time_machine):
    sign_in(client, room["teacher"])
    queries(client)
    later(time_machine)
    NotificationFactory(recipient=room["teacher"], title="Family visit on Friday")
    assert "Family visit on Friday" not in queries(client)[1]  # made outside the services: no mark
    time_machine.shift(data_versions.FRAGMENT_TTL + 1)
    assert "Family visit on Friday" in queries(client)[1]
    later(time_machine)
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert queries(client)[0] > KEPT_QUERIES


def test_a_write_no_request_sees_shows_within_the_ttl(client, room, time_machine):
    sign_in(client, room["student"])
    queries(client)
    room["classroom"].name = "Room Daisy"
    room["classroom"].save()  # as from a shell: no request, no task
    assert "Room Daisy" not in queries(client)[1]
    time_machine.shift(data_versions.FRAGMENT_TTL + 1)
    assert "Room Daisy" in queries(client)[1]


def test_each_user_and_language_has_a_body_of_its_own(client, room):
    classmate = StudentFactory(school=room["school"], first_name="Leo")
    EnrollmentFactory(classroom=room["classroom"], student=classmate)
    sign_in(client, room["student"])
    assert "Hi, Mia!" in queries(client)[1]
    spanish = client.get(DASHBOARD, headers={"accept-language": "es"}).text
    assert "¡Hola, Mia!" in spanish
    other = type(client)()
    sign_in(other, classmate)
    page = queries(other)[1]
    assert "Hi, Leo!" in page
    assert "Mia" not in page


def test_a_failing_cache_costs_the_drawing_never_the_page(client, room):
    sign_in(client, room["student"])
    drawn, _ = queries(client)
    with (
        mock.patch.object(cache, "get_many", side_effect=ConnectionError("redis down")),
        mock.patch.object(cache, "set", side_effect=ConnectionError("redis down")),
    ):
        count, page = queries(client)
        assert "Room Sunflower" in page
        assert count == queries(client)[0] > KEPT_QUERIES


def test_a_page_with_a_message_is_drawn_and_not_kept(client, room, time_machine):
    """The sessions list after cancelling a session says so once; the next look has no message, and is kept."""
    sign_in(client, room["teacher"])
    sessions = reverse("classrooms:sessions", args=[room["classroom"].pk])
    queries(client, sessions)
    later(time_machine)
    cancel = reverse("classrooms:session_cancel", args=[room["classroom"].pk, room["session"].pk])
    response = client.post(cancel, {"note": "Snow day"}, follow=True)
    assert "is cancelled" in response.text
    later(time_machine)
    drawn, page = queries(client, sessions)
    assert drawn > KEPT_QUERIES
    assert "is cancelled" not in page
    kept, again = queries(client, sessions)
    assert kept == KEPT_QUERIES
    assert again == page


def test_each_session_has_its_own_kept_page(client, room):
    sign_in(client, room["student"])
    queries(client)
    assert queries(client)[0] == KEPT_QUERIES
    other_device = type(client)()
    sign_in(other_device, room["student"])
    assert queries(other_device)[0] > KEPT_QUERIES


def test_a_student_removed_from_a_class_loses_its_kept_page_at_once(client, room, time_machine):
    """Access taken away is never served from the cache: the teacher's removal redraws the page, as a 404."""
    student_client, teacher_client = client, type(client)()
    sign_in(student_client, room["student"])
    sign_in(teacher_client, room["teacher"])
    page = reverse("classrooms:detail", args=[room["classroom"].pk])
    assert "Room Sunflower" in queries(student_client, page)[1]
    assert queries(student_client, page)[0] == KEPT_QUERIES
    later(time_machine)
    remove = reverse("classrooms:enrollment_remove", args=[room["classroom"].pk, room["student"].pk])
    assert teacher_client.post(remove).status_code == 302
    assert student_client.get(page).status_code == 404


def test_a_student_moved_to_another_school_never_gets_a_page_kept_from_before(client, room):
    """Their old school's mark no longer reaches them; the page's key holds the school, so it is drawn again."""
    sign_in(client, room["student"])
    page = reverse("classrooms:detail", args=[room["classroom"].pk])
    assert queries(client, page)[0] > KEPT_QUERIES
    assert queries(client, page)[0] == KEPT_QUERIES
    elsewhere = SchoolFactory(district=room["school"].district, name="Oak Middle")
    type(room["student"]).objects.filter(pk=room["student"].pk).update(school=elsewhere)  # as from a shell: no mark
    assert client.get(page).status_code == 404
