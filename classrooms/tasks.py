from celery import shared_task
from django.utils import timezone

from classrooms.program.services import reminder_emails_withdraw_stale
from notifications.reminders import reminder_sweeps_run, reminders_due
from notifications.services import notifications_create_bulk


@shared_task(acks_late=True)
def reminders_dispatch() -> int:
    """Create every reminder that is due (beat, every minute), from every registered source (the sessions',
    the assignments'; notifications.reminders), after running every registered sweep (the help requests'
    escalations, which log each step they take). Safe to run twice or twice at once: the notification key
    keeps one row per reminder, and a sweep's own key (an escalation step's event) takes each step once.
    Returns the reminders due plus what the sweeps did."""
    now = timezone.now()
    done = reminder_sweeps_run(now)  # first: a safety escalation never waits behind another app's reminders
    reminder_emails_withdraw_stale()  # e-mails about sessions moved or cancelled since they were made
    drafts = reminders_due(now)
    notifications_create_bulk(drafts=drafts)
    return len(drafts) + done
