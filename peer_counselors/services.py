"""Every way a help request changes: asked, screened and routed, accepted, met, handed on, withdrawn, supervised.

The rule every function keeps: a request that is for adults (flagged by the screen or by hand, a screen that
failed, handed on by a peer) is never offered to, nor readable by, a peer counselor. Each change writes an
event in the request's log in the same transaction; notifications go through the outbox (its e-mail is sent
after commit), so no request waits on the broker and a broker that is down delays an e-mail, never the alert.
"""

import logging
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Notification
from notifications.services import NotificationDraft, notifications_create_bulk, subject_key_for
from peer_counselors import screening
from peer_counselors.models import (
    MESSAGE_MAX,
    REASON_MAX,
    TEXT_MAX,
    CounselorProfile,
    DutyPeriod,
    HelpMessage,
    HelpRequest,
    HelpRequestEvent,
    Outcome,
    Topic,
)
from peer_counselors.permissions import is_supervisor
from peer_counselors.selectors import school_counselors

logger = logging.getLogger(__name__)
Status = HelpRequest.Status
Kind = HelpRequestEvent.Kind
FOLLOW_UP_AFTER = timedelta(days=14)


class HelpRefused(Exception):
    """A change that cannot be made, with the sentence the person reads (and the field it is about)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def _event(request: HelpRequest, kind: str, actor: User | None, *, reason: str = "", step: int | None = None):
    return HelpRequestEvent.objects.create(
        request=request, kind=kind, actor=actor, status=request.status, reason=reason[:REASON_MAX], step=step
    )


def _url(request: HelpRequest) -> str:
    return reverse("peer_counselors:request", args=[request.pk])


def _draft(request: HelpRequest, recipient_id: int, kind: str, title: str, *, body: str = "", email: bool = False,
           due_at: datetime | None = None) -> NotificationDraft:
    return NotificationDraft(
        recipient_id=recipient_id, kind=kind, subject_key=subject_key_for(request), due_at=due_at or timezone.now(),
        title=title, body=body, url=_url(request), email=email,
    )


def _safe_screen(text: str) -> tuple[screening.Screening | None, bool]:
    """The screen's answer, or ``(None, True)`` if it raised: a screen that fails sends the request to an adult."""
    try:
        result = screening.screen(text)
        if not isinstance(result, screening.Screening):
            raise TypeError(f"screen returned {type(result).__name__}")
        return result, False
    except Exception:
        logger.exception("The safety screen failed; the help request goes to an adult.")
        return None, True


def _alert_counselors(request: HelpRequest) -> None:
    """The school's counselors, in the app and by e-mail, now (the e-mail leaves after commit)."""
    who = request.requester.display_name if request.requester else _("a student")
    if request.asked_adult and not request.flag_categories and not request.screen_failed:
        body = _("%(who)s asked for help and chose an adult, not a student, to read it: it may be about someone's "
                 "safety. It was not shown to any peer counselor. Open it in Heard now.") % {"who": who}
    else:
        body = _("%(who)s asked an orange hat for help, and what they wrote may mean someone is not safe. "
                 "It was not shown to any peer counselor. Open it in Heard now.") % {"who": who}
    drafts = [
        _draft(
            request, counselor.pk, Notification.Kind.HELP_FLAGGED,
            _("Safety: a help request needs an adult now"), body=body, email=True,
        )
        for counselor in school_counselors(request.school_id)
    ]
    notifications_create_bulk(drafts=drafts)


def _offer(request: HelpRequest, *, to: list[CounselorProfile]) -> None:
    request.offered_to.set(to)
    _event(request, Kind.OFFERED, None)
    if not to:
        # A school with no orange hat on its roster (or only the student who asked): nobody would ever accept it, so
        # the counselors hear of it now rather than a school day later.
        notifications_create_bulk(
            drafts=[
                _draft(request, counselor.pk, Notification.Kind.HELP_UNCLAIMED,
                       _("A student asked an orange hat for help, and the school has no orange hat to offer it to"),
                       email=True)
                for counselor in school_counselors(request.school_id)
            ]
        )
        return
    notifications_create_bulk(
        drafts=[
            _draft(request, profile.student_id, Notification.Kind.HELP_OFFERED,
                   _("Someone asked an orange hat for help. Can you take it?"))
            for profile in to
        ]
    )


