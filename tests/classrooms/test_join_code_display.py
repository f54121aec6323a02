"""The join code, full screen for a projector, and the calendar address's copy button."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ClassroomFactory, SchoolAdminFactory, StudentFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db


def test_a_teacher_shows_the_join_code_full_screen_with_where_to_type_it(client):
    classroom = ClassroomFactory(name="Room Fern")
    client.force_login(classroom.teachers.get())
    page = client.get(reverse("classrooms:code_display", args=[classroom.pk]))
    assert page.status_code == 200
    main = parse(page.text).find("main")
    assert main.find("h1").text == "Join Room Fern"
    assert main.find("p", class_="join-projector__code").text == classroom.join_code_display
    assert main.find("strong", class_="join-projector__address").text == "testserver/classrooms/join/"
    assert main.find("button", **{"data-fullscreen": "#join-projector"}).text == "Full screen"
    assert '<script src="/static/js/fullscreen.js' in page.text


def test_an_expired_code_is_not_put_on_the_projector(client):
    classroom = ClassroomFactory(join_code_expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(classroom.teachers.get())
    main = parse(client.get(reverse("classrooms:code_display", args=[classroom.pk])).text).find("main")
    assert "This code has expired." in main.text
    assert not list(main.find_all("p", class_="join-projector__code"))


def test_the_school_admin_may_show_it_and_a_student_of_the_class_may_not(client):
    classroom = ClassroomFactory()
    client.force_login(SchoolAdminFactory(school=classroom.school))
    assert client.get(reverse("classrooms:code_display", args=[classroom.pk])).status_code == 200
    student = StudentFactory(school=classroom.school)
    classroom.enrollments.create(student=student)
    client.force_login(student)
    assert client.get(reverse("classrooms:code_display", args=[classroom.pk])).status_code == 404


def test_the_calendar_address_has_a_copy_button_that_announces_what_happened(client):
    classroom = ClassroomFactory()
    client.force_login(classroom.teachers.get())
    client.post(reverse("classrooms:calendar_link", args=[classroom.pk]), {"action": "on"})
    main = parse(client.get(classroom.get_absolute_url()).text).find("main")
    button = main.find("button", **{"data-copy": "#calendar-url"})
    assert button.text == "Copy the address"
    assert button.attrs["data-copied-text"].startswith("Copied")
    wrapper = main.find("p", **{"data-copy-wrapper": ""})
    assert "hidden" in wrapper.attrs  # shown by copy.js: without JavaScript the field is selected by hand
    assert list(wrapper.find_all("span", role="status"))
    assert main.find("input", id="calendar-url").attrs["value"].endswith(".ics")


def test_a_new_join_code_brings_the_teacher_back_to_the_join_code_tab(client):
    classroom = ClassroomFactory()
    client.force_login(classroom.teachers.get())
    response = client.post(reverse("classrooms:code_regenerate", args=[classroom.pk]))
    assert response.url == classroom.get_absolute_url() + "#join_code"
