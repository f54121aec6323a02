from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerCounselorsConfig(AppConfig):
    name = "peer_counselors"
    verbose_name = _("Peer counselors")

    def ready(self):
        from notifications.reminders import reminder_sources_register, reminder_sweeps_register
        from peer_counselors import checks  # noqa: F401  (registers the deploy check of the last contact)
        from peer_counselors.escalation.reminders import duty_reminders_due, follow_up_reminders_due
        from peer_counselors.escalation.services import (
            help_requests_escalate_flagged,
            help_requests_escalate_unclaimed,
        )

        # --- Escalation and reminders (peer_counselors/escalation/) -----------------------------------------
        # The safety chain and the unclaimed requests write their steps' events, so they are sweeps the
        # dispatcher runs; the duty and follow-up reminders only read, so they are sources.
        reminder_sweeps_register(help_requests_escalate_flagged)
        reminder_sweeps_register(help_requests_escalate_unclaimed)
        reminder_sources_register(duty_reminders_due)
        reminder_sources_register(follow_up_reminders_due)
        # --- end of escalation and reminders -------------------------------------------------------------------
