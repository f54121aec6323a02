import re

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, User
from classrooms.models import Enrollment
from tests.factories import ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db

CARD_PASSWORD = re.compile(r'signin-card__secret">([a-z]+-[a-z]+-\d{2})<')


@pytest.fixture
def classroom():
    return ClassroomFactory(grade=2)


def test_a_teacher_makes_accounts_and_gets_printable_cards(client, classroom):
    """Names in, accounts out: usernames, proposed passwords that work, enrolled, audited."""
    teacher = classroom.teachers.get()
    client.force_login(teacher)
    response = client.post(
        reverse("classrooms:students_add", args=[classroom.pk]),
        {"names": "Maya Rodriguez\nZoë Núñez\n\nDiego\nRodriguez, Maya"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    students = list(User.objects.filter(role=User.Role.STUDENT).order_by("pk"))
    assert [s.username for s in students] == ["maya.r", "zoe.n", "diego", "maya.r2"]
    assert all(s.school == classroom.school and s.grade == 2 for s in students)
    assert Enrollment.objects.active().filter(classroom=classroom).count() == 4
    passwords = CARD_PASSWORD.findall(response.text)
    assert len(passwords) == 4
    client.logout()
    signed_in = client.post(reverse("login"), {"username": "zoe.n", "password": passwords[1]})
    assert signed_in.status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.STUDENT_ACCOUNTS_CREATED, actor=teacher).count() == 4


def test_usernames_never_clash_with_existing_accounts(client, classroom):
    StudentFactory(username="maya.r")
    StudentFactory(username="Maya.R2")
    client.force_login(classroom.teachers.get())
    client.post(reverse("classrooms:students_add", args=[classroom.pk]), {"names": "Maya Rodriguez"})
    assert User.objects.filter(username="maya.r3").exists()


def test_bad_lines_are_listed_and_nothing_is_created(client, classroom):
    client.force_login(classroom.teachers.get())
    typed = "Maya Rodriguez\nRodriguez , \n" + "A" * 200 + " B"
    response = client.post(reverse("classrooms:students_add", args=[classroom.pk]), {"names": typed})
    assert response.status_code == 200
    assert "Line 2" in response.text and "Line 3" in response.text
    assert "Maya Rodriguez" in response.text  # what was typed is still there
    assert not User.objects.filter(role=User.Role.STUDENT).exists()


def test_too_many_names_at_once_is_explained(client, classroom):
    client.force_login(classroom.teachers.get())
    names = "\n".join(f"Kid{n} Test" for n in range(41))
    response = client.post(reverse("classrooms:students_add", args=[classroom.pk]), {"names": names})
    assert "That is 41 students; add at most 40 at a time." in response.text
    assert not User.objects.filter(role=User.Role.STUDENT).exists()


def test_student_names_are_escaped_on_the_cards(client, classroom):
    client.force_login(classroom.teachers.get())
    response = client.post(
        reverse("classrooms:students_add", args=[classroom.pk]), {"names": "<b>Bold</b> <script>x</script>"}
    )
    assert "<script>x</script>" not in response.text
    assert "&lt;b&gt;Bold&lt;/b&gt;" in response.text


def test_printing_cards_issues_new_passwords_for_the_chosen_students(client, classroom):
    """Passwords are hashed, so a card for Ana means a new password for Ana, and only for her."""
    ana, ben = StudentFactory(school=classroom.school), StudentFactory(school=classroom.school)
    Enrollment.objects.create(classroom=classroom, student=ana)
    Enrollment.objects.create(classroom=classroom, student=ben)
    teacher = classroom.teachers.get()
    client.force_login(teacher)
    chooser = client.get(reverse("classrooms:cards", args=[classroom.pk]))
    assert ana.username in chooser.text and ben.username in chooser.text
    ben_hash = User.objects.get(pk=ben.pk).password

    response = client.post(reverse("classrooms:cards", args=[classroom.pk]), {"students": [ana.pk]})
    [password] = CARD_PASSWORD.findall(response.text)
    ana.refresh_from_db()
    assert ana.check_password(password)
    assert User.objects.get(pk=ben.pk).password == ben_hash
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.STUDENT_PASSWORD_RESET, subject=ana, actor=teacher).exists()


def test_choosing_nobody_for_cards_is_explained(client, classroom):
    client.force_login(classroom.teachers.get())
    response = client.post(reverse("classrooms:cards", args=[classroom.pk]), {})
    assert "Choose at least one student." in response.text


def test_cards_cannot_reset_a_student_outside_the_classroom(client, classroom):
    outsider = StudentFactory(school=classroom.school)
    before = outsider.password
    client.force_login(classroom.teachers.get())
    response = client.post(reverse("classrooms:cards", args=[classroom.pk]), {"students": [outsider.pk]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    outsider.refresh_from_db()
    assert outsider.password == before
