"""Each session keeps its register counted (``register_count``, ``present_count``) for the fidelity report: every
way the register's rows change keeps the counts equal to the rows counted afresh, through the doors people use
(the teacher's form, the admin's session and user pages, seed_demo, the migration that counted the registers
already taken); and the report's "Present" figures equal the registers counted by hand on a mixed district."""

import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Q
from django.forms import MultiWidget
from django.urls import reverse
from zeal import zeal_ignore

from classrooms.models import Enrollment, Session, SessionAttendance
from tests.factories import (
    ClassroomFactory,
    DistrictAdminFactory,
    DistrictFactory,
    SchoolFactory,
    SessionFactory,
    StudentFactory,
)
from tests.pages import table

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[3]
REPORT = reverse("classrooms:fidelity")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def stored_and_counted() -> tuple[dict, dict]:
    """Every session's stored counts, and the same counted afresh from its rows."""
    sessions = Session.objects.order_by("pk")
    stored = {s["pk"]: (s["register_count"], s["present_count"]) for s in sessions.values("pk", "register_count", "present_count")}
    counted = {
        s["pk"]: (s["lines"], s["there"])
        for s in sessions.annotate(lines=Count("attendance"), there=Count("attendance", filter=Q(attendance__present=True))).values(
            "pk", "lines", "there"
        )
    }
    return stored, counted


def assert_in_step() -> dict:
    stored, counted = stored_and_counted()
    assert stored == counted
    return stored


def class_of(classroom, n: int) -> list:
    students = StudentFactory.create_batch(n, school=classroom.school)
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=s) for s in students)
    return students


def held_url(session) -> str:
    return reverse("classrooms:session_held", kwargs={"pk": session.classroom_id, "session_pk": session.pk})


def test_the_teachers_form_keeps_the_counts_when_taking_and_correcting_the_register(client):
    classroom = ClassroomFactory()
    ana, ben, cleo = class_of(classroom, 3)
    session = SessionFactory(classroom=classroom, starts_at=NOW - timedelta(days=1))
    other = SessionFactory(classroom=classroom, starts_at=NOW - timedelta(days=8))
    client.force_login(classroom.teachers.get())
    assert client.post(held_url(session), {"note": "", "away": [ben.pk]}).status_code == 302
    assert assert_in_step()[session.pk] == (3, 2)
    assert client.post(held_url(session), {"note": "", "away": [ben.pk]}).status_code == 302  # saved again, unchanged
    assert assert_in_step()[session.pk] == (3, 2)
    Enrollment.objects.filter(student=cleo).update(left_at=NOW)  # Cleo left: she stays on this register
    (dev,) = class_of(classroom, 1)  # and Dev joined: he is added to it
    assert client.post(held_url(session), {"note": "Corrected", "away": [ana.pk, ben.pk, cleo.pk]}).status_code == 302
    assert assert_in_step()[session.pk] == (4, 1)
    assert client.post(held_url(other), {"note": "", "away": []}).status_code == 302
    assert assert_in_step()[other.pk] == (3, 3)  # the class of that day: Ana, Ben and Dev
    refused = client.post(held_url(other), {"note": "", "away": [StudentFactory(school=classroom.school).pk]})
    assert refused.status_code == 200  # a student of another class: refused, nothing written
    assert assert_in_step()[other.pk] == (3, 3)


def test_a_class_without_students_is_held_with_a_register_of_nobody(client):
    classroom = ClassroomFactory()
    session = SessionFactory(classroom=classroom, starts_at=NOW - timedelta(days=1))
    client.force_login(classroom.teachers.get())
    client.post(held_url(session), {"note": ""})
    assert assert_in_step()[session.pk] == (0, 0)


