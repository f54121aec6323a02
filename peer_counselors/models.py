"""The peer-counselor ("orange hat") program: its roster, the help requests and their event log.

A peer counselor is a student with an active ``CounselorProfile``; the adults who supervise them are users
with the counselor role. A ``HelpRequest`` is screened before any peer could see it: a flagged one belongs
to the adults for good (``flagged`` stays set until an adult unflags it by hand, with a reason), and every
change of state, and every look at it by anyone but the student who asked, is a ``HelpRequestEvent``.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import School

TEXT_MAX = 2000  # the words of a request; the form, the service and the screen's benchmark share it
MESSAGE_MAX = 1000
REASON_MAX = 300


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class HelpDesk(models.Model):
    """One school's settings for the program: its school day (when an adult is likely to see a request) and the
    last contact of the safety chain, reached when nobody before them opened a flagged request."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="help_desk")
    day_starts = models.TimeField(_("school day starts"), default=time(8, 0))
    day_ends = models.TimeField(_("school day ends"), default=time(15, 30))
    last_contact_name = models.CharField(_("last contact's name"), max_length=100, blank=True)
    last_contact_email = models.EmailField(_("last contact's e-mail"), blank=True)
    last_contact_phone = models.CharField(_("last contact's phone"), max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(day_starts__lt=models.F("day_ends")), name="help_desk_day_order")
        ]

    def __str__(self) -> str:
        return str(self.school)


