"""Reads of the roster pages, each through its model's manage scope (peer_counselors/permissions.py): another
school's profile, period or slot is never among them, whatever its id."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.permissions import NOTHING, signed_in
from peer_counselors.models import CounselorProfile, DutyPeriod, DutySlot, HelpDesk, HelpRequest
from peer_counselors.permissions import (
    counselor_profile_manage_scope,
    duty_period_manage_scope,
    help_desk_manage_scope,
    is_supervisor,
    roster_candidate_scope,
)

# A peer's open requests: the ones they accepted (or joined as partner) and have not met about yet. Offered and
# still waiting belongs to every peer it was offered to; met, handed on, closed or withdrawn is done for them.
PEER_OPEN = (HelpRequest.Status.ACCEPTED, HelpRequest.Status.SCHEDULED)


def _slots() -> Prefetch:
    return Prefetch("duty_slots", queryset=DutySlot.objects.select_related("period").order_by("weekday", "period__starts"))


def _open_requests() -> Coalesce:
    counted = (
        HelpRequest.objects.filter(Q(assigned_to=OuterRef("pk")) | Q(partner=OuterRef("pk")), status__in=PEER_OPEN)
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def profiles_managed_by(user) -> QuerySet[CounselorProfile]:
    """The school's profiles, for its supervising counselors (anyone else: none)."""
    return CounselorProfile.objects.filter(counselor_profile_manage_scope(user))


def roster_of(user) -> QuerySet[CounselorProfile]:
    """Every profile of the school, active ones first, each with its student, its duty slots and periods, and
    ``open_requests``: two queries whatever the roster's size."""
    return (
        profiles_managed_by(user)
        .select_related("student")
        .prefetch_related(_slots())
        .annotate(open_requests=_open_requests())
        .order_by("-active", "student__last_name", "student__first_name", "pk")
    )


def profile_for_edit(user, pk: int) -> CounselorProfile | None:
    """One profile of the school with its slots and open requests, or None (the view's 404)."""
    return roster_of(user).filter(pk=pk).first()


def roster_candidates(user, *, search: str = "") -> QuerySet[User]:
    """Students of the school who could become orange hats: active accounts with no profile (here or anywhere:
    a student has one profile at most). ``search`` keeps those whose name or username holds every word of it."""
    students = User.objects.filter(roster_candidate_scope(user))
    for word in search.split()[:5]:
        students = students.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__icontains=word)
        )
    return students.order_by("grade", "first_name", "last_name", "username")


def school_member(user, pk: int) -> User | None:
    """Whoever of ``user``'s school has this id (any role), for the service to accept or refuse by name; someone
    of another school is None, as an id nobody has is (a counselor learns nothing about other schools)."""
    if not is_supervisor(user):
        return None
    return User.objects.filter(pk=pk, school_id=user.school_id).select_related("counselor_profile").first()


def periods_managed_by(user) -> QuerySet[DutyPeriod]:
    """The school's duty periods for its counselors, each with ``slot_count`` (the slots that use it)."""
    return DutyPeriod.objects.filter(duty_period_manage_scope(user)).annotate(slot_count=Count("slots"))


def has_periods(user) -> bool:
    return DutyPeriod.objects.filter(duty_period_manage_scope(user)).exists()


def period_slot_count(period: DutyPeriod) -> tuple[int, int]:
    """How many duty slots use ``period``, and of how many peer counselors: what goes if it is deleted."""
    counts = DutySlot.objects.filter(period=period).aggregate(slots=Count("pk"), peers=Count("profile", distinct=True))
    return counts["slots"], counts["peers"]


def keeps_help_desk(user) -> bool:
    """Whether ``user`` keeps a school's desk (help_desk_manage_scope): asked of the scope itself, since the desk's
    row is only made on its first save and a filter on no row would not tell "nobody" from "not yet"."""
    return signed_in(user) and help_desk_manage_scope(user) != NOTHING


def help_desk_managed_by(user) -> HelpDesk | None:
    """The desk of ``user``'s school if they keep it: the saved row, or the defaults (unsaved); None for anyone else."""
    if not keeps_help_desk(user):
        return None
    desk = HelpDesk.objects.filter(help_desk_manage_scope(user)).first()
    if desk is None:
        desk = HelpDesk(school_id=user.school_id)
        # An unsaved row holds its defaults as written in the model ("08:00"): made times, as a saved one has.
        for name in ("day_starts", "day_ends"):
            setattr(desk, name, HelpDesk._meta.get_field(name).to_python(getattr(desk, name)))
    return desk


def school_admins(school_id: int) -> list[User]:
    """The school's active administrators: the chain's second step after its counselors."""
    return list(
        User.objects.filter(school_id=school_id, role=User.Role.SCHOOL_ADMIN, is_active=True).order_by("last_name", "pk")
    )


def duty_slots_of(user) -> list[DutySlot]:
    """A peer counselor's own duty times (weekday, then the period's start), for their queue page: their active
    profile at their current school only; empty for anyone else."""
    if not signed_in(user) or user.role != User.Role.STUDENT or not user.school_id:
        return []
    return list(
        DutySlot.objects.filter(
            profile__student_id=user.pk, profile__school_id=user.school_id, profile__active=True,
            period__school_id=user.school_id,
        )
        .select_related("period")
        .order_by("weekday", "period__starts", "pk")
    )


def duty_slot_managed_by(user, profile: CounselorProfile, pk: int) -> DutySlot | None:
    """One slot of ``profile`` (a profile of the school, fetched through its manage scope), or None."""
    return (
        DutySlot.objects.filter(profile__in=profiles_managed_by(user).filter(pk=profile.pk), pk=pk)
        .select_related("profile__student", "period")
        .first()
    )
