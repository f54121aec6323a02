"""Two callers inserting the same notifications at once leave one row per key (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import NotificationDraft, notifications_create_bulk
from tests.factories import TeacherFactory
from tests.services.conftest import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def reminders(teachers, *, sessions: int):
    """What a reminder sweep would draft: one e-mailed reminder per teacher and session."""
    due = timezone.now().replace(microsecond=0) + timedelta(days=1)
    return [
        NotificationDraft(
            recipient_id=teacher.pk,
            kind=Notification.Kind.WELCOME,
            subject_key=f"classrooms.session:{n}",
            due_at=due,
            title=f"Session {n} is tomorrow",
            email=True,
        )
        for teacher in teachers
        for n in range(sessions)
    ]


def test_two_sweeps_racing_on_the_same_reminders_leave_one_row_each():
    """Both racing callers succeed and each (kind, subject, recipient, moment) is stored once."""
    drafts = reminders(TeacherFactory.create_batch(3), sessions=1)

    errors = run_together(lambda: notifications_create_bulk(drafts=drafts))

    assert errors == []
    assert Notification.objects.count() == 3
    assert set(Notification.objects.values_list("email_status", flat=True)) == {Notification.EmailStatus.PENDING}


def test_two_callers_inserting_the_same_500_drafts_leave_500_rows():
    """A full batch of 500 drafts inserted twice at once still leaves exactly 500 rows."""
    drafts = reminders([TeacherFactory()], sessions=500)

    errors = run_together(lambda: notifications_create_bulk(drafts=drafts))

    assert errors == []
    assert Notification.objects.count() == 500


def test_two_callers_with_the_same_drafts_in_opposite_orders_leave_one_row_each():
    """Callers that list the same reminders in different orders both succeed (no deadlock)."""
    drafts = reminders([TeacherFactory()], sessions=2000)
    orders = iter([drafts, drafts[::-1]])
    taking = threading.Lock()

    def insert_in_my_order():
        with taking:
            mine = next(orders)
        notifications_create_bulk(drafts=mine)

    errors = run_together(insert_in_my_order)

    assert errors == []
    assert Notification.objects.count() == 2000
