from django.urls import path

from classrooms import roster_views, views

app_name = "classrooms"

urlpatterns = [
    path("", views.classroom_list, name="list"),
    path("new/", views.classroom_create, name="create"),
    path("join/", views.classroom_join, name="join"),
    path("import/", roster_views.roster_import, name="roster_import"),
    path("import/confirm/", roster_views.roster_import_confirm, name="roster_import_confirm"),
    path("import/done/", roster_views.roster_import_done, name="roster_import_done"),
    path("<int:pk>/", views.classroom_detail, name="detail"),
    path("<int:pk>/leave/", views.classroom_leave, name="leave"),
    path("<int:pk>/code/", views.classroom_code_regenerate, name="code_regenerate"),
    path("<int:pk>/students/new/", views.students_add, name="students_add"),
    path("<int:pk>/cards/", views.sign_in_cards, name="cards"),
    path("<int:pk>/students/<int:student_pk>/remove/", views.enrollment_remove, name="enrollment_remove"),
    path("<int:pk>/students/<int:student_pk>/unlock/", views.student_unlock, name="student_unlock"),
]
