"""A school admin's two privacy tasks on one student's help requests: export them, and anonymise them on request
(a family's). Each writes an audit row (accounts.AuditEvent: who, which student, how many requests) and a line
in each request's own log, in the same transaction as the export or the change.

Anonymising keeps every request and every line of its log, with their kinds, statuses and times, so the numbers
page counts the same before and after (the school's figures do not move when a family asks to be forgotten):
what goes is what could name the student — the link to their account, their words, the classmate they named,
what the meeting's form wrote down, the messages, the adults' typed reasons, and the words of the alerts the
counselors got.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEvent, User
from notifications.models import Notification
from notifications.services import subject_key_for
from peer_counselors.aggregates import selectors
from peer_counselors.models import HelpMessage, HelpRequest, HelpRequestEvent
from peer_counselors.permissions import can_export_student_help

REMOVED = "[removed on request]"  # not translated: it replaces stored words, whoever reads them later
Kind = HelpRequestEvent.Kind


def _check(student: User, by: User) -> None:
    if not can_export_student_help(by) or student.role != User.Role.STUDENT or student.school_id != by.school_id:
        raise PermissionDenied


def _log(requests: list[HelpRequest], kind: str, by: User) -> None:
    HelpRequestEvent.objects.bulk_create(
        [HelpRequestEvent(request=r, kind=kind, actor=by, status=r.status) for r in requests]
    )


@transaction.atomic
def help_requests_export(*, student: User, by: User) -> dict:
    """Everything of ``student``'s requests at ``by``'s school, for ``by``, its admin; the export is in each
    request's log (and in the file: it is read after)."""
    _check(student, by)
    requests = list(selectors.student_help_requests(student, by=by).order_by("pk"))
    _log(requests, Kind.EXPORTED, by)
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.HELP_STUDENT_EXPORT, actor=by, subject=student, school_id=by.school_id, count=len(requests)
    )
    return selectors.student_help_export(student, by=by)


@transaction.atomic
def help_requests_anonymise(*, student: User, by: User) -> int:
    """Unlink ``student`` from every request they made at ``by``'s school and remove their words (see the module's
    docstring); the number of requests anonymised. A second time finds none: nothing changes but the audit row."""
    _check(student, by)
    requests = list(
        selectors.student_help_requests(student, by=by).select_for_update().order_by("pk")
    )
    ids = [r.pk for r in requests]
    if ids:
        messages = HelpMessage.objects.filter(request_id__in=ids)
        messages.update(body=REMOVED)  # others' messages too: they can name the student
        messages.filter(author=student).update(author=None)
        events = HelpRequestEvent.objects.filter(request_id__in=ids)
        # A reason an adult or a peer typed may name the student; the screen's and the chain's (no actor) do not.
        events.exclude(reason="").exclude(actor=None).update(reason=REMOVED)
        events.filter(actor=student).update(actor=None)
        Notification.objects.filter(subject_key__in=[subject_key_for(r) for r in requests]).exclude(body="").update(
            body=REMOVED
        )
        HelpRequest.objects.filter(pk__in=ids).update(
            requester=None, text=REMOVED, classmate="", wanted=None, agreement="", meeting_note="",
            anonymised_at=timezone.now(),
        )
        _log(requests, Kind.ANONYMISED, by)
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.HELP_STUDENT_ANONYMISED, actor=by, subject=student, school_id=by.school_id, count=len(ids)
    )
    return len(ids)
