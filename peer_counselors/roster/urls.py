"""The roster's routes, included at /help/ by peer_counselors/urls.py (names: peer_counselors:<name>)."""

from django.urls import path

from peer_counselors.roster import views

urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("roster/add/", views.profile_add, name="profile_add"),
    path("roster/<int:pk>/", views.profile_edit, name="profile_edit"),
    path("roster/<int:pk>/slots/", views.slot_add, name="slot_add"),
    path("roster/<int:pk>/slots/<int:slot_pk>/remove/", views.slot_remove, name="slot_remove"),
    path("periods/", views.periods, name="periods"),
    path("periods/<int:pk>/", views.period_edit, name="period_edit"),
    path("periods/<int:pk>/delete/", views.period_delete, name="period_delete"),
    path("desk/", views.desk, name="desk"),
]
