from django.urls import include, path

from peer_counselors import views

app_name = "peer_counselors"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("ask/", views.ask, name="ask"),
    path("queue/", views.queue, name="queue"),
    path("supervise/", views.supervise, name="supervise"),
    path("<int:pk>/", views.detail, name="request"),
    path("<int:pk>/message/", views.message, name="message"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/hand/", views.hand, name="hand"),
    path("<int:pk>/flag/", views.flag, name="flag"),
    path("<int:pk>/unflag/", views.unflag, name="unflag"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    # The roster (peer_counselors/roster/) and the numbers (peer_counselors/aggregates/) add their own routes here.
    path("", include("peer_counselors.roster.urls")),
    path("", include("peer_counselors.aggregates.urls")),
]
