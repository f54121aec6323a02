from django.urls import path

from curriculum.assignments import views

urlpatterns = [
    path("classrooms/<int:classroom_pk>/assign/", views.assignment_create, name="assignment_create"),
]
