"""The safety chain of a flagged help request, and the counselors' word of requests no orange hat accepted.

The chain. A flagged request (by the screen, by hand, or a screen that failed) that no adult has opened is
escalated one step every ``HELP_FLAG_ESCALATE_MINUTES`` after it was flagged:

1. the school's counselors again, urgently (in the app and by e-mail, with a link to the request);
2. the school's active admins;
3. the school's last contact (its help desk's, else ``HELP_LAST_CONTACT_EMAIL``), always: reached even when
   steps 1 and 2 found nobody. With no last contact anywhere the step goes to the counselors and admins
   again and is logged as an error (never silently nothing; peer_counselors/checks.py warns in production).

Step ``n`` is due when ``now >= since + n * interval``. A step that finds nobody (a school with no admin) is
still taken and logged, and the chain goes on at the next step's time. A dispatcher that was down takes every
step due at once, in order. An adult's first look (``adult_opened_at``) stops the chain; a request already
open when a step comes due gets no more steps.

Each step is taken once: its ``HelpRequestEvent(kind=ESCALATED, step=n)`` is unique per request, and only the
dispatcher whose insert of that row succeeds sends the step's notifications. The request's row is locked while
its steps are taken (a second dispatcher waits, then finds them taken) and the unique key stands behind that.

What leaves Heard: an admin and the last contact are told who the student is, their classrooms and grade,
the school and how long the request has waited; never what the student wrote (admins see aggregates only,
and an e-mail is read outside Heard). Counselors may read the request, so theirs links to it.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Grade, User
from notifications.models import Notification
from notifications.services import NotificationDraft, notifications_create_bulk, subject_key_for
from peer_counselors.escalation import selectors
from peer_counselors.hours import school_days_after
from peer_counselors.models import REASON_MAX, HelpDesk, HelpRequest, HelpRequestEvent

logger = logging.getLogger(__name__)
Kind = HelpRequestEvent.Kind
STEPS = 3  # the counselors, the admins, the last contact
COUNSELORS, ADMINS, LAST_CONTACT = 1, 2, 3


def _interval() -> timedelta:
    return timedelta(minutes=settings.HELP_FLAG_ESCALATE_MINUTES)


def steps_due(since: datetime, now: datetime, interval: timedelta) -> list[int]:
    """The steps of a chain started at ``since`` that are due at ``now``: 1 from ``since + interval``, ..."""
    if now < since + interval:
        return []
    return list(range(1, min(STEPS, (now - since) // interval) + 1))


def _how_long(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 120:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = minutes // 60
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def _taken(request: HelpRequest, kind: str, step: int, reason: str) -> bool:
    """Write the step's event; False if it is already there (another dispatcher took the step)."""
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the outer transaction usable
            HelpRequestEvent.objects.create(
                request=request, kind=kind, actor=None, status=request.status, reason=reason[:REASON_MAX], step=step
            )
    except IntegrityError:
        return False
    return True


