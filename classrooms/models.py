"""Classrooms, who is in them, and their monthly sessions."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Grade, School
from classrooms import joincodes
from classrooms.phones import PHONE_MAX_LENGTH, phone_uri
from classrooms.school_years import school_year_label

# A session lasts between these many minutes (the program-year form, its service and the fidelity
# report's "under way" window all read them here).
SESSION_MINUTES_MIN = 10
SESSION_MINUTES_MAX = 240
SESSION_NOTE_MAX = 1000  # "what happened", a line or two for the co-teachers


class Classroom(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classrooms")
    name = models.CharField(_("name"), max_length=100)
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices)
    # The calendar year the school year starts in: 2026 is the 2026-27 school year.
    school_year = models.PositiveSmallIntegerField(_("school year"))
    # Co-teaching is common, so a classroom may have several teachers.
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classrooms_taught", blank=True)
    join_code = models.CharField(_("join code"), max_length=12, unique=True)
    join_code_expires_at = models.DateTimeField(_("join code expires"))
    # The secret in the classroom's calendar feed URL; empty when the feed is off. A new token
    # makes every old subscription stop at once.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # The class's sourcedId in the school's information system (OneRoster), so that a re-import finds
    # it even when several sections share a title or the classroom was renamed; blank if not imported.
    sourced_id = models.CharField(_("sourcedId"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # The classroom's sessions counted (``classrooms.program.services.classroom_sessions_recount``, run by every
    # write of a session or a register in the same transaction), so the fidelity report adds up a district's
    # classrooms, never its sessions. Nothing here depends on the time: the report splits the planned sessions
    # into "to come" and "not marked" itself, reading sessions only for classrooms whose first planned session
    # has started (``first_planned_at``: a session over and still planned, or under way).
    sessions_planned = models.PositiveIntegerField(default=0, editable=False)
    sessions_held = models.PositiveIntegerField(default=0, editable=False)
    sessions_cancelled = models.PositiveIntegerField(default=0, editable=False)
    held_register = models.PositiveIntegerField(default=0, editable=False)  # the held sessions' register_count summed
    held_present = models.PositiveIntegerField(default=0, editable=False)  # and their present_count
    first_planned_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_held_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-school_year", "grade", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(grade__lte=8), name="classroom_grade_k_to_8"),
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="classroom_name_unique_in_school_year"
            ),
            models.UniqueConstraint(
                fields=["school", "sourced_id"],
                condition=~models.Q(sourced_id=""),
                name="classroom_sourced_id_unique_in_school",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classrooms:detail", kwargs={"pk": self.pk})

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def join_code_display(self) -> str:
        return joincodes.display(self.join_code)

    @property
    def join_code_expired(self) -> bool:
        return self.join_code_expires_at <= timezone.now()


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)


class Enrollment(models.Model):
    """A student in a classroom. Leaving keeps the row (with ``left_at``) so past work keeps its class."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="one_enrollment_per_student_and_classroom"),
        ]
        indexes = [models.Index(fields=["student", "left_at"])]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.classroom_id}"


class ProgramYear(models.Model):
    """A classroom's recurrence: "first Tuesday of each month at 10:00, October to June"."""

    classroom = models.OneToOneField(Classroom, on_delete=models.CASCADE, related_name="program_year")
    ordinal = models.SmallIntegerField(null=True, blank=True)  # 1-4, or -1 for the last
    weekday = models.PositiveSmallIntegerField(null=True, blank=True)  # 0 = Monday
    day = models.PositiveSmallIntegerField(null=True, blank=True)  # instead of ordinal + weekday
    at = models.TimeField(_("time"))
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    skipped_dates = models.JSONField(_("dates to skip"), default=list, blank=True)  # ISO dates
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=45)
    # On a day the clocks go back, ``at`` may happen twice: 0 means the first time, 1 the second
    # (``Recurrence.fold``). The teacher chooses on the program-year form; other days ignore it.
    fold = models.PositiveSmallIntegerField(_("which of a repeated time"), default=0)

    class Format(models.TextChoices):
        LESSONS = "lessons", _("One lesson at each date")
        VISITS = "visits", _("Family visits, each with a pre-visit and a post-visit lesson")

    # With family visits, each date of the rule is a family visit; its theme's pre-visit lesson
    # comes ``pre_visit_days`` before it and the post-visit lesson ``post_visit_days`` after,
    # so one theme spans about three weeks.
    format = models.CharField(_("kind of year"), max_length=10, choices=Format.choices, default=Format.LESSONS)
    pre_visit_days = models.PositiveSmallIntegerField(_("pre-visit lesson, days before the visit"), default=7)
    post_visit_days = models.PositiveSmallIntegerField(_("post-visit lesson, days after the visit"), default=7)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Program year of {self.classroom}"


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        LESSON = "lesson", _("Lesson")
        PRE_VISIT = "pre_visit", _("Pre-visit lesson")
        FAMILY_VISIT = "family_visit", _("Family visit")
        POST_VISIT = "post_visit", _("Post-visit lesson")

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))  # UTC; shown in the school's time zone
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    title = models.CharField(_("title"), max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LESSON)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(_("what happened"), blank=True)
    # True while the session follows its program year's rule; a rescheduled session keeps its
    # own time when the rule is edited.
    follows_recurrence = models.BooleanField(default=True)
    # The month of the program year this session stands for (first of the month, local), for the
    # sessions the rule made: editing the rule moves the month's session instead of adding another.
    rule_month = models.DateField(null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    theme = models.ForeignKey("Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions")
    # The session's register counted: its SessionAttendance rows, and those of them present. Kept by every write
    # of the register (``classrooms.program.services``: the register taken, an admin's edit, a student deleted) in
    # the same transaction, so the fidelity report sums sessions, never a district's register lines.
    register_count = models.PositiveIntegerField(default=0, editable=False)
    present_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "starts_at"], name="session_once_per_classroom_and_start"),
            models.CheckConstraint(
                condition=models.Q(present_count__lte=models.F("register_count")), name="session_present_within_register"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="session_due")]

    def __str__(self) -> str:
        return self.title or f"{self.classroom} {self.starts_at:%Y-%m-%d}"

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


