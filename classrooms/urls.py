from django.urls import path

from classrooms import calendar_views, report_views, roster_views, session_views, views, visit_views

app_name = "classrooms"

urlpatterns = [
    path("", views.classroom_list, name="list"),
    path("new/", views.classroom_create, name="create"),
    path("join/", views.classroom_join, name="join"),
    path("import/", roster_views.roster_import, name="roster_import"),
    path("import/confirm/", roster_views.roster_import_confirm, name="roster_import_confirm"),
    path("import/done/", roster_views.roster_import_done, name="roster_import_done"),
    path("fidelity/", report_views.fidelity_report, name="fidelity"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("<int:pk>/", views.classroom_detail, name="detail"),
    path("<int:pk>/leave/", views.classroom_leave, name="leave"),
    path("<int:pk>/code/", views.classroom_code_regenerate, name="code_regenerate"),
    path("<int:pk>/students/new/", views.students_add, name="students_add"),
    path("<int:pk>/cards/", views.sign_in_cards, name="cards"),
    path("<int:pk>/students/<int:student_pk>/remove/", views.enrollment_remove, name="enrollment_remove"),
    path("<int:pk>/students/<int:student_pk>/unlock/", views.student_unlock, name="student_unlock"),
    # The program year and its sessions (session_views)
    path("<int:pk>/program-year/", session_views.program_year_edit, name="program_year"),
    path("<int:pk>/sessions/", session_views.session_list, name="sessions"),
    path("<int:pk>/sessions/<int:session_pk>/reschedule/", session_views.session_reschedule, name="session_reschedule"),
    path("<int:pk>/sessions/<int:session_pk>/cancel/", session_views.session_cancel, name="session_cancel"),
    path("<int:pk>/sessions/<int:session_pk>/held/", session_views.session_mark_held, name="session_held"),
    path("<int:pk>/sessions/<int:session_pk>/title/", session_views.session_title, name="session_title"),
    # Family visits, themes and the baby-observation log (visit_views)
    path("<int:pk>/families/new/", visit_views.family_create, name="family_create"),
    path("<int:pk>/families/<int:family_pk>/", visit_views.family_edit, name="family_edit"),
    path("<int:pk>/themes/<int:theme_pk>/", visit_views.theme_edit, name="theme_edit"),
    path("<int:pk>/sessions/<int:session_pk>/observation/", visit_views.observation_edit, name="observation"),
    path("<int:pk>/baby-chart.svg", visit_views.baby_chart, name="baby_chart"),
    # The classroom's calendar feed link (calendar_views)
    path("<int:pk>/calendar/", calendar_views.calendar_link, name="calendar_link"),
]