class _Chain:
    """Everything one run needs about the schools and students of the requests it escalates, read once."""

    def __init__(self, requests: list[HelpRequest], now: datetime, interval: timedelta):
        schools = {r.school_id for r in requests}
        self.now, self.interval = now, interval
        self.counselors = selectors.adults_by_school(schools, User.Role.COUNSELOR)
        self.admins = selectors.adults_by_school(schools, User.Role.SCHOOL_ADMIN)
        self.desks = selectors.help_desks_by_school(schools)
        self.classrooms = selectors.classrooms_by_student(r.requester_id for r in requests if r.requester_id)

    def last_contact(self, request: HelpRequest) -> str:
        desk = self.desks.get(request.school_id)
        return (desk.last_contact_email if desk else "") or settings.HELP_LAST_CONTACT_EMAIL

    def _student(self, request: HelpRequest) -> dict[str, str]:
        who = request.requester.display_name if request.requester else _("A student")
        rooms = self.classrooms.get(request.requester_id, [])
        if not rooms and request.requester_grade is not None:
            rooms = [str(Grade(request.requester_grade).label)]
        return {
            "who": who,
            "classes": ", ".join(rooms) or _("no classroom in Heard"),
            "school": request.school.name,
            "since": _how_long(self.now - request.since),
        }

    def _draft(self, request: HelpRequest, step: int, *, title: str, body: str, recipient: User | None = None,
               to_email: str = "", link: bool = False) -> NotificationDraft:
        return NotificationDraft(
            recipient_id=recipient.pk if recipient else None, to_email=to_email,
            kind=Notification.Kind.HELP_ESCALATED, subject_key=subject_key_for(request),
            due_at=request.since + step * self.interval,  # one notification per step and person
            title=title, body=body, email=True,
            url=reverse("peer_counselors:request", args=[request.pk]) if link else "",
        )

    def _to_counselors(self, request: HelpRequest, step: int, facts: dict) -> list[NotificationDraft]:
        return [
            self._draft(
                request, step, recipient=counselor, link=True,
                title=_("Urgent: a flagged help request is still not opened after %(since)s") % facts,
                body=_("%(who)s asked for help %(since)s ago, and what they wrote may mean someone is not safe. "
                       "No adult has opened it yet. Open it in Heard now, or ask another adult to.") % facts,
            )
            for counselor in self.counselors.get(request.school_id, [])
        ]

    def _outside_body(self, facts: dict) -> str:
        return _("%(who)s, %(classes)s, %(school)s, asked for help in Heard %(since)s ago, and what they "
                 "wrote may mean someone is not safe. No counselor has opened the request yet. Please make sure a "
                 "counselor sees it now, or check on the student yourself.\n\nFor the student's privacy this "
                 "message does not say what they wrote: the school's counselors can read it in Heard.") % facts

    def _to_admins(self, request: HelpRequest, step: int, facts: dict) -> list[NotificationDraft]:
        return [
            self._draft(
                request, step, recipient=admin,
                title=_("Safety: a student's help request is not opened after %(since)s") % facts,
                body=self._outside_body(facts),
            )
            for admin in self.admins.get(request.school_id, [])
        ]

    def step(self, request: HelpRequest, step: int) -> tuple[str, list[NotificationDraft]]:
        """The step's recipients as drafts, and the log's note of who it reached."""
        facts = self._student(request)
        if step == COUNSELORS:
            drafts = self._to_counselors(request, step, facts)
            return f"counselors:{len(drafts)}", drafts
        if step == ADMINS:
            drafts = self._to_admins(request, step, facts)
            return f"admins:{len(drafts)}", drafts
        address = self.last_contact(request)
        if address:
            body = _("You are the last contact of %(school)s for help requests that may mean a student is not "
                     "safe.") % facts + "\n\n" + self._outside_body(facts)
            draft = self._draft(
                request, step, to_email=address, body=body,
                title=_("Safety: a student's help request is not opened after %(since)s") % facts,
            )
            return f"last_contact:{address}", [draft]
        logger.error(
            "Help request %s: no last contact (the school's help desk names none and HELP_LAST_CONTACT_EMAIL is "
            "empty); step %s goes to the counselors and admins again.", request.pk, step,
        )
        drafts = self._to_counselors(request, step, facts) + self._to_admins(request, step, facts)
        return f"no_last_contact;counselors_and_admins:{len(drafts)}", drafts


def _escalate_one(chain: _Chain, request: HelpRequest) -> int:
    due = steps_due(request.since, chain.now, chain.interval)
    if not due:
        return 0
    taken = 0
    with transaction.atomic():
        # The row lock makes a second dispatcher wait here, and an adult's first look wait for these steps (or
        # come first and stop them: the re-read below sees it).
        still_unopened = (
            HelpRequest.objects.select_for_update()
            .filter(selectors.FOR_ADULTS, pk=request.pk, adult_opened_at__isnull=True)
            .values_list("status", flat=True)
            .first()
        )
        if still_unopened is None:
            return 0
        request.status = still_unopened
        done = set(
            HelpRequestEvent.objects.filter(request_id=request.pk, kind=Kind.ESCALATED).values_list("step", flat=True)
        )
        for step in due:
            if step in done:
                continue
            reason, drafts = chain.step(request, step)
            if _taken(request, Kind.ESCALATED, step, reason):
                notifications_create_bulk(drafts=drafts)
                taken += 1
    return taken