def admin_form_data(response) -> dict:
    """What the admin's change form (and its inline rows) would post back unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            key, value = form.add_prefix(name), form[name].value()
            if isinstance(field.widget, MultiWidget):
                for i, part in enumerate(field.widget.decompress(value)):
                    data[f"{key}_{i}"] = "" if part is None else str(part)
            elif value is True:
                data[key] = "on"
            elif value is not None and value is not False:
                data[key] = str(value.pk if hasattr(value, "pk") else value)
    return data


@pytest.fixture
def staff(client, django_user_model):
    person = django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-staff-password-1")
    client.force_login(person)
    return person


def test_editing_the_register_in_the_admin_keeps_the_counts(client, staff):
    """Staff add a line, turn one to away and delete another on the session's admin page."""
    classroom = ClassroomFactory(school__time_zone="UTC")
    first, second, third = class_of(classroom, 3)
    session = SessionFactory(classroom=classroom, starts_at=NOW - timedelta(days=1), status=Session.Status.HELD)
    SessionAttendance.objects.bulk_create(SessionAttendance(session=session, student=s) for s in (first, second))
    Session.objects.filter(pk=session.pk).update(register_count=2, present_count=2)
    url = reverse("admin:classrooms_session_change", args=[session.pk])
    # Django's admin reads each inline line and its raw-id student by itself, showing the form and saving it: its
    # own N+1, on a staff page with a class's lines, not one of Heard's pages.
    with zeal_ignore():
        data = admin_form_data(client.get(url))
    lines = {int(data[f"attendance-{i}-student"]): i for i in range(2)}
    data[f"attendance-{lines[first.pk]}-DELETE"] = "on"
    data.pop(f"attendance-{lines[second.pk]}-present")  # unticked: away
    data.update({"attendance-TOTAL_FORMS": "3", "attendance-2-session": str(session.pk), "attendance-2-student": str(third.pk),
                 "attendance-2-present": "on"})  # fmt: skip
    with zeal_ignore():
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert dict(SessionAttendance.objects.values_list("student_id", "present")) == {second.pk: False, third.pk: True}
    assert assert_in_step()[session.pk] == (2, 1)


def test_deleting_students_in_the_admin_keeps_the_counts_of_their_registers(client, staff):
    """One student from their page, two more with the list's delete action; every session they were on is counted again."""
    classroom = ClassroomFactory()
    students = class_of(classroom, 5)
    held = [SessionFactory(classroom=classroom, starts_at=NOW - timedelta(days=d)) for d in (1, 8)]
    teacher = classroom.teachers.get()
    client.force_login(teacher)
    for session in held:
        client.post(held_url(session), {"note": "", "away": [students[0].pk, students[3].pk]})
    assert [assert_in_step()[s.pk] for s in held] == [(5, 3), (5, 3)]
    client.force_login(staff)
    response = client.post(reverse("admin:accounts_user_delete", args=[students[0].pk]), {"post": "yes"})
    assert response.status_code == 302
    assert [assert_in_step()[s.pk] for s in held] == [(4, 3), (4, 3)]
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [students[1].pk, students[3].pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not SessionAttendance.objects.filter(student__in=[students[1].pk, students[3].pk]).exists()
    assert [assert_in_step()[s.pk] for s in held] == [(2, 2), (2, 2)]


def test_seed_demo_keeps_the_counts_of_the_registers_it_takes():
    call_command("seed_demo")
    stored = assert_in_step()
    assert any(register for register, _present in stored.values())
    assert any(present < register for register, present in stored.values())


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_registers_taken_before_it_and_goes_back():
    """The registers taken before the counts existed are counted by 0010; the two migrations go back and forth."""
    before, counted = ("classrooms", "0009_session_register_counts"), ("classrooms", "0010_session_register_counts_backfill")
    classroom = ClassroomFactory()
    students = class_of(classroom, 4)
    sessions = [SessionFactory(classroom=classroom, starts_at=NOW - timedelta(days=d), status=Session.Status.HELD) for d in (1, 8, 15)]
    SessionAttendance.objects.bulk_create(
        [SessionAttendance(session=sessions[0], student=s, present=i != 1) for i, s in enumerate(students)]
        + [SessionAttendance(session=sessions[1], student=s, present=False) for s in students[:2]]
    )  # sessions[2] was held without a register
    # Written today, then taken back to before the counts existed: the rows stay, their counts start at 0.
    # (The classroom's own kept counts, 0011, are newer than 0009: the rows are written with today's models.)
    executor = MigrationExecutor(connection)
    executor.migrate([("classrooms", "0008_staged_roster")])
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    assert set(stored_and_counted()[0].values()) == {(0, 0)}  # written before the counts were kept
    executor = MigrationExecutor(connection)
    executor.migrate([counted])
    assert [assert_in_step()[s.pk] for s in sessions] == [(4, 3), (2, 0), (0, 0)]
    executor = MigrationExecutor(connection)
    executor.migrate([("classrooms", "0008_staged_roster")])
    columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(), "classrooms_session")}
    assert "register_count" not in columns and "present_count" not in columns
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert [assert_in_step()[s.pk] for s in sessions] == [(4, 3), (2, 0), (0, 0)]


