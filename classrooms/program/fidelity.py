"""Program fidelity: per classroom and per school, how many sessions were held, cancelled, missed or are still to come.

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
It is summed from each session's stored counts (``Session.register_count``, ``present_count``, kept
with the register by its services), so a district's page adds up its sessions, never its register lines.

Every figure is read from each classroom's kept counts of its sessions (``Classroom.sessions_held`` and the rest,
kept by every write of a session in its transaction: ``classrooms.program.services.classroom_sessions_recount``),
so a report reads classrooms, never a district's sessions. The counts do not depend on the time; the split of the
planned sessions into "to come" and "not marked" does, and is made here: a classroom whose first planned session
(``first_planned_at``) is still to come has all of them to come, the first of them next; only the classrooms with
a planned session already started (over and not marked, or under way: the ones the report is there to show) have
their planned sessions read, to count the started ones and find the next.

A school's row is the sum of its classrooms' rows, counted by the database grouped by school (never by
loading the classrooms): the same counts of the same sessions, so a school's figures are what its classrooms'
rows add up to. Its next session is the earliest of theirs and its last held the latest; all of a school's
classrooms share its time zone, so the earliest moment is also the earliest local date. The share held and
the share present of a school are pooled like a classroom's (its held over its past sessions), not a mean
of its classrooms' percentages.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import School, User
from classrooms.models import SESSION_MINUTES_MAX, Classroom, Session

CSV_CHUNK = 500  # classrooms read, finished and written at a time by the streamed CSV


@dataclass
class FidelityRow:
    classroom: Classroom | None  # None for a school's row and for the totals
    upcoming: int
    held: int
    cancelled: int
    overdue: int
    next_session: date | None  # local dates, in each classroom's school zone
    last_held: date | None
    register: int = 0  # students on the registers of held sessions
    present: int = 0  # of whom were there
    school: School | None = None  # set on a school's row
    classrooms: int = 1  # how many classrooms the row adds up

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

    @classmethod
    def nothing(cls) -> "FidelityRow":
        """A row with no classroom in it yet, to add rows to."""
        return cls(classroom=None, upcoming=0, held=0, cancelled=0, overdue=0, next_session=None, last_held=None, classrooms=0)

    def add(self, other: "FidelityRow") -> None:
        """Count ``other``'s classrooms in this row too (a totals row is built this way)."""
        self.classrooms += other.classrooms
        self.upcoming += other.upcoming
        self.held += other.held
        self.cancelled += other.cancelled
        self.overdue += other.overdue
        self.register += other.register
        self.present += other.present
        if other.next_session and (self.next_session is None or other.next_session < self.next_session):
            self.next_session = other.next_session
        if other.last_held and (self.last_held is None or other.last_held > self.last_held):
            self.last_held = other.last_held


def totals_of(rows: Iterable[FidelityRow]) -> FidelityRow:
    totals = FidelityRow.nothing()
    for row in rows:
        totals.add(row)
    return totals


def _local_date(moment: datetime | None, school) -> date | None:
    return moment.astimezone(school.zone).date() if moment else None


def _under_way(sessions: QuerySet[Session], key: str, now: datetime) -> Counter:
    """Per ``key``, the planned sessions that have started and not ended: the database counted them as
    overdue, and the few still under way are taken out (a session lasts at most SESSION_MINUTES_MAX)."""
    return Counter(
        group
        for group, starts_at, minutes in sessions.filter(
            status=Session.Status.PLANNED,
            starts_at__lte=now,
            starts_at__gt=now - timedelta(minutes=SESSION_MINUTES_MAX),
        ).values_list(key, "starts_at", "duration_minutes")
        if starts_at + timedelta(minutes=minutes) > now
    )


def _started(late: QuerySet[Session], key: str, now: datetime) -> tuple[dict, Counter]:
    """Per ``key``, over ``late`` (the planned sessions of classrooms whose first planned session has started): how
    many have started and the first still to come; and how many of the started are under way."""
    found = {
        r[key]: r
        for r in late.values(key)
        .annotate(n_started=Count("pk", filter=Q(starts_at__lte=now)), next_at=Min("starts_at", filter=Q(starts_at__gt=now)))
        .order_by()
    }
    return found, _under_way(late, key, now)


def _classrooms_listed(classrooms: QuerySet[Classroom]) -> QuerySet[Classroom]:
    return (
        classrooms.select_related("school")
        .prefetch_related(Prefetch("teachers", queryset=User.objects.order_by("last_name", "first_name")))
        .order_by("school__name", "grade", "name", "pk")
    )


