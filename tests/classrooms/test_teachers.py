"""Who teaches a classroom: the school's admin assigns and removes teachers; a teacher invites a colleague."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from notifications.models import Notification
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    SchoolAdminFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.pages import parse, section_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    """A classroom as the roster import leaves it: students, no teacher."""
    classroom = ClassroomFactory(teachers=[], name="Room 7")
    classroom.enrollments.create(student=StudentFactory(school=classroom.school))
    return classroom


@pytest.fixture
def admin(imported):
    return SchoolAdminFactory(school=imported.school)


def teachers_url(classroom):
    return reverse("classrooms:teachers", args=[classroom.pk])


def remove_url(classroom, teacher):
    return reverse("classrooms:teacher_remove", args=[classroom.pk, teacher.pk])


def test_an_imported_classroom_says_it_has_no_teacher_and_links_the_admin_to_assign_one(client, imported, admin):
    client.force_login(admin)
    page = client.get(imported.get_absolute_url()).text
    roster = section_text(page, "roster-heading")
    assert "This classroom has no teacher yet." in roster
    link = parse(page).find("a", href=teachers_url(imported))
    assert link.text == "Assign a teacher"


def test_the_admin_assigns_a_teacher_who_is_told_and_then_teaches_it(client, imported, admin, django_capture_on_commit_callbacks):
    rivera = TeacherFactory(school=imported.school, first_name="Ana", last_name="Rivera")
    client.force_login(admin)
    form = client.get(teachers_url(imported)).text
    assert "Ana Rivera" in form and "Assign as teacher" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(teachers_url(imported), {"teacher": rivera.pk})
    assert response.status_code == 302
    assert list(imported.teachers.all()) == [rivera]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TEACHER_ADDED, actor=admin, subject=rivera).count() == 1
    notice = Notification.objects.get(recipient=rivera, kind=Notification.Kind.TEACHER_ADDED)
    assert "Room 7" in notice.title and notice.url == imported.get_absolute_url()
    assert notice.email_status == Notification.EmailStatus.PENDING  # she has an address: e-mailed too
    client.force_login(rivera)
    page = client.get(imported.get_absolute_url())
    assert page.status_code == 200 and "Ana Rivera" in section_text(page.text, "roster-heading")


def test_a_teacher_invites_a_colleague_as_co_teacher(client):
    classroom = ClassroomFactory()
    teacher = classroom.teachers.get()
    colleague = TeacherFactory(school=classroom.school, first_name="Ben", last_name="Okafor")
    client.force_login(teacher)
    page = client.get(teachers_url(classroom)).text
    assert "Invite a colleague as co-teacher" in page and "Add as co-teacher" in page
    assert "Remove" not in section_text(page, "current-teachers")  # a teacher adds; the admin removes
    assert client.post(teachers_url(classroom), {"teacher": colleague.pk}).status_code == 302
    assert set(classroom.teachers.all()) == {teacher, colleague}
    assert Notification.objects.filter(recipient=colleague, kind=Notification.Kind.TEACHER_ADDED).count() == 1
    assert client.post(teachers_url(classroom), {"teacher": colleague.pk}).status_code == 200  # no longer offered
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TEACHER_ADDED).count() == 1


@pytest.mark.parametrize("who", ["other_school_teacher", "student", "counselor", "inactive_teacher", "no_one", "huge"])
def test_only_an_active_teacher_of_the_school_can_be_chosen(client, imported, admin, who):
    """Another school's teacher, a student, a counselor: a form error on the page, never a 500 and never their name."""
    elsewhere = TeacherFactory(first_name="Zed", last_name="Elsewhere")
    chosen = {
        "other_school_teacher": elsewhere.pk,
        "student": StudentFactory(school=imported.school, first_name="Zed", last_name="Pupil").pk,
        "counselor": CounselorFactory(school=imported.school, first_name="Zed", last_name="Counsel").pk,
        "inactive_teacher": TeacherFactory(school=imported.school, is_active=False, first_name="Zed", last_name="Gone").pk,
        "no_one": 987654,
        "huge": "99999999999999999999999",
    }[who]
    client.force_login(admin)
    response = client.post(teachers_url(imported), {"teacher": chosen})
    assert response.status_code == 200
    assert "Choose a teacher of this classroom&#x27;s school from the list." in response.text
    assert "Zed" not in response.text
    assert not imported.teachers.exists()
    assert not AuditEvent.objects.exists() and not Notification.objects.exists()


def test_the_admin_removes_a_co_teacher_and_then_the_last_one(client):
    first, second = TeacherFactory(), None
    classroom = ClassroomFactory(school=first.school, teachers=[first])
    second = TeacherFactory(school=classroom.school)
    classroom.teachers.add(second)
    admin = SchoolAdminFactory(school=classroom.school)
    client.force_login(admin)
    assert client.post(remove_url(classroom, second)).status_code == 302
    assert list(classroom.teachers.all()) == [first]
    page = client.get(teachers_url(classroom)).text
    form = parse(page).find("form", action=remove_url(classroom, first))
    assert "The classroom will have no teacher until you assign one." in form.attrs["data-confirm"]
    assert client.post(remove_url(classroom, first)).status_code == 302
    assert not classroom.teachers.exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TEACHER_REMOVED, actor=admin).count() == 2
    # The classroom stays, with its "no teacher" notice and the way to assign one; the teacher no longer opens it.
    assert "This classroom has no teacher yet." in client.get(classroom.get_absolute_url()).text
    client.force_login(first)
    assert client.get(classroom.get_absolute_url()).status_code == 404


def test_a_teacher_cannot_remove_a_colleague(client):
    classroom = ClassroomFactory()
    teacher = classroom.teachers.get()
    colleague = TeacherFactory(school=classroom.school)
    classroom.teachers.add(colleague)
    client.force_login(teacher)
    assert client.post(remove_url(classroom, colleague)).status_code == 404
    assert classroom.teachers.count() == 2 and not AuditEvent.objects.exists()


def test_another_schools_admin_cannot_open_or_change_the_teachers(client, imported):
    rivera = TeacherFactory(school=imported.school)
    client.force_login(SchoolAdminFactory())
    assert client.get(teachers_url(imported)).status_code == 404
    assert client.post(teachers_url(imported), {"teacher": rivera.pk}).status_code == 404
    assert not imported.teachers.exists()


def test_the_teachers_page_costs_the_same_for_2_or_12_teachers(client):
    def queries(n):
        classroom = ClassroomFactory(teachers=[])
        for _ in range(n):
            classroom.teachers.add(TeacherFactory(school=classroom.school))
            TeacherFactory(school=classroom.school)  # and as many colleagues to choose from
        client.force_login(SchoolAdminFactory(school=classroom.school))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(teachers_url(classroom))
        assert response.status_code == 200 and response.text.count("<option value=") == n + 1  # the empty choice too
        return len(captured)

    few, many = queries(2), queries(12)
    print(f"teachers page: {few} queries with 2 teachers, {many} with 12")
    assert few == many
