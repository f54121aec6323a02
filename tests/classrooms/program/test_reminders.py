"""Session reminders: each created once, at the right moment, following reschedules and cancellations."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from classrooms.models import Session
from classrooms.program.services import session_cancel, session_reschedule
from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from notifications.services import notification_emails_send
from tests.factories import ClassroomFactory

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 10:00 in New York


@pytest.fixture
def session():
    classroom = ClassroomFactory(school__time_zone="America/New_York")
    return Session.objects.create(classroom=classroom, starts_at=START)


def reminders(kind=Notification.Kind.SESSION_TOMORROW):
    return Notification.objects.filter(kind=kind)


def test_no_reminder_before_the_day_before(session, time_machine):
    time_machine.move_to(START - timedelta(days=1, seconds=1), tick=False)
    reminders_dispatch()
    assert not reminders().exists()


def test_the_teacher_is_reminded_the_day_before_once(session, time_machine):
    time_machine.move_to(START - timedelta(days=1), tick=False)
    reminders_dispatch()
    reminders_dispatch()  # a second beat, a retried task
    note = reminders().get()
    assert note.recipient == session.classroom.teachers.get()
    assert "10:00" in note.title  # shown in the school's time zone


def test_a_rescheduled_session_is_reminded_at_its_new_time(session, time_machine):
    time_machine.move_to(START - timedelta(hours=2), tick=False)
    reminders_dispatch()
    session_reschedule(session=session, starts_at=START + timedelta(days=7), by=session.classroom.teachers.get())
    reminders_dispatch()
    assert reminders().count() == 1
    time_machine.move_to(START + timedelta(days=6, hours=1), tick=False)
    reminders_dispatch()
    assert reminders().count() == 2
    assert reminders().filter(due_at=START + timedelta(days=7)).exists()


def test_a_cancelled_session_is_never_reminded(session, time_machine):
    session_cancel(session=session, by=session.classroom.teachers.get())
    time_machine.move_to(START - timedelta(hours=3), tick=False)
    reminders_dispatch()
    assert not reminders().exists()


def test_a_reminder_email_whose_session_started_is_skipped_not_sent_late(session, time_machine):
    """After an outage the backlog goes out, except what is too late to help."""
    time_machine.move_to(START - timedelta(hours=20), tick=False)
    reminders_dispatch()
    time_machine.move_to(START + timedelta(minutes=5), tick=False)  # the worker was down until now
    assert notification_emails_send() == 0
    assert mail.outbox == []
    assert reminders().get().email_status == Notification.EmailStatus.SKIPPED


def test_an_unmarked_session_is_flagged_the_next_morning_local_time(session, time_machine):
    time_machine.move_to("2026-12-02 12:59:00+00:00", tick=False)  # 07:59 in New York
    reminders_dispatch()
    assert not reminders(Notification.Kind.SESSION_UNMARKED).exists()
    time_machine.move_to("2026-12-02 13:00:00+00:00", tick=False)  # 08:00
    reminders_dispatch()
    reminders_dispatch()
    assert reminders(Notification.Kind.SESSION_UNMARKED).count() == 1


def test_a_session_marked_held_is_not_flagged(session, time_machine):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
    time_machine.move_to("2026-12-03 13:00:00+00:00", tick=False)
    reminders_dispatch()
    assert not reminders(Notification.Kind.SESSION_UNMARKED).exists()


@pytest.mark.parametrize("classrooms", [2, 20])
def test_the_dispatcher_costs_a_fixed_number_of_queries(classrooms, time_machine, django_assert_max_num_queries):
    for _ in range(classrooms):
        Session.objects.create(classroom=ClassroomFactory(), starts_at=START)
    time_machine.move_to(START - timedelta(hours=1), tick=False)
    # 9 for the sessions' reminders, 4 for the assignments', 2 for the surveys' (none here), 4 for the help
    # requests' (their two sweeps and two sources, none due here)
    with django_assert_max_num_queries(19):
        assert reminders_dispatch() == classrooms
    assert reminders().count() == classrooms
