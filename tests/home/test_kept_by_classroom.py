"""Pages kept by classroom (accounts.data_versions): a student's or teacher's page that read work or live runs is
kept until someone of one of their own classrooms writes those, so one class at work leaves the other classes'
pages kept, and what is kept is what a fresh drawing shows. An admin's page is still kept by the school's writes,
and a change to who is in a classroom redraws the pages kept by it."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import data_versions
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EnrollmentFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.home.test_kept_pages import KEPT_QUERIES, _kept, later, sign_in  # noqa: F401 (_kept: the page cache on)

pytestmark = pytest.mark.django_db(transaction=True)  # the marks are set on commit, as on the site
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def school():
    """Two classes of one school at work on an assignment each."""
    school = SchoolFactory(name="Maple Elementary")
    rooms = {}
    for name in ("Sunflower", "Oak"):
        teacher = TeacherFactory(school=school)
        students = StudentFactory.create_batch(2, school=school)
        classroom = ClassroomFactory(school=school, name=f"Room {name}", teachers=[teacher], students=students)
        assignment = AssignmentFactory(classroom=classroom, students=students, title=f"Baby diary {name}")
        rooms[name] = {"classroom": classroom, "teacher": teacher, "students": students, "assignment": assignment}
    return rooms


def as_(client, user):
    return sign_in(type(client)(), user)


def look(client, path) -> tuple[int, str]:
    """The page's queries and its <main>, without the forms' CSRF tokens (masked anew at every drawing)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), TOKEN.sub("", response.text.split("<main", 1)[1])


def drawn_now(client, path) -> str:
    """The page as a drawing shows it now, past every cache."""
    with override_settings(PAGE_CACHE=False):
        return look(client, path)[1]


def save_draft(client, room, student, text):
    submission = room["assignment"].submissions.get(student=student)
    save = reverse("curriculum:submission_save", args=[submission.pk])
    answer = {"answer_form": "1", "text": text}
    assert as_(client, student).post(save, answer, HTTP_HX_REQUEST="true").status_code == 200


def turn_in(client, room, student, text):
    submission = room["assignment"].submissions.get(student=student)
    answer = {"answer_form": "1", "text": text}
    turn_in = reverse("curriculum:submission_turn_in", args=[submission.pk])
    assert as_(client, student).post(turn_in, answer).status_code == 302


def test_another_class_at_work_leaves_a_teachers_pages_kept_and_their_own_class_redraws_them(client, school, time_machine):
    sunflower, oak = school["Sunflower"], school["Oak"]
    teacher = as_(client, sunflower["teacher"])
    pages = [
        reverse("classrooms:detail", args=[sunflower["classroom"].pk]),
        reverse("curriculum:classroom_assignments", args=[sunflower["classroom"].pk]),
        reverse("dashboard"),
    ]
    first = {path: look(teacher, path)[1] for path in pages}
    assert all(look(teacher, path) == (KEPT_QUERIES, first[path]) for path in pages)
    later(time_machine)
    save_draft(client, oak, oak["students"][0], "The baby smiled at me")
    turn_in(client, oak, oak["students"][1], "The baby was sleepy")
    for path in pages:
        assert look(teacher, path) == (KEPT_QUERIES, first[path])  # kept through Room Oak's work
        assert drawn_now(teacher, path) == first[path]  # and what it keeps is what a drawing shows
    later(time_machine)
    turn_in(client, sunflower, sunflower["students"][0], "As the baby I see light.")
    drawn, page = look(teacher, pages[0])
    assert drawn > KEPT_QUERIES and "1 turned in" in page and "1 turned in" not in first[pages[0]]
    assert look(teacher, pages[1])[0] > KEPT_QUERIES
    assert look(teacher, pages[2])[0] > KEPT_QUERIES  # the home page's work to mark


def test_a_students_home_is_kept_through_another_class_at_work(client, school, time_machine):
    sunflower, oak = school["Sunflower"], school["Oak"]
    student = as_(client, sunflower["students"][1])
    home = reverse("dashboard")
    _, first = look(student, home)
    assert look(student, home) == (KEPT_QUERIES, first)
    later(time_machine)
    save_draft(client, oak, oak["students"][0], "The baby smiled at me")
    turn_in(client, oak, oak["students"][1], "The baby was sleepy")
    assert look(student, home) == (KEPT_QUERIES, first)
    assert drawn_now(student, home) == first
    later(time_machine)
    turn_in(client, sunflower, sunflower["students"][0], "As the baby I see light.")  # a classmate's work
    assert look(student, home)[0] > KEPT_QUERIES


