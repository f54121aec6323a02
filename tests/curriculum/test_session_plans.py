"""The lesson each session of a program year teaches: chosen by the teacher from the library, or, in a
family-visits year, the Baby-visits lessons planned in order; shown on the sessions list."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classrooms.models import ProgramYear, Session, Theme
from classrooms.program.recurrence import Recurrence
from classrooms.program.services import program_year_set
from curriculum.library.services import session_plan_set
from curriculum.models import Lesson, SessionPlan
from tests.factories import (
    ActivityFactory,
    ClassroomFactory,
    CounselorFactory,
    LessonFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
    ThemeFactory,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db
SEPTEMBER = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
PARTS = {Session.Kind.PRE_VISIT: "pre", Session.Kind.FAMILY_VISIT: "visit", Session.Kind.POST_VISIT: "post"}
PART_OF = {"pre": "pre_visit", "visit": "family_visit", "post": "post_visit"}


@pytest.fixture
def september(time_machine):
    time_machine.move_to(SEPTEMBER, tick=False)
    return time_machine


def baby_visits_lessons(band: str, themes=range(1, 10)) -> dict[str, Lesson]:
    """The Baby-visits lessons of a band, as the shipped files will hold them (bv-35-04-post...)."""
    found = {}
    for number in themes:
        for part in ("pre", "visit", "post"):
            slug = f"bv-{band.replace('_', '')}-{number:02d}-{part}"
            found[slug] = Lesson.objects.filter(slug=slug).first() or LessonFactory(
                owner=None, school=None, slug=slug, program="baby_visits", band=band, theme=number,
                theme_title=f"Theme {number}", part=PART_OF[part], title=f"{slug} lesson", home_link="Ask at home.",
            )
    return found


def visits_year(classroom, by, **overrides):
    fields = {"first_month": date(2026, 10, 1), "last_month": date(2027, 6, 1), "at": time(10, 0),
              "time_zone": classroom.school.time_zone, "ordinal": 2, "weekday": 2}
    return program_year_set(
        classroom=classroom, recurrence=Recurrence(**{**fields, **overrides}), by=by, format=ProgramYear.Format.VISITS
    )


def planned(classroom) -> dict[tuple[int, str], str]:
    """(theme number, pre|visit|post) -> the slug of the lesson planned for that session."""
    return {
        (s.theme.number, PARTS[s.kind]): s.plan.lesson.slug
        for s in Session.objects.filter(classroom=classroom, plan__isnull=False).select_related("theme", "plan__lesson")
    }


def test_a_family_visits_year_plans_the_baby_visits_lessons_in_order_for_the_classrooms_band(september):
    baby_visits_lessons("3_5")
    classroom = ClassroomFactory(grade=4)
    visits_year(classroom, classroom.teachers.get())
    plans = planned(classroom)
    assert len(plans) == 27
    assert plans[(1, "pre")] == "bv-35-01-pre"
    assert plans[(4, "visit")] == "bv-35-04-visit"
    assert plans[(9, "post")] == "bv-35-09-post"
    assert not SessionPlan.objects.filter(planned_by__isnull=False).exists()  # Heard's plans, not a teacher's


def test_a_kindergarten_gets_the_k2_lessons_and_a_grade_7_class_none(september):
    baby_visits_lessons("k2", themes=[1, 2])
    baby_visits_lessons("3_5", themes=[1])
    kindergarten, grade_7 = ClassroomFactory(grade=0), ClassroomFactory(grade=7)
    visits_year(kindergarten, kindergarten.teachers.get())
    visits_year(grade_7, grade_7.teachers.get())
    # Every theme's three lessons, from the shipped K-2 files (the 3-5 ones are not a kindergarten's).
    assert planned(kindergarten) == {
        (number, part): f"bv-k2-{number:02d}-{part}" for number in range(1, 10) for part in ("pre", "visit", "post")
    }
    assert planned(grade_7) == {}


def test_a_lessons_year_plans_nothing_by_itself(september):
    baby_visits_lessons("3_5", themes=[1])
    classroom = ClassroomFactory(grade=4)
    program_year_set(
        classroom=classroom, by=classroom.teachers.get(),
        recurrence=Recurrence(first_month=date(2026, 10, 1), last_month=date(2027, 6, 1), at=time(10, 0),
                              time_zone=classroom.school.time_zone, ordinal=2, weekday=2),
    )
    assert not SessionPlan.objects.exists()


def test_the_teachers_choice_stays_when_the_schedule_changes_and_heards_plans_follow_the_themes(september):
    lessons = baby_visits_lessons("3_5")
    classroom = ClassroomFactory(grade=4)
    teacher = classroom.teachers.get()
    visits_year(classroom, teacher)
    own = LessonFactory(owner=teacher, title="My own pre-visit lesson")
    second_pre = Session.objects.get(classroom=classroom, theme__number=2, kind=Session.Kind.PRE_VISIT)
    session_plan_set(session=second_pre, lesson=own, by=teacher)
    # The year starts a month later: October's visit goes, and every theme moves up by one.
    visits_year(classroom, teacher, first_month=date(2026, 11, 1))
    plans = planned(classroom)
    assert len(Theme.objects.filter(classroom=classroom)) == 8
    second_pre.refresh_from_db()
    assert second_pre.theme.number == 1 and second_pre.plan.lesson == own  # the teacher's choice, kept
    assert plans[(1, "visit")] == "bv-35-01-visit" and plans[(8, "post")] == "bv-35-08-post"  # Heard's, renumbered
    assert lessons["bv-35-09-pre"].session_plans.count() == 0


def test_a_past_session_keeps_the_lesson_it_was_planned_with(september, time_machine):
    baby_visits_lessons("3_5")
    classroom = ClassroomFactory(grade=4)
    teacher = classroom.teachers.get()
    visits_year(classroom, teacher)
    first_visit = Session.objects.get(classroom=classroom, theme__number=1, kind=Session.Kind.FAMILY_VISIT)
    time_machine.move_to(first_visit.starts_at + timedelta(days=30), tick=False)
    visits_year(classroom, teacher, skipped=[date(2026, 12, 9)])  # December's visit goes: themes renumber
    first_visit.refresh_from_db()
    assert first_visit.plan.lesson.slug == "bv-35-01-visit"


# --- Choosing a session's lesson ------------------------------------------------------------------------------


@pytest.fixture
def room():
    classroom = ClassroomFactory(grade=4, name="Room 4")
    return classroom, classroom.teachers.get()


def plan_url(classroom, session):
    return reverse("curriculum:session_plan", kwargs={"pk": classroom.pk, "session_pk": session.pk})


def test_a_teacher_chooses_a_sessions_lesson_among_those_of_the_classrooms_grades(client, room):
    classroom, teacher = room
    fits = LessonFactory(owner=None, school=None, slug="cc-35-07", band="3_5", title="Fits grade 4")
    too_old = LessonFactory(owner=None, school=None, slug="cc-68-07", band="6_8", title="For grade 7")
    mine = LessonFactory(owner=teacher, band="3_5", title="My own for grade 4")
    session = SessionFactory(classroom=classroom, title="Our own title")
    client.force_login(teacher)
    page = client.get(plan_url(classroom, session))
    titles = [a.text for a in parse(page.text).find_all("a", class_="library-lesson__title")]
    assert "Fits grade 4" in titles and "My own for grade 4" in titles and "For grade 7" not in titles
    assert "Hello, baby!" not in titles  # K-2
    response = client.post(plan_url(classroom, session), {"lesson": fits.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"#session-{session.pk}")
    plan = SessionPlan.objects.get(session=session)
    assert (plan.lesson, plan.planned_by) == (fits, teacher)
    session.refresh_from_db()
    assert session.title == "Our own title"  # the free title stays
    client.post(plan_url(classroom, session), {"lesson": mine.pk})
    assert SessionPlan.objects.get(session=session).lesson == mine
    assert client.post(plan_url(classroom, session), {"lesson": too_old.pk}).status_code == 200  # not a choice here
    assert SessionPlan.objects.get(session=session).lesson == mine
    client.post(plan_url(classroom, session), {"lesson": ""})
    assert not SessionPlan.objects.filter(session=session).exists()


def test_the_plan_page_suggests_the_next_baby_visits_lesson(client, room):
    classroom, teacher = room
    lessons = baby_visits_lessons("3_5", themes=[3])
    theme = ThemeFactory(classroom=classroom, number=3)
    session = SessionFactory(classroom=classroom, theme=theme, kind=Session.Kind.POST_VISIT)
    client.force_login(teacher)
    page = client.get(plan_url(classroom, session)).text
    assert f"Next in the program for this session: “{lessons['bv-35-03-post'].title}”." in page
    assert lessons["bv-35-03-post"].get_absolute_url() in page


def test_nobody_but_the_classrooms_managers_plans_and_another_classrooms_session_is_a_404(client, room):
    classroom, teacher = room
    session = SessionFactory(classroom=classroom)
    other = SessionFactory(classroom=ClassroomFactory(school=classroom.school))
    lesson = Lesson.objects.get(slug="bv-k2-01-visit")
    for person in (StudentFactory(school=classroom.school), TeacherFactory(school=classroom.school), CounselorFactory(school=classroom.school)):
        client.force_login(person)
        assert client.get(plan_url(classroom, session)).status_code == 404
        assert client.post(plan_url(classroom, session), {"lesson": lesson.pk}).status_code == 404
    client.force_login(teacher)
    assert client.get(plan_url(classroom, other)).status_code == 404
    assert not SessionPlan.objects.exists()


def rows(response) -> dict[int, str]:
    """Each session row's line about its lesson, by session id."""
    found = {}
    for li in parse(response.text).find_all("li", class_="session"):
        lesson = next(li.find_all("p", class_="session__lesson"), None)
        found[int(li.attrs["id"].removeprefix("session-"))] = lesson.text if lesson else ""
    return found


