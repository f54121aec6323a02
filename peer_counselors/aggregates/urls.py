from django.urls import path

from peer_counselors.aggregates import views

urlpatterns = [
    path("numbers/", views.numbers, name="numbers"),
    path("numbers/chart.svg", views.numbers_chart, name="numbers_chart"),
    # A student's requests, for their school's admin: find the student, export, anonymise on request
    path("privacy/", views.student_search, name="student_search"),
    path("privacy/<int:student_pk>/export/", views.student_export, name="student_export"),
    path("privacy/<int:student_pk>/anonymise/", views.student_anonymise, name="student_anonymise"),
]
