"""Every way a classroom's visiting family, its themes and its baby-observation log change."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import BabyObservation, Classroom, Feeling, Session, Theme, VisitingFamily
from classrooms.permissions import require_classroom_manager
from classrooms.phones import phone_is_valid, phone_normalize
from classrooms.visits.selectors import instructors_for

UNCHANGED = object()  # "leave this field as it is" for visiting_family_update

# Plausible for a baby in its first two years; outside these, a unit was almost surely mixed up
# (grams, pounds, inches), and a child would see a chart that makes no sense.
WEIGHT_KG = (Decimal("0.5"), Decimal("25"))
LENGTH_CM = (Decimal("30"), Decimal("120"))
# A family is usually recruited while the baby is a few months old; a date of birth years ago is a typo.
OLDEST_BABY = timedelta(days=3 * 366)

FAMILY_FIELDS = ("name", "contact_email", "contact_phone", "baby_name", "baby_born_on")


def baby_birth_date_problem(born: date | None, *, today: date) -> str | None:
    """Why a date of birth cannot be right, or None. The form asks too, so all mistakes show at once."""
    if born is None:
        return _("Give the baby's date of birth: every visit shows the baby's age on that day.")
    if born > today:
        return _("The date of birth is in the future. Check the year.")
    if today - born > OLDEST_BABY:
        return _("That is more than three years ago. Check the year.")
    return None


def _clean_family_fields(fields: dict, *, today: date) -> dict:
    errors = {}
    cleaned = dict(fields)
    if "name" in fields:
        cleaned["name"] = " ".join((fields["name"] or "").split())
        if not cleaned["name"]:
            errors["name"] = _("Give the family's name, for example “The Okafor family”.")
    if "baby_name" in fields:
        cleaned["baby_name"] = " ".join((fields["baby_name"] or "").split())
    if "contact_email" in fields:
        cleaned["contact_email"] = (fields["contact_email"] or "").strip()
        try:
            validate_email(cleaned["contact_email"])
        except ValidationError:
            errors["contact_email"] = _("Give an e-mail address the family reads, like name@example.com.")
    if "contact_phone" in fields:
        cleaned["contact_phone"] = phone_normalize(fields["contact_phone"])
        if cleaned["contact_phone"] and not phone_is_valid(cleaned["contact_phone"]):
            errors["contact_phone"] = _(
                "Give a phone number of 7 to 15 digits, like +1 555 0100 or (555) 010-0199 ext 2: "
                "digits, spaces, + ( ) - . and an extension only."
            )
    if "baby_born_on" in fields:
        problem = baby_birth_date_problem(fields["baby_born_on"], today=today)
        if problem:
            errors["baby_born_on"] = problem
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def visiting_family_create(
    *,
    classroom: Classroom,
    by: User,
    name: str,
    contact_email: str,
    baby_name: str,
    baby_born_on: date,
    contact_phone: str = "",
) -> VisitingFamily:
    """Add the family that visits this classroom.

    The same family usually comes all year, so it is also set on every theme that has no family yet;
    ``family.themes_assigned`` says how many, for the page to tell the teacher.
    """
    require_classroom_manager(by, classroom)
    fields = _clean_family_fields(
        {
            "name": name, "contact_email": contact_email, "contact_phone": contact_phone,
            "baby_name": baby_name, "baby_born_on": baby_born_on,
        },
        today=timezone.localdate(),
    )
    family = VisitingFamily.objects.create(classroom=classroom, **fields)
    family.themes_assigned = Theme.objects.filter(classroom=classroom, family__isnull=True).update(family=family)
    return family


@transaction.atomic
def visiting_family_update(
    *,
    family: VisitingFamily,
    by: User,
    name: str = UNCHANGED,
    contact_email: str = UNCHANGED,
    contact_phone: str = UNCHANGED,
    baby_name: str = UNCHANGED,
    baby_born_on: date = UNCHANGED,
) -> VisitingFamily:
    """Change any of the family's name, contact e-mail and phone, baby's name and date of birth (the others stay)."""
    require_classroom_manager(by, family.classroom)
    given = {
        "name": name, "contact_email": contact_email, "contact_phone": contact_phone,
        "baby_name": baby_name, "baby_born_on": baby_born_on,
    }
    fields = {field: value for field, value in given.items() if value is not UNCHANGED}
    cleaned = _clean_family_fields(fields, today=timezone.localdate())
    for field, value in cleaned.items():
        setattr(family, field, value)
    if cleaned:
        family.save(update_fields=list(cleaned))
    return family


@transaction.atomic
def theme_update(*, theme: Theme, by: User, title: str, family: VisitingFamily | None, instructor: User | None) -> Theme:
    """Name a theme and say which family visits and which adult leads the visit."""
    classroom = theme.classroom
    require_classroom_manager(by, classroom)
    errors = {}
    if family is not None and family.classroom_id != classroom.pk:
        errors["family"] = _("Choose a family that visits this classroom.")
    if instructor is not None and not instructors_for(classroom).filter(pk=instructor.pk).exists():
        errors["instructor"] = _("The instructor must be a teacher, counselor or administrator of this school.")
    title = " ".join((title or "").split())
    if len(title) > Theme._meta.get_field("title").max_length:
        errors["title"] = _("Keep the theme's name under 200 characters.")
    if errors:
        raise ValidationError(errors)
    theme.title = title
    theme.family = family
    theme.instructor = instructor
    theme.save(update_fields=["title", "family", "instructor"])
    return theme


def _measure(value, *, bounds: tuple[Decimal, Decimal], step: str, field: str, message: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or not bounds[0] <= number <= bounds[1]:
        raise ValidationError({field: message})
    return number.quantize(Decimal(step), rounding=ROUND_HALF_UP)


@transaction.atomic
def baby_observation_record(
    *,
    session: Session,
    by: User,
    weight_kg=None,
    length_cm=None,
    milestones: str = "",
    feelings=(),
    feelings_note: str = "",
) -> BabyObservation:
    """Write (or correct) what the class measured and noticed at a family visit."""
    require_classroom_manager(by, session.classroom)
    if session.kind != Session.Kind.FAMILY_VISIT:
        raise ValidationError(_("Observations are recorded at family visits only."))
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This visit was cancelled, so there is nothing to record."))
    if not session.is_past:
        raise ValidationError(
            _("This visit has not happened yet. Record what the class saw once the visit has started.")
        )
    errors, values = {}, {}
    measures = {
        "weight_kg": (weight_kg, WEIGHT_KG, "0.01", _("A baby's weight is between 0.5 and 25 kg (1 lb 2 oz and 55 lb). Check the number and its unit.")),
        "length_cm": (length_cm, LENGTH_CM, "0.1", _("A baby's length is between 30 and 120 cm (12 and 47 in). Check the number and its unit.")),
    }
    for field, (value, bounds, step, message) in measures.items():
        try:
            values[field] = _measure(value, bounds=bounds, step=step, field=field, message=message)
        except ValidationError as error:
            errors.update(error.message_dict)
    feelings = list(feelings or [])
    known = set(Feeling.values)
    if any(f not in known for f in feelings):
        errors["feelings"] = _("Choose feelings from the list.")
    if errors:
        raise ValidationError(errors)
    chosen = set(feelings)
    observation, _created = BabyObservation.objects.update_or_create(
        session=session,
        defaults={
            **values,
            "milestones": (milestones or "").strip(),
            "feelings": [f for f in Feeling.values if f in chosen],  # the list's order, whatever the click order
            "feelings_note": (feelings_note or "").strip(),
            "recorded_by": by,
        },
    )
    return observation
