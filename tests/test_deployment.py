"""What production relies on: static files collect, headers are strict, health answers."""

import os
import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.factories import TeacherFactory


def test_collectstatic_with_the_production_storage(settings, tmp_path):
    """The manifest storage resolves every file the CSS references (a missing map fails the build)."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/htmx/htmx.min.*.js"))


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    client.force_login(TeacherFactory())
    policy = client.get(reverse("dashboard"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_pages_load_no_third_party_assets(client):
    client.force_login(TeacherFactory())
    page = client.get(reverse("dashboard")).text
    assert "https://" not in page and "//cdn" not in page


@pytest.mark.django_db
def test_health_check_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.text == "ok"


@pytest.mark.parametrize(("debug", "toolbar"), [("false", False), ("true", True)])
def test_the_debug_toolbar_is_on_only_with_debug(debug, toolbar):
    """Settings as a process with DEBUG=false (production) or true (development, with requirements-dev) reads them."""
    with mock.patch.dict(os.environ, {"DEBUG": debug}):
        values = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings.py"))
    assert values["DEBUG_TOOLBAR"] is toolbar
    assert ("debug_toolbar" in values["INSTALLED_APPS"]) is toolbar
    assert ("debug_toolbar.middleware.DebugToolbarMiddleware" in values["MIDDLEWARE"]) is toolbar
