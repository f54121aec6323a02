"""Heard's own words where Django's stock text would show: over-long values, on every form, in both languages."""

import importlib

import pytest
from django import forms
from django.urls import reverse

from accounts.baseforms import HeardFormMetaclass
from tests.factories import ClassroomFactory, SessionFactory, StudentFactory, TeacherFactory
from tests.test_architecture import heard_modules

pytestmark = pytest.mark.django_db

DJANGO_STOCK = "Ensure this value has at most"


def test_every_form_of_heards_apps_uses_heards_wording():
    """A new form that derives from forms.Form instead of accounts.baseforms.HeardForm fails here."""
    found = []
    for dotted, _path, _tree in heard_modules():
        module = importlib.import_module(dotted)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == dotted:
                found.append(value)
    assert len(found) > 10
    assert [f"{c.__module__}.{c.__name__}" for c in found if not isinstance(c, HeardFormMetaclass)] == []


def test_an_over_long_classroom_name_is_explained_in_heards_words_and_kept(client):
    client.force_login(TeacherFactory())
    name = "R" * 140
    response = client.post(reverse("classrooms:create"), {"name": name, "grade": "3", "school_year": "2026"})
    assert response.status_code == 200
    assert "This is too long: keep it to 100 characters at most (it has 140)." in response.text
    assert DJANGO_STOCK not in response.text
    assert f'value="{name}"' in response.text


def test_an_over_long_join_code_is_explained_to_a_child_in_spanish(client):
    client.force_login(StudentFactory())
    client.cookies["django_language"] = "es"
    response = client.post(reverse("classrooms:join"), {"code": "K" * 45})
    assert response.status_code == 200
    assert "Es demasiado largo: escribe como máximo 40 caracteres (tiene 45)." in response.text
    assert "Asegúrese de que" not in response.text  # Django's own Spanish


def test_an_over_long_session_title_saved_with_htmx_is_explained_in_heards_words(client):
    classroom = ClassroomFactory()
    client.force_login(classroom.teachers.get())
    session = SessionFactory(classroom=classroom)
    response = client.post(
        reverse("classrooms:session_title", args=[classroom.pk, session.pk]), {"title": "T" * 201}, HTTP_HX_REQUEST="true"
    )
    assert "This is too long: keep it to 200 characters at most (it has 201)." in response.text
    assert DJANGO_STOCK not in response.text
