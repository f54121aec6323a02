"""The sessions coming up on a home page: found by classroom through the union of a user's links, and always
the sessions the scope lets them open (``sessions_for``)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from classrooms.models import Classroom, Enrollment, Session
from classrooms.program.selectors import sessions_for, sessions_upcoming_for
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    SchoolAdminFactory,
    SchoolFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
DAYS = 14


def by_scope_queryset(user):
    return (
        sessions_for(user)
        .filter(status=Session.Status.PLANNED, starts_at__gt=NOW, starts_at__lte=NOW + timedelta(days=DAYS))
        .select_related("classroom__school", "theme")
        .order_by("starts_at", "classroom__name")
    )


def by_scope(user):
    """What the home page's list must hold: ``sessions_for``'s planned sessions of the window, in its order."""
    return list(by_scope_queryset(user))


def sessions_of(classroom, hour):
    """A planned session in the window, one after it, a cancelled one in it and a past one."""
    at = NOW + timedelta(days=1, hours=hour)
    SessionFactory(classroom=classroom, starts_at=at)
    SessionFactory(classroom=classroom, starts_at=NOW + timedelta(days=DAYS + 1, hours=hour))
    SessionFactory(classroom=classroom, starts_at=at + timedelta(days=2), status=Session.Status.CANCELLED)
    SessionFactory(classroom=classroom, starts_at=NOW - timedelta(days=3, hours=hour))


def test_every_user_s_upcoming_sessions_are_the_scope_s_sessions():
    """Taught, co-taught, visits led, links left in another school, an enrollment left, a classroom next door:
    for each kind of user the list is exactly the scope's, each session once."""
    school = SchoolFactory()
    elsewhere = SchoolFactory(district=school.district)
    teacher, colleague = TeacherFactory(school=school), TeacherFactory(school=school)
    counselor, student = CounselorFactory(school=school), StudentFactory(school=school)
    rooms = {
        "taught": ClassroomFactory(school=school, teachers=[teacher], name="Taught"),
        "co-taught and led": ClassroomFactory(school=school, teachers=[teacher, colleague], name="Co-taught"),
        "led": ClassroomFactory(school=school, teachers=[colleague], name="Led"),
        "next door": ClassroomFactory(school=school, teachers=[colleague], name="Next door"),
        "taught elsewhere": ClassroomFactory(school=elsewhere, teachers=[teacher], name="Elsewhere taught"),
        "led elsewhere": ClassroomFactory(school=elsewhere, name="Elsewhere led"),
        "left": ClassroomFactory(school=school, teachers=[colleague], name="Left"),
    }
    ThemeFactory(classroom=rooms["co-taught and led"], instructor=teacher)
    ThemeFactory(classroom=rooms["led"], instructor=teacher)
    ThemeFactory(classroom=rooms["led"], instructor=counselor)
    ThemeFactory(classroom=rooms["led elsewhere"], instructor=teacher)
    Enrollment.objects.create(classroom=rooms["taught"], student=student)
    Enrollment.objects.create(classroom=rooms["taught elsewhere"], student=student)
    Enrollment.objects.create(classroom=rooms["left"], student=student, left_at=NOW - timedelta(days=5))
    for hour, classroom in enumerate(rooms.values()):
        sessions_of(classroom, hour)

    users = {
        "teacher": teacher, "colleague": colleague, "counselor": counselor, "student": student,
        "school admin": SchoolAdminFactory(school=school), "district admin": DistrictAdminFactory(district=school.district),
        "other district's admin": DistrictAdminFactory(), "anonymous": AnonymousUser(),
        "switched off": TeacherFactory(school=school, is_active=False),
    }  # fmt: skip
    rooms["taught"].teachers.add(users["switched off"])
    rooms_seen = {}
    for name, user in users.items():
        upcoming = list(sessions_upcoming_for(user, now=NOW, days=DAYS, limit=100))
        assert upcoming == by_scope(user), name
        rooms_seen[name] = [s.classroom.name for s in upcoming]
    assert rooms_seen["teacher"] == ["Taught", "Co-taught", "Led"]
    assert rooms_seen["counselor"] == ["Led"]
    assert rooms_seen["student"] == ["Taught"]
    assert rooms_seen["colleague"] == ["Co-taught", "Led", "Next door", "Left"]
    assert len(rooms_seen["school admin"]) == 5 and len(rooms_seen["district admin"]) == 7
    assert rooms_seen["anonymous"] == rooms_seen["other district's admin"] == rooms_seen["switched off"] == []


def test_the_soonest_eight_are_listed():
    teacher = TeacherFactory()
    taught = ClassroomFactory(school=teacher.school, teachers=[teacher])
    led = ClassroomFactory(school=teacher.school)
    ThemeFactory(classroom=led, instructor=teacher)
    for day in range(1, 11):
        SessionFactory(classroom=(taught, led)[day % 2], starts_at=NOW + timedelta(days=day))
    upcoming = list(sessions_upcoming_for(teacher, now=NOW))
    assert [s.starts_at for s in upcoming] == [NOW + timedelta(days=d) for d in range(1, 9)]
    assert upcoming == by_scope(teacher)[:8]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_a_teacher_s_upcoming_sessions_are_found_by_classroom_not_by_walking_the_district_s():
    """EXPLAIN on PostgreSQL, with the tables analysed and sequential scans priced out: the sessions are read
    through the (classroom, starts_at) index, a lookup per classroom of the teacher's, and neither a scan of
    the sessions nor of the window of every classroom's planned ones (the (status, starts_at) index)."""
    school = SchoolFactory()
    teacher = TeacherFactory(school=school)
    classrooms = Classroom.objects.bulk_create(
        Classroom(school=school, name=f"Room {n}", grade=3, school_year=2026, join_code=f"PLAN{n:04d}",
                  join_code_expires_at=NOW)
        for n in range(200)
    )  # fmt: skip
    classrooms[0].teachers.add(teacher)
    ThemeFactory(classroom=classrooms[1], instructor=teacher)
    Session.objects.bulk_create(
        Session(classroom=c, starts_at=NOW + timedelta(days=day, hours=n % 8)) for n, c in enumerate(classrooms)
        for day in range(1, 60)
    )  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("classrooms_session", "classrooms_classroom", "classrooms_classroom_teachers", "classrooms_theme"):
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = sessions_upcoming_for(teacher, now=NOW).explain()
        scope_plan = by_scope_queryset(teacher)[:8].explain()
    assert "Index Scan using session_once_per_classroom_and_start on classrooms_session" in plan, plan
    assert "session_due" not in plan and "Seq Scan on classrooms_session" not in plan, plan
    assert "session_due" in scope_plan, scope_plan  # what it replaced: every classroom's planned sessions of the window
