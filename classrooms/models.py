"""Classrooms and who is in them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Grade, School
from classrooms import joincodes


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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-school_year", "grade", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(grade__lte=8), name="classroom_grade_k_to_8"),
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="classroom_name_unique_in_school_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classrooms:detail", kwargs={"pk": self.pk})

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}–{(self.school_year + 1) % 100:02d}"

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
