from django.urls import path

from curriculum.assignments import views

# Included at /curriculum/ by curriculum.urls; the names are in the "curriculum:" namespace.
urlpatterns = [
    path("classrooms/<int:classroom_pk>/assign/", views.assignment_create, name="assignment_create"),
    path("classrooms/<int:classroom_pk>/assignments/", views.classroom_assignments, name="classroom_assignments"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("work/", views.my_work, name="my_work"),
    path("work/<int:pk>/", views.submission_detail, name="submission"),
    path("work/<int:pk>/save/", views.submission_save, name="submission_save"),
    path("work/<int:pk>/turn-in/", views.submission_turn_in, name="submission_turn_in"),
    path("work/<int:pk>/reclaim/", views.submission_reclaim, name="submission_reclaim"),
    path("work/<int:pk>/review/", views.submission_review, name="submission_review"),
    path("work/<int:pk>/excuse/", views.submission_excuse, name="submission_excuse"),
]
