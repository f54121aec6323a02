"""Undoing a cancellation (issue 9): a mis-tapped "Cancel" no longer spoils the year's record.

A cancelled session that has not started is restored to planned, and reminded again; a cancelled
session can be rescheduled, which plans it again at its new time; one already past its start cannot
go back to planned (it would be overdue at once) but may be marked held, if it took place after all.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from classrooms.models import Enrollment, Session
from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from tests.factories import ClassroomFactory, SessionFactory, StudentFactory, TeacherFactory, ThemeFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 09:00 in Chicago
RESTORE_TASK = "classrooms.tasks.reminders_dispatch"


@pytest.fixture
def classroom():
    return ClassroomFactory(school__time_zone="America/Chicago", name="Room Maple")


@pytest.fixture
def teacher(classroom, client):
    teacher = classroom.teachers.get()
    client.force_login(teacher)
    return teacher


@pytest.fixture
def session(classroom):
    return SessionFactory(classroom=classroom, starts_at=START)


def url(name, classroom, session=None):
    kwargs = {"pk": classroom.pk} | ({"session_pk": session.pk} if session is not None else {})
    return reverse(f"classrooms:{name}", kwargs=kwargs)


def at(client, time_machine, user, moment):
    """Move the clock; sign in again (a sign-in from days earlier would have expired)."""
    time_machine.move_to(moment, tick=False)
    client.force_login(user)


def row(page, session) -> str:
    """The text of ``session``'s row on the sessions list."""
    return parse(page).find("li", id=f"session-{session.pk}").text


def test_a_cancelled_session_that_has_not_started_is_restored(client, teacher, classroom, session, time_machine):
    at(client, time_machine, teacher, START - timedelta(days=5))
    client.post(url("session_cancel", classroom, session), {"note": "Assembly"})
    page = client.get(url("sessions", classroom)).text
    assert "Cancelled" in row(page, session) and url("session_restore", classroom, session) in page
    at(client, time_machine, teacher, START - timedelta(days=4))
    response = client.post(url("session_restore", classroom, session), follow=True)
    assert response.redirect_chain[-1][0] == url("sessions", classroom) + f"#session-{session.pk}"
    assert "is planned again; reminders go out as usual" in response.text
    text = row(response.text, session)
    assert "Planned" in text and "Cancelled" not in text
    assert "Assembly" not in text  # the reason it was called off no longer holds
    assert url("session_restore", classroom, session) not in response.text
    assert url("session_cancel", classroom, session) in response.text  # it can be cancelled again
    session.refresh_from_db()
    assert (session.status, session.note) == (Session.Status.PLANNED, "")
    assert session.status_changed_at == START - timedelta(days=4)  # recorded like cancel and held
    assert client.post(url("session_restore", classroom, session), follow=True).status_code == 200  # a double click


def test_a_restored_session_is_reminded_again(
    client, teacher, classroom, session, time_machine, django_capture_on_commit_callbacks, published_tasks
):
    """Cancelled, the dispatcher skips it; restored, the next run reminds the teacher the day before."""
    at(client, time_machine, teacher, START - timedelta(days=3))
    client.post(url("session_cancel", classroom, session), {"note": ""})
    at(client, time_machine, teacher, START - timedelta(hours=20))
    reminders_dispatch.apply().get()  # what the beat runs, run by Celery here
    assert not Notification.objects.filter(kind=Notification.Kind.SESSION_TOMORROW).exists()
    published_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("session_restore", classroom, session))
    assert published_tasks()[-1] == RESTORE_TASK  # a run is asked for at once, not at the next beat
    reminders_dispatch.apply().get()
    reminder = Notification.objects.get(kind=Notification.Kind.SESSION_TOMORROW)
    assert (reminder.recipient, reminder.due_at) == (teacher, START)
    reminders_dispatch.apply().get()
    assert Notification.objects.filter(kind=Notification.Kind.SESSION_TOMORROW).count() == 1


