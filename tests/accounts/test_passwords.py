import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, TeacherFactory

pytestmark = pytest.mark.django_db


def test_a_user_changes_their_password(client):
    teacher = TeacherFactory()
    client.force_login(teacher)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "blue-heron-river-9", "new_password2": "blue-heron-river-9"},
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("blue-heron-river-9")


def test_a_password_change_with_mismatched_fields_shows_the_error(client):
    client.force_login(TeacherFactory())
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "blue-heron-river-9", "new_password2": "blue-heron-river-8"},
    )
    assert response.status_code == 200
    assert "fields didn’t match" in response.text


def test_password_reset_by_email_end_to_end(client):
    """The e-mail's link lets the teacher choose a new password and sign in with it."""
    teacher = TeacherFactory(email="ms.rivera@school.example")
    response = client.post(reverse("password_reset"), {"email": "ms.rivera@school.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "quiet-otter-meadow-3", "new_password2": "quiet-otter-meadow-3"})
    assert done.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("quiet-otter-meadow-3")


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@school.example"}, follow=True)
    assert response.status_code == 200
    assert "If an account uses that address" in response.text
    assert mail.outbox == []
