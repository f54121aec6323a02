"""Fail closed with the broker gone: a flagged request filed while nothing answers at the broker's address still
commits, the counselor's alert is in the app at once and its e-mail waits in the outbox; the sweep sends it once the
broker is back. (tests/services/test_help_alert_outage.py does it with Redis really stopped and a real worker.)"""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.tasks import notifications_email_sweep
from peer_counselors.models import HelpRequest, Topic
from tests.factories import CounselorFactory, StudentFactory
from tests.services.conftest import CLOSED_BROKER_URL, broker_at

pytestmark = pytest.mark.django_db


def test_a_flagged_request_filed_with_the_broker_down_alerts_the_counselor_at_once_and_mails_later(
    client, caplog, django_capture_on_commit_callbacks
):
    student = StudentFactory()
    counselor = CounselorFactory(school=student.school)
    client.force_login(student)
    form = {"topic": Topic.OTHER, "text": "I want to kill myself", "wanted": "", "meet_period": ""}
    with broker_at(CLOSED_BROKER_URL), django_capture_on_commit_callbacks(execute=True) as committed:
        response = client.post(reverse("peer_counselors:ask"), form)
    request = HelpRequest.objects.get()
    assert response.status_code == 302 and request.flagged
    assert committed  # the on-commit publish ran, and gave up:
    assert "Broker unreachable" in caplog.text
    alert = Notification.objects.get(recipient=counselor)
    assert alert.kind == Notification.Kind.HELP_FLAGGED
    assert alert.email_status == Notification.EmailStatus.PENDING
    assert mail.outbox == []

    client.force_login(counselor)
    page = client.get(reverse("peer_counselors:supervise")).content.decode()
    assert "1 safety request" in page  # the navigation bar's alert, before any e-mail or worker

    notifications_email_sweep()  # the beat's sweep, once the broker is back
    assert [message.to for message in mail.outbox] == [[counselor.email]]
    alert.refresh_from_db()
    assert alert.email_status == Notification.EmailStatus.SENT
    notifications_email_sweep()
    assert len(mail.outbox) == 1
