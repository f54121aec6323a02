"""Who was away (issue 9): marking a session held takes the register, a checklist of the class.

The teachers see it on the sessions list and correct it later; students never see it; only a student
of the classroom can be ticked; the fidelity report's "Present" column is made from it.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from classrooms.models import Enrollment, Session, SessionAttendance
from tests.factories import ClassroomFactory, SessionFactory, StudentFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

START = datetime(2026, 10, 6, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def after_the_session(time_machine):
    time_machine.move_to(START + timedelta(hours=2), tick=False)


@pytest.fixture
def classroom():
    return ClassroomFactory(school__time_zone="America/Chicago", name="Room Maple")


@pytest.fixture
def teacher(classroom, client):
    teacher = classroom.teachers.get()
    client.force_login(teacher)
    return teacher


@pytest.fixture
def pupils(classroom):
    """Three students of the class, and one who left before the session was marked."""
    names = [("Ana", "Alvarez"), ("Ben", "Brooks"), ("Cleo", "Chen")]
    students = [StudentFactory(school=classroom.school, first_name=f, last_name=last) for f, last in names]
    for student in students:
        Enrollment.objects.create(classroom=classroom, student=student)
    gone = StudentFactory(school=classroom.school, first_name="Gus", last_name="Gone")
    Enrollment.objects.create(classroom=classroom, student=gone, left_at=START - timedelta(days=3))
    return students


@pytest.fixture
def session(classroom):
    return SessionFactory(classroom=classroom, starts_at=START)


def url(name, classroom, session=None):
    kwargs = {"pk": classroom.pk} | ({"session_pk": session.pk} if session is not None else {})
    return reverse(f"classrooms:{name}", kwargs=kwargs)


def register(session) -> dict[str, bool]:
    return {
        a.student.first_name: a.present
        for a in SessionAttendance.objects.filter(session=session).select_related("student")
    }


def checklist(page) -> dict[str, bool]:
    """The "Who was away?" fieldset: each student's name and whether the box is ticked."""
    fieldset = parse(page).find("fieldset", **{"class": "session-register mb-3"})
    assert fieldset.find("legend").text == "Who was away?"
    boxes = {}
    for box in fieldset.find_all("input", type="checkbox"):
        label = fieldset.find("label", **{"for": box.attrs["id"]})
        boxes[label.text] = "checked" in box.attrs
    return boxes


def test_marking_held_records_who_was_away(client, teacher, classroom, pupils, session):
    page = client.get(url("session_held", classroom, session)).text
    assert checklist(page) == {"Ana Alvarez": False, "Ben Brooks": False, "Cleo Chen": False}  # Gus had left
    ben = pupils[1]
    response = client.post(url("session_held", classroom, session), {"note": "Feelings wheel", "away": [ben.pk]}, follow=True)
    assert "is marked held, with 1 student away" in response.text
    assert register(session) == {"Ana": True, "Ben": False, "Cleo": True}
    row = parse(response.text).find("li", id=f"session-{session.pk}").text
    assert "Away (1 of 3): Ben Brooks" in row


def test_nobody_ticked_means_everyone_was_there(client, teacher, classroom, pupils, session):
    response = client.post(url("session_held", classroom, session), {"note": ""}, follow=True)
    assert "with 0 students away" in response.text
    assert register(session) == {"Ana": True, "Ben": True, "Cleo": True}
    assert "Everyone was there (3 students)." in parse(response.text).find("li", id=f"session-{session.pk}").text


