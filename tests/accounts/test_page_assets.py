"""base.html draws its stylesheets and scripts once per process ({% static_once %}), and again when the static
files' settings change."""

import pytest
from django.template import engines
from django.urls import reverse

from tests.factories import TeacherFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db


def stylesheets(client) -> list[str]:
    return [link.attrs["href"] for link in parse(client.get(reverse("dashboard")).text).find_all("link", rel="stylesheet")]


def test_every_page_links_the_stylesheets_and_follows_a_change_of_static_url(client, settings):
    client.force_login(TeacherFactory())
    first = stylesheets(client)
    assert first[0] == "/static/vendor/bootstrap/bootstrap.min.css" and "/static/css/heard.css" in first
    assert stylesheets(client) == first
    settings.STATIC_URL = "/assets/"
    assert stylesheets(client)[0] == "/assets/vendor/bootstrap/bootstrap.min.css"


def test_an_error_inside_the_tag_is_raised_as_itself(settings):
    """A file missing from the manifest (collectstatic not run) says so, as {% static %} alone would, rather than
    failing inside the template engine's error reporting."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = "/nonexistent-heard-static"
    page = engines["django"].from_string("{% load static static_once %}{% static_once %}{% static 'x.css' %}{% endstatic_once %}")
    with pytest.raises(ValueError, match="x.css"):
        page.render({})