def _classroom_rows(listed: list[Classroom], now: datetime) -> list[FidelityRow]:
    """Rows of classrooms (``_classrooms_listed``) from their kept counts, finished in two more queries: the planned
    sessions of those whose first planned session has started, counted, and those under way."""
    if not listed:
        return []
    late = Session.objects.filter(
        classroom__in=[c.pk for c in listed], classroom__first_planned_at__lte=now, status=Session.Status.PLANNED
    )
    started, under_way = _started(late, "classroom_id", now)
    rows = []
    for c in listed:
        lc = started.get(c.pk)
        n_started = lc["n_started"] if lc else 0
        rows.append(
            FidelityRow(
                classroom=c,
                upcoming=c.sessions_planned - n_started,
                held=c.sessions_held,
                cancelled=c.sessions_cancelled,
                overdue=n_started - under_way[c.pk],
                next_session=_local_date(lc["next_at"] if lc else c.first_planned_at, c.school),
                last_held=_local_date(c.last_held_at, c.school),
                register=c.held_register,
                present=c.held_present,
            )
        )
    return rows


def classroom_rows(*, classrooms: QuerySet[Classroom], now: datetime | None = None) -> list[FidelityRow]:
    """A row for each of ``classrooms`` (already scoped, filtered and few: a page of them, without annotations
    of their own), by school, grade and name, with their teachers; four queries."""
    now = now or timezone.now()
    return _classroom_rows(list(_classrooms_listed(classrooms)), now)


def classroom_rows_streamed(
    *, classrooms: QuerySet[Classroom], now: datetime | None = None, chunk_size: int | None = None
) -> Iterator[FidelityRow]:
    """Every row of ``classrooms`` in ``classroom_rows``'s order, read ``chunk_size`` (CSV_CHUNK) classrooms at a
    time from one server-side cursor on PostgreSQL, each chunk finished in three more queries (its teachers, its
    late classrooms' planned sessions counted, those under way), so a district's CSV never holds all of its
    classrooms at once."""
    now, chunk_size = now or timezone.now(), chunk_size or CSV_CHUNK
    listed = _classrooms_listed(classrooms).iterator(chunk_size=chunk_size)
    while chunk := list(islice(listed, chunk_size)):
        yield from _classroom_rows(chunk, now)


def school_rows(
    *, classrooms: QuerySet[Classroom], schools: Iterable[School], now: datetime | None = None
) -> list[FidelityRow]:
    """A row for each of ``schools`` (in their order) adding up its classrooms among ``classrooms``, grouped by
    school in the database: three queries for any number of schools and classrooms. A school without classrooms
    has a row of zeros.

    The sums are of each classroom's kept counts (``Classroom.sessions_held`` and the rest), so the database adds
    up a district's classrooms, never its sessions or registers. The planned sessions are split by the time: a
    classroom whose first planned session is still to come has all of them to come, the next one first; only the
    classrooms with a planned session already started (over and not marked, or under way: the few the report is
    there to show) have their planned sessions read, to count the started ones and find their next one."""
    now = now or timezone.now()
    counted = {
        r["school_id"]: r
        for r in classrooms.values("school_id")
        .annotate(
            n_classrooms=Count("pk"),
            n_planned=Sum("sessions_planned"),
            n_held=Sum("sessions_held"),
            n_cancelled=Sum("sessions_cancelled"),
            n_register=Sum("held_register"),
            n_present=Sum("held_present"),
            next_at=Min("first_planned_at", filter=Q(first_planned_at__gt=now)),
            held_last_at=Max("last_held_at"),
        )
        .order_by()
    }
    late = Session.objects.filter(
        classroom__in=classrooms.filter(first_planned_at__lte=now).values("pk"), status=Session.Status.PLANNED
    )
    late_counted, under_way = _started(late, "classroom__school_id", now)
    result = []
    for school in schools:
        c, lc = counted.get(school.pk, {}), late_counted.get(school.pk, {})
        started = lc.get("n_started", 0)
        nexts = [t for t in (c.get("next_at"), lc.get("next_at")) if t is not None]
        result.append(
            FidelityRow(
                classroom=None,
                school=school,
                classrooms=c.get("n_classrooms", 0),
                upcoming=(c.get("n_planned") or 0) - started,
                held=c.get("n_held") or 0,
                cancelled=c.get("n_cancelled") or 0,
                overdue=started - under_way[school.pk],
                next_session=_local_date(min(nexts) if nexts else None, school),
                last_held=_local_date(c.get("held_last_at"), school),
                register=c.get("n_register") or 0,
                present=c.get("n_present") or 0,
            )
        )
    return result


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
