from django.urls import path

from curriculum.puzzles import views

# Included at /curriculum/ by curriculum.urls; the names are in the "curriculum:" namespace.
urlpatterns = [
    path("live/<int:pk>/puzzle/contribution/", views.puzzle_contribution, name="puzzle_contribution"),
    path("live/<int:pk>/puzzle/answer/", views.puzzle_answer, name="puzzle_answer"),
]
