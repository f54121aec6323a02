"""A classroom's family visits, read once for its page and its growth chart."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from classrooms.models import BabyAge, BabyObservation, Classroom, ProgramYear, Session, Theme, VisitingFamily
from classrooms.permissions import (
    session_manage_scope,
    theme_manage_scope,
    theme_scope,
    visiting_family_contact_scope,
    visiting_family_manage_scope,
    visiting_family_scope,
)
from classrooms.visits import units
from classrooms.visits.charts import BabySeries, Measurement, measure_text

THEME_KINDS = (Session.Kind.PRE_VISIT, Session.Kind.FAMILY_VISIT, Session.Kind.POST_VISIT)
# The adults who may lead a family visit: trained staff of the classroom's school, never a student
# and never a district account (a district admin is not in the school to phone the family).
INSTRUCTOR_ROLES = (User.Role.TEACHER, User.Role.COUNSELOR, User.Role.SCHOOL_ADMIN)


def instructors_for(classroom: Classroom):
    """The adults of the classroom's school who may lead its family visits."""
    return User.objects.filter(school_id=classroom.school_id, is_active=True, role__in=INSTRUCTOR_ROLES).order_by(
        "last_name", "first_name", "username"
    )


def observation_can_be_recorded(session: Session) -> bool:
    """A family visit can be written up once it has started, unless it was cancelled."""
    return (
        session.kind == Session.Kind.FAMILY_VISIT and session.is_past and session.status != Session.Status.CANCELLED
    )


def themes_for(user) -> QuerySet[Theme]:
    return Theme.objects.filter(theme_scope(user))


def themes_managed_by(user) -> QuerySet[Theme]:
    return Theme.objects.filter(theme_manage_scope(user))


def visiting_families_for(user) -> QuerySet[VisitingFamily]:
    return VisitingFamily.objects.filter(visiting_family_scope(user))


def visiting_families_managed_by(user) -> QuerySet[VisitingFamily]:
    return VisitingFamily.objects.filter(visiting_family_manage_scope(user))


def family_contacts_shown_to(user, classroom: Classroom) -> set[int]:
    """Ids of ``classroom``'s families whose e-mail and phone ``user`` sees (no query for a student)."""
    return set(
        VisitingFamily.objects.filter(visiting_family_contact_scope(user), classroom=classroom).values_list("pk", flat=True)
    )


def classroom_visits_managed_by(user, classroom: Classroom) -> QuerySet[Session]:
    """Family visits of ``classroom`` that ``user`` may write up."""
    return Session.objects.filter(
        session_manage_scope(user), classroom=classroom, kind=Session.Kind.FAMILY_VISIT
    ).select_related("classroom__school", "theme__family")


def visit_observation(visit: Session) -> BabyObservation | None:
    """What the class recorded at ``visit`` (already scoped), or None."""
    return BabyObservation.objects.filter(session=visit).first()


def themes_without_family(classroom: Classroom) -> int:
    """How many of the classroom's themes have no family yet (the "add the family" page says so)."""
    return Theme.objects.filter(classroom=classroom, family__isnull=True).count()


@dataclass
class VisitRow:
    """One theme: its three sessions, the family that came, and what the class saw."""

    theme: Theme | None
    visit: Session | None = None
    pre_visit: Session | None = None
    post_visit: Session | None = None
    family: VisitingFamily | None = None
    day: date | None = None  # the visit's date in the school's time zone
    baby_age: BabyAge | None = None

    @property
    def observation(self) -> BabyObservation | None:
        if self.visit is None:
            return None
        try:
            return self.visit.observation
        except BabyObservation.DoesNotExist:
            return None

    @property
    def can_observe(self) -> bool:
        return self.visit is not None and observation_can_be_recorded(self.visit)

    @property
    def weight_text(self) -> str:
        return measure_text(self.observation.weight_kg) if self.observation else ""

    @property
    def length_text(self) -> str:
        return measure_text(self.observation.length_cm) if self.observation else ""

    @property
    def weight_us(self) -> str:
        """The weight in pounds and ounces, beside the kilograms: a US class weighs in pounds."""
        obs = self.observation
        return units.pounds_ounces_text(obs.weight_kg) if obs and obs.weight_kg is not None else ""

    @property
    def length_us(self) -> str:
        obs = self.observation
        return units.inches_text(obs.length_cm) if obs and obs.length_cm is not None else ""

    @property
    def is_measured(self) -> bool:
        obs = self.observation
        return obs is not None and (obs.weight_kg is not None or obs.length_cm is not None)


