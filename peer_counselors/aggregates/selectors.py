"""The reads of the admins' side of the help requests: the numbers (counted in the database, grouped; no request
is read one by one) and one student's requests for an export.

Whose numbers: a school's counselors and its admin see their school; a district's admin sees every school of the
district, each and pooled (``help_numbers_schools``). A student's requests are read for their school's admin only.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncWeek

from accounts.models import School, User
from accounts.permissions import school_scope
from peer_counselors.aggregates import figures
from peer_counselors.models import CounselorProfile, HelpMessage, HelpRequest, HelpRequestEvent, Outcome
from peer_counselors.permissions import can_export_student_help, can_see_help_aggregates, help_request_export_scope

Status = HelpRequest.Status
Kind = HelpRequestEvent.Kind
SEARCH_LIMIT = 50


def help_numbers_schools(user) -> list[School]:
    """The schools whose numbers ``user`` sees: their own, or every school of the district they administer."""
    if not can_see_help_aggregates(user):
        return []
    return list(School.objects.filter(school_scope(user)).order_by("name", "pk"))


def _ending():
    """A request's ending (figures.ENDINGS, in the order figures.py gives), as one SQL expression. The screen's
    flag is its FLAGGED event with no actor (an adult's flag names the adult), or its SCREEN_FAILED event (or the
    student's own ASKED_ADULT, which goes to an adult at once the same way); these
    events stay when a request is anonymised, so the endings do too."""
    events = HelpRequestEvent.objects.filter(request=OuterRef("pk"))
    screened = Exists(events.filter(
        Q(kind=Kind.FLAGGED, actor__isnull=True) | Q(kind=Kind.SCREEN_FAILED) | Q(kind=Kind.ASKED_ADULT)
    ))
    unflagged = Exists(events.filter(kind=Kind.UNFLAGGED))
    return Case(
        When(screened & ~unflagged, then=Value(figures.AT_ONCE)),
        When(outcome=Outcome.HANDED, then=Value(figures.HANDED)),
        When(outcome=Outcome.RESOLVED, then=Value(figures.RESOLVED)),
        When(outcome=Outcome.FOLLOW_UP, then=Value(figures.FOLLOW_UP)),
        When(status=Status.WITHDRAWN, then=Value(figures.WITHDRAWN)),
        When(status=Status.CLOSED, then=Value(figures.CLOSED)),
        When(status=Status.OFFERED, then=Value(figures.WAITING)),
        default=Value(figures.OPEN),
        output_field=CharField(),
    )


def help_counts(schools: list[School], *, start: date, end: date) -> tuple[dict[tuple, int], dict[int, list[float]]]:
    """The requests filed from ``start`` to ``end`` (days in each school's zone): their count by (school, week,
    topic, ending), and the hours each accepted one waited for an orange hat, by school.

    Two queries for each time zone among ``schools`` (one, almost always), however many requests and weeks.
    """
    by_zone: dict[str, list[School]] = defaultdict(list)
    for school in schools:
        by_zone[school.time_zone].append(school)
    joint: dict[tuple, int] = defaultdict(int)
    waited: dict[int, list[float]] = defaultdict(list)
    for group in by_zone.values():
        zone, ids = group[0].zone, [s.pk for s in group]
        filed = HelpRequest.objects.filter(
            school_id__in=ids,
            created_at__gte=datetime.combine(start, time.min, tzinfo=zone),
            created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
        )
        rows = (
            filed.annotate(week=TruncWeek("created_at", tzinfo=zone, output_field=DateField()), ending=_ending())
            .values("school_id", "week", "topic", "ending")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            joint[(row["school_id"], row["week"], row["topic"], row["ending"])] += row["n"]
        durations = (
            filed.filter(accepted_at__isnull=False)
            .annotate(waited=ExpressionWrapper(F("accepted_at") - F("created_at"), output_field=DurationField()))
            .values_list("school_id", "waited")
            .order_by()
        )
        for school_id, duration in durations:
            waited[school_id].append(duration / timedelta(hours=1))
    return dict(joint), dict(waited)


# --- One student's requests, for their school's admin ----------------------------------------------------------


def export_students(user, *, search: str = "") -> QuerySet[User]:
    """The students of ``user``'s school, for its admin, with how many help requests each made there (matching
    ``search`` in their names or username)."""
    if not can_export_student_help(user):
        return User.objects.none()
    students = User.objects.filter(role=User.Role.STUDENT, school_id=user.school_id)
    for word in search.split():
        students = students.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__icontains=word)
        )
    return students.annotate(
        help_count=Count("help_requests", filter=Q(help_requests__school_id=user.school_id))
    ).order_by("last_name", "first_name", "username", "pk")


def export_student(user, pk: int) -> User | None:
    """One student of ``user``'s school (None for anyone else, any other school's student included)."""
    return export_students(user).filter(pk=pk).first()


def student_help_requests(student: User, *, by: User) -> QuerySet[HelpRequest]:
    """The requests of ``student`` that ``by`` may export (their school's admin: peer_counselors.permissions)."""
    return HelpRequest.objects.filter(help_request_export_scope(by), requester=student)


def student_help_summary(student: User, *, by: User) -> dict[str, int]:
    """How many requests, messages and log lines an export of ``student`` holds (no content)."""
    requests = student_help_requests(student, by=by)
    return {
        "requests": requests.count(),
        "messages": HelpMessage.objects.filter(request__in=requests.values("pk")).count(),
        "events": HelpRequestEvent.objects.filter(request__in=requests.values("pk")).count(),
    }


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user: User | None) -> dict | None:
    return None if user is None else {"name": user.display_name, "role": user.role}


