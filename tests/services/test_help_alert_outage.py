"""A flagged help request while Redis is down: the student's request commits and the counselor's alert shows at
once; the e-mail goes out, once, when Redis is back (a real worker, and with Redis really stopped, beat too)."""

import time

import pytest
from django.urls import reverse

from config.celery import enqueue
from notifications.models import Notification
from notifications.services import EMAIL_SWEEP_TASK
from peer_counselors.models import HelpRequest, Topic
from tests.conftest import REDIS_URL
from tests.factories import CounselorFactory, StudentFactory
from tests.services.conftest import CLOSED_BROKER_URL, broker_at, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

FORM = {"topic": Topic.OTHER, "text": "I want to kill myself", "wanted": "", "meet_period": ""}
ALERT_SUBJECT = "Heard: Safety: a help request needs an adult now"
BEAT_SECONDS = 1


def alert_of(counselor) -> Notification:
    return Notification.objects.get(recipient=counselor, kind=Notification.Kind.HELP_FLAGGED)


def the_alert_shows(client, counselor) -> bool:
    client.force_login(counselor)
    return "1 safety request" in client.get(reverse("peer_counselors:supervise")).content.decode()


def test_the_alert_filed_on_a_closed_broker_is_mailed_once_by_the_worker_when_redis_answers(
    client, worker, caplog, django_capture_on_commit_callbacks
):
    student = StudentFactory()
    counselor = CounselorFactory(school=student.school)
    client.force_login(student)
    with broker_at(CLOSED_BROKER_URL), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("peer_counselors:ask"), FORM)
    assert response.status_code == 302 and HelpRequest.objects.get().flagged
    assert "Broker unreachable" in caplog.text
    assert alert_of(counselor).email_status == Notification.EmailStatus.PENDING
    assert the_alert_shows(client, counselor)

    finished = len(worker.sweeps_finished())
    with broker_at(REDIS_URL):
        assert enqueue(EMAIL_SWEEP_TASK)
        wait_until(lambda: len(worker.sweeps_finished()) > finished, "the sweep to finish")
        assert enqueue(EMAIL_SWEEP_TASK)
        wait_until(lambda: len(worker.sweeps_finished()) > finished + 1, "a second sweep to finish")
    assert alert_of(counselor).email_status == Notification.EmailStatus.SENT
    assert worker.emails_to(counselor.email) == 1


def test_a_flagged_request_while_redis_is_stopped_alerts_at_once_and_is_mailed_once_redis_is_back(private_celery, client):
    student = StudentFactory()
    counselor = CounselorFactory(school=student.school)
    worker = private_celery.start_worker()
    beat = private_celery.start_beat(every_seconds=BEAT_SECONDS)
    wait_until(lambda: "notifications_email_sweep" in worker.log() and " succeeded in " in worker.log(),
               "beat and the worker to run a sweep")  # fmt: skip
    private_celery.redis.stop()
    wait_until(lambda: "Connection to broker lost" in worker.log(), "the worker to notice Redis is gone")

    client.force_login(student)
    with private_celery.broker_here():
        started = time.perf_counter()
        response = client.post(reverse("peer_counselors:ask"), FORM)
        answered_in = time.perf_counter() - started
    print(f"\nflagged request answered {response.status_code} in {answered_in * 1000:.0f} ms with Redis stopped")
    assert response.status_code == 302 and HelpRequest.objects.get().flagged
    assert alert_of(counselor).email_status == Notification.EmailStatus.PENDING
    assert the_alert_shows(client, counselor)  # the adult's alert is there with no broker at all

    wait_until(lambda: beat.log().count("Couldn't apply scheduled task") >= 2, "beat to fail to publish twice")
    assert private_celery.emails() == []
    private_celery.redis.start()
    wait_until(lambda: alert_of(counselor).email_status == Notification.EmailStatus.SENT,
               "the alert to be e-mailed once Redis is back")  # fmt: skip
    sweeps = worker.sweeps_finished()
    wait_until(lambda: len(worker.sweeps_finished()) >= len(sweeps) + 2, "two more beats' sweeps")
    assert [(email["to"], email["subject"]) for email in private_celery.emails()] == [([counselor.email], ALERT_SUBJECT)]
