from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = _("Classrooms")

    def ready(self):
        # The classroom page's sections that this app owns; curriculum, surveys and the others
        # register their own in their ready(), so the page never imports them.
        from classrooms.program.views import calendar_section, sessions_section
        from classrooms.sections import SIDE, ClassroomSection, section_register
        from classrooms.students.views import roster_section
        from classrooms.views import join_code_section
        from classrooms.visits.views import visits_section

        for section in (
            ClassroomSection("sessions", "classrooms/program/_section_sessions.html", sessions_section, order=10),
            ClassroomSection("roster", "classrooms/students/_section_roster.html", roster_section, order=20),
            ClassroomSection("visits", "classrooms/visits/_section.html", visits_section, order=30),
            ClassroomSection("join_code", "classrooms/_section_join_code.html", join_code_section, column=SIDE, order=10),
            ClassroomSection("calendar", "classrooms/program/_section_calendar.html", calendar_section, column=SIDE, order=20),
        ):
            section_register(section)
