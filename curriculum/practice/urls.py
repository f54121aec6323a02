from django.urls import path

from curriculum.practice import views

urlpatterns = [
    path("classrooms/<int:classroom_pk>/practice/", views.practice, name="practice"),
    path("classrooms/<int:classroom_pk>/practice.svg", views.practice_chart, name="practice_chart"),
    path("me/practice/", views.my_practice, name="my_practice"),
]
