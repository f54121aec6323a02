from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("Curriculum")

    def ready(self):
        from curriculum import signals

        post_migrate.connect(signals.library_load_after_migrate, sender=self, dispatch_uid="curriculum-load-library")
        post_save.connect(signals.visit_guesses_rescore, sender="classrooms.BabyObservation", dispatch_uid="curriculum-rescore-visit")
        # The classroom page's "Assignments" tab, and the assignments' reminders: registered, never
        # imported by classrooms or notifications (they sit below curriculum).
        from classrooms.sections import ClassroomSection, section_register
        from curriculum.assignments.reminders import assignment_reminders_due
        from curriculum.assignments.views import assignments_section
        from notifications.reminders import reminder_sources_register

        section_register(
            ClassroomSection(
                "assignments", "curriculum/assignments/_section.html", assignments_section, title=_("Assignments"),
                summary_template="curriculum/assignments/_summary.html", order=25,
            )
        )
        reminder_sources_register(assignment_reminders_due)