def test_the_sessions_list_shows_each_planned_lesson_with_a_link_to_assign_its_activities(client, room):
    classroom, teacher = room
    lesson = LessonFactory(owner=None, school=None, slug="cc-35-08", title="Two sides of a story")
    ActivityFactory(lesson=lesson)
    circle_only = LessonFactory(owner=None, school=None, slug="cc-35-09", title="Only a circle")
    ActivityFactory(lesson=circle_only, kind="listening_circle", content={"topic": "Being heard."})
    with_plan, circle, without = (SessionFactory(classroom=classroom) for _ in range(3))
    session_plan_set(session=with_plan, lesson=lesson, by=teacher)
    session_plan_set(session=circle, lesson=circle_only, by=teacher)
    client.force_login(teacher)
    response = client.get(reverse("classrooms:sessions", kwargs={"pk": classroom.pk}))
    shown = rows(response)
    assert shown[with_plan.pk].startswith("Lesson: Two sides of a story · Change")
    assert "Assign this lesson's activities" in shown[with_plan.pk]
    assert "Assign" not in shown[circle.pk]  # the whole class does a circle with the teacher
    assert shown[without.pk].startswith("No lesson planned. Choose one from the library")
    page = parse(response.text)
    assign = next(a for a in page.find_all("a") if a.text == "Assign this lesson's activities")
    assert assign.attrs["href"] == f"{lesson.get_absolute_url()}?classroom={classroom.pk}&session={with_plan.pk}#assign"
    assert any(a.attrs.get("href") == plan_url(classroom, without) for a in page.find_all("a"))


