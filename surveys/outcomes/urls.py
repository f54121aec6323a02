from django.urls import path

from surveys.outcomes import views

urlpatterns = [
    path("<int:pk>/", views.outcomes_page, name="outcomes"),
    path("<int:pk>/chart.svg", views.outcomes_chart, name="outcomes_chart"),
    path("<int:pk>/outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
    path("<int:pk>/students.csv", views.outcomes_students_csv, name="outcomes_students_csv"),
    # Every school's cycles of a district, pooled, for the district's admin
    path("district/", views.district_outcomes, name="district_outcomes"),
    path("district/chart.svg", views.district_outcomes_chart, name="district_outcomes_chart"),
    path("district/outcomes.csv", views.district_outcomes_csv, name="district_outcomes_csv"),
]
