"""Names pasted from spreadsheets and CSV files, a name corrected afterwards, and one lost card reprinted."""

import re

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from accounts.models import AuditEvent, User
from classrooms.students.names import NameLineProblem, NameParts, name_split
from tests.factories import PASSWORD, ClassroomFactory, SchoolAdminFactory, StudentFactory, TeacherFactory
from tests.pages import parse, section_text

pytestmark = pytest.mark.django_db

CARD_PASSWORD = re.compile(r'signin-card__secret">([a-z]+-[a-z]+-\d{2})<')


@pytest.mark.parametrize(
    "line, first, last",
    [
        ("Sam Lee", "Sam", "Lee"),
        ("Mary Ann Lee", "Mary Ann", "Lee"),
        ("Sam\tLee", "Sam", "Lee"),  # two spreadsheet columns
        ("Mary Ann\tLee Chen", "Mary Ann", "Lee Chen"),  # a column keeps its spaces
        ("Sam\tLee\t", "Sam", "Lee"),  # an empty last column
        ("Sam Lee\t", "Sam", "Lee"),  # one column: read as typed
        ("Lee, Sam", "Sam", "Lee"),  # comma and space: last name first
        ("Lee ,Sam", "Sam", "Lee"),
        ("Sam,Lee", "Sam", "Lee"),  # a CSV file's cells: first name first
        ("Mary Ann,Lee", "Mary Ann", "Lee"),
        ("Diego", "Diego", ""),
        ("  Zoë   Núñez ", "Zoë", "Núñez"),
        ("\tLee", "", "Lee"),  # no first name: the form refuses it
    ],
)
def test_each_line_is_read_by_the_documented_rule(line, first, last):
    assert name_split(line) == NameParts(first=first, last=last)


@pytest.mark.parametrize(
    "line, reason",
    [("Sam\tLee\t3", NameLineProblem.TOO_MANY_COLUMNS), ("Sam\t\tLee", NameLineProblem.TOO_MANY_COLUMNS),
     ("Sam,Lee,3", NameLineProblem.TOO_MANY_COMMAS), ("Lee, Sam, Jr", NameLineProblem.TOO_MANY_COMMAS)],
)
def test_more_than_two_columns_are_refused_rather_than_guessed(line, reason):
    with pytest.raises(NameLineProblem) as refused:
        name_split(line)
    assert refused.value.reason == reason


@pytest.fixture
def classroom():
    return ClassroomFactory()


@pytest.fixture
def teacher(classroom):
    return classroom.teachers.get()


def add(client, classroom, names):
    return client.post(reverse("classrooms:students_add", args=[classroom.pk]), {"names": names})


def test_names_pasted_from_a_spreadsheet_a_csv_file_and_a_school_system_all_make_sam_lee(client, classroom, teacher):
    client.force_login(teacher)
    response = add(client, classroom, "Sam\tLee\r\nSam,Lee\r\nLee, Sam\r\n")
    assert response.status_code == 200
    students = User.objects.filter(role=User.Role.STUDENT).order_by("pk")
    assert [(s.first_name, s.last_name) for s in students] == [("Sam", "Lee")] * 3
    assert [s.username for s in students] == ["sam.l", "sam.l2", "sam.l3"]


def test_a_pasted_row_with_more_columns_is_explained_and_kept(client, classroom, teacher):
    client.force_login(teacher)
    response = add(client, classroom, "Sam\tLee\t3\nAna,Diaz,4")
    assert "Line 1 (“Sam Lee 3”) has more than two columns" in response.text
    assert "Line 2 (“Ana,Diaz,4”) has more than one comma" in response.text
    assert "Sam\tLee\t3" in parse(response.text).find("textarea", name="names").text or "Sam\tLee\t3" in response.text
    assert not User.objects.filter(role=User.Role.STUDENT).exists()


def test_the_form_shows_how_each_line_is_read(client, classroom, teacher):
    client.force_login(teacher)
    page = client.get(reverse("classrooms:students_add", args=[classroom.pk])).text
    rules = section_text(page, "names-rules-heading")
    for example in ("Sam Lee", "Tab", "Lee, Sam", "Sam,Lee", "Edit name"):
        assert example in rules


# --- Correcting a name ----------------------------------------------------------------------------------------


@pytest.fixture
def sam(classroom):
    student = StudentFactory(school=classroom.school, username="sam.l", first_name="Sam Lee", last_name="")
    classroom.enrollments.create(student=student)
    return student


