from django.urls import path

from curriculum.live import views

# Included at /curriculum/ by curriculum.urls; the names are in the "curriculum:" namespace.
urlpatterns = [
    path("live/start/", views.live_start, name="live_start"),
    path("live/<int:pk>/", views.live_run, name="live"),
    path("live/<int:pk>/projector/", views.live_projector, name="live_projector"),
    path("live/<int:pk>/poll/<str:view>/", views.live_poll, name="live_poll"),
    path("live/<int:pk>/next/", views.live_advance, name="live_advance"),
    path("live/<int:pk>/close/", views.live_close, name="live_close"),
    path("live/<int:pk>/groups/", views.live_groups, name="live_groups"),
    path("live/<int:pk>/move/", views.live_move, name="live_move"),
]