def test_the_register_is_corrected_later_and_keeps_a_student_who_left(client, teacher, classroom, pupils, session):
    ana, ben, cleo = pupils
    client.post(url("session_held", classroom, session), {"note": "Went well", "away": [ana.pk]})
    Enrollment.objects.filter(student=cleo).update(left_at=START + timedelta(days=1))
    late = StudentFactory(school=classroom.school, first_name="Lia", last_name="Late")
    Enrollment.objects.create(classroom=classroom, student=late)
    page = client.get(url("session_held", classroom, session)).text
    assert "Who was away, and the note" in page
    boxes = checklist(page)
    assert boxes["Ana Alvarez"] is True and boxes["Cleo Chen"] is False  # as saved; Cleo left but was on it
    response = client.post(url("session_held", classroom, session), {"note": "Went well", "away": [cleo.pk]}, follow=True)
    assert "Saved: who was away and the note" in response.text
    assert register(session) == {"Ana": True, "Ben": True, "Cleo": False, "Lia": True}
    session.refresh_from_db()
    assert (session.status, session.note) == (Session.Status.HELD, "Went well")
    list_page = client.get(url("sessions", classroom)).text
    assert "Edit attendance and note" in list_page


@pytest.mark.parametrize("posted", ["other", "12345678", "not-a-number"])
def test_only_a_student_of_the_classroom_can_be_ticked(client, teacher, classroom, pupils, session, posted):
    other = StudentFactory(school=classroom.school, first_name="Olga")
    Enrollment.objects.create(classroom=ClassroomFactory(school=classroom.school), student=other)
    value = other.pk if posted == "other" else posted
    response = client.post(url("session_held", classroom, session), {"note": "Kept, as typed", "away": [pupils[0].pk, value]})
    assert response.status_code == 200
    assert "Only students of this classroom can be marked away." in response.text
    assert "Kept, as typed" in response.text and checklist(response.text)["Ana Alvarez"] is True
    assert "Olga" not in response.text
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED and not SessionAttendance.objects.exists()


def test_students_never_see_who_was_away(client, teacher, classroom, pupils, session):
    client.post(url("session_held", classroom, session), {"note": "", "away": [pupils[1].pk]})
    client.force_login(pupils[0])
    for page in (client.get(url("sessions", classroom)).text, client.get(classroom.get_absolute_url()).text):
        assert "Brooks" not in page and "Away (" not in page and "Everyone was there" not in page
    assert client.get(url("session_held", classroom, session)).status_code == 404


def test_a_class_without_students_is_marked_held_without_a_register(client, teacher, classroom, session):
    page = client.get(url("session_held", classroom, session)).text
    assert "so there is no one to mark away" in page and "<fieldset" not in page
    client.post(url("session_held", classroom, session), {"note": ""})
    session.refresh_from_db()
    assert session.status == Session.Status.HELD and not SessionAttendance.objects.exists()


def test_editing_a_title_in_place_keeps_the_register_on_the_row(client, teacher, classroom, pupils, session):
    client.post(url("session_held", classroom, session), {"note": "", "away": [pupils[2].pk]})
    response = client.post(url("session_title", classroom, session), {"title": "Kindness"}, headers={"HX-Request": "true"})
    assert "Away (1 of 3): Cleo Chen" in parse(response.text).text


def test_the_register_costs_the_same_queries_for_2_or_20_students(client, teacher, classroom, session, django_assert_max_num_queries):
    """Showing the checklist, and writing it, cost the same for a small class and a big one."""
    counts = []
    for size in (2, 18):
        for student in StudentFactory.create_batch(size, school=classroom.school):
            Enrollment.objects.create(classroom=classroom, student=student)
        everyone = list(Enrollment.objects.filter(classroom=classroom).values_list("student_id", flat=True))
        with django_assert_max_num_queries(20) as shown:
            page = client.get(url("session_held", classroom, session)).text
        assert len(checklist(page)) == len(everyone)
        with django_assert_max_num_queries(30) as saved:
            response = client.post(url("session_held", classroom, session), {"note": "", "away": everyone[:2]})
        assert response.status_code == 302
        assert SessionAttendance.objects.filter(session=session, present=False).count() == 2
        with django_assert_max_num_queries(20) as listed:
            assert "Away (2 of" in client.get(url("sessions", classroom)).text
        counts.append((len(shown), len(saved), len(listed)))
        SessionAttendance.objects.all().delete()
        Session.objects.filter(pk=session.pk).update(status=Session.Status.PLANNED)
    assert counts[0] == counts[1]
