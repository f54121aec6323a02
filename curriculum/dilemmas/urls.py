from django.urls import path

from curriculum.dilemmas import views

# Included at /curriculum/ by curriculum.urls; the names are in the "curriculum:" namespace.
urlpatterns = [
    path("live/<int:pk>/dilemma/vote/", views.dilemma_vote, name="dilemma_vote"),
    path("live/<int:pk>/dilemma/restate/", views.dilemma_restate, name="dilemma_restate"),
    path("live/<int:pk>/dilemma/rate/<int:restatement_pk>/", views.dilemma_rate, name="dilemma_rate"),
]
