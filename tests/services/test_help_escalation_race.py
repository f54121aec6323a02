"""Two dispatchers escalating the same flagged help requests at once on PostgreSQL: every step of every chain
taken once, its people told once.

Each racer is a thread with its own connection and no transaction around it, as a Celery task runs, released
with the other by a barrier; the race is repeated, and the test checks that the calls really overlapped.
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from peer_counselors import services
from peer_counselors.escalation.services import help_requests_escalate_flagged
from peer_counselors.models import HelpDesk, HelpRequest, HelpRequestEvent, Topic
from tests.factories import CounselorFactory, SchoolAdminFactory, SchoolFactory, StudentFactory
from tests.services.conftest import run_at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REQUESTS = 30
ROUNDS = 3
STEPS = 3
TOLD_PER_REQUEST = 2 + 1 + 1  # two counselors, one admin, the last contact


@pytest.fixture
def flagged_an_hour_ago():
    """30 flagged requests in three schools, none opened, flagged 61 minutes ago: all three steps due."""
    requests = []
    for n in range(3):
        school = SchoolFactory()
        CounselorFactory.create_batch(2, school=school)
        SchoolAdminFactory(school=school, email=f"admin{n}@school.example")
        HelpDesk.objects.create(school=school, last_contact_email=f"safety{n}@district.example")
        for _ in range(REQUESTS // 3):
            requests.append(
                services.help_request_file(requester=StudentFactory(school=school), topic=Topic.OTHER, text="I want to kill myself")
            )
    HelpRequest.objects.update(flagged_at=timezone.now() - timedelta(minutes=61))
    return requests


def timed(work):
    def run():
        start = time.perf_counter()
        result = work()
        return result, start, time.perf_counter()

    return run


def overlapped(a, b) -> bool:
    return a[1] < b[2] and b[1] < a[2]


def chains() -> Counter:
    return Counter(
        HelpRequestEvent.objects.filter(kind=HelpRequestEvent.Kind.ESCALATED).values_list("request_id", "step")
    )


def test_two_sweeps_at_once_take_each_step_of_each_chain_once(flagged_an_hour_ago):
    """Round after round, the two sweeps together take 90 steps, each (request, step) once, and tell each person once."""
    now = timezone.now()
    raced, shares = [], []
    for _ in range(ROUNDS):
        HelpRequestEvent.objects.filter(kind=HelpRequestEvent.Kind.ESCALATED).delete()
        Notification.objects.filter(kind=Notification.Kind.HELP_ESCALATED).delete()

        first, second = run_at_once(
            timed(lambda: help_requests_escalate_flagged(now=now)), timed(lambda: help_requests_escalate_flagged(now=now))
        )
        raced.append(overlapped(first, second))
        shares.append((first[0], second[0]))
        assert first[0] + second[0] == REQUESTS * STEPS
        taken = chains()
        assert len(taken) == REQUESTS * STEPS and set(taken.values()) == {1}
        assert {step for _request, step in taken} == {1, 2, 3}
        told = Notification.objects.filter(kind=Notification.Kind.HELP_ESCALATED)
        assert told.count() == REQUESTS * TOLD_PER_REQUEST
    print(f"\nsweeps overlapped: {raced}; steps taken by each: {shares}")
    assert any(raced), "the two sweeps never ran at the same time: nothing was raced"


def test_two_dispatchers_at_once_take_each_step_once(flagged_an_hour_ago):
    """The same through the beat task itself, twice at once and then once more: still 90 steps, each once."""
    first, second = run_at_once(reminders_dispatch, reminders_dispatch)
    reminders_dispatch()
    taken = chains()
    assert len(taken) == REQUESTS * STEPS and set(taken.values()) == {1}
    assert Notification.objects.filter(kind=Notification.Kind.HELP_ESCALATED).count() == REQUESTS * TOLD_PER_REQUEST
    assert first + second >= REQUESTS * STEPS
