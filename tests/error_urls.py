"""Heard's URLs plus three that fail on purpose, for tests/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as heard_urlpatterns


def _fails(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    *heard_urlpatterns,
    path("test-errors/500/", _fails(RuntimeError("a bug"))),
    path("test-errors/403/", _fails(PermissionDenied)),
    path("test-errors/400/", _fails(SuspiciousOperation("a forged header"))),
]
