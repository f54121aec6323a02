from django.urls import include, path

app_name = "surveys"

# Each part's pages are in its own subpackage; their names share the "surveys:" namespace.
urlpatterns = [
    path("instruments/", include("surveys.instruments.urls")),
    path("", include("surveys.windows.urls")),
    path("", include("surveys.taking.urls")),
    path("outcomes/", include("surveys.outcomes.urls")),
]
