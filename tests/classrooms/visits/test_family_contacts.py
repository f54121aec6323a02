"""The family's phone: typed in a loose but checked form, and shown with the e-mail to the adults who call."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms.models import Session
from classrooms.phones import phone_is_valid, phone_uri
from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    SchoolAdminFactory,
    SchoolFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
    ThemeFactory,
    VisitingFamilyFactory,
)
from tests.pages import parse, section_text

pytestmark = pytest.mark.django_db

EMAIL, PHONE = "okafor@home.example", "(555) 010-0199 ext 2"


@pytest.mark.parametrize(
    "typed, uri",
    [
        ("+1 555 0100", "tel:+15550100"),
        ("(555) 010-0199 ext 2", "tel:5550100199;ext=2"),
        ("555.010.0199", "tel:5550100199"),
        ("555-0100 x12", "tel:5550100;ext=12"),
        ("+44 20 7946 0958", "tel:+442079460958"),
        ("+1 (555) 010-0199 #3", "tel:+15550100199;ext=3"),
    ],
)
def test_numbers_as_people_write_them_are_accepted_and_dialled(typed, uri):
    assert phone_is_valid(typed)
    assert phone_uri(typed) == uri


@pytest.mark.parametrize(
    "typed",
    ["12345", "call me", "555 0100 ext", "++1 5550100", "555-0100-1111-2222-3333", "5550100; DROP", "+1 555 0100 " + "9" * 40],
)
def test_what_cannot_be_dialled_is_refused(typed):
    assert not phone_is_valid(typed)


@pytest.fixture
def classroom():
    school = SchoolFactory()
    return ClassroomFactory(school=school, students=[StudentFactory(school=school, first_name="Zora")])


@pytest.fixture
def family(classroom):
    return VisitingFamilyFactory(classroom=classroom, name="The Okafors", contact_email=EMAIL, contact_phone=PHONE)


@pytest.fixture
def instructor(classroom, family):
    counselor = CounselorFactory(school=classroom.school)
    theme = ThemeFactory(classroom=classroom, family=family, instructor=counselor)
    SessionFactory(classroom=classroom, theme=theme, kind=Session.Kind.FAMILY_VISIT, starts_at=timezone.now() + timedelta(days=3))
    return counselor


def family_form(classroom, **changes):
    data = {"name": "The Okafors", "contact_email": EMAIL, "contact_phone": PHONE, "baby_name": "Ada",
            "baby_born_on": (timezone.localdate() - timedelta(days=90)).isoformat()}
    return data | changes


def test_a_teacher_adds_the_family_with_its_phone(client, classroom):
    client.force_login(classroom.teachers.get())
    response = client.post(reverse("classrooms:family_create", args=[classroom.pk]), family_form(classroom, contact_phone="  +1  555 0100 "))
    assert response.status_code == 302
    assert classroom.families.get().contact_phone == "+1 555 0100"


def test_a_bad_phone_is_explained_on_its_field_and_what_was_typed_stays(client, classroom, family):
    client.force_login(classroom.teachers.get())
    url = reverse("classrooms:family_edit", args=[classroom.pk, family.pk])
    response = client.post(url, family_form(classroom, contact_phone="call after 5", name="The Okafor-Lees"))
    assert response.status_code == 200
    field = parse(response.text).find("input", name="contact_phone")
    assert field.attrs["value"] == "call after 5" and "is-invalid" in field.attrs["class"]
    assert "Give a phone number of 7 to 15 digits" in response.text
    assert parse(response.text).find("input", name="name").attrs["value"] == "The Okafor-Lees"
    family.refresh_from_db()
    assert family.contact_phone == PHONE and family.name == "The Okafors"


def contacts_on_page(client, user, classroom):
    response = client.get(classroom.get_absolute_url())
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("who", ["teacher", "school_admin", "instructor"])
def test_the_teachers_the_admin_and_the_visits_instructor_see_mailto_and_tel_links(client, classroom, family, instructor, who):
    user = {
        "teacher": classroom.teachers.get(),
        "school_admin": SchoolAdminFactory(school=classroom.school),
        "instructor": instructor,
    }[who]
    client.force_login(user)
    page = contacts_on_page(client, user, classroom)
    visits = parse(page)
    assert visits.find("a", href=f"mailto:{EMAIL}").text == EMAIL
    assert visits.find("a", href="tel:5550100199;ext=2").text == PHONE


@pytest.mark.parametrize("who", ["student", "district_admin"])
def test_a_student_and_the_district_never_see_the_contacts(client, classroom, family, instructor, who):
    user = classroom.enrollments.get().student if who == "student" else DistrictAdminFactory(district=classroom.school.district)
    client.force_login(user)
    page = contacts_on_page(client, user, classroom)
    assert "The Okafors" in section_text(page, "visits-heading")  # the family is shown, its contacts are not
    assert EMAIL not in page and PHONE not in page and "tel:" not in page and "mailto:" not in page


def test_an_instructor_of_another_classroom_does_not_see_this_familys_contacts(client, classroom, family, instructor):
    elsewhere = ClassroomFactory(school=classroom.school)
    other_family = VisitingFamilyFactory(classroom=elsewhere, contact_email="other@home.example", contact_phone="+1 555 0111")
    ThemeFactory(classroom=elsewhere, family=None, instructor=instructor)  # leads a theme there, not this family's
    client.force_login(instructor)
    page = client.get(elsewhere.get_absolute_url()).text
    assert other_family.name in page
    assert "other@home.example" not in page and "+1 555 0111" not in page


def test_the_call_the_family_reminder_gives_the_phone(classroom, family, instructor, time_machine):
    visit = Session.objects.get(kind=Session.Kind.FAMILY_VISIT)
    time_machine.move_to(visit.starts_at - timedelta(days=3), tick=False)
    reminders_dispatch()
    call = Notification.objects.get(kind=Notification.Kind.VISIT_CALL_FAMILY)
    assert call.recipient == instructor
    assert f"Contact: {EMAIL}" in call.body and f"Phone: {PHONE}" in call.body


def test_without_a_phone_the_reminder_has_no_phone_line(classroom, family, instructor, time_machine):
    family.contact_phone = ""
    family.save()
    visit = Session.objects.get(kind=Session.Kind.FAMILY_VISIT)
    time_machine.move_to(visit.starts_at - timedelta(days=3), tick=False)
    reminders_dispatch()
    assert "Phone:" not in Notification.objects.get(kind=Notification.Kind.VISIT_CALL_FAMILY).body


def test_another_schools_teacher_sees_nothing_of_the_family(client, classroom, family):
    client.force_login(TeacherFactory())
    assert client.get(classroom.get_absolute_url()).status_code == 404
    assert client.get(reverse("classrooms:family_edit", args=[classroom.pk, family.pk])).status_code == 404


