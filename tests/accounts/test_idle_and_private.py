"""Shared school devices: idle sessions end, signed-in pages are never kept by the browser (issue 10, points 3, 4,
12 and 14)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import PASSWORD, StudentFactory, TeacherFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def signed_in(client, user, time_machine):
    time_machine.move_to(START, tick=False)
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    return client


def later(time_machine, minutes: float):
    time_machine.move_to(START + timedelta(minutes=minutes), tick=False)


def test_a_student_left_signed_in_is_signed_out_after_30_minutes_and_told_why(client, time_machine):
    signed_in(client, StudentFactory(), time_machine)
    later(time_machine, 31)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('notifications:list')}"
    page = client.get(response["Location"])
    assert "_auth_user_id" not in client.session
    assert "signed out because Heard was not used for 30 minutes" in parse(page.text).text


def test_a_student_who_keeps_using_heard_stays_signed_in(client, time_machine):
    signed_in(client, StudentFactory(), time_machine)
    for minutes in (20, 40, 60, 80):
        later(time_machine, minutes)
        assert client.get(reverse("dashboard")).status_code == 200, f"signed out after {minutes} minutes of use"


def test_an_adult_keeps_the_session_for_eight_hours_idle_not_longer(client, time_machine):
    signed_in(client, TeacherFactory(), time_machine)
    later(time_machine, 8 * 60 - 1)
    assert client.get(reverse("dashboard")).status_code == 200
    later(time_machine, 2 * 8 * 60)
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "not used for 8 hours" in parse(response.text).text


def test_the_idle_times_are_settings(client, settings, time_machine):
    settings.IDLE_TIMEOUT_STUDENT_MINUTES = 5
    signed_in(client, StudentFactory(), time_machine)
    later(time_machine, 6)
    response = client.get(reverse("dashboard"), follow=True)
    assert "not used for 5 minutes" in parse(response.text).text


def test_an_htmx_request_after_the_timeout_sends_the_whole_page_to_sign_in(client, time_machine):
    signed_in(client, StudentFactory(), time_machine)
    later(time_machine, 45)
    response = client.get(reverse("notifications:list"), headers={"HX-Request": "true", "HX-Current-URL": "/notifications/"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/notifications/"


def test_a_form_sent_after_the_timeout_writes_nothing(client, time_machine):
    student = StudentFactory()
    signed_in(client, student, time_machine)
    later(time_machine, 45)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-long-password-1", "new_password2": "a-new-long-password-1"},
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_signed_in_pages_are_never_stored_and_every_page_has_a_permissions_policy(client):
    anonymous = client.get(reverse("login"))
    assert anonymous["Permissions-Policy"].startswith("camera=(), microphone=(), geolocation=()")
    client.force_login(TeacherFactory())
    for name in ("dashboard", "notifications:list", "password_change", "classrooms:list"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], name
        assert "camera=()" in response["Permissions-Policy"], name


def test_check_deploy_fails_when_production_would_print_e_mails_to_the_log(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with pytest.raises(CommandError, match="heard.E001"):
        call_command("check", "--deploy", "--tag", "security")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def test_signing_out_after_the_timeout_does_not_come_back_to_the_sign_out_address(client, time_machine):
    """The form's address may not answer a GET: after signing in again, the person lands on their home page."""
    student = StudentFactory()
    signed_in(client, student, time_machine)
    later(time_machine, 45)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.post(response["Location"], {"username": student.username, "password": PASSWORD})["Location"] == reverse("dashboard")
