from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = _("Classrooms")

    def ready(self):
        from accounts.data_versions import classrooms_register
        from classrooms.models import Classroom, Enrollment, Theme
        from classrooms.permissions import classroom_pks_reached

        # Pages kept by classroom (accounts.data_versions) list a reader's and a writer's classrooms through this
        # app's scope, and count a change to who is in, teaches or leads visits in a classroom as a change.
        links = (Enrollment._meta.db_table, Classroom.teachers.through._meta.db_table, Theme._meta.db_table)
        classrooms_register(classroom_pks_reached, links=links)

        # The classroom page's sections that this app owns; curriculum, surveys and the others
        # register their own in their ready(), so the page never imports them.
        from classrooms.measures import classroom_measure_register
        from classrooms.program.reminders import session_reminders_due
        from classrooms.program.selectors import sessions_held
        from classrooms.program.views import calendar_section, sessions_section
        from classrooms.sections import ClassroomSection, section_register
        from classrooms.students.views import roster_section
        from classrooms.views import join_code_section
        from classrooms.visits.views import visits_section
        from notifications.reminders import reminder_sources_register

        reminder_sources_register(session_reminders_due)

        # --- Classroom measures (classrooms.measures): the program's dose on the surveys' outcomes page ---
        classroom_measure_register("sessions_held", _("Sessions held"), sessions_held, order=10)
        # --- end of classroom measures ---

        for section in (
            ClassroomSection(
                "sessions", "classrooms/program/_section_sessions.html", sessions_section, title=_("Sessions"),
                summary_template="classrooms/program/_summary_sessions.html", order=10,
            ),
            ClassroomSection(
                "roster", "classrooms/students/_section_roster.html", roster_section, title=_("Students"),
                summary_template="classrooms/students/_summary_roster.html", order=20,
            ),
            ClassroomSection("visits", "classrooms/visits/_section.html", visits_section, title=_("Family visits"), order=30),
            ClassroomSection(
                "join_code", "classrooms/_section_join_code.html", join_code_section, title=_("Join code"),
                summary_template="classrooms/_summary_join_code.html", order=40,
            ),
            ClassroomSection("calendar", "classrooms/program/_section_calendar.html", calendar_section, title=_("Calendar"), order=50),
        ):
            section_register(section)
