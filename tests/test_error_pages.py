"""In production (DEBUG off) every error answers with Heard's own page, in the reader's language, not Django's bare text."""

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import path, reverse

from tests.factories import TeacherFactory
from tests.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


@pytest.fixture
def teacher(client):
    teacher = TeacherFactory(first_name="Ines", last_name="Roy")
    client.force_login(teacher)
    return teacher


def _nav(html: str) -> str:
    return parse(html).find("nav", aria_label="Main").text


def test_a_missing_page_is_heards_page_with_the_navigation_of_the_signed_in_user(client, teacher):
    response = client.get("/classrooms/999999/")
    assert response.status_code == 404
    assert "Page not found" in parse(response.text).find("h1").text
    nav = _nav(response.text)
    assert "Classrooms" in nav and "Notifications" in nav and "Signed in as Ines Roy" in nav
    assert "Sign out" in nav
    assert "Not Found" not in response.text and "The requested resource" not in response.text


def test_a_missing_page_for_someone_signed_out_offers_the_way_in_and_the_other_language(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = parse(response.text)
    assert "Page not found" in page.find("h1").text
    assert page.find("a", href=reverse("dashboard"))
    assert "Ver esta página en español" in page.find("footer").text


def test_a_missing_page_is_in_spanish_for_a_spanish_reader(client, teacher):
    client.cookies["django_language"] = "es"
    response = client.get("/classrooms/999999/")
    assert response.status_code == 404
    assert '<html lang="es">' in response.text
    assert "Página no encontrada" in parse(response.text).find("h1").text


def test_a_forbidden_action_is_heards_page(client, teacher):
    response = client.get("/test-errors/403/")
    assert response.status_code == 403
    assert "You cannot do this here" in parse(response.text).find("h1").text
    assert "Signed in as Ines Roy" in _nav(response.text)


def test_a_bad_request_is_heards_page(client, teacher):
    response = client.get("/test-errors/400/")
    assert response.status_code == 400
    assert "Something was wrong with that request" in parse(response.text).find("h1").text
    assert "Signed in as Ines Roy" in _nav(response.text)


def test_a_form_sent_without_its_csrf_token_is_explained_on_heards_page(teacher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "This form has expired" in parse(response.text).find("h1").text
    assert "Nothing was saved." in response.text
    assert "Signed in as Ines Roy" in _nav(response.text)
    assert "CSRF verification failed" not in response.text


def test_a_server_error_is_heards_page_without_touching_the_database(django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-errors/500/")
    assert response.status_code == 500
    page = parse(response.text)
    assert "Something went wrong" in page.find("h1").text
    assert page.find("nav", aria_label="Main").find("a", href=reverse("dashboard"))
    assert "/static/css/heard.css" in response.text
    assert "Server Error (500)" not in response.text


def test_the_server_error_page_renders_with_no_context_at_all(django_assert_num_queries):
    """As Django's server_error view renders it: no request, so no user, no context processors, no queries."""
    with django_assert_num_queries(0):
        html = get_template("500.html").render()
    assert "Something went wrong" in html and 'href="/"' in html


@pytest.mark.urls("tests.test_error_pages")
def test_the_server_error_page_survives_a_urlconf_without_heards_pages():
    """The error may come from the URLconf itself: the 500 page reverses nothing."""
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]
