from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("Curriculum")

    def ready(self):
        from accounts.data_versions import tables_by_classroom_register
        from classrooms.measures import classroom_measure_register
        from classrooms.program.session_parts import SessionPart, session_part_register
        from classrooms.sections import ClassroomSection, section_register
        from classrooms.signals import program_year_sessions_synced
        from curriculum import signals
        from curriculum.assignments.reminders import assignment_reminders_due
        from curriculum.assignments.selectors import activities_completed
        from curriculum.assignments.views import assignments_section
        from curriculum.circles import services as circle_services  # noqa: F401 (registers its late joiners)
        from curriculum.library.views import session_plan_part
        from curriculum.live.views import live_section
        from curriculum.models import LiveGroup, LiveMember, LiveRun, Submission, SubmissionEvent
        from curriculum.puzzles import services as puzzle_services  # noqa: F401 (registers the step that deals its parts)
        from curriculum.stories.views import stories_section
        from notifications.reminders import reminder_sources_register

        # Work and live runs are read by a student or teacher only in their own classrooms (curriculum.permissions'
        # scopes), and written by them only there: another class at work leaves a teacher's pages kept.
        tables_by_classroom_register(*(model._meta.db_table for model in (Submission, SubmissionEvent, LiveRun, LiveMember, LiveGroup)))

        post_migrate.connect(signals.library_load_after_migrate, sender=self, dispatch_uid="curriculum-load-library")
        post_save.connect(signals.visit_guesses_rescore, sender="classrooms.BabyObservation", dispatch_uid="curriculum-rescore-visit")
        # A family-visits year gets its Baby-visits lessons planned whenever its sessions are (re)made.
        program_year_sessions_synced.connect(signals.session_plans_follow_program_year, dispatch_uid="curriculum-plan-visits")
        # The classroom page's "Assignments" tab, each row of the sessions list's planned lesson (one query
        # for the page), and the assignments' reminders: registered, never imported by classrooms or
        # notifications (they sit below curriculum).
        section_register(
            ClassroomSection(
                "assignments", "curriculum/assignments/_section.html", assignments_section, title=_("Assignments"),
                summary_template="curriculum/assignments/_summary.html", order=25,
            )
        )
        section_register(
            ClassroomSection(
                "live", "curriculum/live/_section.html", live_section, title=_("Live now"),
                summary_template="curriculum/live/_summary.html", order=5,
            )
        )
        section_register(ClassroomSection("stories", "curriculum/stories/_section.html", stories_section, title=_("Story wall"), order=27))
        session_part_register(SessionPart("lesson_plan", "curriculum/library/_session_plan.html", session_plan_part, order=10))
        reminder_sources_register(assignment_reminders_due)

        # --- Classroom measures (classrooms.measures): the practice beside the surveys' change ---
        classroom_measure_register("activities_completed", _("Activities turned in"), activities_completed, order=20)
        # --- end of classroom measures ---