def test_a_session_past_its_start_is_not_restored_but_may_be_marked_held(client, teacher, classroom, session, time_machine):
    at(client, time_machine, teacher, START - timedelta(days=1))
    client.post(url("session_cancel", classroom, session), {"note": "Snow day"})
    at(client, time_machine, teacher, START + timedelta(minutes=1))
    page = client.get(url("sessions", classroom)).text
    assert url("session_restore", classroom, session) not in page
    assert "It took place: mark held" in row(page, session) and url("session_held", classroom, session) in page
    response = client.post(url("session_restore", classroom, session), follow=True)
    assert "it cannot be planned again. If it took place after all, mark it held" in response.text
    session.refresh_from_db()
    assert (session.status, session.note) == (Session.Status.CANCELLED, "Snow day")
    held = client.post(url("session_held", classroom, session), {"note": "We met after all."}, follow=True)
    assert "is marked held" in held.text
    session.refresh_from_db()
    assert session.status == Session.Status.HELD


def test_a_held_session_is_not_restored(client, teacher, classroom, time_machine):
    at(client, time_machine, teacher, START + timedelta(days=1))
    held = SessionFactory(classroom=classroom, starts_at=START, status=Session.Status.HELD, note="Good")
    response = client.post(url("session_restore", classroom, held), follow=True)
    assert "only a cancelled session can be restored" in response.text
    held.refresh_from_db()
    assert (held.status, held.note) == (Session.Status.HELD, "Good")


def test_a_cancelled_session_is_rescheduled_and_so_planned_again(client, teacher, classroom, session, time_machine):
    """Called off for snow, made up a week later: rescheduling plans it again and it is reminded at its new time."""
    at(client, time_machine, teacher, START + timedelta(hours=2))
    client.post(url("session_cancel", classroom, session), {"note": "Snow day"})
    page = client.get(url("session_reschedule", classroom, session)).text
    assert "Moving it to a new time plans it again" in page
    response = client.post(url("session_reschedule", classroom, session), {"date": "2026-12-08", "time": "09:00"}, follow=True)
    assert "The cancelled session of" in response.text and "is planned again, on" in response.text
    session.refresh_from_db()
    assert (session.status, session.starts_at, session.note) == (Session.Status.PLANNED, START + timedelta(days=7), "")
    assert not session.follows_recurrence  # a moved session keeps its time when the rule changes
    time_machine.move_to(START + timedelta(days=6, hours=1), tick=False)
    reminders_dispatch.apply().get()
    assert Notification.objects.get(kind=Notification.Kind.SESSION_TOMORROW).due_at == START + timedelta(days=7)


def test_a_cancelled_family_visit_rescheduled_brings_its_lessons_along(client, teacher, classroom, time_machine):
    at(client, time_machine, teacher, START - timedelta(days=20))
    theme = ThemeFactory(classroom=classroom)
    visit = SessionFactory(classroom=classroom, starts_at=START, kind=Session.Kind.FAMILY_VISIT, theme=theme)
    after = SessionFactory(classroom=classroom, starts_at=START + timedelta(days=7), kind=Session.Kind.POST_VISIT, theme=theme)
    client.post(url("session_cancel", classroom, visit), {"note": "The baby is ill"})
    client.post(url("session_reschedule", classroom, visit), {"date": "2026-12-03", "time": "09:00"})
    visit.refresh_from_db(), after.refresh_from_db()
    assert (visit.status, visit.starts_at) == (Session.Status.PLANNED, START + timedelta(days=2))
    assert (after.status, after.starts_at) == (Session.Status.PLANNED, START + timedelta(days=9))


def test_only_the_classrooms_managers_restore(client, classroom, session, time_machine):
    time_machine.move_to(START - timedelta(days=5), tick=False)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    student = StudentFactory(school=classroom.school)
    Enrollment.objects.create(classroom=classroom, student=student)
    for outsider in (student, TeacherFactory(school=classroom.school), TeacherFactory()):
        client.force_login(outsider)
        assert client.post(url("session_restore", classroom, session)).status_code == 404
    client.force_login(student)
    assert url("session_restore", classroom, session) not in client.get(url("sessions", classroom)).text
    mine_too = ClassroomFactory(school=classroom.school, teachers=[classroom.teachers.get()])
    client.force_login(classroom.teachers.get())
    assert client.post(url("session_restore", mine_too, session)).status_code == 404  # another classroom's URL
    assert client.get(url("session_restore", classroom, session)).status_code == 405
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
