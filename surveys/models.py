"""Instruments and their items; survey cycles and windows; responses, their answers, and the scores outcomes add up.

**An instrument** is one form for one respondent type and one grade range: Heard's own self-report for grades
3-8, its read-aloud K-2 version, the teacher report, the peer nomination; or one a school imported (a licensed
published scale entered by the school). Its items are grouped in subscales; a subscale keeps how many of its
items a response must answer for it to have a score (two thirds, rounded up, unless the instrument says
otherwise). An instrument that a window has used is never edited: a changed scale is a new instrument.

**A cycle** links a pre and a post window (one each) over the same forms. A window opens its forms to a set of
classrooms between two moments; each student gets the form whose grade range holds their classroom's grade.
A cycle is confidential (responses are linked to the student: the default, and needed for matched pairs) or
anonymous (no response stores who gave it); anonymous cannot be switched back.

**A response** is one respondent's answers to one form about one subject in one window: a student about themselves
(self-report), a student naming classmates (peer nomination: the subject is the nominator), or a teacher about
one of their students (teacher report). At most one response per form, window and subject. An anonymous response has
neither respondent nor subject; the student's ``AnonymousParticipation`` row alone says they took part (and,
while they are still answering, which draft is theirs; the link is cut when they submit).

**A score** is a subscale's value for one subject in one window, written when a response is submitted (for
peer nominations: the share of the classmates who took part who named the subject, recomputed for the class at
each submission). Outcomes add scores up in the database; the answers themselves are read by their respondent only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from classrooms.models import Classroom


class Respondent(models.TextChoices):
    """Who answers an instrument; the "informant" of the outcomes page. Scores of different respondent types are never pooled."""

    STUDENT = "student", _("Student self-report")
    TEACHER = "teacher", _("Teacher report")
    PEER = "peer", _("Peer nomination")


class Phase(models.TextChoices):
    PRE = "pre", _("Pre")
    POST = "post", _("Post")


class Instrument(models.Model):
    """One form: its items, subscales and response scale. ``school`` empty: shipped with Heard, every school's."""

    slug = models.SlugField(_("key"), max_length=80)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="instruments")
    name = models.JSONField(_("name"))  # {"en": ..., "es": ...}
    description = models.JSONField(_("description"), default=dict, blank=True)  # {"en": ..., "es": ...}
    respondent = models.CharField(_("respondent"), max_length=10, choices=Respondent)
    grade_min = models.PositiveSmallIntegerField(_("lowest grade"))
    grade_max = models.PositiveSmallIntegerField(_("highest grade"))
    read_aloud = models.BooleanField(_("read aloud"), default=False)  # the device reads each item (K-2)
    # The default response scale of its items: [{"value": 1, "label": {"en": ..., "es": ...}, "face": "..."}, ...]
    scale = models.JSONField(_("response scale"), default=list, blank=True)
    nominations_max = models.PositiveSmallIntegerField(_("classmates a student may name"), default=3)
    source = models.TextField(_("source and licence"), blank=True)  # an imported scale's citation
    digest = models.CharField(max_length=64, blank=True)  # of the file it was loaded from
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["respondent", "grade_min", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(school__isnull=True), name="instrument_shipped_slug_unique"
            ),
            models.UniqueConstraint(fields=["school", "slug"], name="instrument_slug_unique_in_school"),
            models.CheckConstraint(
                condition=Q(grade_min__lte=models.F("grade_max")) & Q(grade_max__lte=8), name="instrument_grades_k_to_8"
            ),
        ]

    def __str__(self) -> str:
        return self.name.get("en") or self.slug

    def covers(self, grade: int) -> bool:
        return self.grade_min <= grade <= self.grade_max


class Subscale(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="subscales")
    key = models.SlugField(max_length=60)
    name = models.JSONField(_("name"))  # {"en": ..., "es": ...}
    order = models.PositiveSmallIntegerField(default=0)
    # Answered items needed for a score (two thirds of its items, rounded up, by default).
    min_items = models.PositiveSmallIntegerField(_("items needed for a score"), default=1)

    class Meta:
        ordering = ["instrument", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="subscale_key_unique_in_instrument")]

    def __str__(self) -> str:
        return self.name.get("en") or self.key


class Item(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Rating")  # one point of the scale
        NOMINATION = "nomination", _("Nomination")  # up to ``nominations_max`` classmates

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    subscale = models.ForeignKey(Subscale, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RATING)
    text = models.JSONField(_("text"))  # {"en": ..., "es": ...}
    # Wording for a grade band where it must differ: {"6_8": {"en": ..., "es": ...}}
    band_text = models.JSONField(_("text for a grade band"), default=dict, blank=True)
    reverse = models.BooleanField(_("reverse-scored"), default=False)
    scale = models.JSONField(_("response scale"), default=list, blank=True)  # like Instrument.scale; this item's own

    class Meta:
        ordering = ["instrument", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="item_key_unique_in_instrument")]

    def __str__(self) -> str:
        return self.key

    @property
    def choices(self) -> list[dict]:
        """The item's response scale: its own, else its instrument's (the default of its items)."""
        return self.scale or self.instrument.scale

    @property
    def scale_points(self) -> int:
        return len(self.choices)


