"""Who may see the peer-counselor program's models, as one ``Q`` per model (failing closed).

* A help request is seen by the student who asked; by the peer counselors it is offered or assigned to, while
  it is a peer's at all (never flagged, never with an adult, never once withdrawn or closed); and by the
  school's supervising counselors, who see every request of their school, flagged ones included. Nobody else:
  teachers and admins see aggregates only (``can_see_help_aggregates``), and an admin's export of one
  student's requests is a task of its own, audited.
* Once a request is accepted, the other peers it was offered to still see it until a partner joins
  (mediators work in pairs), then only the two of them do.
* Its messages go with it; its event log (every state change, every look) is the supervisors'.
* The roster: the school's counselors manage it, choosing new orange hats among the school's students (by name:
  ``roster_candidate_scope``); a student sees the school's active peer counselors by name (to ask for one).
* Every link counts only in the user's current school: a student who moved is nobody's orange hat there.
"""

from django.db.models import Q

from accounts.models import User
from accounts.permissions import NOTHING, signed_in
from peer_counselors.models import CounselorProfile, HelpRequest


def _in_school(user) -> bool:
    return signed_in(user) and bool(user.school_id)


def is_supervisor(user) -> bool:
    """An adult counselor of a school: supervises its peer counselors and sees its whole queue."""
    return _in_school(user) and user.role == User.Role.COUNSELOR


def _profile_of(user):
    return CounselorProfile.objects.filter(student_id=user.pk, school_id=user.school_id, active=True)


def is_peer_counselor(user) -> bool:
    """A student of a school with an active profile there (one query: call it once per request)."""
    return _in_school(user) and user.role == User.Role.STUDENT and _profile_of(user).exists()


def peer_request_scope(user) -> Q:
    """The requests ``user`` works on as a peer counselor: offered or assigned to their active profile, still a
    peer's, and of their school. Empty for anyone who is not one."""
    if not _in_school(user) or user.role != User.Role.STUDENT:
        return NOTHING
    profile = _profile_of(user).values("pk")
    waiting = Q(status=HelpRequest.Status.OFFERED) | Q(
        status__in=(HelpRequest.Status.ACCEPTED, HelpRequest.Status.SCHEDULED), partner__isnull=True
    )
    mine = Q(assigned_to__in=profile) | Q(partner__in=profile)
    offered = Q(pk__in=HelpRequest.offered_to.through.objects.filter(counselorprofile_id__in=profile).values("helprequest_id"))
    return (
        Q(school_id=user.school_id, flagged=False, screen_failed=False, status__in=HelpRequest.PEER_STATUSES)
        & (mine | (offered & waiting))
        & ~Q(requester_id=user.pk)
    )


def help_request_scope(user) -> Q:
    if not _in_school(user):
        return NOTHING
    if user.role == User.Role.COUNSELOR:
        return Q(school_id=user.school_id)
    if user.role == User.Role.STUDENT:
        return Q(requester_id=user.pk, school_id=user.school_id) | peer_request_scope(user)
    return NOTHING


def help_request_supervise_scope(user) -> Q:
    """What ``user`` may reassign, close, flag and unflag, and whose log they read: their school's, as its counselor."""
    return Q(school_id=user.school_id) if is_supervisor(user) else NOTHING


def help_message_scope(user) -> Q:
    return Q(request__in=HelpRequest.objects.filter(help_request_scope(user)).values("pk"))


def help_event_scope(user) -> Q:
    return Q(request__in=HelpRequest.objects.filter(help_request_supervise_scope(user)).values("pk"))


def counselor_profile_scope(user) -> Q:
    if not _in_school(user):
        return NOTHING
    if user.role == User.Role.COUNSELOR:
        return Q(school_id=user.school_id)
    if user.role == User.Role.STUDENT:
        return Q(school_id=user.school_id, active=True, student__school_id=user.school_id)
    return NOTHING


def roster_candidate_scope(user) -> Q:
    """Students (``User`` rows) a school's counselor may pick as a new orange hat: the school's active students with
    no profile. The counselor sees their names to choose, nothing else of theirs."""
    if not is_supervisor(user):
        return NOTHING
    return Q(school_id=user.school_id, role=User.Role.STUDENT, is_active=True, counselor_profile__isnull=True)


def counselor_profile_manage_scope(user) -> Q:
    return Q(school_id=user.school_id) if is_supervisor(user) else NOTHING


def duty_period_scope(user) -> Q:
    """A school's periods: every member of the school reads them (a student picks when they can meet)."""
    if not _in_school(user) or user.role == User.Role.DISTRICT_ADMIN:
        return NOTHING
    return Q(school_id=user.school_id)


def duty_period_manage_scope(user) -> Q:
    return Q(school_id=user.school_id) if is_supervisor(user) else NOTHING


def help_desk_manage_scope(user) -> Q:
    """A school's hours and last contact: its counselors and its admin keep them."""
    if _in_school(user) and user.role in (User.Role.COUNSELOR, User.Role.SCHOOL_ADMIN):
        return Q(school_id=user.school_id)
    return NOTHING


def can_ask_for_help(user) -> bool:
    return _in_school(user) and user.role == User.Role.STUDENT


def can_see_help_aggregates(user) -> bool:
    """Counts, times and outcomes by week and topic, small groups suppressed: a school's counselors and admin,
    a district's admin (per school)."""
    if not signed_in(user):
        return False
    if user.role == User.Role.DISTRICT_ADMIN:
        return bool(user.district_id)
    return user.role in (User.Role.COUNSELOR, User.Role.SCHOOL_ADMIN) and bool(user.school_id)


def help_request_export_scope(user) -> Q:
    """The requests a school's admin may export, one student's at a time, or anonymise on request (audited): the
    school's. No page shows them: the export is a file, and each one is an audit row."""
    return Q(school_id=user.school_id) if can_export_student_help(user) else NOTHING


def can_export_student_help(user) -> bool:
    """One student's requests and logs, exported or anonymised on request: the school's admin, audited."""
    return _in_school(user) and user.role == User.Role.SCHOOL_ADMIN
