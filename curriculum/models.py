"""Lessons and their activities; assignments, each student's submission, and what the exercises measured.

A lesson is either shipped (a data file in ``curriculum/lessons/``, loaded at ``migrate``; ``slug`` set,
``owner`` empty) or a teacher's own (written with the forms, or a copy of a shipped one; ``owner`` set).
A content update rewrites shipped lessons only, so a teacher's copy is never overwritten.

An assignment keeps its own copy of the activity's kind, title and content, taken when it is
assigned: what a student answers does not change under them when the library is updated or the
teacher edits the lesson afterwards.

The scores that reports aggregate (empathic accuracy, the share of situational explanations, the
rubric score, the retelling ratings) are real columns, summed and averaged by the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from classrooms.models import Classroom, Session
from curriculum import content


def _choices(enum, labels: dict) -> list[tuple[str, str]]:
    return [(member.value, labels[member]) for member in enum]


PROGRAM_CHOICES = _choices(
    content.Program, {content.Program.BABY_VISITS: _("Baby visits"), content.Program.CARING_COMMUNITY: _("Caring community")}
)
BAND_CHOICES = _choices(content.Band, {content.Band.K2: _("K-2"), content.Band.G3_5: _("Grades 3-5"), content.Band.G6_8: _("Grades 6-8")})
PART_CHOICES = _choices(
    content.Part,
    {
        content.Part.PRE_VISIT: _("Pre-visit lesson"),
        content.Part.FAMILY_VISIT: _("Family visit"),
        content.Part.POST_VISIT: _("Post-visit lesson"),
        content.Part.LESSON: _("Lesson"),
    },
)
KIND_CHOICES = _choices(
    content.Kind,
    {
        content.Kind.PERSPECTIVE_WRITING: _("Perspective writing"),
        content.Kind.STORY_EXCHANGE: _("Story exchange"),
        content.Kind.FEELINGS_GUESS: _("Feelings guess"),
        content.Kind.SITUATIONAL_ATTRIBUTION: _("Why did it happen?"),
        content.Kind.STORY_INNER_STATE: _("Story and inner state"),
        content.Kind.DILEMMA: _("Dilemma corners"),
        content.Kind.LISTENING_CIRCLE: _("Listening circle"),
        content.Kind.NORM_STORY: _("Empathy story wall"),
        content.Kind.TEAM_PUZZLE: _("Team puzzle"),
    },
)


class Lesson(models.Model):
    # Shipped lessons: the data file's slug (the key a reload matches on). Teachers' lessons: blank.
    slug = models.SlugField(max_length=80, blank=True, default="")
    program = models.CharField(_("program"), max_length=20, choices=PROGRAM_CHOICES)
    band = models.CharField(_("grade band"), max_length=4, choices=BAND_CHOICES)
    theme = models.PositiveSmallIntegerField(_("theme or unit number"))
    theme_title = models.CharField(_("theme or unit"), max_length=content.LINE_MAX)
    part = models.CharField(_("part"), max_length=20, choices=PART_CHOICES)
    title = models.CharField(_("title"), max_length=content.LINE_MAX)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    objectives = models.JSONField(_("objectives"), default=list)
    materials = models.JSONField(_("materials"), default=list)
    steps = models.JSONField(_("teacher's steps"), default=list)
    discussion = models.JSONField(_("discussion questions"), default=list)
    connections = models.JSONField(_("links to other subjects"), default=list)
    home_link = models.TextField(_("home-link note for families"), blank=True)
    # Lower-cased words of the title, theme, objectives and activities, for the library's search box.
    search_text = models.TextField(blank=True, editable=False)
    # Of the data file as last loaded: a reload that finds the same digest writes nothing.
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="lessons_written"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "band", "theme", "part", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], condition=~Q(slug=""), name="lesson_slug_unique"),
            models.CheckConstraint(
                condition=(Q(slug="") & Q(owner__isnull=False)) | (~Q(slug="") & Q(owner__isnull=True)),
                name="lesson_shipped_or_owned",
            ),
        ]
        indexes = [models.Index(fields=["program", "band", "theme"], name="lesson_browse")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("curriculum:lesson", kwargs={"pk": self.pk})

    @property
    def is_shipped(self) -> bool:
        return self.owner_id is None


class Activity(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="activities")
    key = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=30, choices=KIND_CHOICES)
    title = models.CharField(_("title"), max_length=content.LINE_MAX)
    title_es = models.CharField(_("title in Spanish"), max_length=content.LINE_MAX, blank=True)
    instructions = models.JSONField(_("instructions"))  # a content.Text: {"en": ..., "es": ...}
    content = models.JSONField(_("content"))  # validated by content.CONTENT_SCHEMAS[kind]

    class Meta:
        ordering = ["lesson", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["lesson", "key"], name="activity_key_unique_in_lesson")]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.kind in content.LIVE_KINDS


class SessionPlan(models.Model):
    """The library lesson a session will teach. Here, not on Session: a session never knows its lessons."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="plan")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="session_plans")
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    planned_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.lesson} on {self.session_id}"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments")
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments")
    # The activity as it was when assigned (see the module's docstring).
    kind = models.CharField(max_length=30, choices=KIND_CHOICES)
    title = models.CharField(_("title"), max_length=content.LINE_MAX)
    title_es = models.CharField(max_length=content.LINE_MAX, blank=True)
    activity_instructions = models.JSONField()  # content.Text
    content = models.JSONField()
    band = models.CharField(max_length=4, choices=BAND_CHOICES)
    instructions = models.TextField(_("instructions for the class"), blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    # False when the teacher chose students: a student who joins later gets nothing.
    whole_class = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["due_at"], name="assignment_due")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("curriculum:assignment", kwargs={"pk": self.pk})


