from django.urls import path

from curriculum.stories import views

# Included at /curriculum/ by curriculum.urls; the names are in the "curriculum:" namespace.
urlpatterns = [
    path("classrooms/<int:classroom_pk>/stories/", views.story_wall, name="story_wall"),
    path("classrooms/<int:classroom_pk>/stories/review/", views.story_review, name="story_review"),
    path("classrooms/<int:classroom_pk>/stories/reading/", views.story_engagement, name="story_engagement"),
    path("classrooms/<int:classroom_pk>/stories/<int:pk>/", views.story_detail, name="story"),
    path("classrooms/<int:classroom_pk>/stories/<int:pk>/open/", views.story_open, name="story_open"),
    path("classrooms/<int:classroom_pk>/stories/<int:pk>/time/", views.story_read_time, name="story_read_time"),
    path("classrooms/<int:classroom_pk>/stories/<int:pk>/decide/", views.story_decide, name="story_decide"),
    path("work/<int:pk>/story/", views.story_write, name="story_write"),
    path("work/<int:pk>/story/send/", views.story_send, name="story_send"),
    path("stories/<int:pk>/consent/", views.story_consent, name="story_consent"),
]