@dataclass
class FamilyVisits:
    classroom: Classroom
    is_visits_year: bool
    families: list[VisitingFamily]
    rows: list[VisitRow] = field(default_factory=list)
    today: date | None = None

    @property
    def shown(self) -> bool:
        """The page has a family-visits section once the year is of that kind or anything was set up."""
        return self.is_visits_year or bool(self.families) or bool(self.rows)

    @property
    def observed(self) -> list[VisitRow]:
        return [row for row in self.rows if row.observation is not None]

    @property
    def measured(self) -> list[VisitRow]:
        return [row for row in self.rows if row.is_measured]

    @property
    def themes_without_family(self) -> int:
        return sum(1 for row in self.rows if row.theme is not None and row.theme.family_id is None)

    def growth_series(self) -> list[BabySeries]:
        """One line per baby (a classroom rarely has two families, but a family may change mid-year)."""
        series: dict[int, BabySeries] = {}
        for row in self.measured:
            if row.family is None or row.baby_age is None:
                continue  # no baby to say how old it was: the table still lists the visit
            obs = row.observation
            line = series.setdefault(row.family.pk, BabySeries(name=baby_label(row.family), measurements=[]))
            line.measurements.append(
                Measurement(
                    age_months=row.baby_age.months + row.baby_age.days / 30.4375,
                    day=row.day,
                    weight_kg=obs.weight_kg,
                    length_cm=obs.length_cm,
                )
            )
        return list(series.values())


def growth_series(classroom: Classroom) -> list[BabySeries]:
    """The growth chart's lines, in one query whatever the number of visits: what ``family_visits(classroom)
    .growth_series()`` gives, read without the themes, families and sessions the classroom page shows beside it.

    The same rows count: a theme's first family visit (an earlier visit of its theme without an observation hides
    a later one, as on the page), measured, with a family of this classroom to say how old the baby was."""
    zone = classroom.school.zone
    earlier_visit = Session.objects.filter(
        theme=OuterRef("session__theme"), kind=Session.Kind.FAMILY_VISIT, starts_at__lt=OuterRef("session__starts_at")
    )
    observations = (
        BabyObservation.objects.filter(
            session__classroom=classroom,
            session__kind=Session.Kind.FAMILY_VISIT,
            session__theme__family__classroom=classroom,
        )
        .filter(Q(weight_kg__isnull=False) | Q(length_cm__isnull=False))
        .exclude(Exists(earlier_visit))
        .select_related("session__theme__family")
        .order_by("session__starts_at")
    )
    series: dict[int, BabySeries] = {}
    for obs in observations:
        family, day = obs.session.theme.family, local_day(obs.session.starts_at, zone)
        age = family.baby_age_on(day)
        line = series.setdefault(family.pk, BabySeries(name=baby_label(family), measurements=[]))
        line.measurements.append(
            Measurement(age_months=age.months + age.days / 30.4375, day=day, weight_kg=obs.weight_kg, length_cm=obs.length_cm)
        )
    return list(series.values())


def baby_label(family: VisitingFamily) -> str:
    return family.baby_name or family.name


def local_day(moment, zone) -> date:
    return timezone.localtime(moment, zone).date()


def family_visits(classroom: Classroom) -> FamilyVisits:
    """Families, themes, their sessions and observations of ``classroom``, in four queries whatever their number.

    A classroom without family visits (most run monthly lessons) costs one query.
    """
    zone = classroom.school.zone
    flags = (
        Classroom.objects.filter(pk=classroom.pk)
        .annotate(
            is_visits_year=Exists(ProgramYear.objects.filter(classroom=OuterRef("pk"), format=ProgramYear.Format.VISITS)),
            has_family=Exists(VisitingFamily.objects.filter(classroom=OuterRef("pk"))),
            has_theme=Exists(Theme.objects.filter(classroom=OuterRef("pk"))),
        )
        .values("is_visits_year", "has_family", "has_theme")
        .first()
    )
    if not flags or not any(flags.values()):
        return FamilyVisits(classroom=classroom, is_visits_year=False, families=[])
    is_visits_year = flags["is_visits_year"]
    families = list(VisitingFamily.objects.filter(classroom=classroom).order_by("created_at", "pk"))
    family_by_id = {f.pk: f for f in families}
    themes = list(Theme.objects.filter(classroom=classroom).select_related("instructor").order_by("number"))
    sessions = Session.objects.filter(classroom=classroom, kind__in=THEME_KINDS).select_related("observation")
    rows_by_theme = {theme.pk: VisitRow(theme=theme, family=family_by_id.get(theme.family_id)) for theme in themes}
    rows = list(rows_by_theme.values())
    for session in sessions.order_by("starts_at"):
        row = rows_by_theme.get(session.theme_id)
        if row is None:
            if session.kind != Session.Kind.FAMILY_VISIT:
                continue  # a lesson left without its theme belongs to the session list, not here
            row = VisitRow(theme=None)
            rows.append(row)
        slot = {
            Session.Kind.PRE_VISIT: "pre_visit",
            Session.Kind.FAMILY_VISIT: "visit",
            Session.Kind.POST_VISIT: "post_visit",
        }[session.kind]
        if getattr(row, slot) is None:
            setattr(row, slot, session)
    for row in rows:
        if row.visit is not None:
            row.day = local_day(row.visit.starts_at, zone)
            if row.family is not None:
                row.baby_age = row.family.baby_age_on(row.day)
    today = timezone.localtime(timezone.now(), zone).date()
    for family in families:
        family.age_today = family.baby_age_on(today)
    # In the order the class lives them; themes not yet given a visit come last, by number.
    rows.sort(key=lambda r: (r.visit is None, r.visit.starts_at if r.visit else None, r.theme.number if r.theme else 0))
    return FamilyVisits(
        classroom=classroom,
        is_visits_year=is_visits_year,
        families=families,
        rows=rows,
        today=today,
    )