def name_url(classroom, student):
    return reverse("classrooms:student_name", args=[classroom.pk, student.pk])


@pytest.mark.parametrize("who", ["teacher", "school_admin"])
def test_the_teacher_or_admin_corrects_a_name_and_the_username_stays(client, classroom, sam, who):
    user = classroom.teachers.get() if who == "teacher" else SchoolAdminFactory(school=classroom.school)
    client.force_login(user)
    roster = section_text(client.get(classroom.get_absolute_url()).text, "roster-heading")
    assert "Edit name of Sam Lee" in roster
    form = parse(client.get(name_url(classroom, sam)).text)
    assert form.find("input", name="first_name").attrs["value"] == "Sam Lee"
    response = client.post(name_url(classroom, sam), {"first_name": " Sam ", "last_name": "Lee"}, follow=True)
    sam.refresh_from_db()
    assert (sam.first_name, sam.last_name, sam.username) == ("Sam", "Lee", "sam.l")
    assert "Saved: Sam Lee. The username stays sam.l." in response.text
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.STUDENT_RENAMED, actor=user, subject=sam).count() == 1
    client.post(name_url(classroom, sam), {"first_name": "Sam", "last_name": "Lee"})  # saving again changes nothing
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.STUDENT_RENAMED).count() == 1


def test_an_empty_first_name_is_refused_and_what_was_typed_stays(client, classroom, teacher, sam):
    client.force_login(teacher)
    response = client.post(name_url(classroom, sam), {"first_name": "   ", "last_name": "Lee-Chen"})
    assert response.status_code == 200
    assert "Give the student&#x27;s first name." in response.text
    assert parse(response.text).find("input", name="last_name").attrs["value"] == "Lee-Chen"
    sam.refresh_from_db()
    assert sam.first_name == "Sam Lee" and not AuditEvent.objects.exists()


def test_a_name_is_escaped_where_it_shows(client, classroom, teacher, sam):
    client.force_login(teacher)
    client.post(name_url(classroom, sam), {"first_name": "<b>Sam</b>", "last_name": "Lee"})
    page = client.get(classroom.get_absolute_url()).text
    assert "<b>Sam</b>" not in page and "&lt;b&gt;Sam&lt;/b&gt; Lee" in page


def test_a_teacher_of_another_classroom_cannot_rename_this_student(client, classroom, sam):
    other = ClassroomFactory(school=classroom.school)
    client.force_login(other.teachers.get())
    assert client.get(name_url(classroom, sam)).status_code == 404
    assert client.post(reverse("classrooms:student_name", args=[other.pk, sam.pk]), {"first_name": "X"}).status_code == 404
    sam.refresh_from_db()
    assert sam.first_name == "Sam Lee"


# --- One lost card --------------------------------------------------------------------------------------------


def card_url(classroom, student):
    return reverse("classrooms:student_card", args=[classroom.pk, student.pk])


def test_one_lost_card_asks_first_then_resets_only_that_students_password(client, classroom, teacher, sam):
    ben = StudentFactory(school=classroom.school)
    classroom.enrollments.create(student=ben)
    client.force_login(teacher)
    roster = parse(client.get(classroom.get_absolute_url()).text)
    link = roster.find("a", href=card_url(classroom, sam))
    assert link.text == "New password and card for Sam Lee"
    assert roster.find("a", href=reverse("classrooms:cards", args=[classroom.pk])).text == "Reset passwords and print cards"

    question = client.get(card_url(classroom, sam))
    assert "resets the password" in question.text and "Reset the password and show the card" in question.text
    sam.refresh_from_db()
    assert check_password(PASSWORD, sam.password)  # asking changed nothing

    response = client.post(card_url(classroom, sam))
    [password] = CARD_PASSWORD.findall(response.text)
    assert parse(response.text).find("article").attrs["aria-label"] == "Card for Sam Lee"
    sam.refresh_from_db()
    ben.refresh_from_db()
    assert check_password(password, sam.password)
    assert check_password(PASSWORD, ben.password)  # nobody else's password changed
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.STUDENT_PASSWORD_RESET).count() == 1


def test_the_card_page_is_only_for_the_classrooms_teachers_and_admin(client, classroom, sam):
    for outsider in (TeacherFactory(school=classroom.school), sam, SchoolAdminFactory()):
        client.force_login(outsider)
        assert client.get(card_url(classroom, sam)).status_code == 404
        assert client.post(card_url(classroom, sam)).status_code == 404
    sam.refresh_from_db()
    assert check_password(PASSWORD, sam.password)