class Submission(models.Model):
    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        TURNED_IN = "turned_in", _("Turned in")
        RETURNED = "returned", _("Returned")
        EXCUSED = "excused", _("Excused")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    state = models.CharField(max_length=12, choices=State.choices, default=State.ASSIGNED)
    answer = models.JSONField(default=dict, blank=True)  # validated by the kind's answer schema
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    turned_in_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    # Turned in more than once (revised after a return): 1 for the first turn-in.
    turn_ins = models.PositiveSmallIntegerField(default=0)
    feedback = models.TextField(_("feedback"), blank=True)
    # The teacher's rubric: {criterion key: points}; the total is a column for reports.
    rubric_scores = models.JSONField(default=dict, blank=True)
    rubric_points = models.PositiveSmallIntegerField(null=True, blank=True)
    rubric_max = models.PositiveSmallIntegerField(null=True, blank=True)
    # Feelings guess (curriculum.exercises.scoring.feelings_accuracy): points out of max, and |intensity difference|.
    accuracy_points = models.PositiveSmallIntegerField(null=True, blank=True)
    accuracy_max = models.PositiveSmallIntegerField(null=True, blank=True)
    intensity_difference = models.PositiveSmallIntegerField(null=True, blank=True)
    # Situational attribution: situational explanations / all explanations, for someone else and for oneself.
    situational_share_others = models.FloatField(null=True, blank=True)
    situational_share_self = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assignment", "student__last_name", "student__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "student"], name="one_submission_per_student_and_assignment"),
        ]
        indexes = [models.Index(fields=["student", "state"], name="submission_of_student")]

    def __str__(self) -> str:
        return f"{self.student_id} on {self.assignment_id}: {self.state}"

    def get_absolute_url(self) -> str:
        return reverse("curriculum:submission", kwargs={"pk": self.pk})


class SubmissionEvent(models.Model):
    """One change of a submission's state, with who made it and when (Classroom's ``stateHistory``)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(max_length=12, choices=Submission.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id} -> {self.state} at {self.at:%Y-%m-%d %H:%M}"


class Pairing(models.Model):
    """In an exercise done in pairs, whose story or feelings each student reads: the *reader* retells the
    *teller*'s story (story exchange) or guesses the teller's feelings, whose own answer is the key
    (a feelings guess with a partner key).

    Pairs (or one trio, when the class is odd) form a cycle: each student reads exactly one classmate
    and is read by exactly one. In a story exchange the teller rates the retelling.
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="pairings")
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The story as the teller shared it for retelling: later edits of their draft do not change it.
    story = models.TextField(blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    # The teller's rating of the retelling, 1-3 each: faithful to what I said, my feelings included, no judgement.
    faithful = models.PositiveSmallIntegerField(null=True, blank=True)
    feelings = models.PositiveSmallIntegerField(null=True, blank=True)
    no_judgement = models.PositiveSmallIntegerField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "teller"], name="pairing_teller_once_per_assignment"),
            models.UniqueConstraint(fields=["assignment", "reader"], name="pairing_reader_once_per_assignment"),
            models.CheckConstraint(condition=~Q(teller=models.F("reader")), name="pairing_not_oneself"),
            models.CheckConstraint(
                condition=Q(rated_at__isnull=True)
                | Q(faithful__range=(1, 3), feelings__range=(1, 3), no_judgement__range=(1, 3)),
                name="pairing_rating_one_to_three",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} reads {self.teller_id} ({self.assignment_id})"


