"""Family visits: the instructor is asked to phone the family, and the family is e-mailed, each once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classrooms.models import Session
from classrooms.program.services import session_cancel, session_reschedule
from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from notifications.services import notification_emails_send
from tests.factories import ClassroomFactory, CounselorFactory, ThemeFactory, VisitingFamilyFactory

pytestmark = pytest.mark.django_db
VISIT = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # Wednesday 10:00 in New York
CALL = Notification.Kind.VISIT_CALL_FAMILY
FAMILY = Notification.Kind.VISIT_FAMILY_EMAIL


@pytest.fixture
def visit():
    classroom = ClassroomFactory(school__time_zone="America/New_York", name="Room <b>4</b>")
    family = VisitingFamilyFactory(classroom=classroom, name="The Okafors", baby_name="Ada",
                                   contact_email="okafor@home.example")
    instructor = CounselorFactory(school=classroom.school, email="instructor@school.example")
    theme = ThemeFactory(classroom=classroom, family=family, instructor=instructor)
    return Session.objects.create(classroom=classroom, starts_at=VISIT, kind=Session.Kind.FAMILY_VISIT, theme=theme)


def sent(kind):
    return Notification.objects.filter(kind=kind)


def test_the_instructor_is_asked_to_call_three_days_before(visit, time_machine):
    time_machine.move_to(VISIT - timedelta(days=3, seconds=1), tick=False)
    reminders_dispatch()
    assert not sent(CALL).exists()
    time_machine.move_to(VISIT - timedelta(days=3), tick=False)
    reminders_dispatch()
    reminders_dispatch()
    call = sent(CALL).get()
    assert call.recipient == visit.theme.instructor
    assert "The Okafors" in call.title and "Wed 9 Dec 2026, 10:00" in call.title
    assert "okafor@home.example" in call.body


def test_without_an_instructor_the_teachers_are_asked(visit, time_machine):
    visit.theme.instructor = None
    visit.theme.save()
    time_machine.move_to(VISIT - timedelta(days=2), tick=False)
    reminders_dispatch()
    assert [n.recipient for n in sent(CALL)] == list(visit.classroom.teachers.all())


def test_the_family_gets_one_email_two_days_before_with_time_and_what_to_expect(visit, time_machine):
    time_machine.move_to(VISIT - timedelta(days=2, seconds=1), tick=False)
    reminders_dispatch()
    assert not sent(FAMILY).exists()
    time_machine.move_to(VISIT - timedelta(days=2), tick=False)
    reminders_dispatch()
    reminders_dispatch()  # a second beat
    note = sent(FAMILY).get()
    assert note.recipient is None and note.to_email == "okafor@home.example"
    assert notification_emails_send() >= 1
    family_mail = [m for m in mail.outbox if m.to == ["okafor@home.example"]]
    assert len(family_mail) == 1
    text = family_mail[0].body
    assert "on Wed 9 Dec 2026 at 10:00" in text  # the school's local time
    assert "What to expect" in text and "Ada" in text
    assert "Room <b>4</b>" in text  # plain text: not HTML-escaped, and no HTML is sent


def test_a_moved_visit_is_announced_again_a_cancelled_one_never(visit, time_machine):
    time_machine.move_to(VISIT - timedelta(days=2), tick=False)
    reminders_dispatch()
    new_time = VISIT + timedelta(days=7)
    session_reschedule(session=visit, starts_at=new_time, by=visit.classroom.teachers.get())
    time_machine.move_to(new_time - timedelta(days=2), tick=False)
    reminders_dispatch()
    assert sorted(sent(FAMILY).values_list("due_at", flat=True)) == [VISIT, new_time]
    session_cancel(session=Session.objects.get(pk=visit.pk), by=visit.classroom.teachers.get())
    Notification.objects.all().delete()
    reminders_dispatch()
    assert not Notification.objects.exists()


def test_no_family_no_email(visit, time_machine):
    visit.theme.family = None
    visit.theme.save()
    time_machine.move_to(VISIT - timedelta(days=1), tick=False)
    reminders_dispatch()
    assert not sent(FAMILY).exists()
    assert sent(CALL).exists()  # someone still has to find a family


def test_the_dispatcher_costs_the_same_for_one_visit_or_ten(visit, time_machine):
    time_machine.move_to(VISIT - timedelta(days=1), tick=False)

    def queries():
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            reminders_dispatch()
        return len(captured)

    one = queries()
    for day in range(1, 10):
        classroom = ClassroomFactory(school=visit.classroom.school)
        family = VisitingFamilyFactory(classroom=classroom)
        theme = ThemeFactory(classroom=classroom, family=family, instructor=CounselorFactory(school=classroom.school))
        Session.objects.create(
            classroom=classroom, starts_at=VISIT + timedelta(minutes=day), kind=Session.Kind.FAMILY_VISIT, theme=theme
        )
    assert queries() == one
    assert sent(FAMILY).count() == 10 and sent(CALL).count() == 10


def family_mail():
    return [m for m in mail.outbox if m.to == ["okafor@home.example"]]


def test_a_family_e_mail_waiting_when_the_visit_is_cancelled_is_never_sent(client, visit, time_machine):
    """The e-mail is made two days before; a cancel in the minute before the sweep sends it stops it."""
    time_machine.move_to(VISIT - timedelta(days=2), tick=False)
    reminders_dispatch()
    assert sent(FAMILY).get().email_status == Notification.EmailStatus.PENDING
    client.force_login(visit.classroom.teachers.get())
    client.post(reverse("classrooms:session_cancel", kwargs={"pk": visit.classroom_id, "session_pk": visit.pk}), {"note": ""})
    notification_emails_send()
    assert family_mail() == []
    assert sent(FAMILY).get().email_status == Notification.EmailStatus.SKIPPED


def test_a_moved_visit_sends_only_the_e_mail_with_the_new_time(visit, time_machine):
    time_machine.move_to(VISIT - timedelta(days=2), tick=False)
    reminders_dispatch()
    new_time = VISIT + timedelta(hours=2)
    session_reschedule(session=visit, starts_at=new_time, by=visit.classroom.teachers.get())
    time_machine.move_to(new_time - timedelta(days=2), tick=False)
    reminders_dispatch()
    notification_emails_send()
    assert len(family_mail()) == 1 and "at 12:00" in family_mail()[0].body  # 17:00 UTC, New York


def test_a_reminder_run_withdraws_e_mails_of_sessions_moved_another_way(visit, time_machine):
    """The rule edited or the time zone changed also move sessions: the next run stops their stale e-mails."""
    time_machine.move_to(VISIT - timedelta(days=2), tick=False)
    reminders_dispatch()
    Session.objects.filter(pk=visit.pk).update(starts_at=VISIT + timedelta(days=1))
    reminders_dispatch.apply().get()
    assert sent(FAMILY).get(due_at=VISIT).email_status == Notification.EmailStatus.SKIPPED
