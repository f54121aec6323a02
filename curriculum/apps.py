from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("Curriculum")

    def ready(self):
        from classrooms.program.session_parts import SessionPart, session_part_register
        from classrooms.signals import program_year_sessions_synced
        from curriculum.library.services import library_load_after_migrate, session_plans_follow_program_year
        from curriculum.library.views import session_plan_part

        post_migrate.connect(library_load_after_migrate, sender=self, dispatch_uid="curriculum-load-library")
        # A family-visits year gets its Baby-visits lessons planned whenever its sessions are (re)made.
        program_year_sessions_synced.connect(session_plans_follow_program_year, dispatch_uid="curriculum-plan-visits")
        # Each row of a classroom's sessions list shows the lesson planned for it (one query for the page).
        session_part_register(
            SessionPart("lesson_plan", "curriculum/library/_session_plan.html", session_plan_part, order=10)
        )
