from django.contrib import admin
from django.urls import include, path

from home import views as home_views

urlpatterns = [
    path("", home_views.dashboard, name="dashboard"),
    path("healthz", home_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("classrooms/", include("classrooms.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]
