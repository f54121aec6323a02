"""Every way the roster changes: a peer counselor added or edited, the school's duty periods, each peer's duty
slots, and the school's help desk (its day and its last contact).

Each refuses with a ``ValidationError`` keyed by the field it is about, in the words the counselor reads beside
that field; the pages fetch through the manage scopes, and each service checks again who is asking, so a
service called from anywhere else keeps the same rule. Constraints the database holds (one profile per student,
a period's name once per school, a slot once) are also caught when two counselors race to the same row.
"""

from datetime import date, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from classrooms.phones import phone_is_valid, phone_normalize
from peer_counselors.models import CounselorProfile, DutyPeriod, DutySlot, HelpDesk, Weekday
from peer_counselors.permissions import is_supervisor
from peer_counselors.roster.selectors import keeps_help_desk, period_slot_count

UNCHANGED = object()  # "leave this field as it is", for the update services

NOTES_MAX = CounselorProfile._meta.get_field("notes").max_length
PERIOD_NAME_MAX = DutyPeriod._meta.get_field("name").max_length
CONTACT_NAME_MAX = HelpDesk._meta.get_field("last_contact_name").max_length
CONTACT_EMAIL_MAX = HelpDesk._meta.get_field("last_contact_email").max_length
# Heard's students are 5 to 14: a training date further back than this is a mistyped year.
TRAINED_WITHIN = timedelta(days=10 * 366)


def _supervising(by: User, school_id: int) -> None:
    if not is_supervisor(by) or by.school_id != school_id:
        raise PermissionDenied


def _profile_details(*, trained_on, notes) -> tuple[dict, dict]:
    """The cleaned details given (UNCHANGED ones left out), and what is wrong with them, by field."""
    cleaned, errors = {}, {}
    if trained_on is not UNCHANGED:
        today = timezone.localdate()
        if trained_on is not None and trained_on > today:
            errors["trained_on"] = _("The training date is in the future. Give the day they finished training, or leave it empty.")
        elif trained_on is not None and today - trained_on > TRAINED_WITHIN:
            errors["trained_on"] = _("That is more than ten years ago. Check the year.")
        cleaned["trained_on"] = trained_on
    if notes is not UNCHANGED:
        cleaned["notes"] = (notes or "").strip()
        if len(cleaned["notes"]) > NOTES_MAX:
            errors["notes"] = _("Please keep the notes under %(max)d characters (they have %(n)d).") % {
                "max": NOTES_MAX, "n": len(cleaned["notes"]),
            }
    return cleaned, errors


def _already_on_a_roster(student: User, school_id: int) -> str:
    existing = CounselorProfile.objects.filter(student=student).first()
    if existing is None or existing.school_id == school_id:
        if existing is not None and not existing.active:
            return _("%(name)s is already on the roster, as inactive: edit their profile to make them active again.") % {
                "name": student.display_name,
            }
        return _("%(name)s is already on the roster.") % {"name": student.display_name}
    return _(
        "%(name)s still has an orange-hat profile from the school they were at before, and a student can have only one."
    ) % {"name": student.display_name}


@transaction.atomic
def counselor_profile_create(*, by: User, student: User | None, trained_on: date | None = None, notes: str = "") -> CounselorProfile:
    """A student of the school becomes a peer counselor, active at once: they are offered new requests from now on."""
    if not is_supervisor(by):
        raise PermissionDenied
    cleaned, errors = _profile_details(trained_on=trained_on, notes=notes)
    # Another school's student reads as no student at all: the counselor learns nothing about other schools.
    if student is None or student.school_id != by.school_id:
        errors["student"] = _("Choose a student of your school.")
    elif student.role != User.Role.STUDENT:
        errors["student"] = _("%(name)s is not a student: only students can be orange hats.") % {"name": student.display_name}
    elif not student.is_active:
        errors["student"] = _("%(name)s's account is switched off, so they cannot be an orange hat.") % {
            "name": student.display_name,
        }
    elif CounselorProfile.objects.filter(student=student).exists():
        errors["student"] = _already_on_a_roster(student, by.school_id)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return CounselorProfile.objects.create(student=student, school_id=by.school_id, **cleaned)
    except IntegrityError:  # another counselor added them a moment ago
        raise ValidationError({"student": _already_on_a_roster(student, by.school_id)}) from None