class DutyPeriod(models.Model):
    """A part of the school day when peer counselors can be on duty ("Lunch recess", 12:00-12:40)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="duty_periods")
    name = models.CharField(_("name"), max_length=60)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    class Meta:
        ordering = ["starts", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="duty_period_name_unique"),
            models.CheckConstraint(condition=models.Q(starts__lt=models.F("ends")), name="duty_period_order"),
        ]

    def __str__(self) -> str:
        return self.name


class CounselorProfile(models.Model):
    """A student trained as a peer counselor. ``school`` is the student's school when the profile was made: a
    profile counts only while it matches the student's school now (a student who moves is no orange hat there)."""

    student = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counselor_profile")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="counselor_profiles")
    trained_on = models.DateField(_("trained on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=1000)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student__last_name", "student__first_name", "pk"]

    def __str__(self) -> str:
        return str(self.student)


class DutySlot(models.Model):
    """When a peer counselor is on duty: a weekday and one of the school's periods."""

    profile = models.ForeignKey(CounselorProfile, on_delete=models.CASCADE, related_name="duty_slots")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    period = models.ForeignKey(DutyPeriod, on_delete=models.CASCADE, related_name="slots", verbose_name=_("period"))

    class Meta:
        ordering = ["weekday", "period__starts"]
        constraints = [models.UniqueConstraint(fields=["profile", "weekday", "period"], name="duty_slot_once")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.period}"


class Topic(models.TextChoices):
    CONFLICT = "conflict", _("A conflict with a friend")
    TEASED = "teased", _("Being teased")
    LEFT_OUT = "left_out", _("Feeling left out")
    OTHER = "other", _("Something else")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    FOLLOW_UP = "follow_up", _("Needs a follow-up")
    HANDED = "handed", _("Handed to an adult")


class HelpRequest(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for an orange hat")
        ACCEPTED = "accepted", _("An orange hat has it")
        SCHEDULED = "scheduled", _("A time is set")
        MET = "met", pgettext_lazy("help request status", "Met")
        WITH_ADULT = "with_adult", _("With an adult counselor")
        CLOSED = "closed", pgettext_lazy("help request status", "Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # What peers may work on; every other status is an adult's or finished.
    PEER_STATUSES = (Status.OFFERED, Status.ACCEPTED, Status.SCHEDULED, Status.MET)
    OPEN_STATUSES = (Status.OFFERED, Status.ACCEPTED, Status.SCHEDULED, Status.WITH_ADULT)

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="help_requests")
    # Empty once anonymised (a family's request): the request and its events stay, so the aggregates stay right.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="help_requests"
    )
    requester_grade = models.PositiveSmallIntegerField(null=True, blank=True)  # kept for aggregates after anonymising
    topic = models.CharField(_("what it is about"), max_length=20, choices=Topic)
    text = models.TextField(_("a few words"), max_length=TEXT_MAX)
    wanted = models.ForeignKey(
        CounselorProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("who you would like"),
    )
    meet_period = models.ForeignKey(
        DutyPeriod, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("when you can meet")
    )
    classmate = models.CharField(_("a classmate who is involved"), max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OFFERED)
    # Safety: set by the screen (or by an adult, by hand); a flagged request is never a peer's.
    flagged = models.BooleanField(default=False)
    flag_categories = models.JSONField(default=list, blank=True)
    screen_failed = models.BooleanField(default=False)  # the screen raised: routed to an adult, as a flag is
    # The student chose "an adult, not a student" on the form: flagged by their own hand, whatever the screen read.
    asked_adult = models.BooleanField(default=False)
    flagged_at = models.DateTimeField(null=True, blank=True)
    adult_opened_at = models.DateTimeField(null=True, blank=True)  # the first look by an adult counselor
    assigned_to = models.ForeignKey(
        CounselorProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_requests"
    )
    partner = models.ForeignKey(
        CounselorProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="partnered_requests"
    )
    offered_to = models.ManyToManyField(CounselorProfile, related_name="offered_requests", blank=True)
    proposed_for = models.DateTimeField(null=True, blank=True)
    proposed_place = models.CharField(max_length=100, blank=True)
    # The meeting, from the peer's short form.
    met_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome, blank=True)
    both_agreed = models.BooleanField(null=True, blank=True)  # when a classmate is involved: both agreed to talk
    agreement = models.TextField(max_length=1000, blank=True)
    meeting_note = models.TextField(max_length=1000, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "status"], name="help_request_queue"),
            models.Index(fields=["school", "created_at"], name="help_request_by_week"),
            models.Index(
                fields=["flagged_at"], name="help_request_unopened_flag",
                condition=models.Q(flagged=True, adult_opened_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(flagged=True) | models.Q(flagged_at__isnull=False), name="help_request_flag_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_topic_display()}"

    @property
    def for_adults(self) -> bool:
        """The adults' alone: flagged (by the screen, by an adult's hand or by the student's own choice), the screen
        failed, or a peer handed it on."""
        return self.flagged or self.screen_failed or self.status == self.Status.WITH_ADULT


class HelpMessage(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} on request {self.request_id}"


class HelpRequestEvent(models.Model):
    """One line of a request's log: a change of state, an escalation step, or a look by someone else."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Asked for help")
        FLAGGED = "flagged", _("Flagged for an adult")
        SCREEN_FAILED = "screen_failed", _("The safety screen failed: sent to an adult")
        ASKED_ADULT = "asked_adult", _("The student asked for an adult, not a student")
        OFFERED = "offered", _("Offered to orange hats")
        VIEWED = "viewed", _("Opened")
        ACCEPTED = "accepted", _("Accepted")
        PARTNER_JOINED = "partner_joined", _("Joined as partner")
        TIME_PROPOSED = "time_proposed", _("Proposed a time")
        MET = "met", _("Recorded the meeting")
        HANDED = "handed", _("Handed to an adult")
        MESSAGE = "message", _("Wrote a message")
        REASSIGNED = "reassigned", _("Reassigned")
        UNFLAGGED = "unflagged", _("Unflagged")
        CLOSED = "closed", pgettext_lazy("help request event", "Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn by the student")
        ESCALATED = "escalated", _("Escalated: not opened by an adult yet")
        UNCLAIMED = "unclaimed", _("Sent to the counselors: no orange hat accepted it in time")
        EXPORTED = "exported", _("Exported")
        ANONYMISED = "anonymised", _("Anonymised")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=12, choices=HelpRequest.Status.choices)  # the request's status after it
    # A reason an adult typed (flag, unflag, close, reassign), or the escalation step's number and who it reached.
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Each step of a chain is taken once, whichever dispatcher gets there first.
            models.UniqueConstraint(
                fields=["request", "kind", "step"], name="help_request_step_once", condition=models.Q(step__isnull=False)
            ),
        ]
        indexes = [models.Index(fields=["request", "kind"], name="help_event_by_kind")]

    def __str__(self) -> str:
        return f"{self.kind} on request {self.request_id}"
