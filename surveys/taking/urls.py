from django.urls import path

from surveys.taking import views

# Included at /surveys/ by surveys.urls; the names are in the "surveys:" namespace. A survey page is a window
# and one of its forms (see views' docstring for why not a response).
urlpatterns = [
    path("take/<int:window_pk>/<int:instrument_pk>/", views.take, name="take"),
    path("take/<int:window_pk>/<int:instrument_pk>/answer/", views.answer, name="answer"),
    path("take/<int:window_pk>/<int:instrument_pk>/hand-in/", views.submit, name="submit"),
    path("take/<int:window_pk>/<int:instrument_pk>/thanks/", views.thanks, name="thanks"),
    path("report/<int:window_pk>/<int:classroom_pk>/", views.teacher_report, name="teacher_report"),
]