def _offerable(request: HelpRequest) -> list[CounselorProfile]:
    """The named peer if they are still active at the school, else every active peer of the school (not the
    student who asked)."""
    profiles = CounselorProfile.objects.filter(
        school_id=request.school_id, active=True, student__school_id=request.school_id, student__is_active=True
    ).exclude(student_id=request.requester_id)
    if request.wanted_id:
        named = list(profiles.filter(pk=request.wanted_id))
        if named:
            return named
    return list(profiles.order_by("pk"))


@transaction.atomic
def help_request_file(*, requester: User, topic: str, text: str, wanted: CounselorProfile | None = None,
                      meet_period: DutyPeriod | None = None, classmate: str = "", asked_adult: bool = False) -> HelpRequest:
    """A student asks for help. Screened first, inside this transaction and with nothing but Python: a flagged
    request (or one the screen could not read) goes to the school's counselors at once and to no peer. A student
    who ticks "an adult, not a student" (``asked_adult``) is routed the same way, whatever the screen reads: the
    screen can miss what a child knows is serious."""
    # A NUL is invisible and no database column takes it (the form refuses it; a service called otherwise drops it).
    text = (text or "").replace("\x00", "").strip()
    classmate = (classmate or "").replace("\x00", "")
    if requester.role != User.Role.STUDENT or not requester.school_id:
        raise HelpRefused(_("Only a student can ask an orange hat for help."))
    if topic not in Topic.values:
        raise HelpRefused(_("Choose what it is about."), "topic")
    if not text:
        raise HelpRefused(_("Write a few words about what happened, so the orange hat knows how to help."), "text")
    if len(text) > TEXT_MAX:
        raise HelpRefused(
            _("That is a lot to read: please keep it under %(max)s characters (you wrote %(n)s).")
            % {"max": TEXT_MAX, "n": len(text)}, "text",
        )
    if wanted is not None and (wanted.school_id != requester.school_id or not wanted.active):
        wanted = None
    if meet_period is not None and meet_period.school_id != requester.school_id:
        meet_period = None
    result, failed = _safe_screen(" ".join((text, classmate or "")))
    now = timezone.now()
    request = HelpRequest.objects.create(
        school_id=requester.school_id, requester=requester, requester_grade=requester.grade, topic=topic, text=text,
        wanted=wanted, meet_period=meet_period, classmate=(classmate or "").strip()[:100], created_at=now,
        asked_adult=asked_adult,
        # Its log's first line already says where it went: a flagged request was never a peer's, not even for a moment.
        status=Status.WITH_ADULT if failed or asked_adult or result.flagged else Status.OFFERED,
    )
    _event(request, Kind.FILED, requester)
    if asked_adult:
        _event(request, Kind.ASKED_ADULT, requester)
    if failed or asked_adult or result.flagged:
        _to_adults(request, result, failed=failed, now=now)
        return request
    _offer(request, to=_offerable(request))
    return request


def _to_adults(request: HelpRequest, result: screening.Screening | None, *, failed: bool, now: datetime) -> None:
    """What the screen found (or its failure, or the student's own choice of an adult) makes the request the adults'
    for good: out of every peer's hands, the counselors alerted, the safety chain started."""
    request.flagged = not failed
    request.screen_failed = failed
    request.flag_categories = [] if failed else list(result.categories)
    request.flagged_at = now
    if request.status in HelpRequest.PEER_STATUSES:
        request.status = Status.WITH_ADULT
    request.adult_opened_at = None
    request.save(update_fields=["flagged", "screen_failed", "flag_categories", "flagged_at", "status", "adult_opened_at"])
    if failed or result.flagged:
        _event(request, Kind.SCREEN_FAILED if failed else Kind.FLAGGED, None, reason=",".join(request.flag_categories))
    _alert_counselors(request)


