import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from accounts.models import AuditEvent, User
from tests.factories import PASSWORD, ClassroomFactory, SchoolFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def sign_in(client, username, password, ip="10.1.2.3"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_student_signs_in_and_lands_on_their_dashboard(client):
    """Right username and password: straight to the student's home page."""
    student = StudentFactory(first_name="Maya")
    response = sign_in(client, student.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert "Hi, Maya!" in client.get(response.url).text


def test_username_ignores_case_and_spaces(client):
    """Children type ' Maya.R ' as often as 'maya.r'."""
    StudentFactory(username="maya.r")
    assert sign_in(client, "  Maya.R ", PASSWORD).status_code == 302


def test_a_wrong_password_says_so_and_keeps_the_username(client):
    """The page explains what to do and the child does not retype their username."""
    student = StudentFactory()
    response = sign_in(client, student.username, "nope")
    assert response.status_code == 200
    assert "do not match" in response.text
    assert "ask your teacher to reset your password" in response.text
    assert f'value="{student.username}"' in response.text


def test_repeated_failures_lock_that_username_only(client, settings):
    """Five wrong passwords lock one account; classmates on the same address still get in."""
    victim, classmate = StudentFactory(), StudentFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, victim.username, "wrong", ip="10.0.0.1")
    locked = sign_in(client, victim.username, PASSWORD, ip="10.0.0.1")
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.text
    assert sign_in(client, classmate.username, PASSWORD, ip="10.0.0.1").status_code == 302


def test_a_thousand_students_from_one_address_are_never_refused(client):
    """A whole school signs in from one address, some mistyping first: nobody is refused."""
    school = SchoolFactory()
    encoded = make_password(PASSWORD)
    students = User.objects.bulk_create(
        User(username=f"kid{n}", role=User.Role.STUDENT, school=school, password=encoded) for n in range(1000)
    )
    refused = 0
    for n, student in enumerate(students):
        if n % 5 == 0:
            sign_in(client, student.username, "typo", ip="203.0.113.7")
        response = sign_in(client, student.username, PASSWORD, ip="203.0.113.7")
        refused += response.status_code != 302
        client.logout()
    assert refused == 0


def test_a_lockout_ends_after_the_cool_off_even_if_someone_keeps_trying(client, settings, time_machine):
    """A classmate hammering wrong passwords cannot keep a student out for long."""
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)
    student = StudentFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, student.username, "wrong")
    time_machine.move_to("2026-11-23 09:03:00+00:00", tick=False)
    sign_in(client, student.username, "still-wrong")  # during the lock: does not extend it
    time_machine.move_to("2026-11-23 09:05:30+00:00", tick=False)
    assert sign_in(client, student.username, PASSWORD).status_code == 302


def test_a_teacher_clears_a_students_lock(client, settings, django_capture_on_commit_callbacks):
    """The roster marks the student "Locked out"; the teacher presses "Unlock sign-in" and they get in at once."""
    teacher = TeacherFactory()
    student = StudentFactory(school=teacher.school)
    classroom = ClassroomFactory(school=teacher.school, teachers=[teacher], students=[student])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, student.username, "wrong")
    assert sign_in(client, student.username, PASSWORD).status_code == 429

    client.force_login(teacher)
    roster = client.get(classroom.get_absolute_url()).text
    assert roster.count("Locked out</span>") == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("classrooms:student_unlock", args=[classroom.pk, student.pk]))
    assert response.status_code == 302
    assert "Locked out</span>" not in client.get(classroom.get_absolute_url()).text
    client.logout()
    assert sign_in(client, student.username, PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_UNLOCKED, subject=student, actor=teacher).exists()


def test_a_teacher_cannot_unlock_a_student_who_is_not_theirs(client):
    """Another teacher's student is a 404, not an unlock."""
    teacher = TeacherFactory()
    classroom = ClassroomFactory(school=teacher.school, teachers=[teacher])
    stranger = StudentFactory(school=teacher.school)
    client.force_login(teacher)
    response = client.post(reverse("classrooms:student_unlock", args=[classroom.pk, stranger.pk]))
    assert response.status_code == 404


def test_sign_out_is_a_post_and_ends_the_session(client):
    student = StudentFactory()
    client.force_login(student)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302  # back to sign-in
