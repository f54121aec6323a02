from django.urls import include, path

app_name = "curriculum"

# Each part's pages are in its own subpackage; their names share the "curriculum:" namespace.
urlpatterns = [
    path("library/", include("curriculum.library.urls")),
    path("", include("curriculum.assignments.urls")),
    path("", include("curriculum.practice.urls")),
    path("", include("curriculum.exercises.urls")),
    path("", include("curriculum.live.urls")),
    path("", include("curriculum.stories.urls")),
    path("", include("curriculum.puzzles.urls")),
    path("", include("curriculum.circles.urls")),
    path("", include("curriculum.dilemmas.urls")),
]
