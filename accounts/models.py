"""People, schools and districts, and the audit trail of sensitive actions."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Grade(models.IntegerChoices):
    """Kindergarten to grade 8: the ages (5-14) Heard is written for."""

    KINDERGARTEN = 0, _("Kindergarten")
    GRADE_1 = 1, _("Grade 1")
    GRADE_2 = 2, _("Grade 2")
    GRADE_3 = 3, _("Grade 3")
    GRADE_4 = 4, _("Grade 4")
    GRADE_5 = 5, _("Grade 5")
    GRADE_6 = 6, _("Grade 6")
    GRADE_7 = 7, _("Grade 7")
    GRADE_8 = 8, _("Grade 8")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone name such as America/Chicago."), params={"value": value})


class District(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    # Sessions are stored in UTC and shown, scheduled and reminded in the school's zone.
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=settings.DEFAULT_SCHOOL_TIME_ZONE, validators=[validate_time_zone]
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="school_name_unique_in_district")]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The school's time zone, the one place it is turned into a ``ZoneInfo`` (zoneinfo caches them)."""
        return zoneinfo.ZoneInfo(self.time_zone)


class HeardUserManager(UserManager):
    def by_username(self, username: str | None):
        """The user named ``username``, ignoring case and edge spaces (children type "Maya.R" as often as
        "maya.r"), found through the unique index on lower(username): ``username__iexact`` is UPPER(...) on
        PostgreSQL, which that index cannot serve, so it read every user of the district."""
        wanted = Lower(Value((username or "").strip()))
        return self.alias(username_lower=Lower("username")).filter(username_lower=wanted)

    def get_by_natural_key(self, username):
        return self.by_username(username).get()


class User(AbstractUser):
    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Teacher")
        COUNSELOR = "counselor", _("Counselor")
        SCHOOL_ADMIN = "school_admin", _("School administrator")
        DISTRICT_ADMIN = "district_admin", _("District administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STUDENT)
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    # Set for district administrators only; everyone else reaches a district through a school.
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="admins")
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade, null=True, blank=True)

    objects = HeardUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(Lower("username"), name="username_unique_ignoring_case"),
            models.CheckConstraint(
                condition=(
                    models.Q(is_staff=True)
                    | models.Q(role="district_admin", district__isnull=False)
                    | (~models.Q(role="district_admin") & models.Q(school__isnull=False))
                ),
                name="user_belongs_to_school_or_district",
            ),
        ]
        indexes = [
            # The admin dashboards' head counts (classrooms.selectors.school_summary) count active people by
            # school and role from this index alone (an index-only scan), not by reading every user row.
            models.Index(fields=["school", "role"], name="user_active_by_school_role", condition=models.Q(is_active=True)),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_student(self) -> bool:
        return self.role == self.Role.STUDENT

    @property
    def is_teacher(self) -> bool:
        return self.role == self.Role.TEACHER


class AuditEvent(models.Model):
    """An append-only record of a sensitive action: who did what to whom, never free text."""

    class Kind(models.TextChoices):
        STUDENT_ACCOUNTS_CREATED = "student_accounts_created", _("Student account created")
        STUDENT_PASSWORD_RESET = "student_password_reset", _("Student password reset")
        SIGN_IN_UNLOCKED = "sign_in_unlocked", _("Sign-in lock cleared")
        SIGN_IN_LOCKED = "sign_in_locked", _("Sign-in locked after wrong passwords")
        SCHOOL_LEFT = "school_left", _("Moved to another school")
        SCHOOL_JOINED = "school_joined", _("Joined from another school")
        STUDENT_REMOVED = "student_removed", _("Student removed from a classroom")
        STUDENT_RENAMED = "student_renamed", _("Student's name corrected")
        TEACHER_ADDED = "teacher_added", _("Teacher added to a classroom")
        TEACHER_REMOVED = "teacher_removed", _("Teacher removed from a classroom")
        SURVEY_STUDENT_EXPORT = "survey_student_export", _("Student-level survey scores exported")
        HELP_STUDENT_EXPORT = "help_student_export", _("A student's help requests exported")
        HELP_STUDENT_ANONYMISED = "help_student_anonymised", _("A student's help requests anonymised")

    kind = models.CharField(max_length=40, choices=Kind.choices)
    # Rows outlive the people in them: deleting an account (a family's request) keeps the event.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="audit_actions"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_subject_of"
    )
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True)
    # What the event is about when that is not a person, as an id of the model its kind names (a survey cycle
    # for a student-level export: the apps above accounts cannot be foreign keys here), and how many rows it
    # took (the rows of an export).
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor_id} on {self.subject_id}"
