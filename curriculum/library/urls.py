from django.urls import path

from curriculum.library import views

# Included at /curriculum/library/; the names are in the "curriculum:" namespace.
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.lesson_create, name="lesson_create"),
    path("<int:pk>/", views.lesson_detail, name="lesson"),
    path("<int:pk>/preview/", views.lesson_preview, name="lesson_preview"),
    path("<int:pk>/copy/", views.lesson_copy, name="lesson_copy"),
    path("<int:pk>/edit/", views.lesson_edit, name="lesson_edit"),
    path("<int:pk>/delete/", views.lesson_delete, name="lesson_delete"),
    path("<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("<int:pk>/activities/<int:activity_pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/activities/<int:activity_pk>/delete/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/activities/<int:activity_pk>/assign/", views.activity_assign, name="activity_assign"),
    # The lesson a classroom's session teaches ("pk" is the classroom, as in classrooms' own URLs)
    path("classrooms/<int:pk>/sessions/<int:session_pk>/plan/", views.session_plan, name="session_plan"),
]
