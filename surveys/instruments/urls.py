from django.urls import path

from surveys.instruments import views

# Included at /surveys/instruments/; the names are in the "surveys:" namespace.
urlpatterns = [
    path("", views.instrument_list, name="instruments"),
    path("import/", views.instrument_import, name="instrument_import"),
    path("<int:pk>/", views.instrument_detail, name="instrument"),
    path("<int:pk>/export/", views.instrument_export, name="instrument_export"),
    path("<int:pk>/delete/", views.instrument_delete, name="instrument_delete"),
]
