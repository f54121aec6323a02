"""Signed in, the language choice is in the user's menu (the footer's button is for signed-out pages)."""

import pytest
from django.urls import reverse

from tests.factories import StudentFactory, TeacherFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db


def _menu_button(html: str):
    return parse(html).find("nav", class_="heard-navbar").find("div", id="nav-menu").find("button", name="language")


@pytest.mark.parametrize("factory", [StudentFactory, TeacherFactory])
def test_the_signed_in_menu_offers_the_other_language_and_switching_stays(client, factory):
    client.force_login(factory())
    page = client.get(reverse("classrooms:list"))
    button = _menu_button(page.text)
    assert (button.text, button.attrs["lang"], button.attrs["value"]) == ("Ver en español", "es", "es")
    assert not list(parse(page.text).find_all("footer"))  # no second choice at the foot
    switched = client.post(reverse("set_language"), {"language": "es", "next": reverse("classrooms:list")})
    assert switched.status_code == 302 and switched.url == reverse("classrooms:list")
    again = client.get(reverse("classrooms:list"))
    assert '<html lang="es">' in again.text
    back = _menu_button(again.text)
    assert (back.text, back.attrs["lang"], back.attrs["value"]) == ("View in English", "en", "en")
    assert "Salir" in parse(again.text).find("nav", class_="heard-navbar").text  # the menu itself is in Spanish


def test_signed_out_pages_keep_the_footer_button(client):
    page = parse(client.get(reverse("login")).text)
    assert page.find("footer").find("button").text == "Ver esta página en español"
    assert not list(page.find("nav", class_="heard-navbar").find_all("button", name="language"))
