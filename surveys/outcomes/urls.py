from django.urls import path

from surveys.outcomes import views

urlpatterns = [
    path("<int:pk>/", views.outcomes_page, name="outcomes"),
    path("<int:pk>/chart.svg", views.outcomes_chart, name="outcomes_chart"),
    path("<int:pk>/outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
    path("<int:pk>/students.csv", views.outcomes_students_csv, name="outcomes_students_csv"),
]
