"""Another school's or another student's object is a 404, never its data, and the same 404 as a missing one."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def detail(classroom_or_pk):
    pk = getattr(classroom_or_pk, "pk", classroom_or_pk)
    return reverse("classrooms:detail", args=[pk])


def test_a_teacher_of_school_a_gets_404_for_a_classroom_of_school_b(client):
    teacher = TeacherFactory()
    elsewhere = ClassroomFactory(name="Secret Room")
    client.force_login(teacher)
    response = client.get(detail(elsewhere))
    assert response.status_code == 404
    assert "Secret Room" not in response.text


def test_forbidden_and_missing_classrooms_answer_the_same(client):
    """Ids cannot be probed: the page for another school's classroom equals the page for no classroom."""
    client.force_login(TeacherFactory())
    elsewhere = ClassroomFactory()
    forbidden = client.get(detail(elsewhere))
    missing = client.get(detail(999999))
    assert forbidden.status_code == missing.status_code == 404
    # Heard's 404 page echoes the address asked for (the language switch returns to it) and carries a fresh
    # CSRF token in its forms: neither tells the two apart, so both are set aside before comparing.
    def page(response, path):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text.replace(path, "PATH"))

    assert page(forbidden, detail(elsewhere)) == page(missing, detail(999999))


def test_a_student_cannot_see_a_classroom_they_are_not_in(client):
    student = StudentFactory()
    neighbour = ClassroomFactory(school=student.school)
    client.force_login(student)
    assert client.get(detail(neighbour)).status_code == 404


def test_a_student_sees_their_classroom_but_not_its_roster_or_code(client):
    student, classmate = StudentFactory(), StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student, classmate])
    client.force_login(student)
    page = client.get(detail(classroom)).text
    assert classroom.name in page
    assert classroom.join_code_display not in page
    assert classmate.username not in page


@pytest.mark.parametrize(
    "name",
    ["code_regenerate", "students_add", "cards"],
)
def test_a_student_cannot_manage_their_own_classroom(client, name):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    client.force_login(student)
    assert client.post(reverse(f"classrooms:{name}", args=[classroom.pk])).status_code == 404


def test_a_colleagues_classroom_cannot_be_changed(client):
    teacher = TeacherFactory()
    colleague_room = ClassroomFactory(school=teacher.school)
    student = StudentFactory(school=teacher.school)
    colleague_room.enrollments.create(student=student)
    client.force_login(teacher)
    for url in [
        reverse("classrooms:code_regenerate", args=[colleague_room.pk]),
        reverse("classrooms:enrollment_remove", args=[colleague_room.pk, student.pk]),
        reverse("classrooms:cards", args=[colleague_room.pk]),
    ]:
        assert client.post(url).status_code == 404
    assert colleague_room.enrollments.active().count() == 1


def test_a_teacher_cannot_remove_a_student_of_another_classroom_through_their_own(client):
    classroom = ClassroomFactory()
    outsider = StudentFactory(school=classroom.school)
    ClassroomFactory(school=classroom.school, students=[outsider])
    client.force_login(classroom.teachers.get())
    url = reverse("classrooms:enrollment_remove", args=[classroom.pk, outsider.pk])
    assert client.post(url).status_code == 404


def test_role_matrix_of_who_sees_a_classroom(client):
    """One table for every role: who may open a classroom of school A."""
    school_a = SchoolFactory()
    school_b = SchoolFactory()
    same_district_b = SchoolFactory(district=school_a.district)
    classroom = ClassroomFactory(school=school_a)
    enrolled = StudentFactory(school=school_a)
    classroom.enrollments.create(student=enrolled)
    cases = [
        (classroom.teachers.get(), 200),
        (enrolled, 200),
        (StudentFactory(school=school_a), 404),
        (TeacherFactory(school=school_a), 404),
        (CounselorFactory(school=school_a), 404),
        (SchoolAdminFactory(school=school_a), 200),
        (SchoolAdminFactory(school=school_b), 404),
        (SchoolAdminFactory(school=same_district_b), 404),
        (DistrictAdminFactory(district=school_a.district), 200),
        (DistrictAdminFactory(), 404),
    ]
    for user, expected in cases:
        client.force_login(user)
        assert client.get(detail(classroom)).status_code == expected, (user.role, expected)
