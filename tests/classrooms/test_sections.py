"""The classroom page is built from the sections apps register, so a new app adds its part without the page importing it.

For the people who run a classroom the page is a summary and one tab per section: each section names its
tab and may add a line to the summary, rendered with that section's data only.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms import sections
from classrooms.models import Session
from classrooms.sections import ClassroomSection, section_register, sections_registered
from tests.factories import ClassroomFactory, SchoolAdminFactory, SessionFactory, StudentFactory
from tests.pages import definitions, parse

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
    (tmp_path / "lessons" / "_summary.html").write_text(
        "<div><dt>Lessons</dt><dd>{{ count }} to teach{% if roster %} LEAKED{% endif %}</dd></div>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    return "lessons/_section.html"


def headings(response) -> list[str]:
    return [h.text for h in parse(response.text).find("main").find_all("h2")]


def tabs(response) -> list[tuple[str, str]]:
    """The tab links of the page: (name, where it leads)."""
    found = parse(response.text).find("ul", **{"data-tabs-list": ""})
    return [(a.text, a.attrs["href"]) for a in found.find_all("a")]


def panels(response) -> list[str]:
    return [div.attrs["id"] for div in parse(response.text).find_all("div", **{"data-tab-panel": ""})]


def summary(response) -> dict[str, str]:
    return definitions(response.text, class_="classroom-summary")


def test_classrooms_registers_its_own_sections_in_page_order():
    """Curriculum's "Live now" (registered in its own ready()) comes first, its "Assignments" and "Story wall" after the students."""
    assert [(s.key, str(s.title)) for s in sections_registered()] == [
        ("live", "Live now"), ("sessions", "Sessions"), ("roster", "Students"), ("assignments", "Assignments"),
        ("stories", "Story wall"), ("visits", "Family visits"), ("join_code", "Join code"), ("calendar", "Calendar"),
    ]


def test_a_teacher_gets_one_tab_per_section_each_a_link_to_its_section(client):
    """Without JavaScript the tabs are links to the sections, all on the page; tabs.js shows one at a time."""
    classroom = ClassroomFactory(students=[StudentFactory()])
    client.force_login(classroom.teachers.get())
    page = client.get(classroom.get_absolute_url())
    assert tabs(page) == [
        ("Sessions", "#sessions"), ("Students", "#roster"), ("Assignments", "#assignments"), ("Story wall", "#stories"),
        ("Join code", "#join_code"), ("Calendar", "#calendar"),
    ]
    assert panels(page) == ["sessions", "roster", "assignments", "stories", "join_code", "calendar"]
    assert [h.split()[0] for h in headings(page)] == ["Sessions", "Students", "Assignments", "Story", "Join", "Calendar"]
    assert '<script src="/static/js/tabs.js' in page.text


def test_the_summary_says_what_comes_next_what_to_mark_how_many_students_and_the_join_code(client):
    now = timezone.now()
    classroom = ClassroomFactory(students=[StudentFactory(), StudentFactory()])
    SessionFactory(classroom=classroom, starts_at=now - timedelta(days=9))  # over, never marked
    SessionFactory(classroom=classroom, starts_at=now - timedelta(days=2))  # over, never marked
    SessionFactory(classroom=classroom, starts_at=now - timedelta(days=20), status=Session.Status.HELD)
    SessionFactory(classroom=classroom, starts_at=now - timedelta(minutes=10))  # under way: not yet to mark
    coming = SessionFactory(classroom=classroom, starts_at=now + timedelta(days=3))
    client.force_login(classroom.teachers.get())
    page = client.get(classroom.get_absolute_url())
    facts = summary(page)
    local = timezone.localtime(coming.starts_at, classroom.school.zone)
    assert facts["Next session"] == f"{local:%a} {local.day} {local:%b} · {local:%H:%M} Lesson"
    assert facts["To mark"] == "2 sessions to mark"
    assert facts["Students"] == "2 students"
    assert facts["Join code"] == f"{classroom.join_code_display} Show it full screen"
    assert reverse("classrooms:code_display", args=[classroom.pk]) in page.text


def test_a_classroom_with_nothing_to_mark_says_so(client):
    classroom = ClassroomFactory()
    client.force_login(classroom.teachers.get())
    facts = summary(client.get(classroom.get_absolute_url()))
    assert facts["To mark"] == "Nothing to mark"
    assert facts["Next session"] == "Set up the program year"
    assert facts["Students"] == "0 students"


def test_a_student_sees_only_the_sections_meant_for_them_without_tabs_or_summary(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    client.force_login(student)
    page = client.get(classroom.get_absolute_url())
    assert headings(page) == ["Coming up", "My work for this class", "Story wall"]
    assert "data-tabs-list" not in page.text
    assert "classroom-summary" not in page.text


def test_a_section_another_app_registers_appears_with_only_its_own_data(client, scratch_registry, lessons_template):
    """What curriculum will do in its AppConfig.ready(): the page shows its tab, its card and its summary line;
    neither can see the roster."""
    classroom = ClassroomFactory(name="Room Fern", students=[StudentFactory()])
    section_register(
        ClassroomSection(
            "lessons", lessons_template, lambda request, c, can_manage: {"count": 3}, title="Lessons",
            summary_template="lessons/_summary.html", order=15,
        )
    )
    client.force_login(classroom.teachers.get())
    page = client.get(reverse("classrooms:detail", args=[classroom.pk]))
    assert [name for name, _ in tabs(page)][:3] == ["Sessions", "Lessons", "Students"]
    assert [h.split()[0] for h in headings(page)][:3] == ["Sessions", "Lessons", "Students"]
    assert "3 lessons for Room Fern" in page.text
    assert summary(page)["Lessons"] == "3 to teach"
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
    with pytest.raises(ValueError, match="plain name"):
        section_register(ClassroomSection("two words", "x.html", lambda request, c, can_manage: {}))


def test_the_summary_tells_the_admin_a_classroom_has_no_teacher(client):
    """As the roster import leaves a classroom: the admin reads it at the top, not in the Students tab only."""
    classroom = ClassroomFactory(teachers=[], students=[StudentFactory()])
    client.force_login(SchoolAdminFactory(school=classroom.school))
    facts = summary(client.get(classroom.get_absolute_url()))
    assert facts["Teachers"] == "This classroom has no teacher yet."
    other = ClassroomFactory(school=classroom.school)
    client.force_login(other.teachers.get())
    assert "Teachers" not in summary(client.get(other.get_absolute_url()))
