"""Each classroom keeps its sessions counted (``Classroom.sessions_held`` and the rest) for the fidelity report's
schools: every way a session or a register changes keeps the counts equal to the sessions counted afresh, through
the doors people use (the program-year form, the session pages, the admin's session, school and user pages,
seed_demo, the migration that counted the sessions already there), and the schools' rows stay the sums of their
classrooms' rows, read from the sessions, as time passes."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from zeal import zeal_ignore

from classrooms.models import Classroom, Enrollment, Session
from classrooms.program import fidelity
from classrooms.program.services import session_mark_held
from tests.classrooms.program.test_register_counts import admin_form_data
from tests.factories import ClassroomFactory, SchoolFactory, SessionFactory, StudentFactory

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[3]
FIRST_TUESDAYS = {
    "repeat": "weekday", "ordinal": "1", "weekday": "1", "day": "", "at": "10:00",
    "first_month": "2026-10", "last_month": "2027-06", "skipped_dates": "",
    "duration_minutes": "45", "format": "lessons", "pre_visit_days": "7", "post_visit_days": "7",
}  # fmt: skip
KEPT = ("sessions_planned", "sessions_held", "sessions_cancelled", "held_register", "held_present", "first_planned_at",
        "last_held_at")  # fmt: skip


def counted_afresh(classroom_pk: int) -> tuple:
    sessions = list(Session.objects.filter(classroom_id=classroom_pk))
    held = [s for s in sessions if s.status == Session.Status.HELD]
    planned = [s.starts_at for s in sessions if s.status == Session.Status.PLANNED]
    return (
        len(planned),
        len(held),
        sum(1 for s in sessions if s.status == Session.Status.CANCELLED),
        sum(s.register_count for s in held),
        sum(s.present_count for s in held),
        min(planned, default=None),
        max((s.starts_at for s in held), default=None),
    )


def assert_in_step() -> dict:
    """Every classroom's kept counts, checked against its sessions counted here."""
    kept = {row[0]: tuple(row[1:]) for row in Classroom.objects.values_list("pk", *KEPT)}
    assert kept == {pk: counted_afresh(pk) for pk in kept}
    return kept


def url(name, classroom, session=None):
    kwargs = {"pk": classroom.pk} | ({"session_pk": session.pk} if session is not None else {})
    return reverse(f"classrooms:{name}", kwargs=kwargs)


@pytest.fixture
def classroom(time_machine):
    time_machine.move_to(SEPTEMBER, tick=False)
    room = ClassroomFactory(school__time_zone="America/Chicago", name="Room Maple")
    Enrollment.objects.bulk_create(
        Enrollment(classroom=room, student=s) for s in StudentFactory.create_batch(4, school=room.school)
    )
    return room


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-staff-password-1")


def test_the_teachers_pages_keep_the_counts(client, classroom, time_machine):
    """The year set up and edited, a session moved, cancelled, restored, held with its register and corrected."""
    teacher = classroom.teachers.get()
    client.force_login(teacher)
    assert client.post(url("program_year", classroom), FIRST_TUESDAYS).status_code == 302
    assert assert_in_step()[classroom.pk][0] == 9  # October to June
    shorter = {**FIRST_TUESDAYS, "last_month": "2027-03", "skipped_dates": "2026-11-03"}
    assert client.post(url("program_year", classroom), shorter).status_code == 302
    assert assert_in_step()[classroom.pk][0] == 5
    first, second, third, *_ = Session.objects.filter(classroom=classroom).order_by("starts_at")
    moved = client.post(url("session_reschedule", classroom, first), {"date": "2026-09-29", "time": "09:00"})
    assert moved.status_code == 302
    assert assert_in_step()[classroom.pk][5] == datetime(2026, 9, 29, 14, 0, tzinfo=UTC)  # the first planned, moved
    assert client.post(url("session_cancel", classroom, second), {"note": "Snow day"}).status_code == 302
    assert assert_in_step()[classroom.pk][2] == 1
    assert client.post(url("session_restore", classroom, second)).status_code == 302
    assert assert_in_step()[classroom.pk][2] == 0
    time_machine.move_to(datetime(2026, 12, 20, 12, 0, tzinfo=UTC), tick=False)
    client.force_login(teacher)
    away = list(classroom.enrollments.values_list("student", flat=True)[:1])
    assert client.post(url("session_held", classroom, first), {"note": "", "away": away}).status_code == 302
    assert assert_in_step()[classroom.pk][1:5] == (1, 0, 4, 3)
    assert client.post(url("session_held", classroom, first), {"note": "Fixed", "away": []}).status_code == 302
    assert client.post(url("session_held", classroom, second), {"note": ""}).status_code == 302
    assert assert_in_step()[classroom.pk][:5] == (3, 2, 0, 8, 8)
    assert third.status == Session.Status.PLANNED


