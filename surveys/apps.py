from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        # --- Survey windows: the reminders (surveys/windows/reminders.py) ------------------------------------
        # Students who have not finished, two days before a window closes; the opener and the school's admins
        # when it has closed, with its response rate. Registered, never imported by the dispatcher below us.
        from notifications.reminders import reminder_sources_register
        from surveys.windows.reminders import survey_reminders_due

        reminder_sources_register(survey_reminders_due)
        # --- end of the survey windows' reminders ------------------------------------------------------------