def test_a_students_to_do_is_kept_through_another_class_and_redrawn_by_their_teacher(client, school, time_machine):
    sunflower, oak = school["Sunflower"], school["Oak"]
    mia = sunflower["students"][0]
    student = as_(client, mia)
    to_do = reverse("curriculum:my_work")
    _, first = look(student, to_do)
    assert look(student, to_do) == (KEPT_QUERIES, first)
    later(time_machine)
    save_draft(client, oak, oak["students"][0], "The baby smiled at me")
    assert look(student, to_do) == (KEPT_QUERIES, first)
    assert drawn_now(student, to_do) == first
    later(time_machine)
    # Her teacher excuses her: a teacher's write is marked for the classrooms they teach.
    excuse = reverse("curriculum:submission_excuse", args=[sunflower["assignment"].submissions.get(student=mia).pk])
    assert as_(client, sunflower["teacher"]).post(excuse).status_code == 302
    drawn, page = look(student, to_do)
    assert drawn > KEPT_QUERIES and page == drawn_now(student, to_do) and page != first


def test_an_admins_page_is_still_redrawn_by_any_class_at_work(client, school, time_machine):
    sunflower, oak = school["Sunflower"], school["Oak"]
    admin = as_(client, SchoolAdminFactory(school=sunflower["classroom"].school))
    page = reverse("classrooms:detail", args=[sunflower["classroom"].pk])
    look(admin, page)
    assert look(admin, page)[0] == KEPT_QUERIES
    later(time_machine)
    save_draft(client, oak, oak["students"][0], "The baby smiled at me")
    assert look(admin, page)[0] > KEPT_QUERIES


def test_a_student_joining_the_class_redraws_its_teachers_page(client, school, time_machine):
    sunflower = school["Sunflower"]
    teacher = as_(client, sunflower["teacher"])
    grid = reverse("curriculum:classroom_assignments", args=[sunflower["classroom"].pk])
    look(teacher, grid)
    assert look(teacher, grid)[0] == KEPT_QUERIES
    later(time_machine)
    newcomer = StudentFactory(school=sunflower["classroom"].school, first_name="Zoe", last_name="Newcomb")
    join = reverse("classrooms:join")
    joined = as_(client, newcomer).post(join, {"code": sunflower["classroom"].join_code})
    assert joined.status_code in (200, 302)
    drawn, page = look(teacher, grid)
    assert drawn > KEPT_QUERIES and "Newcomb" in page


def test_a_writer_whose_classrooms_cannot_be_listed_marks_the_whole_school(client, school, time_machine, monkeypatch):
    """Failing closed: the school's mark of the table, which every page kept by classroom also reads."""
    sunflower, oak = school["Sunflower"], school["Oak"]
    teacher = as_(client, sunflower["teacher"])
    page = reverse("classrooms:detail", args=[sunflower["classroom"].pk])
    look(teacher, page)
    assert look(teacher, page)[0] == KEPT_QUERIES
    later(time_machine)

    def broken(user):
        raise RuntimeError("no classrooms today")

    monkeypatch.setitem(data_versions._classroom_source, "of", broken)
    save_draft(client, oak, oak["students"][0], "The baby smiled at me")
    monkeypatch.undo()
    assert look(teacher, page)[0] > KEPT_QUERIES


def test_enrolled_elsewhere_too_a_students_work_marks_each_of_their_classrooms(client, school, time_machine):
    """A student in both classes: her work in Room Oak redraws Room Sunflower's teacher's pages too (the marks are
    the writer's classrooms, so whoever shares one with her sees it)."""
    sunflower, oak = school["Sunflower"], school["Oak"]
    both = oak["students"][0]
    EnrollmentFactory(classroom=sunflower["classroom"], student=both)
    teacher = as_(client, sunflower["teacher"])
    page = reverse("classrooms:detail", args=[sunflower["classroom"].pk])
    look(teacher, page)
    assert look(teacher, page)[0] == KEPT_QUERIES
    later(time_machine)
    save_draft(client, oak, both, "The baby smiled at me")
    assert look(teacher, page)[0] > KEPT_QUERIES
