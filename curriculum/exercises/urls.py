from django.urls import path

from curriculum.exercises import views

urlpatterns = [
    path("assignments/<int:pk>/pairs/", views.pairs_redo, name="pairs_redo"),
    path("assignments/<int:pk>/pairs/chosen/", views.pairs_choose, name="pairs_choose"),
    path("assignments/<int:pk>/spread/", views.class_spread, name="class_spread"),
    path("work/<int:pk>/share/", views.story_share, name="story_share"),
    path("work/<int:pk>/rate/", views.retelling_rate, name="retelling_rate"),
]
