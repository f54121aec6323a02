"""The lesson library for the adults of a school: browsing by program, grades, theme, kind and words; who may."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.models import Lesson
from tests.factories import (
    ActivityFactory,
    CounselorFactory,
    DistrictAdminFactory,
    LessonFactory,
    SchoolAdminFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db
LIBRARY = reverse("curriculum:library")


def shipped(**fields):
    """A lesson of the shipped library (no owner), as the loader writes one."""
    return LessonFactory(owner=None, school=None, **fields)


def lesson_titles(response) -> list[str]:
    return [a.text for a in parse(response.text).find_all("a", class_="library-lesson__title")]


def group_headings(response) -> list[str]:
    return [h.text for h in parse(response.text).find("main").find_all("h2")]


@pytest.fixture
def library():
    """A small library instead of the loaded one: two Baby-visits lessons of one theme and two Caring-community ones."""
    Lesson.objects.filter(owner__isnull=True).delete()  # the shipped files' lessons: this test's own stand in
    visit = shipped(slug="test-bv-35-04-visit", program="baby_visits", band="3_5", theme=4, theme_title="Crying",
                    part="family_visit", title="Why babies cry", home_link="Ask your child about crying.",
                    search_text="why babies cry crying the baby cries when hungry")
    pre = shipped(slug="test-bv-35-04-pre", program="baby_visits", band="3_5", theme=4, theme_title="Crying",
                  part="pre_visit", title="Getting ready for tears", home_link="Ask your child.",
                  search_text="getting ready for tears crying")
    fair = shipped(slug="test-cc-68-02", band="6_8", theme=2, theme_title="Fairness", title="Fair or equal?",
                   search_text="fair or equal? fairness sharing")
    circle = shipped(slug="test-cc-35-03", theme=3, theme_title="Listening", title="The listening circle",
                     search_text="the listening circle listening")
    ActivityFactory(lesson=visit, kind="feelings_guess", content={
        "key_source": "baby_visit", "scenario": "The baby cries.", "why_prompt": "What told you?"})
    ActivityFactory(lesson=pre)
    ActivityFactory(lesson=fair, kind="dilemma", content={
        "situation": "One cake.", "options": ["Cut it even", "Give more to the hungry", "Take turns"], "reason_prompt": "Why?"})
    ActivityFactory(lesson=circle, kind="listening_circle", content={"topic": "A time you were heard."})
    return {"visit": visit, "pre": pre, "fair": fair, "circle": circle}


def test_a_teacher_sees_the_library_grouped_by_program_grades_and_theme_in_teaching_order(client, library):
    client.force_login(TeacherFactory())
    response = client.get(LIBRARY)
    assert response.status_code == 200
    headings = group_headings(response)
    assert headings.index("Baby visits · Grades 3-5") < headings.index("Caring community · Grades 3-5") < headings.index(
        "Caring community · Grades 6-8"
    )
    titles = lesson_titles(response)
    assert titles.index("Getting ready for tears") < titles.index("Why babies cry")  # the pre-visit lesson first
    assert "Theme 4: Crying" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"program": "baby_visits", "band": "3_5"}, {"Why babies cry", "Getting ready for tears"}),
        ({"band": "6_8"}, {"Fair or equal?"}),
        ({"kind": "listening_circle"}, {"The listening circle"}),
        ({"kind": "feelings_guess", "band": "3_5"}, {"Why babies cry"}),
        ({"q": "baby CRIES"}, {"Why babies cry"}),  # every word, in any case
        ({"q": "crying", "program": "baby_visits", "theme": "4"}, {"Why babies cry", "Getting ready for tears"}),
        ({"q": "sharing fair"}, {"Fair or equal?"}),
        ({"q": "nothing-like-this"}, set()),
    ],
)
def test_a_teacher_narrows_the_library_by_filters_and_words(client, library, query, expected):
    client.force_login(TeacherFactory())
    response = client.get(LIBRARY, query)
    assert set(lesson_titles(response)) == expected
    found = len(expected)
    assert f"{found} lesson{'s' if found != 1 else ''} found." in response.text
    if not expected:
        assert "No lesson matches." in response.text


def test_a_choice_that_is_not_one_is_shown_beside_its_filter_and_leaves_the_list_whole(client, library):
    client.force_login(TeacherFactory())
    response = client.get(LIBRARY, {"kind": "<script>alert(1)</script>", "theme": "99"})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert "is-invalid" in response.text
    assert "Why babies cry" in lesson_titles(response)


def test_a_teachers_own_lessons_come_first_and_nobody_elses_are_listed(client, library):
    teacher = TeacherFactory()
    LessonFactory(owner=teacher, title="My version of the circle")
    LessonFactory(owner=TeacherFactory(school=teacher.school), title="A colleague's circle")
    LessonFactory(title="Another school's circle")
    client.force_login(teacher)
    response = client.get(LIBRARY)
    assert group_headings(response)[0] == "My lessons"
    titles = lesson_titles(response)
    assert titles[0] == "My version of the circle"
    assert "A colleague's circle" not in titles and "Another school's circle" not in titles


@pytest.mark.parametrize("person", [CounselorFactory, SchoolAdminFactory, DistrictAdminFactory])
def test_every_adult_of_a_school_or_district_browses_the_library_but_only_teachers_write(client, person):
    client.force_login(person())
    response = client.get(LIBRARY)
    assert response.status_code == 200
    assert reverse("curriculum:lesson_create") not in response.text
    assert client.get(reverse("curriculum:lesson_create")).status_code == 404


def test_a_student_meets_a_404_on_every_library_page(client, library):
    student = StudentFactory()
    own = LessonFactory(owner=TeacherFactory(school=student.school))
    activity = ActivityFactory(lesson=own)
    client.force_login(student)
    lesson = Lesson.objects.filter(owner__isnull=True).first()  # one of the fixture's shipped lessons
    for url in (
        LIBRARY, lesson.get_absolute_url(), reverse("curriculum:lesson_preview", args=[lesson.pk]),
        reverse("curriculum:lesson_create"), own.get_absolute_url(), reverse("curriculum:lesson_edit", args=[own.pk]),
        reverse("curriculum:activity_edit", args=[own.pk, activity.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("curriculum:lesson_copy", args=[lesson.pk])).status_code == 404
    assert "Lesson library" not in client.get(reverse("dashboard")).text  # nor is it in their menu


def test_the_teachers_menu_and_home_page_lead_to_the_library(client):
    client.force_login(TeacherFactory())
    home = parse(client.get(reverse("dashboard")).text)
    menu = home.find("nav", aria_label="Main")
    assert any(a.attrs.get("href") == LIBRARY for a in menu.find_all("a"))
    assert any(a.attrs.get("href") == LIBRARY for a in home.find("main").find_all("a"))
    page = parse(client.get(LIBRARY).text).find("nav", aria_label="Main")
    assert [a.text for a in page.find_all("a", aria_current="page")] == ["Lesson library"]


def test_the_library_costs_the_same_queries_for_2_or_20_lessons(client):
    teacher = TeacherFactory()
    client.force_login(teacher)

    def queries(n):
        Lesson.objects.exclude(slug="bv-k2-01-visit").delete()
        for i in range(n):
            lesson = shipped(theme=1 + i % 5, title=f"Lesson {i}") if i % 2 else LessonFactory(owner=teacher, theme=1 + i % 5)
            ActivityFactory(lesson=lesson)
            ActivityFactory(lesson=lesson, kind="listening_circle", content={"topic": "Being heard."})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIBRARY, {"q": "lesson", "kind": "listening_circle"})
        assert response.status_code == 200 and len(lesson_titles(response)) == n
        return len(captured)

    few, many = queries(2), queries(20)
    print(f"library page: {few} queries with 2 lessons, {many} with 20")
    assert few == many