def test_the_admins_session_pages_keep_the_counts(client, classroom, staff):
    """Staff call a held session off, move one to another classroom, delete one and delete two more at once."""
    other = ClassroomFactory(school=classroom.school)
    held = SessionFactory(classroom=classroom, starts_at=SEPTEMBER - timedelta(days=3), status=Session.Status.HELD)
    moving, deleted, *rest = [SessionFactory(classroom=classroom, starts_at=SEPTEMBER + timedelta(days=d)) for d in (1, 2, 3, 4)]
    client.force_login(staff)
    for session, changes in ((held, {"status": Session.Status.CANCELLED}), (moving, {"classroom": str(other.pk)})):
        change = reverse("admin:classrooms_session_change", args=[session.pk])
        with zeal_ignore():  # the admin's own N+1 over a register's inline lines
            data = admin_form_data(client.get(change)) | changes
            assert client.post(change, data).status_code == 302
    assert Session.objects.get(pk=moving.pk).classroom_id == other.pk
    kept = assert_in_step()
    assert kept[classroom.pk][:3] == (3, 0, 1) and kept[other.pk][:3] == (1, 0, 0)
    assert client.post(reverse("admin:classrooms_session_delete", args=[deleted.pk]), {"post": "yes"}).status_code == 302
    assert assert_in_step()[classroom.pk][0] == 2
    listing = {"action": "delete_selected", "_selected_action": [s.pk for s in rest], "post": "yes"}
    assert client.post(reverse("admin:classrooms_session_changelist"), listing).status_code == 302
    assert assert_in_step()[classroom.pk][:3] == (0, 0, 1)