def test_a_student_sees_no_lessons_on_the_list_and_a_reader_does_not_see_a_teachers_own_lesson(client, room):
    classroom, teacher = room
    own = LessonFactory(owner=teacher, title="Rivera's private plan")
    session = SessionFactory(classroom=classroom)
    session_plan_set(session=session, lesson=own, by=teacher)
    student = StudentFactory(school=classroom.school)
    classroom.enrollments.create(student=student)
    client.force_login(student)
    response = client.get(reverse("classrooms:sessions", kwargs={"pk": classroom.pk}))
    assert rows(response)[session.pk] == ""
    instructor = CounselorFactory(school=classroom.school)
    ThemeFactory(classroom=classroom, instructor=instructor)
    client.force_login(instructor)
    response = client.get(reverse("classrooms:sessions", kwargs={"pk": classroom.pk}))
    assert rows(response)[session.pk] == "Lesson: a colleague's own lesson"
    assert "Rivera's private plan" not in response.text


def test_saving_a_title_with_htmx_keeps_the_rows_lesson(client, room):
    classroom, teacher = room
    session = SessionFactory(classroom=classroom)
    session_plan_set(session=session, lesson=Lesson.objects.get(slug="bv-k2-01-visit"), by=teacher)
    client.force_login(teacher)
    response = client.post(
        reverse("classrooms:session_title", kwargs={"pk": classroom.pk, "session_pk": session.pk}), {"title": "Ours"},
        HTTP_HX_REQUEST="true",
    )
    assert "Lesson: Hello, baby!" in parse(response.text).find("li").text


@pytest.mark.parametrize("viewer", ["teacher", "student"])
def test_the_sessions_list_costs_the_same_queries_for_2_or_20_planned_sessions(client, room, viewer):
    classroom, teacher = room
    student = StudentFactory(school=classroom.school)
    classroom.enrollments.create(student=student)
    client.force_login(teacher if viewer == "teacher" else student)
    lessons = [LessonFactory(owner=None, school=None, slug=f"cc-35-{n:02d}") for n in range(20)] + [LessonFactory(owner=teacher)]

    def queries(n):
        SessionPlan.objects.all().delete()
        Session.objects.filter(classroom=classroom).delete()
        for i in range(n):
            session = SessionFactory(classroom=classroom)
            if i % 4:
                ActivityFactory(lesson=lessons[i])
                session_plan_set(session=session, lesson=lessons[i if i % 5 else -1], by=teacher)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("classrooms:sessions", kwargs={"pk": classroom.pk}))
        assert response.status_code == 200 and len(rows(response)) == n
        return len(captured)

    few, many = queries(2), queries(20)
    print(f"sessions list as {viewer}: {few} queries with 2 sessions, {many} with 20")
    assert few == many
