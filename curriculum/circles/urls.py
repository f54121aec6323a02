from django.urls import path

from curriculum.circles import views

# Included at /curriculum/ by curriculum.urls; the names are in the "curriculum:" namespace.
urlpatterns = [
    path("live/<int:pk>/circle/choose/", views.circle_choose, name="circle_choose"),
    path("live/<int:pk>/circle/finish/", views.circle_finish, name="circle_finish"),
    path("live/<int:pk>/circle/rate/", views.circle_rate, name="circle_rate"),
    path("live/<int:pk>/circle/card/", views.circle_card, name="circle_card"),
    path("live/<int:pk>/circle/pause/", views.circle_pause, name="circle_pause"),
    path("live/<int:pk>/circle/resume/", views.circle_resume, name="circle_resume"),
    path("live/<int:pk>/circle/skip/", views.circle_skip, name="circle_skip"),
    path("live/<int:pk>/circle/minutes/", views.circle_minutes, name="circle_minutes"),
]