class SessionAttendance(models.Model):
    """One student on the register of a held session: there, or away.

    The register is the class list when the teacher first took it, and it stays the session's list:
    a student who leaves the class later stays on it, so the share present and, later, each
    student's dose (sessions attended) do not change when the roster does.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="session_attendance_once_per_student"),
        ]
        indexes = [models.Index(fields=["student", "present"], name="session_attendance_of_student")]

    def __str__(self) -> str:
        return f"{self.student_id} {'present' if self.present else 'away'} at {self.session_id}"


class VisitingFamily(models.Model):
    """The family that brings its baby to a classroom's family visits (Roots of Empathy style).

    The baby's birth date is kept rather than an age, so every visit shows the age on that day.
    The family has no account: Heard writes to its contact address and nothing else.
    """

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="families")
    name = models.CharField(_("family name"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail"))
    # Kept as typed (checked by ``classrooms.phones``): the instructor phones before each visit.
    contact_phone = models.CharField(_("contact phone"), max_length=PHONE_MAX_LENGTH, blank=True, default="")
    baby_name = models.CharField(_("baby's first name"), max_length=60, blank=True)
    baby_born_on = models.DateField(_("baby's date of birth"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "visiting families"

    def __str__(self) -> str:
        return self.name

    @property
    def contact_phone_uri(self) -> str:
        return phone_uri(self.contact_phone) if self.contact_phone else ""

    def baby_age_on(self, day: date) -> "BabyAge":
        return BabyAge.between(self.baby_born_on, day)


@dataclass(frozen=True)
class BabyAge:
    months: int
    days: int

    @classmethod
    def between(cls, born: date, day: date) -> "BabyAge":
        delta = relativedelta(day, born) if day >= born else relativedelta()
        return cls(months=delta.years * 12 + delta.months, days=delta.days)

    def __str__(self) -> str:
        if self.months == 0:
            return ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days}
        text = ngettext("%(n)d month", "%(n)d months", self.months) % {"n": self.months}
        if self.days:
            text += ", " + ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days}
        return text


class Theme(models.Model):
    """One theme of a Roots-of-Empathy-style year: a pre-visit lesson, the family visit, a post-visit lesson."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("theme"), max_length=200, blank=True)
    family = models.ForeignKey(
        VisitingFamily, on_delete=models.SET_NULL, null=True, blank=True, related_name="themes", verbose_name=_("visiting family")
    )
    # The trained adult who leads the visit (often not the classroom teacher); they phone the family beforehand.
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="themes_instructed",
        verbose_name=_("instructor"),
    )

    class Meta:
        ordering = ["classroom", "number"]
        constraints = [models.UniqueConstraint(fields=["classroom", "number"], name="theme_number_unique_in_classroom")]

    def __str__(self) -> str:
        return self.title or _("Theme %(n)d") % {"n": self.number}


class Feeling(models.TextChoices):
    """Feelings a class may read in the baby; the words children learn to use."""

    HAPPY = "happy", _("Happy")
    CALM = "calm", _("Calm")
    CURIOUS = "curious", _("Curious")
    EXCITED = "excited", _("Excited")
    PROUD = "proud", _("Proud")
    SURPRISED = "surprised", _("Surprised")
    SHY = "shy", _("Shy")
    TIRED = "tired", _("Tired")
    FRUSTRATED = "frustrated", _("Frustrated")
    SAD = "sad", _("Sad")
    SCARED = "scared", _("Scared")


class BabyObservation(models.Model):
    """What the class measured and noticed at one family visit."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="observation")
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=4, decimal_places=2, null=True, blank=True)
    length_cm = models.DecimalField(_("length (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    milestones = models.TextField(_("new milestones"), blank=True)
    feelings = models.JSONField(_("feelings the class observed"), default=list, blank=True)  # Feeling values
    feelings_note = models.TextField(_("how the class knew"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight_kg__isnull=True) | models.Q(weight_kg__gt=0, weight_kg__lt=30),
                name="baby_weight_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(length_cm__isnull=True) | models.Q(length_cm__gt=20, length_cm__lt=130),
                name="baby_length_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"Observation at {self.session}"

    def feeling_labels(self) -> list[str]:
        labels = dict(Feeling.choices)
        return [str(labels.get(f, f)) for f in self.feelings]


class StagedRoster(models.Model):
    """A roster file read and previewed, waiting for its school admin to confirm it.

    Kept in a table, not in the session: a 60,000-row preview staged in the session (0.45 MB) was read and
    written back with every page the admin opened until they confirmed. The session holds only the token.
    """

    token = models.CharField(max_length=43, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    data = models.JSONField()

    def __str__(self) -> str:
        return f"roster staged by {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