@transaction.atomic
def counselor_profile_update(*, profile: CounselorProfile, by: User, trained_on: date | None = UNCHANGED,
                             notes: str = UNCHANGED, active: bool = UNCHANGED) -> CounselorProfile:
    """Training date, notes, active. An inactive peer keeps their history (requests, slots, notes) and is offered
    nothing new; the requests they already have stay theirs until a counselor reassigns them."""
    _supervising(by, profile.school_id)
    cleaned, errors = _profile_details(trained_on=trained_on, notes=notes)
    if errors:
        raise ValidationError(errors)
    if active is not UNCHANGED:
        cleaned["active"] = bool(active)
    for name, value in cleaned.items():
        setattr(profile, name, value)
    if cleaned:
        profile.save(update_fields=list(cleaned))
    return profile


# --- Duty periods ----------------------------------------------------------------------------------------------


def _period_problems(*, school_id: int, name: str, starts: time | None, ends: time | None, exclude_pk=None) -> dict:
    errors = {}
    if not name:
        errors["name"] = _("Give the period a name, for example “Lunch recess”.")
    elif len(name) > PERIOD_NAME_MAX:
        errors["name"] = _("Please keep the name under %(max)d characters.") % {"max": PERIOD_NAME_MAX}
    elif DutyPeriod.objects.filter(school_id=school_id, name__iexact=name).exclude(pk=exclude_pk).exists():
        errors["name"] = _("The school already has a period called “%(name)s”. Give this one another name.") % {"name": name}
    if starts is None:
        errors["starts"] = _("Give the time the period starts.")
    if ends is None:
        errors["ends"] = _("Give the time the period ends.")
    elif starts is not None and ends <= starts:
        errors["ends"] = _("The period must end after it starts (it starts at %(starts)s).") % {"starts": starts.strftime("%H:%M")}
    return errors


def _save_period(period: DutyPeriod, fields: list[str]) -> DutyPeriod:
    try:
        with transaction.atomic():
            if period.pk is None:
                period.save()
            else:
                period.save(update_fields=fields)
    except IntegrityError:  # the same name, saved by another counselor a moment ago
        raise ValidationError(
            {"name": _("The school already has a period called “%(name)s”. Give this one another name.") % {"name": period.name}}
        ) from None
    return period


@transaction.atomic
def duty_period_create(*, by: User, name: str, starts: time | None, ends: time | None) -> DutyPeriod:
    """A part of the school day when peer counselors can be on duty ("Lunch recess", 12:00-12:40)."""
    if not is_supervisor(by):
        raise PermissionDenied
    name = " ".join((name or "").split())
    errors = _period_problems(school_id=by.school_id, name=name, starts=starts, ends=ends)
    if errors:
        raise ValidationError(errors)
    return _save_period(DutyPeriod(school_id=by.school_id, name=name, starts=starts, ends=ends), [])


@transaction.atomic
def duty_period_update(*, period: DutyPeriod, by: User, name: str = UNCHANGED, starts: time | None = UNCHANGED,
                       ends: time | None = UNCHANGED) -> DutyPeriod:
    """A new name or new times; the slots that use the period follow it."""
    _supervising(by, period.school_id)
    name = period.name if name is UNCHANGED else " ".join((name or "").split())
    starts = period.starts if starts is UNCHANGED else starts
    ends = period.ends if ends is UNCHANGED else ends
    errors = _period_problems(school_id=period.school_id, name=name, starts=starts, ends=ends, exclude_pk=period.pk)
    if errors:
        raise ValidationError(errors)
    period.name, period.starts, period.ends = name, starts, ends
    return _save_period(period, ["name", "starts", "ends"])


@transaction.atomic
def duty_period_delete(*, period: DutyPeriod, by: User, slots_seen: int) -> int:
    """Delete a period and the duty slots that use it, as many as the counselor was shown (``slots_seen``); if
    that changed since (a slot added meanwhile), nothing is deleted and they are told the new count. Requests
    that asked to meet in it keep asking for no time in particular. Returns how many slots went with it."""
    _supervising(by, period.school_id)
    # Locked: a slot added to this period now waits for the delete, then finds the period gone (duty_slot_add).
    period = DutyPeriod.objects.select_for_update().filter(pk=period.pk).first()
    if period is None:
        return 0  # deleted a moment ago: a double click
    slots, _peers = period_slot_count(period)
    if slots != slots_seen:
        raise ValidationError(
            ngettext(
                "Since you looked, the number of duty slots in %(name)s changed: %(n)d slot uses it now. Look again before deleting it.",
                "Since you looked, the number of duty slots in %(name)s changed: %(n)d slots use it now. Look again before deleting it.",
                slots,
            ) % {"name": period.name, "n": slots}
        )
    period.delete()
    return slots


