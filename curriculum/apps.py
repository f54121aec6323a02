from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _load_library(sender, using="default", **kwargs):
    """The shipped lessons are in every database ``migrate`` (or a test's flush) leaves behind."""
    from curriculum.library.services import library_load

    library_load(using=using)


def _rescore_visit_guesses(sender, instance, **kwargs):
    """What the instructor logged at a baby visit is the key of that visit's feelings guesses."""
    from curriculum.exercises.services import session_guesses_rescore

    session_guesses_rescore(session_id=instance.session_id)


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("Curriculum")

    def ready(self):
        post_migrate.connect(_load_library, sender=self, dispatch_uid="curriculum-load-library")
        post_save.connect(_rescore_visit_guesses, sender="classrooms.BabyObservation", dispatch_uid="curriculum-rescore-visit")
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
