from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from home import views as home_views

urlpatterns = [
    path("", home_views.dashboard, name="dashboard"),
    path("healthz", home_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("classrooms/", include("classrooms.urls")),
    path("curriculum/", include("curriculum.urls")),
    path("surveys/", include("surveys.urls")),
    path("help/", include("peer_counselors.urls")),
    path("notifications/", include("notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the page's language, English or Spanish
    path("admin/", admin.site.urls),
]

if settings.DEBUG_TOOLBAR:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
