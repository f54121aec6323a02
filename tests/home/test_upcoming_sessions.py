"""Teachers' and students' home pages list the sessions of the next two weeks across their classrooms."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from classrooms.models import Enrollment, Session
from tests.factories import ClassroomFactory, SessionFactory, StudentFactory, TeacherFactory, ThemeFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("dashboard")
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def upcoming(response) -> list[tuple[datetime, str]]:
    """(start, classroom name as the link shows it) of each session in the page's "Upcoming sessions" list, in the page's order."""
    listed = parse(response.text).find("section", aria_labelledby="upcoming-heading").find_all("li")
    return [(datetime.fromisoformat(item.find("time").attrs["datetime"]), item.find("a").children[0].strip()) for item in listed]


def test_a_teacher_sees_the_next_two_weeks_of_the_classrooms_they_teach(client, now):
    teacher = TeacherFactory(school__time_zone="America/Chicago")
    mine = ClassroomFactory(school=teacher.school, teachers=[teacher], name="Room Birch")
    colleagues = ClassroomFactory(school=teacher.school, name="Room Colleague")
    soon = SessionFactory(classroom=mine, starts_at=now + timedelta(days=2, hours=3), title="Sharing")  # Sat 3 Oct 15:00 UTC
    SessionFactory(classroom=mine, starts_at=now + timedelta(days=15))  # beyond two weeks
    SessionFactory(classroom=mine, starts_at=now - timedelta(hours=1))  # already started
    SessionFactory(classroom=mine, starts_at=now + timedelta(days=3), status=Session.Status.CANCELLED)
    SessionFactory(classroom=colleagues, starts_at=now + timedelta(days=1))
    client.force_login(teacher)
    response = client.get(DASHBOARD)
    assert upcoming(response) == [(soon.starts_at, "Room Birch")]
    page = response.text
    assert "Upcoming sessions" in page
    assert "Sat 3 Oct 2026, 10:00" in page  # 15:00 UTC is 10:00 in Chicago
    assert "Room Birch" in page and "Sharing" in page
    assert reverse("classrooms:sessions", args=[mine.pk]) in page
    assert "Room Colleague" not in page


def test_at_most_eight_sessions_soonest_first(client, now):
    teacher = TeacherFactory()
    classrooms = [ClassroomFactory(school=teacher.school, teachers=[teacher]) for _ in range(2)]
    for day in range(1, 11):
        SessionFactory(classroom=classrooms[day % 2], starts_at=now + timedelta(days=day))
    client.force_login(teacher)
    shown = upcoming(client.get(DASHBOARD))
    assert [start for start, _room in shown] == [now + timedelta(days=d) for d in range(1, 9)]


def test_a_student_sees_only_classrooms_they_are_still_in_and_no_notes(client, now):
    student = StudentFactory()
    current = ClassroomFactory(school=student.school, name="Room Now", students=[student])
    left = ClassroomFactory(school=student.school, name="Room Before")
    Enrollment.objects.create(classroom=left, student=student, left_at=now - timedelta(days=3))
    other = ClassroomFactory(school=student.school, name="Room Other")
    theme = ThemeFactory(classroom=current, number=2, title="Crying")
    SessionFactory(classroom=current, starts_at=now + timedelta(days=1), kind=Session.Kind.FAMILY_VISIT, theme=theme,
                   note="teachers only")
    SessionFactory(classroom=left, starts_at=now + timedelta(days=1, hours=1))
    SessionFactory(classroom=other, starts_at=now + timedelta(days=1, hours=2))
    client.force_login(student)
    response = client.get(DASHBOARD)
    assert [room for _start, room in upcoming(response)] == ["Room Now"]
    page = response.text
    assert "Theme 2 · Family visit · Crying" in page
    assert "teachers only" not in page
    assert "Room Before" not in page and "Room Other" not in page


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_nothing_coming_up_says_so(client, role):
    user = TeacherFactory() if role == "teacher" else StudentFactory()
    client.force_login(user)
    assert "No sessions in the next two weeks." in client.get(DASHBOARD).text


def test_titles_are_escaped(client, now):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(school=teacher.school, teachers=[teacher])
    SessionFactory(classroom=classroom, starts_at=now + timedelta(days=1), title="<script>alert(1)</script>")
    client.force_login(teacher)
    page = client.get(DASHBOARD).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_the_home_page_costs_the_same_queries_for_1_or_10_classrooms(client, now, role, django_assert_max_num_queries):
    user = TeacherFactory() if role == "teacher" else StudentFactory()
    client.force_login(user)
    counts = []
    for size in (1, 9):
        for _ in range(size):
            kwargs = {"teachers": [user]} if role == "teacher" else {"students": [user]}
            classroom = ClassroomFactory(school=user.school, **kwargs)
            SessionFactory(classroom=classroom, starts_at=now + timedelta(days=len(counts) + 1),
                           theme=ThemeFactory(classroom=classroom), kind=Session.Kind.FAMILY_VISIT)
        # the session, the user, their classrooms listed once, the cards' classrooms and teachers, the sessions to
        # come, the unread count; a teacher's page also the sessions to mark, the work to review, the open surveys'
        # reports and the latest notifications; a student's their surveys, work, help card and live runs
        with django_assert_max_num_queries(11) as captured:
            response = client.get(DASHBOARD)
        assert len(upcoming(response)) == (1 if size == 1 else 8)
        counts.append(len(captured))
    assert counts[0] == counts[1]
