from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        # --- Instruments (surveys/instruments/) ---------------------------------------------------------
        # The shipped instruments (surveys/instruments/shipped/*.json) are loaded after every migrate.
        from surveys.instruments import signals as instrument_signals

        post_migrate.connect(
            instrument_signals.instruments_load_after_migrate, sender=self, dispatch_uid="surveys-load-instruments"
        )
        # --- end of instruments ---------------------------------------------------------------------------
        # --- Survey windows: the reminders (surveys/windows/reminders.py) ------------------------------------
        # Students who have not finished, two days before a window closes; the opener and the school's admins
        # when it has closed, with its response rate. Registered, never imported by the dispatcher below us.
        from notifications.reminders import reminder_sources_register
        from surveys.windows.reminders import survey_reminders_due

        reminder_sources_register(survey_reminders_due)
        # --- end of the survey windows' reminders ------------------------------------------------------------
