"""Nothing a browser can send makes a 500: every form answers with a page or a redirect."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import ClassroomFactory, SchoolAdminFactory, StudentFactory

pytestmark = pytest.mark.django_db

# Text a browser can submit, including NUL, lone surrogates' replacement, huge numbers and markup.
anything = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["\x00", "99999999999999999999999", "5" * 5000, "9999-12-31", "-1", "<script>", "' OR 1=1 --", "\ufeff", " " * 50]),
)
HUGE_PK = 99999999999999999999


@pytest.fixture
def teacher_classroom():
    classroom = ClassroomFactory()
    classroom.enrollments.create(student=StudentFactory(school=classroom.school))
    return classroom


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=anything)
@example(value="5" * 5000)  # int() refuses over 4,300 digits with a ValueError of its own (issue 10)
def test_teacher_forms_never_crash(client, teacher_classroom, value):
    client.force_login(teacher_classroom.teachers.get())
    pk = teacher_classroom.pk
    student = teacher_classroom.enrollments.order_by("pk").first().student
    posts = [
        (reverse("classrooms:create"), {"name": value, "grade": value, "school_year": value}),
        (reverse("classrooms:students_add", args=[pk]), {"names": value}),
        (reverse("classrooms:cards", args=[pk]), {"students": [value]}),
        (reverse("classrooms:teachers", args=[pk]), {"teacher": value}),
        (reverse("classrooms:student_name", args=[pk, student.pk]), {"first_name": value, "last_name": value}),
        (reverse("classrooms:family_create", args=[pk]), {
            "name": value, "contact_email": value, "contact_phone": value, "baby_name": value, "baby_born_on": value,
        }),
        (reverse("password_change"), {"old_password": value, "new_password1": value, "new_password2": value}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code < 500, url
    # A NUL anywhere is refused before any view (accounts.middleware.RejectNulMiddleware).
    assert client.get(reverse("notifications:list"), {"page": value}).status_code == (400 if "\x00" in value else 200)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=anything)
def test_student_and_sign_in_forms_never_crash(client, value):
    assert client.post(reverse("login"), {"username": value, "password": value}).status_code < 500
    assert client.post(reverse("password_reset"), {"email": value}).status_code < 500
    client.force_login(StudentFactory())
    assert client.post(reverse("classrooms:join"), {"code": value}).status_code < 500


def test_out_of_range_ids_are_404s(client, teacher_classroom):
    client.force_login(teacher_classroom.teachers.get())
    assert client.get(f"/classrooms/{HUGE_PK}/").status_code == 404
    assert client.post(f"/classrooms/{teacher_classroom.pk}/students/{HUGE_PK}/remove/").status_code == 404
    assert client.get(f"/classrooms/{teacher_classroom.pk}/students/{HUGE_PK}/name/").status_code == 404
    assert client.get(f"/classrooms/{teacher_classroom.pk}/students/{HUGE_PK}/card/").status_code == 404
    assert client.post(f"/notifications/{HUGE_PK}/read/").status_code == 404


@pytest.mark.parametrize("parameter", ["year", "school", "page"])
@pytest.mark.parametrize("value", ["9" * 4301, "1" * 5000, "\u0661\u0662", "-5", "9" * 19])
def test_the_fidelity_reports_filters_take_any_number(client, parameter, value):
    """Issue 10: ?year= or ?school= of 4,301 digits made int() raise a ValueError of its own (a 500)."""
    client.force_login(SchoolAdminFactory())
    for extra in ({}, {"format": "csv"}):
        assert client.get(reverse("classrooms:fidelity"), {parameter: value, **extra}).status_code < 500, extra
