from celery import shared_task

from notifications import services


@shared_task(acks_late=True)
def notifications_email_sweep() -> int:
    """Send every e-mail still waiting in the outbox (after each commit, and every minute)."""
    return services.notification_emails_send()
