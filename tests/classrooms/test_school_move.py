"""Someone moved to another school leaves its classrooms behind (issue 10, point 2): the change made in the admin
user form ends their access at once, tidies the links they had there and is in the audit log of both schools."""

import pytest
from django.forms import MultiWidget
from django.urls import reverse

from accounts.models import AuditEvent
from classrooms.models import Enrollment
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    SchoolFactory,
    StudentFactory,
    ThemeFactory,
    VisitingFamilyFactory,
)

pytestmark = pytest.mark.django_db


def move_in_the_admin(client, django_user_model, person, school):
    """Change ``person``'s school the way staff do: the admin's user form, every other field as it was."""
    staff = django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-staff-password-1")
    client.force_login(staff)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else part
        elif value is not None and value is not False:
            data[name] = value
    data["school"] = school.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    client.logout()
    return staff


def test_a_teacher_moved_to_another_school_loses_the_old_classroom_its_roster_and_its_children(client, django_user_model):
    old_school = SchoolFactory()
    child = StudentFactory(school=old_school, first_name="Nia")
    classroom = ClassroomFactory(school=old_school, students=[child])
    teacher = classroom.teachers.get()
    VisitingFamilyFactory(classroom=classroom, contact_email="okafor@home.example")
    new_school = SchoolFactory(district=old_school.district)
    staff = move_in_the_admin(client, django_user_model, teacher, new_school)

    client.force_login(teacher)
    assert client.get(classroom.get_absolute_url()).status_code == 404
    assert client.post(reverse("classrooms:cards", args=[classroom.pk]), {"students": [child.pk]}).status_code == 404
    assert "okafor@home.example" not in client.get(reverse("dashboard")).text
    assert not classroom.teachers.filter(pk=teacher.pk).exists(), "the old classroom no longer lists them"
    events = AuditEvent.objects.filter(subject=teacher, actor=staff)
    assert {(event.kind, event.school_id) for event in events} == {
        (AuditEvent.Kind.SCHOOL_LEFT, old_school.pk),
        (AuditEvent.Kind.SCHOOL_JOINED, new_school.pk),
    }


def test_a_counselor_who_led_visits_there_no_longer_sees_the_family(client, django_user_model):
    old_school = SchoolFactory()
    classroom = ClassroomFactory(school=old_school)
    counselor = CounselorFactory(school=old_school)
    family = VisitingFamilyFactory(classroom=classroom, name="The Okafor family")
    theme = ThemeFactory(classroom=classroom, number=1, instructor=counselor, family=family)
    move_in_the_admin(client, django_user_model, counselor, SchoolFactory(district=old_school.district))

    client.force_login(counselor)
    assert client.get(classroom.get_absolute_url()).status_code == 404
    theme.refresh_from_db()
    assert theme.instructor is None, "the theme waits for a new instructor"


def test_a_student_who_moved_leaves_the_old_class_and_keeps_the_record(client, django_user_model):
    old_school = SchoolFactory()
    student = StudentFactory(school=old_school)
    classroom = ClassroomFactory(school=old_school, students=[student])
    move_in_the_admin(client, django_user_model, student, SchoolFactory())

    client.force_login(student)
    assert client.get(classroom.get_absolute_url()).status_code == 404
    enrollment = Enrollment.objects.get(student=student, classroom=classroom)
    assert enrollment.left_at is not None
