"""The navigation bar's unread count and the user's school cost no query of their own on a signed-in page:
the school comes with the user (accounts.backends.SchoolModelBackend), the count from the cache until the
notification services say it moved. A new notification, one read, all read: the next page shows the change.
A cache that fails costs the query, never the page. A wrong password is hashed once."""

import re
from unittest import mock

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications import services
from notifications.services import NotificationDraft
from tests.factories import PASSWORD, NotificationFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _unread_cache_on(settings):
    settings.NOTIFICATIONS_UNREAD_CACHE = True


def badge(html: str) -> str:
    """The count in the navigation bar's badge, "" when there is none."""
    found = re.search(r'id="unread-badge-nav"[^>]*>(?:<span class="badge[^>]*>(\d+))?', html)
    return found[1] or ""


def counts_unread(sql: str) -> bool:
    return "COUNT(" in sql and '"read_at" IS NULL' in sql


def draft(user, n: int) -> NotificationDraft:
    return NotificationDraft(
        recipient_id=user.pk, kind="welcome", subject_key=f"test:{n}", due_at=timezone.now(), title=f"Note {n}"
    )


@pytest.fixture
def teacher(client):
    teacher = TeacherFactory()
    client.force_login(teacher)
    return teacher


def page(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("notifications:list")).content.decode()
    return html, [q["sql"] for q in queries]


def test_after_the_first_page_the_count_and_the_school_cost_no_query(client, teacher):
    NotificationFactory.create_batch(2, recipient=teacher)
    first, counted = page(client)
    assert any(counts_unread(q) for q in counted)  # the first page counts
    html, sql = page(client)
    assert badge(first) == badge(html) == "2"
    assert not any('FROM "accounts_school"' in q for q in sql)  # the school came with the user
    user_query = next(q for q in sql if 'FROM "accounts_user"' in q)
    assert 'JOIN "accounts_school"' in user_query
    assert not any(counts_unread(q) for q in sql)


def test_a_new_notification_shows_on_the_next_page_and_reading_brings_the_count_down(
    client, teacher, django_capture_on_commit_callbacks
):
    page(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_create_bulk(drafts=[draft(teacher, 1), draft(teacher, 2), draft(teacher, 3)])
    html, _ = page(client)
    assert badge(html) == "3"
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_mark_read(notification=teacher.notifications.order_by("pk").first())
    assert badge(page(client)[0]) == "2"
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_mark_all_read(recipient=teacher)
    assert badge(page(client)[0]) == ""


def test_a_count_taken_before_a_change_committed_is_counted_again(client, teacher, django_capture_on_commit_callbacks):
    """The count's query began before the commit that the change's mark records: the entry is stale at once."""
    page(client)  # counted 0, cached
    NotificationFactory(recipient=teacher)  # written without the services: the cache cannot know
    assert badge(page(client)[0]) == ""  # so the cache answers (up to UNREAD_TTL) ...
    with django_capture_on_commit_callbacks(execute=True):
        services.unread_changed([teacher.pk])  # ... until a service says the count moved
    assert badge(page(client)[0]) == "1"


def test_another_users_change_leaves_this_count_cached(client, teacher, django_capture_on_commit_callbacks):
    page(client)
    other = TeacherFactory(school=teacher.school)
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_create_bulk(drafts=[draft(other, 1)])
    _, sql = page(client)
    assert not any(counts_unread(q) for q in sql)


def test_a_failing_cache_costs_the_query_not_the_page(client, teacher, caplog):
    NotificationFactory(recipient=teacher)
    with mock.patch.object(cache, "get_many", side_effect=ConnectionError("Redis is down")):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200 and badge(response.content.decode()) == "1"
    assert "the unread count's cache failed" in caplog.text


def test_a_session_signed_in_before_the_school_backend_still_works(client, teacher):
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get(reverse("notifications:list")).status_code == 200


def test_a_wrong_password_is_hashed_once_and_a_right_one_signs_in(client):
    client.logout()
    teacher = TeacherFactory()
    with mock.patch.object(User, "check_password", autospec=True, side_effect=User.check_password) as checked:
        client.post(reverse("login"), {"username": teacher.username, "password": "not-the-password"})
    assert checked.call_count == 1
    response = client.post(reverse("login"), {"username": teacher.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.SchoolModelBackend"