def test_deleting_a_student_and_moving_a_schools_clock_keep_the_counts(client, classroom, staff, time_machine):
    teacher = classroom.teachers.get()
    client.force_login(teacher)
    assert client.post(url("program_year", classroom), FIRST_TUESDAYS).status_code == 302
    time_machine.move_to(datetime(2026, 10, 20, 12, 0, tzinfo=UTC), tick=False)
    client.force_login(teacher)
    october = Session.objects.filter(classroom=classroom).order_by("starts_at").first()
    assert client.post(url("session_held", classroom, october), {"note": "", "away": []}).status_code == 302
    assert assert_in_step()[classroom.pk][3:5] == (4, 4)
    client.force_login(staff)
    student = classroom.enrollments.first().student
    assert client.post(reverse("admin:accounts_user_delete", args=[student.pk]), {"post": "yes"}).status_code == 302
    assert assert_in_step()[classroom.pk][3:5] == (3, 3)
    school = reverse("admin:accounts_school_change", args=[classroom.school.pk])
    with zeal_ignore():
        data = admin_form_data(client.get(school)) | {"time_zone": "America/New_York"}
        assert client.post(school, data).status_code == 302
    assert assert_in_step()[classroom.pk][5] == datetime(2026, 11, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York now


def test_seed_demo_keeps_the_counts():
    call_command("seed_demo")
    kept = assert_in_step()
    assert any(held for _planned, held, *_ in kept.values())


def test_a_schools_row_is_its_classrooms_rows_added_up_as_time_passes(time_machine):
    """The schools' rows add up the kept counts; the classrooms' rows count their sessions: the same figures before
    a session, while it is under way, once it is over and not marked, and once it is marked."""
    school = SchoolFactory(time_zone="UTC")
    rooms = [ClassroomFactory(school=school) for _ in range(3)]
    start = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    for n, room in enumerate(rooms):
        SessionFactory(classroom=room, starts_at=start - timedelta(days=30), status=Session.Status.HELD)
        SessionFactory(classroom=room, starts_at=start + timedelta(days=n), duration_minutes=45)
        SessionFactory(classroom=room, starts_at=start + timedelta(days=30 + n))
    SessionFactory(classroom=rooms[2], starts_at=start - timedelta(days=10), status=Session.Status.CANCELLED)
    chosen = Classroom.objects.filter(school=school)

    def both(now):
        (school_row,) = fidelity.school_rows(classrooms=chosen, schools=[school], now=now)
        summed = fidelity.totals_of(fidelity.classroom_rows(classrooms=chosen, now=now))
        figures = ("classrooms", "upcoming", "held", "cancelled", "overdue", "next_session", "last_held", "register", "present")
        assert [getattr(school_row, f) for f in figures] == [getattr(summed, f) for f in figures]
        return school_row

    assert both(start - timedelta(hours=1)).upcoming == 6
    under_way = both(start + timedelta(minutes=10))
    assert (under_way.upcoming, under_way.overdue, under_way.next_session) == (5, 0, start.date() + timedelta(days=1))
    over = both(start + timedelta(days=2, hours=1))
    assert (over.upcoming, over.overdue) == (3, 3)
    time_machine.move_to(start + timedelta(days=2, hours=1), tick=False)
    session_mark_held(session=Session.objects.get(classroom=rooms[0], starts_at=start), by=rooms[0].teachers.get())
    marked = both(start + timedelta(days=2, hours=1))
    assert (marked.upcoming, marked.overdue, marked.held) == (3, 2, 4)


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_sessions_already_there_and_goes_back(time_machine):
    time_machine.move_to(SEPTEMBER, tick=False)
    room = ClassroomFactory()
    for days, status in ((-9, Session.Status.HELD), (-2, Session.Status.CANCELLED), (5, Session.Status.PLANNED)):
        SessionFactory(classroom=room, starts_at=SEPTEMBER + timedelta(days=days), status=status)
    Session.objects.filter(status=Session.Status.HELD).update(register_count=20, present_count=18)
    executor = MigrationExecutor(connection)
    executor.migrate([("classrooms", "0010_session_register_counts_backfill")])
    columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(), "classrooms_classroom")}
    assert not set(KEPT) & columns
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert assert_in_step()[room.pk] == (
        1, 1, 1, 20, 18, SEPTEMBER + timedelta(days=5), SEPTEMBER - timedelta(days=9)
    )  # fmt: skip


WRITES_SESSIONS = re.compile(
    r"Session\.objects\.(?:bulk_)?create\(|Session\.objects\.filter\([^\n]*\)\.delete\(|\.update\((?:status|starts_at)="
)


def test_whatever_writes_sessions_keeps_the_counts():
    """A module of Heard (or a bench) that creates, deletes, moves or marks sessions counts its classrooms again
    (``classroom_sessions_recount``, or ``session_registers_recount``, which does): a new way to write sessions
    cannot forget the counts unseen."""
    writers = {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("**/*.py")
        if not {".venv", "tests", "migrations", "var", "node_modules"} & set(path.relative_to(ROOT).parts)
        and WRITES_SESSIONS.search(path.read_text(encoding="utf-8"))
    }
    assert "classrooms/program/services.py" in writers  # the pattern finds the writer it must
    forgetful = [
        p for p in writers
        if not re.search(r"classroom_sessions_recount|session_registers_recount", (ROOT / p).read_text(encoding="utf-8"))
    ]  # fmt: skip
    assert forgetful == []