def test_the_reports_present_figures_equal_the_registers_counted_by_hand(client, django_user_model):
    """A district of every kind of session, registers taken, corrected, of a student since deleted and of a session
    called off after all: each school's "Present" and the district's, against the rows counted here."""
    rng = random.Random(15)
    district = DistrictFactory()
    schools = [SchoolFactory(district=district, name=f"School {n}") for n in range(3)]
    for school in schools:
        for _ in range(rng.randint(1, 3)):
            classroom = ClassroomFactory(school=school)
            students = class_of(classroom, rng.randint(0, 6))
            client.force_login(classroom.teachers.get())
            for _ in range(rng.randint(1, 4)):
                status = rng.choice([Session.Status.PLANNED, Session.Status.HELD, Session.Status.CANCELLED])
                when = NOW - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 600))
                session = SessionFactory(classroom=classroom, starts_at=when, status=status)
                if status == Session.Status.HELD and students and rng.random() < 0.8:
                    for _take in range(rng.randint(1, 2)):  # taken, and sometimes corrected
                        away = [s.pk for s in students if rng.random() < 0.3]
                        assert client.post(held_url(session), {"note": "", "away": away}).status_code == 302
    gone = SessionAttendance.objects.order_by("pk").first().student
    client.force_login(django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-staff-password-1"))
    assert client.post(reverse("admin:accounts_user_delete", args=[gone.pk]), {"post": "yes"}).status_code == 302
    held = Session.objects.filter(status=Session.Status.HELD, attendance__isnull=False).order_by("pk").first()
    url = reverse("admin:classrooms_session_change", args=[held.pk])
    with zeal_ignore():  # the admin's own N+1 over the register's inline lines
        data = admin_form_data(client.get(url))
        data["status"] = Session.Status.CANCELLED  # called off after all, in the admin
        assert client.post(url, data).status_code == 302
    assert Session.objects.get(pk=held.pk).status == Session.Status.CANCELLED
    assert_in_step()
    client.force_login(DistrictAdminFactory(district=district))

    def by_hand(lines) -> str:
        lines = list(lines)
        there = sum(1 for line in lines if line.present)
        return f"{round(there * 100 / len(lines))}%" if lines else "no register yet"

    held_lines = SessionAttendance.objects.filter(session__status=Session.Status.HELD).select_related("session__classroom")
    rows, totals = table(client.get(REPORT).text, caption="Sessions per school")
    assert {r["School"]: r["Present"] for r in rows} == {
        s.name: by_hand(line for line in held_lines if line.session.classroom.school_id == s.pk) for s in schools
    }
    assert totals[0]["Present"] == by_hand(held_lines)
    for school in schools:
        classrooms, _totals = table(client.get(REPORT, {"school": school.pk}).text, caption="Sessions per classroom")
        assert sorted(r["Present"] for r in classrooms) == sorted(
            by_hand(line for line in held_lines if line.session.classroom_id == c.pk) for c in school.classrooms.all()
        )


WRITES_LINES = re.compile(r"(?<!class )SessionAttendance\(|SessionAttendance\.objects\.(?:bulk_)?create|attendance\.[^\n]*\.(?:update|delete)\(")


def test_whatever_writes_register_lines_keeps_the_counts():
    """A module of Heard (or a bench) that writes register rows is the register's services, or counts them again
    (``session_registers_recount``): a new way to write the register cannot forget the counts unseen."""
    writers = {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("**/*.py")
        if not {".venv", "tests", "migrations", "var", "node_modules"} & set(path.relative_to(ROOT).parts)
        and WRITES_LINES.search(path.read_text(encoding="utf-8"))
    }
    assert "classrooms/program/services.py" in writers  # the pattern finds the writer it must
    forgetful = [
        p for p in writers - {"classrooms/program/services.py"} if "session_registers_recount" not in (ROOT / p).read_text(encoding="utf-8")
    ]
    assert forgetful == []
