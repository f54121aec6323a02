"""What the escalation chain and the peer counselors' reminders read: the requests due, and who to reach.

Each reads for many requests at once (a dispatcher run touches every school): one query per question, never
one per request, so a district's run costs what a school's does.
"""

from collections import defaultdict
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Grade, User
from classrooms.models import Enrollment
from peer_counselors.models import CounselorProfile, DutySlot, HelpDesk, HelpRequest, HelpRequestEvent

Kind = HelpRequestEvent.Kind
Status = HelpRequest.Status
FOR_ADULTS = Q(flagged=True) | Q(screen_failed=True)


def flagged_unopened(*, since_before: datetime, last_step: int) -> QuerySet[HelpRequest]:
    """Flagged requests (by the screen, by hand, or a screen that failed) no adult has opened, flagged before
    ``since_before`` (so at least their first step is due), whose chain has not taken its ``last_step``.

    Annotated with ``since``: the moment the chain counts from (``flagged_at``; a request whose screen
    failed without a flag date counts from when it was made)."""
    finished = HelpRequestEvent.objects.filter(request=OuterRef("pk"), kind=Kind.ESCALATED, step=last_step)
    return (
        HelpRequest.objects.filter(FOR_ADULTS, adult_opened_at__isnull=True)
        .annotate(since=Coalesce("flagged_at", "created_at"))
        .filter(since__lte=since_before)
        .filter(~Exists(finished))
        .select_related("school", "requester")
        .order_by("pk")  # every dispatcher locks requests in the same order
    )


def unclaimed(*, offered_before: datetime) -> QuerySet[HelpRequest]:
    """Requests still waiting for an orange hat (offered, nobody accepted, a peer's), offered before
    ``offered_before`` and not yet sent to the counselors as unclaimed.

    Annotated with ``offered_since``: the last time it was offered (an unflagged request is offered again
    then), or when it was made."""
    last_offer = (
        HelpRequestEvent.objects.filter(request=OuterRef("pk"), kind=Kind.OFFERED).order_by("-created_at", "-pk").values("created_at")[:1]
    )
    escalated = HelpRequestEvent.objects.filter(request=OuterRef("pk"), kind=Kind.UNCLAIMED)
    return (
        HelpRequest.objects.filter(status=Status.OFFERED, assigned_to__isnull=True, flagged=False, screen_failed=False)
        .annotate(offered_since=Coalesce(Subquery(last_offer), F("created_at")))
        .filter(offered_since__lte=offered_before)
        .filter(~Exists(escalated))
        .select_related("school", "requester")
        .order_by("pk")
    )


def adults_by_school(school_ids, role: str) -> dict[int, list[User]]:
    """The active users of ``role`` of each school, by school (the order the counselors' alert uses)."""
    found: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(school_id__in=set(school_ids), role=role, is_active=True).order_by("last_name", "pk"):
        found[user.school_id].append(user)
    return found


def help_desks_by_school(school_ids) -> dict[int, HelpDesk]:
    return {desk.school_id: desk for desk in HelpDesk.objects.filter(school_id__in=set(school_ids))}


def classrooms_by_student(student_ids) -> dict[int, list[str]]:
    """Each student's classrooms now, as "Room 4B (Grade 4)", for the adults who must find the student."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        Enrollment.objects.active()
        .filter(student_id__in=set(student_ids))
        .values_list("student_id", "classroom__name", "classroom__grade")
        .order_by("student_id", "classroom__name", "classroom_id")
    )
    for student_id, name, grade in rows:
        found[student_id].append(f"{name} ({Grade(grade).label})")
    return found


def duty_slots_on(weekdays) -> QuerySet[DutySlot]:
    """The duty slots on these weekdays of every peer counselor who is one now (active, a student of the
    school that made them one, signed up)."""
    return (
        DutySlot.objects.filter(
            weekday__in=set(weekdays),
            profile__active=True,
            profile__student__is_active=True,
            profile__student__role=User.Role.STUDENT,
            profile__student__school_id=F("profile__school_id"),
        )
        .select_related("period", "profile__school", "profile__student")
        .order_by("profile_id", "weekday", "period__starts", "pk")
    )


def pending_by_profile(profile_ids) -> dict[int, int]:
    """How many requests wait on each peer counselor: offered to them and accepted by nobody yet, or accepted
    by them (or joined as partner) and not met yet. Never one for adults, never their own."""
    ids = set(profile_ids)
    pending: dict[int, set[int]] = defaultdict(set)
    offered = HelpRequest.offered_to.through.objects.filter(
        counselorprofile_id__in=ids,
        helprequest__status=Status.OFFERED,
        helprequest__assigned_to__isnull=True,
        helprequest__flagged=False,
        helprequest__screen_failed=False,
        helprequest__school_id=F("counselorprofile__school_id"),
    ).exclude(helprequest__requester_id=F("counselorprofile__student_id"))
    for profile_id, request_id in offered.values_list("counselorprofile_id", "helprequest_id"):
        pending[profile_id].add(request_id)
    theirs = HelpRequest.objects.filter(
        Q(assigned_to_id__in=ids) | Q(partner_id__in=ids),
        status__in=(Status.ACCEPTED, Status.SCHEDULED),
        flagged=False,
        screen_failed=False,
    )
    for request_id, assigned, partner in theirs.values_list("pk", "assigned_to_id", "partner_id"):
        for profile_id in (assigned, partner):
            if profile_id in ids:
                pending[profile_id].add(request_id)
    return {profile_id: len(requests) for profile_id, requests in pending.items()}


def follow_ups_between(first, last) -> QuerySet[HelpRequest]:
    """Met requests with a follow-up check-in dated ``first`` to ``last`` (both included), still the peers'."""
    return (
        HelpRequest.objects.filter(
            status=Status.MET, follow_up_on__gte=first, follow_up_on__lte=last, flagged=False, screen_failed=False,
            requester__isnull=False,
        )
        .select_related("school", "requester", "assigned_to__student", "partner__student")
        .order_by("pk")
    )


def is_peer_counselor_now(profile: CounselorProfile | None, school_id: int) -> bool:
    """A profile that still makes its student an orange hat of this school (active, the same school, signed up)."""
    return bool(
        profile is not None and profile.active and profile.school_id == school_id
        and profile.student.is_active and profile.student.school_id == school_id
    )