# --- Duty slots ------------------------------------------------------------------------------------------------


def _slot_taken(profile: CounselorProfile, weekday: int, period: DutyPeriod) -> ValidationError:
    return ValidationError(
        {"weekday": _("%(name)s is already on duty on %(day)s at %(period)s.") % {
            "name": profile.student.display_name, "day": Weekday(weekday).label, "period": period.name,
        }}
    )


@transaction.atomic
def duty_slot_add(*, profile: CounselorProfile, by: User, weekday: int, period: DutyPeriod | None) -> DutySlot:
    """A peer counselor is on duty on a weekday, in one of their school's periods (once each)."""
    _supervising(by, profile.school_id)
    errors = {}
    if weekday not in Weekday.values:
        errors["weekday"] = _("Choose a day of the week.")
    if period is None or period.school_id != profile.school_id:
        errors["period"] = _("Choose one of the school's duty periods.")
    else:
        period = DutyPeriod.objects.select_for_update().filter(pk=period.pk).first()
        if period is None:
            errors["period"] = _("That period was deleted a moment ago. Choose another one.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return DutySlot.objects.create(profile=profile, weekday=weekday, period=period)
    except IntegrityError:  # duty_slot_once: the same slot, added a moment ago
        raise _slot_taken(profile, weekday, period) from None


@transaction.atomic
def duty_slot_remove(*, slot: DutySlot, by: User) -> None:
    _supervising(by, slot.profile.school_id)
    DutySlot.objects.filter(pk=slot.pk).delete()


# --- The help desk -------------------------------------------------------------------------------------------


@transaction.atomic
def help_desk_save(*, by: User, day_starts: time | None, day_ends: time | None, last_contact_name: str = "",
                   last_contact_email: str = "", last_contact_phone: str = "") -> HelpDesk:
    """The school's day (when an adult is likely to see a request) and the last contact of the safety chain,
    who is reached by e-mail: a last contact without an e-mail address could never be reached."""
    if not keeps_help_desk(by):
        raise PermissionDenied
    name = " ".join((last_contact_name or "").split())
    email = (last_contact_email or "").strip()
    phone = phone_normalize(last_contact_phone)
    errors = {}
    if day_starts is None:
        errors["day_starts"] = _("Give the time the school day starts.")
    if day_ends is None:
        errors["day_ends"] = _("Give the time the school day ends.")
    elif day_starts is not None and day_ends <= day_starts:
        errors["day_ends"] = _("The school day must end after it starts (it starts at %(starts)s).") % {
            "starts": day_starts.strftime("%H:%M"),
        }
    if len(name) > CONTACT_NAME_MAX:
        errors["last_contact_name"] = _("Please keep the name under %(max)d characters.") % {"max": CONTACT_NAME_MAX}
    if len(email) > CONTACT_EMAIL_MAX:
        errors["last_contact_email"] = _("Please keep the e-mail address under %(max)d characters.") % {"max": CONTACT_EMAIL_MAX}
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["last_contact_email"] = _("Give an e-mail address they read, like principal@school.example.")
    elif name or phone:
        errors["last_contact_email"] = _("Give the last contact's e-mail address: that is how Heard reaches them.")
    if phone and not phone_is_valid(phone):
        errors["last_contact_phone"] = _(
            "Give a phone number of 7 to 15 digits, like +1 555 0100 or (555) 010-0199 ext 2, or leave it empty."
        )
    if errors:
        raise ValidationError(errors)
    desk, _created = HelpDesk.objects.update_or_create(
        school_id=by.school_id,
        defaults={
            "day_starts": day_starts, "day_ends": day_ends, "last_contact_name": name,
            "last_contact_email": email, "last_contact_phone": phone,
        },
    )
    return desk