# --- Live class practice (curriculum.live) ----------------------------------------------------------------
#
# A live activity is led by the teacher from a projector while students follow on their own devices: a
# dilemma (corners), a listening circle or a team puzzle. Each run is a state machine stored here and changed
# only by curriculum.live's services, which move ``state`` with a conditional UPDATE (so two people acting
# at once cannot both move it) and bump the run's versions, which the pages' polls send as their ETag.


class LiveRun(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")  # on the projector; students can join
        VOTING = "voting", _("Voting")  # a dilemma: each student picks an option and gives a reason
        GROUPED = "grouped", _("Groups formed")  # the teacher may still move students between groups
        RESTATING = "restating", _("Restating")  # a dilemma: restate a classmate's reason, then reply
        REVOTE = "revote", _("Voting again")
        RUNNING = "running", _("Under way")  # a circle's rounds, or a puzzle's groups at work
        CARDS = "cards", _("Closing cards")  # a circle's "I like / I wish"
        CLOSED = "closed", _("Closed")

    class GroupMode(models.TextChoices):
        MIXED = "mixed", _("Mixed: different answers in each group")
        ALIKE = "alike", _("Alike: the same answer in each group")

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="live_runs")
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="live_runs")
    # The activity as it was when the run started, as an assignment keeps it.
    kind = models.CharField(max_length=30, choices=KIND_CHOICES)
    title = models.CharField(max_length=content.LINE_MAX)
    title_es = models.CharField(max_length=content.LINE_MAX, blank=True)
    content = models.JSONField()
    band = models.CharField(max_length=4, choices=BAND_CHOICES)
    state = models.CharField(max_length=12, choices=State, default=State.OPEN)
    # ``version`` changes with everything (a vote counted, a group changed): the projector's ETag.
    # ``stage`` changes only with what every student's page shows (the state, the groups, a turn): theirs.
    version = models.PositiveIntegerField(default=1)
    stage = models.PositiveIntegerField(default=1)
    group_mode = models.CharField(max_length=8, choices=GroupMode, blank=True)
    group_size = models.PositiveSmallIntegerField(default=4)
    led_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    state_changed_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            # "The live activity" of a classroom: at most one is under way at a time.
            models.UniqueConstraint(fields=["classroom"], condition=~Q(state="closed"), name="one_live_run_per_classroom"),
            models.CheckConstraint(condition=Q(group_size__range=(3, 5)), name="live_group_size_three_to_five"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.state}) in {self.classroom_id}"

    def get_absolute_url(self) -> str:
        return reverse("curriculum:live", kwargs={"pk": self.pk})

    @property
    def shown_title(self) -> str:
        """The title in the language of the page being drawn: Spanish when the run has a Spanish title."""
        return self.title_es if self.title_es and (get_language() or "").startswith("es") else self.title


class LiveGroup(models.Model):
    """A group of a run, numbered from 1 in the order Heard formed them."""

    run = models.ForeignKey(LiveRun, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="live_group_number_unique_in_run")]

    def __str__(self) -> str:
        return f"group {self.number} of {self.run_id}"


