from django.urls import path

from classrooms import views
from classrooms.program import views as program_views
from classrooms.roster import views as roster_views
from classrooms.students import views as student_views
from classrooms.visits import views as visit_views

app_name = "classrooms"

urlpatterns = [
    path("", views.classroom_list, name="list"),
    path("new/", views.classroom_create, name="create"),
    path("join/", views.classroom_join, name="join"),
    path("<int:pk>/", views.classroom_detail, name="detail"),
    path("<int:pk>/leave/", views.classroom_leave, name="leave"),
    path("<int:pk>/code/", views.classroom_code_regenerate, name="code_regenerate"),
    path("<int:pk>/teachers/", views.classroom_teachers, name="teachers"),
    path("<int:pk>/teachers/<int:teacher_pk>/remove/", views.classroom_teacher_remove, name="teacher_remove"),
    # Students' accounts (classrooms.students)
    path("<int:pk>/students/new/", student_views.students_add, name="students_add"),
    path("<int:pk>/cards/", student_views.sign_in_cards, name="cards"),
    path("<int:pk>/students/<int:student_pk>/remove/", student_views.enrollment_remove, name="enrollment_remove"),
    path("<int:pk>/students/<int:student_pk>/unlock/", student_views.student_unlock, name="student_unlock"),
    path("<int:pk>/students/<int:student_pk>/name/", student_views.student_name_edit, name="student_name"),
    path("<int:pk>/students/<int:student_pk>/card/", student_views.student_card, name="student_card"),
    # Roster import (classrooms.roster)
    path("import/", roster_views.roster_import, name="roster_import"),
    path("import/confirm/", roster_views.roster_import_confirm, name="roster_import_confirm"),
    path("import/done/", roster_views.roster_import_done, name="roster_import_done"),
    # The program year, its sessions, the calendar feed and the fidelity report (classrooms.program)
    path("fidelity/", program_views.fidelity_report, name="fidelity"),
    path("calendar/<str:token>.ics", program_views.calendar_feed, name="calendar_feed"),
    path("<int:pk>/calendar/", program_views.calendar_link, name="calendar_link"),
    path("<int:pk>/program-year/", program_views.program_year_edit, name="program_year"),
    path("<int:pk>/sessions/", program_views.session_list, name="sessions"),
    path("<int:pk>/sessions/<int:session_pk>/reschedule/", program_views.session_reschedule, name="session_reschedule"),
    path("<int:pk>/sessions/<int:session_pk>/cancel/", program_views.session_cancel, name="session_cancel"),
    path("<int:pk>/sessions/<int:session_pk>/restore/", program_views.session_restore, name="session_restore"),
    path("<int:pk>/sessions/<int:session_pk>/held/", program_views.session_mark_held, name="session_held"),
    path("<int:pk>/sessions/<int:session_pk>/title/", program_views.session_title, name="session_title"),
    # Family visits, themes and the baby-observation log (classrooms.visits)
    path("<int:pk>/families/new/", visit_views.family_create, name="family_create"),
    path("<int:pk>/families/<int:family_pk>/", visit_views.family_edit, name="family_edit"),
    path("<int:pk>/themes/<int:theme_pk>/", visit_views.theme_edit, name="theme_edit"),
    path("<int:pk>/sessions/<int:session_pk>/observation/", visit_views.observation_edit, name="observation"),
    path("<int:pk>/baby-chart.svg", visit_views.baby_chart, name="baby_chart"),
]
