from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import NotificationDraft, notification_emails_send, notifications_create_bulk
from notifications.tasks import notifications_email_sweep
from tests.factories import NotificationFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db
MOMENT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def draft(recipient, **overrides):
    fields = {"recipient_id": recipient.pk, "kind": Notification.Kind.WELCOME, "due_at": MOMENT, "title": "Hello",
              "subject_key": "classrooms.session:7", "email": True}
    return NotificationDraft(**{**fields, **overrides})


def test_the_same_reminder_is_never_created_twice():
    """Same kind, object, recipient and moment: the second creation adds nothing."""
    teacher = TeacherFactory()
    notifications_create_bulk(drafts=[draft(teacher)])
    notifications_create_bulk(drafts=[draft(teacher), draft(teacher)])
    assert Notification.objects.count() == 1


def test_a_different_moment_or_object_is_a_different_reminder():
    teacher = TeacherFactory()
    notifications_create_bulk(
        drafts=[draft(teacher), draft(teacher, due_at=MOMENT + timedelta(days=1)), draft(teacher, subject_key="x:8")]
    )
    assert Notification.objects.count() == 3


def test_only_recipients_with_an_address_wait_for_email():
    teacher, student = TeacherFactory(), StudentFactory(email="")
    notifications_create_bulk(drafts=[draft(teacher), draft(student)])
    assert Notification.objects.get(recipient=teacher).email_status == Notification.EmailStatus.PENDING
    assert Notification.objects.get(recipient=student).email_status == Notification.EmailStatus.NOT_NEEDED


def test_creating_emailable_notifications_asks_for_a_sweep_after_commit(django_capture_on_commit_callbacks, published_tasks):
    """The sweep task is published once the rows are committed, never inside the transaction."""
    teacher = TeacherFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_create_bulk(drafts=[draft(teacher)])
        assert published_tasks() == []  # not yet: a worker would not see the rows
    assert published_tasks() == ["notifications.tasks.notifications_email_sweep"]
    assert mail.outbox == []  # the worker sends the e-mail, not the request


def test_notifications_that_need_no_email_publish_nothing(django_capture_on_commit_callbacks, published_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications_create_bulk(drafts=[draft(TeacherFactory(), email=False)])
    assert published_tasks() == []


def test_the_sweep_sends_each_email_once():
    teacher = TeacherFactory(email="rivera@school.example")
    notifications_create_bulk(drafts=[draft(teacher, title="Session tomorrow", url="/classrooms/")])
    assert notifications_email_sweep() == 1
    assert notifications_email_sweep() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rivera@school.example"]
    assert "Session tomorrow" in message.subject
    assert "http://127.0.0.1:8000/classrooms/" in message.body
    row = Notification.objects.get()
    assert row.email_status == Notification.EmailStatus.SENT and row.emailed_at is not None


def test_a_row_leased_by_a_live_sender_is_left_alone_and_a_stale_lease_is_taken_over(time_machine):
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)
    teacher = TeacherFactory()
    notifications_create_bulk(drafts=[draft(teacher)])
    Notification.objects.update(email_claimed_at=timezone.now())  # another worker is sending it
    assert notification_emails_send() == 0
    time_machine.move_to("2026-11-23 09:11:00+00:00", tick=False)  # that worker died
    assert notification_emails_send() == 1
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_keeps_the_row_for_later(settings, time_machine):
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)
    notifications_create_bulk(drafts=[draft(TeacherFactory())])
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.EmailBackend"
    assert notification_emails_send() == 0
    assert Notification.objects.get().email_status == Notification.EmailStatus.PENDING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.move_to("2026-11-23 09:11:00+00:00", tick=False)
    assert notification_emails_send() == 1


def test_the_list_shows_only_my_notifications(client):
    me, someone = TeacherFactory(), TeacherFactory()
    NotificationFactory(recipient=me, title="Mine")
    NotificationFactory(recipient=someone, title="Theirs")
    client.force_login(me)
    page = client.get(reverse("notifications:list")).text
    assert "Mine" in page and "Theirs" not in page


def test_someone_elses_notification_is_a_404(client):
    client.force_login(TeacherFactory())
    other = NotificationFactory()
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_read_with_htmx_returns_just_that_item(client):
    me = TeacherFactory()
    note = NotificationFactory(recipient=me, title="Session tomorrow")
    client.force_login(me)
    response = client.post(reverse("notifications:read", args=[note.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.strip().startswith("<li")
    assert "Session tomorrow" in response.text and "<html" not in response.text
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    me = TeacherFactory()
    note = NotificationFactory(recipient=me, url="/classrooms/")
    client.force_login(me)
    response = client.post(reverse("notifications:read", args=[note.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/classrooms/"


def test_mark_all_read_clears_the_badge(client):
    me = TeacherFactory()
    NotificationFactory.create_batch(4, recipient=me)
    client.force_login(me)
    client.post(reverse("notifications:read_all"))
    assert not me.notifications.filter(read_at__isnull=True).exists()


def test_the_list_is_paginated_with_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    me = TeacherFactory()
    NotificationFactory.create_batch(60, recipient=me)
    client.force_login(me)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("notifications:list") + "?page=3")
    assert "Page 3 of 3" in page.text


def test_someone_without_an_account_is_written_to_once_per_key():
    moment = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)

    def draft(address):
        return NotificationDraft(recipient_id=None, to_email=address, kind=Notification.Kind.VISIT_FAMILY_EMAIL,
                                 subject_key="classrooms.session:1", due_at=moment, title="Your visit", email=True)

    notifications_create_bulk(drafts=[draft("a@home.example"), draft("a@home.example"), draft("b@home.example")])
    notifications_create_bulk(drafts=[draft("a@home.example")])
    rows = Notification.objects.order_by("to_email")
    assert [(n.to_email, n.email_status) for n in rows] == [
        ("a@home.example", Notification.EmailStatus.PENDING),
        ("b@home.example", Notification.EmailStatus.PENDING),
    ]
    with pytest.raises(ValueError):
        NotificationDraft(recipient_id=None, kind=Notification.Kind.VISIT_FAMILY_EMAIL, due_at=moment, title="x")