class SurveyCycle(models.Model):
    """A pre window and a post window over the same forms, compared in the outcomes."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="survey_cycles")
    title = models.CharField(_("title"), max_length=120)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "No response is linked to the student who gave it. Pre and post can then only be compared as two groups. This cannot be undone."
        ),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class SurveyWindow(models.Model):
    cycle = models.ForeignKey(SurveyCycle, on_delete=models.CASCADE, related_name="windows")
    phase = models.CharField(_("phase"), max_length=4, choices=Phase)
    instruments = models.ManyToManyField(Instrument, related_name="windows", verbose_name=_("forms"))
    classrooms = models.ManyToManyField(Classroom, related_name="survey_windows", verbose_name=_("classrooms"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "phase"], name="one_window_per_phase_of_a_cycle"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="window_closes_after_it_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle.title} ({self.get_phase_display()})"

    @property
    def anonymous(self) -> bool:
        return self.cycle.anonymous

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def forms_for(self, grade: int, respondents=(Respondent.STUDENT, Respondent.PEER)) -> list[Instrument]:
        """The window's forms for a classroom of ``grade`` answered by ``respondents`` (a student answers the
        self-report and the peer nomination; a teacher the teacher report)."""
        return [i for i in self.instruments.all() if i.respondent in respondents and i.covers(grade)]

    def form_for(self, grade: int, respondent: str) -> Instrument | None:
        return next(iter(self.forms_for(grade, (respondent,))), None)


class Response(models.Model):
    window = models.ForeignKey(SurveyWindow, on_delete=models.CASCADE, related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="survey_responses")
    # Who answered, and whom the answers are about; both empty in an anonymous cycle.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_responses"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_responses_about"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)  # an anonymous response keeps the day only

    class Meta:
        ordering = ["window", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "instrument", "subject"],
                condition=Q(subject__isnull=False),
                name="one_response_per_form_and_subject",
            ),
        ]
        indexes = [models.Index(fields=["window", "classroom", "submitted_at"])]

    def __str__(self) -> str:
        return f"response {self.pk}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    """One answer: a point of the item's scale, "prefer not to answer" (``value`` empty), or one classmate named."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "item"], condition=Q(nominee__isnull=True), name="one_rating_per_item_of_a_response"
            ),
            models.UniqueConstraint(fields=["response", "item", "nominee"], name="one_nomination_per_classmate"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class AnonymousParticipation(models.Model):
    """That a student took part in an anonymous window; ``response`` only while their draft is open."""

    window = models.ForeignKey(SurveyWindow, on_delete=models.CASCADE, related_name="participations")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    response = models.OneToOneField(Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    finished = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["window", "instrument", "student"], name="one_participation_per_form_and_student"
            )
        ]

    def __str__(self) -> str:
        return f"participation {self.pk}"


class Score(models.Model):
    """A subscale's score for one subject in one window; what the outcomes add up. The classroom, its school
    and grade are copied in, so outcomes group without joins; ``student`` is empty in an anonymous cycle."""

    window = models.ForeignKey(SurveyWindow, on_delete=models.CASCADE, related_name="scores")
    cycle = models.ForeignKey(SurveyCycle, on_delete=models.CASCADE, related_name="scores")
    phase = models.CharField(max_length=4, choices=Phase)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="scores")
    subscale = models.ForeignKey(Subscale, on_delete=models.PROTECT, related_name="scores")
    respondent = models.CharField(max_length=10, choices=Respondent)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    grade = models.PositiveSmallIntegerField()
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_scores"
    )
    response = models.ForeignKey(Response, on_delete=models.CASCADE, null=True, blank=True, related_name="scores")
    value = models.FloatField()
    # Peer nominations: nominations received and the within-class z (None when the class cannot be standardised).
    received = models.PositiveSmallIntegerField(null=True, blank=True)
    z = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["window", "subscale", "student"],
                condition=Q(student__isnull=False),
                name="one_score_per_subscale_student_and_window",
            ),
        ]
        indexes = [
            # The outcomes' scores query reads a cycle's scores in (subscale, student) order and needs nothing
            # else from the row: with phase, classroom and value in the key PostgreSQL answers it from the index
            # alone (measured at 780,000 scores: the scan took a third of the time of the row-by-row heap reads).
            models.Index(
                fields=["cycle", "subscale", "student", "phase", "classroom", "value"], name="score_for_outcomes"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscale_id}={self.value:.2f}"