def help_requests_escalate_flagged(*, now: datetime) -> int:
    """Take every step of every flagged request's chain that is due at ``now``; return how many were taken."""
    now = now.astimezone(UTC)  # adding minutes to a moment in a zone adds wall-clock minutes: wrong on a DST night
    interval = _interval()
    requests = list(selectors.flagged_unopened(since_before=now - interval, last_step=STEPS))
    if not requests:
        return 0
    chain = _Chain(requests, now, interval)
    taken = 0
    for request in requests:
        try:
            taken += _escalate_one(chain, request)
        except Exception:
            # One request that cannot be escalated (a bad address, a bug) must not hold back the others.
            logger.exception("Help request %s could not be escalated; the next run tries again.", request.pk)
    return taken


# --- Requests no orange hat accepted ---------------------------------------------------------------------------

# school_days_after(moment, n) is never earlier than n days less an hour (a DST night) after the moment: the
# database is asked only for requests at least that old, and each one's deadline is worked out in its zone.
_SHORTEST_SCHOOL_DAY = timedelta(hours=23)


def help_requests_escalate_unclaimed(*, now: datetime) -> int:
    """Send each request still waiting for an orange hat ``HELP_UNCLAIMED_SCHOOL_DAYS`` school days after it
    was offered to the school's supervising counselors, once; return how many were sent."""
    now = now.astimezone(UTC)
    days = settings.HELP_UNCLAIMED_SCHOOL_DAYS
    requests = list(selectors.unclaimed(offered_before=now - days * _SHORTEST_SCHOOL_DAY))
    if not requests:
        return 0
    schools = {r.school_id for r in requests}
    desks = selectors.help_desks_by_school(schools)
    counselors = selectors.adults_by_school(schools, User.Role.COUNSELOR)
    sent = 0
    for request in requests:
        desk = desks.get(request.school_id) or HelpDesk(school_id=request.school_id)  # the defaults
        deadline = school_days_after(
            request.offered_since, days, zone=request.school.zone, starts=desk.day_starts, ends=desk.day_ends
        )
        if now < deadline:
            continue
        try:
            sent += _unclaimed_one(request, deadline, counselors.get(request.school_id, []))
        except Exception:
            logger.exception("Unclaimed help request %s could not be escalated; the next run tries again.", request.pk)
    return sent


def _unclaimed_one(request: HelpRequest, deadline: datetime, counselors: list[User]) -> int:
    with transaction.atomic():
        # Locked as an accept locks it: an orange hat accepting this instant either comes first (and this finds
        # it taken) or waits for this to commit.
        waiting = HelpRequest.objects.select_for_update().filter(
            pk=request.pk, status=HelpRequest.Status.OFFERED, assigned_to__isnull=True, flagged=False,
            screen_failed=False,
        ).exists()
        if not waiting or not _taken(request, Kind.UNCLAIMED, 1, f"counselors:{len(counselors)}"):
            return 0
        who = request.requester.display_name if request.requester else _("A student")
        facts = {"who": who, "topic": request.get_topic_display().lower()}
        notifications_create_bulk(
            drafts=[
                NotificationDraft(
                    recipient_id=counselor.pk, kind=Notification.Kind.HELP_UNCLAIMED,
                    subject_key=subject_key_for(request), due_at=deadline,
                    title=_("No orange hat has accepted a help request in time"),
                    body=_("%(who)s asked an orange hat for help (%(topic)s), and no orange hat has accepted it "
                           "yet. Reassign it to one, or talk with the student yourself.") % facts,
                    url=reverse("peer_counselors:request", args=[request.pk]), email=True,
                )
                for counselor in counselors
            ]
        )
    return 1