class LiveMember(models.Model):
    """A student taking part in a run: joined when they opened it; in a group once groups are formed."""

    run = models.ForeignKey(LiveRun, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(LiveGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "group__number", "student__last_name", "student__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "student"], name="live_member_once_per_run")]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.run_id}"
# --- The empathy story wall (curriculum.stories) ---


class Story(models.Model):
    """A student's story of why empathy matters to them (a norm-story assignment's submission), as sent to the
    teacher. Weisz's social-norm approach: classmates read that their peers value empathy.

    Nobody but the author and the class's teachers sees it until a teacher approves it; then it is on the
    class wall, and, while the author consents, without the name on the walls of the other classes of the
    same school, school year and grade band (curriculum.permissions.story_scope). The state changes only in
    curriculum.stories.services:

        pending --approve--> approved --take down--> declined
           |----send back (a note)--> sent_back --send again--> pending
           +----decline--> declined
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the teacher")
        APPROVED = "approved", _("On the wall")
        SENT_BACK = "sent_back", _("Sent back")
        DECLINED = "declined", _("Not on the wall")

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="story")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="stories")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories")
    text = models.TextField()  # as sent: later drafts do not change what the teacher approved
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    share_consent = models.BooleanField(default=False)
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)  # the teacher's note with a send-back or a decline
    sent_at = models.DateTimeField(default=timezone.now)
    sends = models.PositiveSmallIntegerField(default=1)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-sent_at", "-pk"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["classroom", "state"], name="story_wall")]

    def __str__(self) -> str:
        return f"story {self.pk} by {self.author_id}: {self.state}"


class StoryRead(models.Model):
    """One reader's reading of one story on one class's wall: how often they opened it, and for how long
    (seconds reported by the page, each report clamped). Per class, since the norm effect was strongest
    where the class read the most."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="story_reads")
    opens = models.PositiveIntegerField(default=0)
    seconds = models.PositiveIntegerField(default=0)
    first_opened_at = models.DateTimeField(default=timezone.now)
    last_opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "reader", "classroom"], name="story_read_once_per_reader_and_wall"),
        ]
        indexes = [models.Index(fields=["classroom", "reader"], name="story_read_of_class")]

    def __str__(self) -> str:
        return f"{self.reader_id} read {self.story_id} on {self.classroom_id}"


# --- Team puzzle (curriculum.puzzles) --------------------------------------------------------------------
#
# A cooperative jigsaw: the puzzle's parts are dealt to each group's members when the run goes "running"
# (every part held by someone in every group), each member tells the group what their part says, and the
# group writes one shared answer. Nothing here is scored or ranked.


class PuzzlePart(models.Model):
    """A part of a run's puzzle held by a member of a group, and what the member told the group about it."""

    run = models.ForeignKey(LiveRun, on_delete=models.CASCADE, related_name="puzzle_parts")
    group = models.ForeignKey(LiveGroup, on_delete=models.CASCADE, related_name="puzzle_parts")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    index = models.PositiveSmallIntegerField()  # into the run's content["parts"], from 0
    contribution = models.TextField(blank=True)
    contributed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "group__number", "index", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "student", "index"], name="puzzle_part_once_per_student")]

    def __str__(self) -> str:
        return f"part {self.index} for {self.student_id} in {self.run_id}"


class PuzzleAnswer(models.Model):
    """A group's one shared answer. ``version`` moves with every save, which is made only from the version
    the saver saw: two members saving at once cannot silently overwrite each other."""

    run = models.ForeignKey(LiveRun, on_delete=models.CASCADE, related_name="puzzle_answers")
    group = models.OneToOneField(LiveGroup, on_delete=models.CASCADE, related_name="puzzle_answer")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "group__number"]

    def __str__(self) -> str:
        return f"answer of group {self.group_id} (v{self.version})"


# --- Listening circles (curriculum.circles) ------------------------------------------------------------------
#
# A listening circle's groups take turns: a speaker talks for a set time, a reflector sums up, the speaker
# says how fully heard they felt (1-5), and the reflector speaks next. Each turn is a row, so the counts and
# ratings per student are the database's to sum; the timer is ``ends_at`` on the server's clock (a reloaded
# page shows the right time left), frozen as ``remaining`` while paused. Changed only by
# curriculum.circles.services, under a lock on the group's row.

HEARD_MIN, HEARD_MAX = 1, 5
CARD_TEXT_MAX = 200