def _peer(profile) -> str | None:
    return profile.student.display_name if profile is not None else None


def student_help_export(student: User, *, by: User) -> dict:
    """Every field of every request ``student`` made at the school, its messages and its whole log, as plain data
    (names of the people in it, never their ids). Five queries, however many requests."""
    requests = (
        student_help_requests(student, by=by)
        .select_related("wanted__student", "meet_period", "assigned_to__student", "partner__student")
        .prefetch_related(
            Prefetch("offered_to", queryset=CounselorProfile.objects.select_related("student")),
            Prefetch("messages", queryset=HelpMessage.objects.select_related("author")),
            Prefetch("events", queryset=HelpRequestEvent.objects.select_related("actor")),
        )
        .order_by("created_at", "pk")
    )
    return {
        "student": {"username": student.username, "name": student.display_name, "grade": student.grade},
        "requests": [
            {
                "id": r.pk,
                "created_at": _when(r.created_at),
                "topic": r.topic,
                "topic_label": str(r.get_topic_display()),
                "text": r.text,
                "requester_grade": r.requester_grade,
                "wanted": _peer(r.wanted),
                "meet_period": r.meet_period.name if r.meet_period else None,
                "classmate": r.classmate,
                "status": r.status,
                "status_label": str(r.get_status_display()),
                "flagged": r.flagged,
                "flag_categories": list(r.flag_categories or []),
                "screen_failed": r.screen_failed,
                "asked_adult": r.asked_adult,
                "flagged_at": _when(r.flagged_at),
                "adult_opened_at": _when(r.adult_opened_at),
                "offered_to": [p.student.display_name for p in r.offered_to.all()],
                "assigned_to": _peer(r.assigned_to),
                "partner": _peer(r.partner),
                "accepted_at": _when(r.accepted_at),
                "proposed_for": _when(r.proposed_for),
                "proposed_place": r.proposed_place,
                "met_on": _when(r.met_on),
                "outcome": r.outcome,
                "both_agreed": r.both_agreed,
                "agreement": r.agreement,
                "meeting_note": r.meeting_note,
                "follow_up_on": _when(r.follow_up_on),
                "closed_at": _when(r.closed_at),
                "anonymised_at": _when(r.anonymised_at),
                "messages": [
                    {"author": _person(m.author), "body": m.body, "created_at": _when(m.created_at)}
                    for m in r.messages.all()
                ],
                "events": [
                    {
                        "kind": e.kind,
                        "kind_label": str(e.get_kind_display()),
                        "actor": _person(e.actor),
                        "status": e.status,
                        "reason": e.reason,
                        "step": e.step,
                        "created_at": _when(e.created_at),
                    }
                    for e in r.events.all()
                ],
            }
            for r in requests
        ],
    }
