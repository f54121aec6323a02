"""In-app notifications, which are also the e-mail outbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        STUDENT_JOINED = "student_joined", _("A student joined a classroom")
        TEACHER_ADDED = "teacher_added", _("You were added as a classroom's teacher")
        SESSION_TOMORROW = "session_tomorrow", _("A session is tomorrow")
        SESSION_UNMARKED = "session_unmarked", _("A past session is not marked yet")
        VISIT_CALL_FAMILY = "visit_call_family", _("Call the visiting family")
        VISIT_FAMILY_EMAIL = "visit_family_email", _("E-mail to a visiting family")
        ASSIGNMENT_DUE_TOMORROW = "assignment_due_tomorrow", _("Work is due tomorrow")
        ASSIGNMENT_ALL_TURNED_IN = "assignment_all_turned_in", _("Everyone turned in an assignment")
        ASSIGNMENT_DUE_PASSED = "assignment_due_passed", _("An assignment's due date has passed")
        SURVEY_CLOSING_SOON = "survey_closing_soon", _("A survey closes soon")
        SURVEY_CLOSED = "survey_closed", _("A survey window closed")
        HELP_FLAGGED = "help_flagged", _("A help request needs an adult now")
        HELP_ESCALATED = "help_escalated", _("A flagged help request is not opened yet")
        HELP_UNCLAIMED = "help_unclaimed", _("No orange hat accepted a help request in time")
        HELP_HANDED = "help_handed", _("An orange hat handed a request to an adult")
        HELP_OFFERED = "help_offered", _("A help request for an orange hat")
        HELP_UPDATE = "help_update", _("News about your help request")
        HELP_DUTY = "help_duty", _("Orange hat duty starts, with requests waiting")
        HELP_FOLLOW_UP = "help_follow_up", _("Time for a follow-up check-in")

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Waiting to be e-mailed")
        SENT = "sent", _("E-mailed")
        NOT_NEEDED = "not_needed", _("In the app only")
        SKIPPED = "skipped", _("Not e-mailed: its moment had passed")

    # A user, or, for someone without an account (a visiting family), only an e-mail address.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    to_email = models.EmailField(blank=True, default="")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # What the notification is about, as "app.model:pk" ("" when about nothing in particular).
    subject_key = models.CharField(max_length=100, blank=True, default="")
    # The moment it is about (a session's start, a deadline, the event itself).
    due_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=12, choices=EmailStatus.choices, default=EmailStatus.NOT_NEEDED)
    # A sender leases a row before sending, so a second sender skips it; a lease left by a
    # killed worker runs out and the row is sent by the next sweep.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # After this moment the e-mail is pointless (the session has started): the sweep marks it
    # skipped instead of sending it late, e.g. after an outage.
    email_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The same reminder can never exist twice: a second run of a sweep, a retried task
            # or two beats at once all insert the same key and the database keeps one.
            models.UniqueConstraint(
                fields=["kind", "subject_key", "recipient", "due_at"],
                name="notification_once",
                condition=models.Q(recipient__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_key", "to_email", "due_at"],
                name="notification_once_by_address",
                condition=models.Q(recipient__isnull=True),
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(to_email=""), name="notification_has_someone"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(
                fields=["created_at"],
                name="notification_email_pending",
                condition=models.Q(email_status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
