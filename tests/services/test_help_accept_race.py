"""Two orange hats accepting the same help request at the same moment: exactly one gets it (PostgreSQL)."""

import threading

import pytest

from peer_counselors import services
from peer_counselors.models import HelpRequest, HelpRequestEvent
from tests.factories import PeerCounselorFactory, StudentFactory
from tests.services.conftest import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_peer_counselors_accepting_at_once_leave_one_owner_and_tell_the_other_clearly():
    asker = StudentFactory()
    first, second = PeerCounselorFactory(school=asker.school), PeerCounselorFactory(school=asker.school)
    request = services.help_request_file(requester=asker, topic="conflict", text="We keep fighting over the swing.")
    peers = iter([first, second])
    taking = threading.Lock()

    def accept():
        with taking:
            me = next(peers)
        services.help_request_accept(request=request, by=me)

    errors = run_together(accept)

    assert len(errors) == 1 and isinstance(errors[0], services.HelpRefused)
    assert "Another orange hat accepted this request just before you" in errors[0].message
    request = HelpRequest.objects.get(pk=request.pk)
    assert request.status == HelpRequest.Status.ACCEPTED
    assert request.assigned_to.student in (first, second)
    assert request.events.filter(kind=HelpRequestEvent.Kind.ACCEPTED).count() == 1


def test_two_partners_joining_at_once_leave_one_partner():
    asker = StudentFactory()
    owner, a, b = (PeerCounselorFactory(school=asker.school) for _ in range(3))
    request = services.help_request_file(requester=asker, topic="teased", text="They call me names at lunch.")
    services.help_request_accept(request=request, by=owner)
    peers = iter([a, b])
    taking = threading.Lock()

    def join():
        with taking:
            me = next(peers)
        services.help_request_join(request=request, by=me)

    errors = run_together(join)

    assert len(errors) == 1 and "already has two orange hats" in errors[0].message
    request = HelpRequest.objects.get(pk=request.pk)
    assert request.partner.student in (a, b) and request.assigned_to.student == owner
