"""A teacher gives a library activity to the class or to chosen students, with a due date in the school's time zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from curriculum.models import Assignment, Submission, SubmissionEvent
from tests.factories import (
    ActivityFactory,
    ClassroomFactory,
    LessonFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    classroom = ClassroomFactory()
    students = StudentFactory.create_batch(3, school=classroom.school)
    for student in students:
        classroom.enrollments.create(student=student)
    return classroom, classroom.teachers.get(), students


def assign_url(classroom, activity, session=None) -> str:
    url = reverse("curriculum:assignment_create", kwargs={"classroom_pk": classroom.pk}) + f"?activity={activity.pk}"
    return url + (f"&session={session.pk}" if session else "")


def tomorrow_local(zone: str) -> str:
    return (timezone.now().astimezone(ZoneInfo(zone)) + timedelta(days=1)).date().isoformat()


def test_assigning_to_the_whole_class_gives_every_student_a_submission_with_its_first_event(client, room):
    classroom, teacher, students = room
    activity = ActivityFactory()
    client.force_login(teacher)
    page = client.get(assign_url(classroom, activity))
    assert page.status_code == 200
    assert activity.title in page.content.decode()
    response = client.post(
        assign_url(classroom, activity),
        {"who": "class", "instructions": "Finish by Friday.", "due_date": tomorrow_local(classroom.school.time_zone), "due_time": "15:30"},
    )
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response["Location"] == assignment.get_absolute_url()
    assert assignment.title == activity.title and assignment.content == activity.content and assignment.whole_class
    assert sorted(Submission.objects.values_list("student_id", flat=True)) == sorted(s.pk for s in students)
    assert set(Submission.objects.values_list("state", flat=True)) == {"assigned"}
    assert SubmissionEvent.objects.filter(state="assigned", actor=teacher).count() == 3
    # 15:30 in the school's zone (America/Chicago), stored in UTC.
    local = assignment.due_at.astimezone(ZoneInfo(classroom.school.time_zone))
    assert (local.hour, local.minute) == (15, 30)


def test_an_assignment_keeps_its_copy_when_the_library_changes(client, room):
    classroom, teacher, _students = room
    activity = ActivityFactory()
    client.force_login(teacher)
    client.post(assign_url(classroom, activity), {"who": "class"})
    activity.title = "Renamed in the library"
    activity.content = {**activity.content, "prompt": {"en": "Another prompt"}}
    activity.save()
    assignment = Assignment.objects.get()
    assert assignment.title != "Renamed in the library"
    assert assignment.content["prompt"]["en"] != "Another prompt"


def test_assigning_to_chosen_students_gives_only_them_the_work(client, room):
    classroom, teacher, students = room
    client.force_login(teacher)
    client.post(assign_url(classroom, ActivityFactory()), {"who": "chosen", "students": [students[0].pk, students[2].pk]})
    assignment = Assignment.objects.get()
    assert not assignment.whole_class
    assert set(assignment.submissions.values_list("student_id", flat=True)) == {students[0].pk, students[2].pk}


def test_choosing_nobody_is_refused_with_a_message(client, room):
    classroom, teacher, _students = room
    client.force_login(teacher)
    response = client.post(assign_url(classroom, ActivityFactory()), {"who": "chosen"})
    assert response.status_code == 200
    assert "Choose at least one student" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_student_of_another_classroom_cannot_be_chosen(client, room):
    classroom, teacher, _students = room
    elsewhere = StudentFactory(school=classroom.school)
    ClassroomFactory(school=classroom.school, students=[elsewhere])
    client.force_login(teacher)
    response = client.post(assign_url(classroom, ActivityFactory()), {"who": "chosen", "students": [elsewhere.pk]})
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_a_due_date_in_the_past_is_refused_with_a_message(client, room):
    classroom, teacher, _students = room
    client.force_login(teacher)
    yesterday = (timezone.now().astimezone(ZoneInfo(classroom.school.time_zone)) - timedelta(days=1)).date().isoformat()
    response = client.post(assign_url(classroom, ActivityFactory()), {"who": "class", "due_date": yesterday, "due_time": "10:00"})
    assert response.status_code == 200
    assert "already passed" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_due_date_without_a_time_is_the_end_of_that_day_in_the_schools_zone(client, room):
    classroom, teacher, _students = room
    client.force_login(teacher)
    day = tomorrow_local(classroom.school.time_zone)
    client.post(assign_url(classroom, ActivityFactory()), {"who": "class", "due_date": day})
    due = Assignment.objects.get().due_at.astimezone(ZoneInfo(classroom.school.time_zone))
    assert due.replace(tzinfo=None) == datetime.fromisoformat(day).replace(hour=23, minute=59)


def test_a_live_activity_is_refused_with_a_clear_message(client, room):
    classroom, teacher, _students = room
    dilemma = ActivityFactory(
        kind="dilemma",
        content={"situation": {"en": "A new child sits alone."}, "options": ["Ask them", "Wait", "Tell a teacher"], "reason_prompt": "Why?"},
    )
    client.force_login(teacher)
    page = client.get(assign_url(classroom, dilemma))
    assert page.status_code == 200
    assert "cannot be assigned for students to do on their own yet" in page.content.decode()
    response = client.post(assign_url(classroom, dilemma), {"who": "class"})
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_the_session_must_be_one_of_the_classrooms(client, room):
    classroom, teacher, _students = room
    activity = ActivityFactory()
    own = SessionFactory(classroom=classroom)
    other = SessionFactory(classroom=ClassroomFactory(school=classroom.school, teachers=[teacher]))
    client.force_login(teacher)
    assert client.get(assign_url(classroom, activity, other)).status_code == 404
    client.post(assign_url(classroom, activity, own), {"who": "class"})
    assert Assignment.objects.get().session == own


def test_another_teachers_own_lesson_cannot_be_assigned(client, room):
    """The activity must be visible through lesson_scope: a colleague's own lesson is not."""
    classroom, teacher, _students = room
    colleague = TeacherFactory(school=classroom.school)
    theirs = ActivityFactory(lesson=LessonFactory(slug="", owner=colleague, school=classroom.school))
    client.force_login(teacher)
    assert client.get(assign_url(classroom, theirs)).status_code == 404
    mine = ActivityFactory(lesson=LessonFactory(slug="", owner=teacher, school=classroom.school))
    assert client.get(assign_url(classroom, mine)).status_code == 200


def test_a_student_or_another_classrooms_teacher_cannot_assign(client, room):
    classroom, _teacher, students = room
    activity = ActivityFactory()
    for person in (students[0], TeacherFactory(school=classroom.school)):
        client.force_login(person)
        assert client.get(assign_url(classroom, activity)).status_code == 404
        assert client.post(assign_url(classroom, activity), {"who": "class"}).status_code == 404
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "9" * 5000, "-1", "99999999999999999999"])
def test_a_bad_activity_id_is_a_404(client, room, value):
    classroom, teacher, _students = room
    client.force_login(teacher)
    url = reverse("curriculum:assignment_create", kwargs={"classroom_pk": classroom.pk})
    assert client.get(url, {"activity": value}).status_code == 404
