"""Reads of the peer-counselor program, each through its model's scope (peer_counselors/permissions.py)."""

from django.db.models import Count, Exists, F, Func, IntegerField, Prefetch, Q, QuerySet, Subquery

from accounts.models import User
from peer_counselors.models import CounselorProfile, DutyPeriod, HelpDesk, HelpMessage, HelpRequest, HelpRequestEvent
from peer_counselors.permissions import (
    counselor_profile_scope,
    duty_period_scope,
    help_event_scope,
    help_message_scope,
    help_request_scope,
    help_request_supervise_scope,
    peer_request_scope,
)


def _requests(scope: Q) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(scope).select_related(
        "school", "requester", "assigned_to__student", "partner__student", "wanted__student", "meet_period"
    )


def help_requests_for(user) -> QuerySet[HelpRequest]:
    """Every request ``user`` may open (another's id is not among them: a 404)."""
    return _requests(help_request_scope(user))


def my_help_requests(user) -> QuerySet[HelpRequest]:
    """The requests a student made themselves, newest first."""
    return help_requests_for(user).filter(requester_id=user.pk)


def peer_queue(user) -> QuerySet[HelpRequest]:
    """What a peer counselor works on: offered to them and still waiting, or theirs (oldest first)."""
    return _requests(peer_request_scope(user)).order_by("created_at", "pk")


def supervisor_queue(user, *, status: str = "") -> QuerySet[HelpRequest]:
    """A school's whole queue, for its counselors: flagged ones first, then the oldest."""
    requests = _requests(help_request_supervise_scope(user))
    if status == "open":
        requests = requests.filter(status__in=HelpRequest.OPEN_STATUSES)
    elif status:
        requests = requests.filter(status=status)
    return requests.order_by("-flagged", "adult_opened_at", "created_at", "pk")


def flags_unopened_count(user) -> int:
    """Flagged requests no adult has opened yet: the alert in a counselor's navigation bar."""
    return HelpRequest.objects.filter(
        help_request_supervise_scope(user), Q(flagged=True) | Q(screen_failed=True), adult_opened_at__isnull=True
    ).count()


def messages_of(user, request: HelpRequest) -> list[HelpMessage]:
    return list(HelpMessage.objects.filter(help_message_scope(user), request=request).select_related("author"))


def events_of(user, request: HelpRequest) -> list[HelpRequestEvent]:
    return list(HelpRequestEvent.objects.filter(help_event_scope(user), request=request).select_related("actor"))


def peers_to_ask(user) -> QuerySet[CounselorProfile]:
    """The school's active peer counselors a student may ask for by name (not themselves)."""
    return (
        CounselorProfile.objects.filter(counselor_profile_scope(user))
        .exclude(student_id=user.pk)
        .select_related("student")
        .order_by("student__first_name", "student__last_name", "pk")
    )


def duty_periods_for(user) -> QuerySet[DutyPeriod]:
    return DutyPeriod.objects.filter(duty_period_scope(user))


def school_counselors(school_id: int) -> list[User]:
    """The adult counselors of a school, who supervise its peers and receive its flagged requests."""
    return list(
        User.objects.filter(school_id=school_id, role=User.Role.COUNSELOR, is_active=True).order_by("last_name", "pk")
    )


def help_desk_of(school) -> HelpDesk:
    """The school's settings, or the defaults (unsaved) if nobody has set them."""
    return HelpDesk.objects.filter(school=school).first() or HelpDesk(school=school)


def profiles_with_slots(school_id: int) -> QuerySet[CounselorProfile]:
    return (
        CounselorProfile.objects.filter(school_id=school_id)
        .select_related("student")
        .prefetch_related(Prefetch("duty_slots", queryset=CounselorProfile.duty_slots.rel.related_model.objects.select_related("period")))
        .annotate(open_requests=Count("assigned_requests", filter=Q(assigned_requests__status__in=HelpRequest.PEER_STATUSES)))
    )


def _counted(requests: QuerySet[HelpRequest]) -> Subquery:
    """How many ``requests`` there are, as a value of the outer query."""
    return Subquery(requests.order_by().values(n=Func(F("pk"), function="COUNT")), output_field=IntegerField())


def help_card_for(user) -> dict:
    """A student's home card: their requests still open and whether they are an orange hat, in one query (read on
    their own user row); for an orange hat, a second: how many requests wait for them (a request of their own is
    never theirs to help with: peer_request_scope leaves it out). Most students are not one, and the peer scope's
    nested subqueries cost more to build than the card's other parts together."""
    own = Q(requester_id=user.pk, school_id=user.school_id, status__in=HelpRequest.OPEN_STATUSES)
    profile = CounselorProfile.objects.filter(student_id=user.pk, school_id=user.school_id, active=True)
    card = User.objects.filter(pk=user.pk).values(open=_counted(HelpRequest.objects.filter(own)), is_peer=Exists(profile)).get()
    card["peer_waiting"] = HelpRequest.objects.filter(peer_request_scope(user)).count() if card["is_peer"] else 0
    return card


def queue_summary(user) -> dict:
    """A counselor's home: flagged requests no adult opened, and the school's open requests (one query)."""
    counts = HelpRequest.objects.filter(help_request_supervise_scope(user)).aggregate(
        unopened=Count("pk", filter=(Q(flagged=True) | Q(screen_failed=True)) & Q(adult_opened_at__isnull=True)),
        open=Count("pk", filter=Q(status__in=HelpRequest.OPEN_STATUSES)),
    )
    return counts
