"""The classroom page is built from the sections apps register, so a new app adds its card without the page importing it."""

import pytest
from django.urls import reverse

from classrooms import sections
from classrooms.sections import MAIN, SIDE, ClassroomSection, section_register, sections_registered
from tests.factories import ClassroomFactory, StudentFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch_registry(monkeypatch):
    """The registry as the apps filled it, restored after the test."""
    monkeypatch.setattr(sections, "_registry", dict(sections._registry))


@pytest.fixture
def lessons_template(settings, tmp_path):
    """A template a future app would ship, in a folder the template loader searches."""
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "_section.html").write_text(
        '<section aria-labelledby="lessons-heading"><h2 id="lessons-heading">Lessons</h2>'
        "<p>{{ count }} lessons for {{ classroom.name }}</p>{% if roster %}LEAKED{% endif %}</section>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    return "lessons/_section.html"


def headings(response) -> list[str]:
    return [h.text for h in parse(response.text).find("main").find_all("h2")]


def test_classrooms_registers_its_own_sections_in_page_order():
    assert [(s.key, s.column) for s in sections_registered()] == [
        ("sessions", MAIN), ("roster", MAIN), ("visits", MAIN), ("join_code", SIDE), ("calendar", SIDE),
    ]


def test_a_teacher_sees_sessions_and_roster_first_then_the_join_code_and_calendar(client):
    classroom = ClassroomFactory(students=[StudentFactory()])
    client.force_login(classroom.teachers.get())
    assert [h.split()[0] for h in headings(client.get(classroom.get_absolute_url()))] == [
        "Sessions", "Students", "Join", "Calendar",
    ]


def test_a_student_sees_only_the_sections_meant_for_them(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    client.force_login(student)
    assert headings(client.get(classroom.get_absolute_url())) == ["Coming up"]


def test_a_section_another_app_registers_appears_with_only_its_own_data(client, scratch_registry, lessons_template):
    """What curriculum will do in its AppConfig.ready(): the page shows the card; the card cannot see the roster."""
    classroom = ClassroomFactory(name="Room Fern", students=[StudentFactory()])
    section_register(ClassroomSection("lessons", lessons_template, lambda request, c, can_manage: {"count": 3}, order=15))
    client.force_login(classroom.teachers.get())
    page = client.get(reverse("classrooms:detail", args=[classroom.pk]))
    assert [h.split()[0] for h in headings(page)][:3] == ["Sessions", "Lessons", "Students"]
    assert "3 lessons for Room Fern" in page.text
    assert "LEAKED" not in page.text  # the roster section's data stays the roster's


def test_a_section_with_nothing_for_this_person_is_left_out(client, scratch_registry, lessons_template):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    section_register(ClassroomSection("lessons", lessons_template, lambda request, c, can_manage: None))
    client.force_login(student)
    assert "Lessons" not in headings(client.get(classroom.get_absolute_url()))


def test_two_apps_cannot_register_the_same_section_name(scratch_registry):
    with pytest.raises(ValueError, match="already registered"):
        section_register(ClassroomSection("roster", "x.html", lambda request, c, can_manage: {}))
    with pytest.raises(ValueError, match="column"):
        section_register(ClassroomSection("other", "x.html", lambda request, c, can_manage: {}, column="footer"))
