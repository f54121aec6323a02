"""A classroom's program year becomes Session rows; editing the rule moves the future and keeps the past."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import School
from classrooms.models import Session
from classrooms.program.recurrence import Recurrence
from classrooms.program.services import (
    program_year_set,
    program_years_resync_for_school,
    session_cancel,
    session_mark_held,
    session_reschedule,
)
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def first_tuesdays(**overrides):
    fields = {"first_month": date(2026, 10, 1), "last_month": date(2027, 6, 1), "at": time(10, 0),
              "time_zone": "America/New_York", "ordinal": 1, "weekday": 1}
    return Recurrence(**{**fields, **overrides})


def starts(classroom):
    return list(Session.objects.filter(classroom=classroom).values_list("starts_at", flat=True))


def test_a_program_year_creates_one_session_per_month(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    sessions = starts(classroom)
    assert len(sessions) == 9
    assert sessions[0] == datetime(2026, 10, 6, 14, 0, tzinfo=UTC)  # 10:00 EDT
    assert sessions[2] == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 10:00 EST


def test_setting_the_same_rule_twice_changes_nothing(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    before = list(Session.objects.values_list("pk", "starts_at"))
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    assert list(Session.objects.values_list("pk", "starts_at")) == before


def test_editing_mid_year_moves_future_sessions_and_keeps_the_past(classroom, teacher, time_machine):
    """In January the class switches to Thursdays: autumn stays, spring moves, nothing is duplicated."""
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    Session.objects.filter(starts_at__lt=datetime(2027, 1, 1, tzinfo=UTC)).update(status=Session.Status.HELD)
    titled = Session.objects.get(starts_at=datetime(2027, 2, 2, 15, 0, tzinfo=UTC))
    titled.title = "Feelings of a baby at six months"
    titled.save()

    time_machine.move_to("2027-01-10 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(weekday=3), by=teacher)

    sessions = starts(classroom)
    assert len(sessions) == len(set(sessions)) == 9
    assert Session.objects.filter(status=Session.Status.HELD).count() == 3  # Oct-Dec untouched
    assert datetime(2027, 1, 5, 15, 0, tzinfo=UTC) in sessions  # past, not yet marked: still kept
    assert all(s.weekday() == 3 for s in sessions if s > datetime(2027, 1, 10, tzinfo=UTC))
    titled.refresh_from_db()
    assert titled.starts_at == datetime(2027, 2, 4, 15, 0, tzinfo=UTC)  # moved with its plan


def test_shortening_the_year_removes_only_planned_future_sessions(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(last_month=date(2027, 3, 1)), by=teacher)
    assert len(starts(classroom)) == 6


def test_a_rescheduled_session_keeps_its_time_when_the_rule_changes(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    session = Session.objects.get(starts_at=datetime(2026, 11, 3, 15, 0, tzinfo=UTC))
    session_reschedule(session=session, starts_at=datetime(2026, 11, 5, 15, 0, tzinfo=UTC), by=teacher)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(at=time(11, 0)), by=teacher)
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 11, 5, 15, 0, tzinfo=UTC)
    # The moved session still stands for November: the new rule does not add a second one.
    assert len(starts(classroom)) == 9
    assert Session.objects.filter(starts_at__month=11).count() == 1


def test_a_reschedule_asks_the_worker_for_a_reminder_run_once_committed(
    classroom, teacher, time_machine, django_capture_on_commit_callbacks, published_tasks
):
    """A session moved to tomorrow is reminded now, not at the next beat: the dispatcher is published after commit."""
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    session = Session.objects.get(starts_at=datetime(2026, 11, 3, 15, 0, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        session_reschedule(session=session, starts_at=datetime(2026, 9, 2, 15, 0, tzinfo=UTC), by=teacher)
        assert published_tasks() == []
    assert published_tasks() == ["classrooms.tasks.reminders_dispatch"]


def test_a_school_changing_time_zone_moves_future_sessions_to_the_same_local_time(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    School.objects.filter(pk=classroom.school_id).update(time_zone="America/Chicago")
    program_years_resync_for_school(school_id=classroom.school_id)
    assert starts(classroom)[0] == datetime(2026, 10, 6, 15, 0, tzinfo=UTC)  # 10:00 CDT


def test_marking_held_cancelling_and_permissions(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    first, second = Session.objects.all()[:2]
    with pytest.raises(ValidationError):
        session_mark_held(session=first, by=teacher, note="too early")
    time_machine.move_to("2026-10-06 15:00:00+00:00", tick=False)
    session_mark_held(session=first, by=teacher, note="The baby rolled over!")
    session_cancel(session=second, by=teacher, note="Snow day")
    assert Session.objects.get(pk=first.pk).status == Session.Status.HELD
    assert Session.objects.get(pk=second.pk).status == Session.Status.CANCELLED
    with pytest.raises(PermissionDenied):
        session_cancel(session=second, by=TeacherFactory(school=classroom.school))
    with pytest.raises(ValidationError):  # a held session has taken place; a cancelled one may be made up (issue 9)
        session_reschedule(session=first, starts_at=datetime(2026, 11, 4, tzinfo=UTC), by=teacher)


def test_a_cancelled_month_stays_cancelled_when_the_time_changes(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    november = Session.objects.get(starts_at=datetime(2026, 11, 3, 15, 0, tzinfo=UTC))
    session_cancel(session=november, by=teacher, note="School closed")
    program_year_set(classroom=classroom, recurrence=first_tuesdays(at=time(11, 0)), by=teacher)
    assert list(Session.objects.filter(starts_at__month=11).values_list("pk", "status")) == [
        (november.pk, Session.Status.CANCELLED)
    ]


def test_staff_changing_a_schools_time_zone_in_the_admin_moves_its_future_sessions(classroom, teacher, client, time_machine, django_user_model):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=first_tuesdays(), by=teacher)
    staff = django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-staff-password-1")
    client.force_login(staff)
    school = classroom.school
    response = client.post(
        f"/admin/accounts/school/{school.pk}/change/",
        {"name": school.name, "district": school.district_id, "time_zone": "America/Los_Angeles"},
    )
    assert response.status_code == 302
    assert starts(classroom)[0] == datetime(2026, 10, 6, 17, 0, tzinfo=UTC)  # 10:00 PDT
    assert len(starts(classroom)) == 9