def _locked(request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update().get(pk=request.pk)


def _profile(user: User) -> CounselorProfile | None:
    return CounselorProfile.objects.filter(
        student_id=user.pk, school_id=user.school_id, active=True
    ).select_related("student").first()


def _peer_may_work(request: HelpRequest, profile: CounselorProfile | None) -> bool:
    return bool(profile) and not request.for_adults and request.status in HelpRequest.PEER_STATUSES and (
        request.school_id == profile.school_id and request.requester_id != profile.student_id
    )


def help_request_view_record(*, request: HelpRequest, by: User) -> None:
    """A look at a request by anyone but the student who asked goes in its log; an adult counselor's first look
    stops the safety chain's escalation."""
    if by.pk == request.requester_id:
        return
    with transaction.atomic():
        _event(request, Kind.VIEWED, by)
        if is_supervisor(by) and request.adult_opened_at is None:
            request.adult_opened_at = timezone.now()
            HelpRequest.objects.filter(pk=request.pk, adult_opened_at__isnull=True).update(
                adult_opened_at=request.adult_opened_at
            )


def _tell_requester(request: HelpRequest, title: str) -> None:
    if request.requester_id:
        notifications_create_bulk(drafts=[_draft(request, request.requester_id, Notification.Kind.HELP_UPDATE, title)])


@transaction.atomic
def help_request_accept(*, request: HelpRequest, by: User) -> HelpRequest:
    """A peer counselor takes a request; only one gets it. Under a row lock, so two at once cannot both win."""
    request = _locked(request)
    profile = _profile(by)
    if not _peer_may_work(request, profile) or not request.offered_to.filter(pk=profile.pk).exists():
        if request.status == Status.WITHDRAWN:
            raise HelpRefused(_("This request was withdrawn by the student who made it."))
        raise HelpRefused(_("This request is no longer waiting for an orange hat."))
    if request.assigned_to_id == profile.pk:
        return request  # a double click
    if request.assigned_to_id is not None:
        raise HelpRefused(_("Another orange hat accepted this request just before you. You can join them as a partner."))
    request.assigned_to = profile
    request.status = Status.ACCEPTED
    request.accepted_at = timezone.now()
    request.save(update_fields=["assigned_to", "status", "accepted_at"])
    _event(request, Kind.ACCEPTED, by)
    _tell_requester(request, _("An orange hat has your request and will find a time to meet."))
    return request


@transaction.atomic
def help_request_join(*, request: HelpRequest, by: User) -> HelpRequest:
    """A second peer counselor joins the one who accepted: mediators work in pairs."""
    request = _locked(request)
    profile = _profile(by)
    if not _peer_may_work(request, profile) or request.assigned_to_id is None:
        raise HelpRefused(_("This request is no longer waiting for an orange hat."))
    if profile.pk in (request.assigned_to_id, request.partner_id):
        return request
    if request.partner_id is not None:
        raise HelpRefused(_("This request already has two orange hats."))
    if not request.offered_to.filter(pk=profile.pk).exists():
        raise HelpRefused(_("This request is no longer waiting for an orange hat."))
    request.partner = profile
    request.save(update_fields=["partner"])
    _event(request, Kind.PARTNER_JOINED, by)
    return request


def _assigned(request: HelpRequest, by: User) -> CounselorProfile:
    profile = _profile(by)
    if not _peer_may_work(request, profile) or profile.pk not in (request.assigned_to_id, request.partner_id):
        raise HelpRefused(_("Only the orange hats who accepted this request can do that."))
    return profile


@transaction.atomic
def help_request_propose_time(*, request: HelpRequest, by: User, when: datetime, place: str = "") -> HelpRequest:
    request = _locked(request)
    _assigned(request, by)
    if when < timezone.now() - timedelta(minutes=5):
        raise HelpRefused(_("That time has already passed. Choose a time to come."), "when")
    request.proposed_for, request.proposed_place = when, (place or "").strip()[:100]
    request.status = Status.SCHEDULED
    request.save(update_fields=["proposed_for", "proposed_place", "status"])
    _event(request, Kind.TIME_PROPOSED, by)
    _tell_requester(request, _("Your orange hat proposed a time to meet."))
    return request


@transaction.atomic
def help_request_record_meeting(*, request: HelpRequest, by: User, met_on: date, outcome: str,
                                both_agreed: bool | None = None, agreement: str = "", note: str = "") -> HelpRequest:
    """The short form after a meeting. With a classmate involved, it says whether both agreed to talk; an
    agreement they reached may be written down, and a check-in two weeks later is reminded once."""
    request = _locked(request)
    _assigned(request, by)
    if outcome not in Outcome.values:
        raise HelpRefused(_("Choose how it went."), "outcome")
    if met_on > timezone.localdate():
        raise HelpRefused(_("The meeting cannot be in the future."), "met_on")
    if request.classmate and both_agreed is None:
        raise HelpRefused(_("Say whether both students agreed to talk."), "both_agreed")
    if outcome == Outcome.HANDED:
        return help_request_hand_to_adult(request=request, by=by, reason=note)
    request.met_on, request.outcome = met_on, outcome
    request.both_agreed = both_agreed if request.classmate else None
    request.agreement, request.meeting_note = (agreement or "").strip()[:1000], (note or "").strip()[:1000]
    request.follow_up_on = met_on + FOLLOW_UP_AFTER if (outcome == Outcome.FOLLOW_UP or request.agreement) else None
    request.status = Status.MET
    request.save(update_fields=["met_on", "outcome", "both_agreed", "agreement", "meeting_note", "follow_up_on", "status"])
    _event(request, Kind.MET, by)
    return request


@transaction.atomic
def help_request_hand_to_adult(*, request: HelpRequest, by: User, reason: str = "") -> HelpRequest:
    """One click: the request becomes the adult counselors' and leaves every peer's list."""
    request = _locked(request)
    profile = _profile(by)
    if not _peer_may_work(request, profile):
        if request.status == Status.WITH_ADULT:
            return request
        raise HelpRefused(_("This request is no longer an orange hat's."))
    request.status = Status.WITH_ADULT
    request.outcome = Outcome.HANDED
    request.save(update_fields=["status", "outcome"])
    _event(request, Kind.HANDED, by, reason=reason)
    notifications_create_bulk(
        drafts=[
            _draft(request, c.pk, Notification.Kind.HELP_HANDED, _("An orange hat handed a request to you"), email=True)
            for c in school_counselors(request.school_id)
        ]
    )
    return request


@transaction.atomic
def help_request_withdraw(*, request: HelpRequest, by: User) -> HelpRequest:
    """The student who asked takes it back. A flagged request stays in the counselors' queue (its safety chain
    goes on until an adult opens it): withdrawing hides it from nobody who must see it."""
    request = _locked(request)
    if request.requester_id != by.pk:
        raise HelpRefused(_("Only the student who asked can withdraw this request."))
    if request.status == Status.WITHDRAWN:
        raise HelpRefused(_("You already withdrew this request."))
    if request.status in (Status.CLOSED, Status.MET):
        raise HelpRefused(_("This request is finished, so there is nothing to withdraw."))
    request.status = Status.WITHDRAWN
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    _event(request, Kind.WITHDRAWN, by)
    return request


@transaction.atomic
def help_message_post(*, request: HelpRequest, by: User, body: str) -> HelpMessage:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise HelpRefused(_("Write a message first."), "body")
    if len(body) > MESSAGE_MAX:
        raise HelpRefused(_("Please keep a message under %(max)s characters.") % {"max": MESSAGE_MAX}, "body")
    request = _locked(request)
    if request.status in (Status.WITHDRAWN, Status.CLOSED):
        raise HelpRefused(_("This request is closed, so no more messages can be added."))
    peer = _profile(by)
    allowed = by.pk == request.requester_id or is_supervisor(by) and by.school_id == request.school_id or (
        _peer_may_work(request, peer) and peer.pk in (request.assigned_to_id, request.partner_id)
    )
    if not allowed:
        raise HelpRefused(_("Only the student who asked, their orange hats and the counselors can write here."))
    message = HelpMessage.objects.create(request=request, author=by, body=body)
    _event(request, Kind.MESSAGE, by)
    if by.role == User.Role.STUDENT and not request.for_adults:
        # A child may say the serious part only later, or an orange hat may repeat it: a student's message is
        # screened as the request was, and what it finds takes the request out of every peer's hands.
        result, failed = _safe_screen(body)
        if failed or result.flagged:
            _to_adults(request, result, failed=failed, now=timezone.now())
            return message
    if by.pk != request.requester_id:
        _tell_requester(request, _("You have a new message about your request."))
    return message


# --- The supervising counselors' hand --------------------------------------------------------------------------


def _supervising(request: HelpRequest, by: User, reason: str) -> str:
    if not is_supervisor(by) or by.school_id != request.school_id:
        raise HelpRefused(_("Only the school's counselors can do that."))
    reason = (reason or "").strip()
    if not reason:
        raise HelpRefused(_("Give a reason: it goes in the request's log."), "reason")
    return reason


@transaction.atomic
def help_request_flag(*, request: HelpRequest, by: User, reason: str) -> HelpRequest:
    request = _locked(request)
    reason = _supervising(request, by, reason)
    if request.flagged:
        return request
    request.flagged, request.flagged_at = True, timezone.now()
    request.adult_opened_at = request.adult_opened_at or request.flagged_at  # flagged by the adult who has it open
    if request.status in HelpRequest.PEER_STATUSES:
        request.status = Status.WITH_ADULT
    request.save(update_fields=["flagged", "flagged_at", "adult_opened_at", "status"])
    _event(request, Kind.FLAGGED, by, reason=reason)
    return request


@transaction.atomic
def help_request_unflag(*, request: HelpRequest, by: User, reason: str) -> HelpRequest:
    """An adult decides a flagged request is a peer's after all: it is offered again (to the peers it would have
    gone to), and the log keeps why."""
    request = _locked(request)
    reason = _supervising(request, by, reason)
    if not request.for_adults:
        return request
    request.flagged = request.screen_failed = False
    request.flagged_at = None
    request.status = Status.OFFERED
    request.assigned_to = request.partner = None
    request.outcome = ""
    request.save(update_fields=["flagged", "screen_failed", "flagged_at", "status", "assigned_to", "partner", "outcome"])
    _event(request, Kind.UNFLAGGED, by, reason=reason)
    _offer(request, to=_offerable(request))
    return request


@transaction.atomic
def help_request_reassign(*, request: HelpRequest, by: User, to: CounselorProfile, reason: str) -> HelpRequest:
    request = _locked(request)
    reason = _supervising(request, by, reason)
    if request.for_adults:
        raise HelpRefused(_("A flagged request stays with the adults: unflag it first if a peer should have it."))
    if to.school_id != request.school_id or not to.active or to.student_id == request.requester_id:
        raise HelpRefused(_("Choose an active orange hat of this school."), "to")
    if request.status not in HelpRequest.PEER_STATUSES:
        raise HelpRefused(_("This request is finished: there is nothing to reassign."))
    request.assigned_to, request.partner = to, None
    request.status = Status.ACCEPTED
    request.accepted_at = request.accepted_at or timezone.now()
    request.save(update_fields=["assigned_to", "partner", "status", "accepted_at"])
    request.offered_to.add(to)
    _event(request, Kind.REASSIGNED, by, reason=reason)
    notifications_create_bulk(
        drafts=[_draft(request, to.student_id, Notification.Kind.HELP_OFFERED, _("A counselor gave you a request to help with."))]
    )
    return request


@transaction.atomic
def help_request_close(*, request: HelpRequest, by: User, reason: str) -> HelpRequest:
    request = _locked(request)
    reason = _supervising(request, by, reason)
    if request.status == Status.CLOSED:
        return request
    request.status = Status.CLOSED
    request.closed_at = timezone.now()
    request.adult_opened_at = request.adult_opened_at or request.closed_at
    request.save(update_fields=["status", "closed_at", "adult_opened_at"])
    _event(request, Kind.CLOSED, by, reason=reason)
    return request

