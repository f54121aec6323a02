"""What production relies on: static files collect, headers are strict, health answers."""

import pytest
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
