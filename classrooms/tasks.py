from celery import shared_task
from django.utils import timezone

from classrooms.program.services import reminder_emails_withdraw_stale
from notifications.reminders import reminders_due
from notifications.services import notifications_create_bulk


@shared_task(acks_late=True)
def reminders_dispatch() -> int:
    """Create every reminder that is due (beat, every minute), from every registered source (the sessions',
    the assignments'; notifications.reminders). Safe to run twice or twice at once: the notification key
    keeps one row per reminder."""
    reminder_emails_withdraw_stale()  # e-mails about sessions moved or cancelled since they were made
    drafts = reminders_due(timezone.now())
    notifications_create_bulk(drafts=drafts)
    return len(drafts)
