"""The adult who leads a classroom's family visits may open that classroom, read-only, to prepare."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms.models import Session
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
    ThemeFactory,
    VisitingFamilyFactory,
)
from tests.pages import section_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit():
    student = StudentFactory(first_name="Zora", last_name="Quill")
    classroom = ClassroomFactory(students=[student])
    family = VisitingFamilyFactory(classroom=classroom)
    theme = ThemeFactory(classroom=classroom, family=family, instructor=CounselorFactory(school=classroom.school))
    return SessionFactory(classroom=classroom, theme=theme, kind=Session.Kind.FAMILY_VISIT,
                          starts_at=timezone.now() + timedelta(days=2), note="Teacher-only note")


def test_the_instructor_opens_the_classroom_without_its_roster(client, visit):
    client.force_login(visit.theme.instructor)
    page = client.get(reverse("classrooms:detail", kwargs={"pk": visit.classroom_id}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zora" not in html and "Quill" not in html  # no student data
    assert visit.classroom.join_code_display not in html
    sessions = client.get(reverse("classrooms:sessions", kwargs={"pk": visit.classroom_id}))
    assert sessions.status_code == 200 and "Teacher-only note" not in sessions.content.decode()
    for name in ("program_year", "cards", "students_add"):
        assert client.get(reverse(f"classrooms:{name}", kwargs={"pk": visit.classroom_id})).status_code == 404


def test_another_counselor_or_teacher_cannot(client, visit):
    for outsider in (CounselorFactory(school=visit.classroom.school), TeacherFactory(school=visit.classroom.school)):
        client.force_login(outsider)
        assert client.get(reverse("classrooms:detail", kwargs={"pk": visit.classroom_id})).status_code == 404


def test_a_teacher_who_instructs_another_class_sees_it_listed_but_not_as_taught(client, visit):
    teacher = TeacherFactory(school=visit.classroom.school)
    visit.theme.instructor = teacher
    visit.theme.save()
    client.force_login(teacher)
    assert visit.classroom.name in client.get(reverse("classrooms:list")).content.decode()
    assert visit.classroom.name not in section_text(client.get(reverse("dashboard")).text, "classes-heading")
    assert client.post(reverse("classrooms:code_regenerate", kwargs={"pk": visit.classroom_id})).status_code == 404