class CircleTurn(models.Model):
    run = models.ForeignKey(LiveRun, on_delete=models.CASCADE, related_name="circle_turns")
    group = models.ForeignKey(LiveGroup, on_delete=models.CASCADE, related_name="circle_turns")
    number = models.PositiveSmallIntegerField()  # from 1 in each group
    speaker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reflector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seconds = models.PositiveSmallIntegerField()  # the speaker's time, as set when the turn began
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()  # when the speaker's time is up (moved on when a pause ends)
    paused_at = models.DateTimeField(null=True, blank=True)
    remaining = models.PositiveSmallIntegerField(null=True, blank=True)  # seconds left, while paused
    heard = models.PositiveSmallIntegerField(null=True, blank=True)  # 5 = "I felt fully heard"
    rated_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)  # the teacher moved the group on before a rating

    class Meta:
        ordering = ["run", "group__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="circle_turn_number_unique_in_group"),
            models.CheckConstraint(condition=~Q(speaker=models.F("reflector")), name="circle_turn_reflector_not_speaker"),
            models.CheckConstraint(
                condition=Q(heard__isnull=True) | Q(heard__range=(HEARD_MIN, HEARD_MAX)), name="circle_turn_heard_one_to_five"
            ),
            models.CheckConstraint(
                condition=Q(heard__isnull=True, rated_at__isnull=True) | Q(heard__isnull=False, rated_at__isnull=False),
                name="circle_turn_rated_with_its_time",
            ),
        ]

    def __str__(self) -> str:
        return f"turn {self.number} of group {self.group_id}"


class CircleCard(models.Model):
    """A student's closing card: "I like ..." and "I wish ..." about the circle."""

    run = models.ForeignKey(LiveRun, on_delete=models.CASCADE, related_name="circle_cards")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    like = models.CharField(max_length=CARD_TEXT_MAX)
    wish = models.CharField(max_length=CARD_TEXT_MAX)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "written_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "student"], name="circle_card_once_per_student")]

    def __str__(self) -> str:
        return f"card of {self.student_id} in {self.run_id}"


# --- Dilemma corners (curriculum.dilemmas) -----------------------------------------------------------------
#
# A live dilemma's answers: each student's vote (an option and a reason) in the first round and again at the
# re-vote; and who restates whose reason, with the author's rating of it. Written only by
# curriculum.dilemmas.services, which bump the run's versions in the same transaction.

DILEMMA_TEXT_MAX = 1000  # a reason, a restatement, a reply: a few sentences from a child, never an essay


class DilemmaVote(models.Model):
    """A student's choice in one round of a live dilemma: round 1 while voting, round 2 at the re-vote."""

    class Round(models.IntegerChoices):
        FIRST = 1, _("First vote")
        SECOND = 2, _("Vote again")

    run = models.ForeignKey(LiveRun, on_delete=models.CASCADE, related_name="votes")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(choices=Round)
    option = models.PositiveSmallIntegerField()  # the option's index in the run's content, from 0
    reason = models.TextField(blank=True, max_length=DILEMMA_TEXT_MAX)
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "round", "voted_at", "pk"]
        constraints = [
            # One vote per student per round: a second click, or a second tab, is refused, not counted twice.
            models.UniqueConstraint(fields=["run", "round", "student"], name="dilemma_vote_once_per_round"),
            models.CheckConstraint(condition=Q(round__in=(1, 2)), name="dilemma_vote_round_one_or_two"),
            models.CheckConstraint(condition=Q(option__lte=3), name="dilemma_vote_option_of_four"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} chose {self.option} in round {self.round} of {self.run_id}"


class Restatement(models.Model):
    """A *reader* says back, in their own words, the reason of a classmate who chose differently (the
    *author*, never named to them), then replies; the author says whether the restatement got it.

    Who restates whom is decided by curriculum.dilemmas.pairing from the first votes and the groups,
    which no longer change once restating starts; the rows are stored when the first reader writes."""

    class Rating(models.TextChoices):
        YES = "yes", _("Yes, you got it")
        PARTLY = "partly", _("Partly")
        NO = "no", _("Not really")

    run = models.ForeignKey(LiveRun, on_delete=models.CASCADE, related_name="restatements")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    restatement = models.TextField(blank=True, max_length=DILEMMA_TEXT_MAX)
    reply = models.TextField(blank=True, max_length=DILEMMA_TEXT_MAX)
    rating = models.CharField(max_length=8, choices=Rating, blank=True)
    assigned_at = models.DateTimeField(default=timezone.now)
    restated_at = models.DateTimeField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "reader"], name="restatement_once_per_reader"),
            models.CheckConstraint(condition=~Q(reader=models.F("author")), name="restatement_not_of_oneself"),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=("yes", "partly", "no"), restated_at__isnull=False),
                name="restatement_rated_after_written",
            ),
        ]
        indexes = [models.Index(fields=["run", "author"], name="restatement_run_author")]

    def __str__(self) -> str:
        return f"{self.reader_id} restates {self.author_id} ({self.run_id})"
