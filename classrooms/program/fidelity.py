"""Program fidelity: per classroom, how many sessions were held, cancelled, missed or are still to come.

Counted in the database, in the same few queries for any number of classrooms; which classrooms is the caller's
choice (the report's filters over ``classrooms.selectors.classrooms_reported_on``). "Not marked" (``overdue``) is a
session that has ended and is still only planned: held but not recorded, or missed. It is the same
rule as the sessions list's "Overdue", so a session in progress is neither to come nor overdue (the
list calls it "under way"). The share held is ``held / (held + overdue)``: cancelled sessions were called off on purpose and do not count
against a classroom, and future ones are not due yet.

Attendance is the share of students present at held sessions, pooled over the registers taken
(``present / register``: students marked there, of every student on those registers), so a
session of 24 weighs more than a session of 12. Sessions held without a register (marked before
registers existed, or in a class with no students) are left out of it, not counted as absences.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from classrooms.models import SESSION_MINUTES_MAX, Classroom, Session, SessionAttendance


@dataclass
class FidelityRow:
    classroom: Classroom | None  # None for the totals row
    upcoming: int
    held: int
    cancelled: int
    overdue: int
    next_session: date | None  # local dates, in each classroom's school zone
    last_held: date | None
    register: int = 0  # students on the registers of held sessions
    present: int = 0  # of whom were there

    @property
    def percent_present(self) -> int | None:
        return round(self.present * 100 / self.register) if self.register else None

    @property
    def past(self) -> int:
        return self.held + self.overdue

    @property
    def share_held(self) -> float | None:
        return self.held / self.past if self.past else None

    @property
    def percent_held(self) -> int | None:
        share = self.share_held
        return None if share is None else round(share * 100)


@dataclass
class FidelityReport:
    rows: list[FidelityRow]
    totals: FidelityRow | None = field(default=None)


def _local_date(moment: datetime | None, school) -> date | None:
    return moment.astimezone(school.zone).date() if moment else None


def fidelity_report(*, classrooms: QuerySet[Classroom], now: datetime | None = None) -> FidelityReport:
    """The report of ``classrooms`` (already scoped and filtered, without annotations of their own)."""
    now = now or timezone.now()
    planned = Q(sessions__status=Session.Status.PLANNED)
    classrooms = (
        classrooms.select_related("school")
        .prefetch_related(Prefetch("teachers", queryset=User.objects.order_by("last_name", "first_name")))
        .annotate(
            n_upcoming=Count("sessions", filter=planned & Q(sessions__starts_at__gt=now)),
            n_overdue=Count("sessions", filter=planned & Q(sessions__starts_at__lte=now)),
            n_held=Count("sessions", filter=Q(sessions__status=Session.Status.HELD)),
            n_cancelled=Count("sessions", filter=Q(sessions__status=Session.Status.CANCELLED)),
            next_at=Min("sessions__starts_at", filter=planned & Q(sessions__starts_at__gt=now)),
            last_held_at=Max("sessions__starts_at", filter=Q(sessions__status=Session.Status.HELD)),
        )
        .order_by("school__name", "grade", "name")
    )
    rows = [
        FidelityRow(
            classroom=c,
            upcoming=c.n_upcoming,
            held=c.n_held,
            cancelled=c.n_cancelled,
            overdue=c.n_overdue,
            next_session=_local_date(c.next_at, c.school),
            last_held=_local_date(c.last_held_at, c.school),
        )
        for c in classrooms
    ]
    if not rows:
        return FidelityReport(rows=[])
    # The database counted every planned session that has started; the few still under way are
    # taken out here (a session lasts at most SESSION_MINUTES_MAX), in one more query.
    under_way = Counter(
        classroom_id
        for classroom_id, starts_at, minutes in Session.objects.filter(
            classroom__in=[r.classroom.pk for r in rows],
            status=Session.Status.PLANNED,
            starts_at__lte=now,
            starts_at__gt=now - timedelta(minutes=SESSION_MINUTES_MAX),
        ).values_list("classroom_id", "starts_at", "duration_minutes")
        if starts_at + timedelta(minutes=minutes) > now
    )
    registers = {
        r["session__classroom_id"]: r
        for r in SessionAttendance.objects.filter(
            session__classroom__in=[r.classroom.pk for r in rows], session__status=Session.Status.HELD
        )
        .values("session__classroom_id")
        .annotate(register=Count("pk"), present=Count("pk", filter=Q(present=True)))
        .order_by()
    }
    for row in rows:
        row.overdue -= under_way[row.classroom.pk]
        counted = registers.get(row.classroom.pk)
        if counted:
            row.register, row.present = counted["register"], counted["present"]
    nexts = [r.next_session for r in rows if r.next_session]
    lasts = [r.last_held for r in rows if r.last_held]
    totals = FidelityRow(
        classroom=None,
        upcoming=sum(r.upcoming for r in rows),
        held=sum(r.held for r in rows),
        cancelled=sum(r.cancelled for r in rows),
        overdue=sum(r.overdue for r in rows),
        next_session=min(nexts) if nexts else None,
        last_held=max(lasts) if lasts else None,
        register=sum(r.register for r in rows),
        present=sum(r.present for r in rows),
    )
    return FidelityReport(rows=rows, totals=totals)


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
