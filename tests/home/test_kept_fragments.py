"""The home pages' survey panels kept by the tables they read (accounts.data_versions.kept_fragment): the page is
drawn again after any write of the school, its survey panel only after a write to what the panel reads (a survey, an
answer, an enrollment...). Another table's write leaves the panel kept; an enrollment
and FRAGMENT_TTL redraw it; each user and language has their own."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import data_versions
from classrooms.models import BabyObservation, Session, Theme
from tests import factories as f
from tests.surveys.test_taking import open_window, parse, save, self_report

# The marks are set once a request's transaction commits: the tests run in autocommit, as the site does.
pytestmark = pytest.mark.django_db(transaction=True)
DASHBOARD = reverse("dashboard")
# survey_cards_for's two queries; reports_due_for's two.
PANEL_QUERIES = 2
# Every panel of the page kept (tests/home/test_kept_panels.py): a signed-in page's fixed queries only;
# a teacher's latest notifications too (not kept).
ALL_KEPT = {"student": 3, "teacher": 4}
# The classroom panels of a student's page: the classroom list first, the cards (two: their teachers), the upcoming
# sessions.
CLASSROOM_PANELS_QUERIES = 4


@pytest.fixture(autouse=True)
def _fragments(settings, time_machine):
    settings.FRAGMENT_CACHE = True  # the page itself is drawn every time (PAGE_CACHE off)
    time_machine.move_to(timezone.now(), tick=False)


@pytest.fixture
def room():
    classroom = f.ClassroomFactory(grade=4)
    students = [f.EnrollmentFactory(classroom=classroom).student for _ in range(2)]
    form = self_report()
    return classroom, students, form, open_window(classroom, form)


def look(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    card = next(parse(response.text).find_all("section", aria_labelledby="surveys-heading"), None)
    return len(captured), card.text if card else ""


def later(time_machine, seconds: float = 2) -> None:
    time_machine.shift(seconds)


def test_the_students_survey_panel_is_kept_across_writes_it_does_not_read(client, room, time_machine):
    classroom, (ana, _), form, window = room
    client.force_login(ana)
    drawn, first = look(client)
    kept, again = look(client)
    assert kept == ALL_KEPT["student"] < drawn - PANEL_QUERIES and again == first and form.name["en"] in again
    later(time_machine)
    teacher = type(client)()
    teacher.force_login(classroom.teachers.get())
    family = f.VisitingFamilyFactory(classroom=classroom)
    visit = Session.objects.create(classroom=classroom, kind=Session.Kind.FAMILY_VISIT,
                                   theme=Theme.objects.create(classroom=classroom, number=1, family=family),
                                   starts_at=timezone.now() - timedelta(days=1))  # fmt: skip
    observation = reverse("classrooms:observation", args=[classroom.pk, visit.pk])
    typed = {"weight_kg": "6.1", "length_cm": "", "milestones": "", "feelings_note": ""}
    assert teacher.post(observation, typed).status_code == 302  # a baby's weight: nothing the panel reads
    assert BabyObservation.objects.filter(session=visit).exists()
    later(time_machine)
    # The page drawn again (its school changed), the classroom panels (classrooms' tables) too, the survey panel kept.
    assert look(client)[0] == kept + CLASSROOM_PANELS_QUERIES
    # Her own answer is a write to what the panel reads: drawn again, and it says so.
    later(time_machine)
    assert save(client, window, form, "pt1", "4").status_code == 200
    later(time_machine)
    count, card = look(client)
    assert count == kept + 1 + PANEL_QUERIES and "1 answer saved" in card  # the classroom list, then the panel


def test_an_enrollment_or_the_ttl_redraw_the_panel(client, room, time_machine):
    classroom, (ana, _), form, window = room
    client.force_login(ana)
    drawn, _ = look(client)
    kept, _ = look(client)
    # Removed from the class by her teacher (an enrollment): the window is no longer hers.
    later(time_machine)
    teacher = type(client)()
    teacher.force_login(classroom.teachers.get())
    other = f.ClassroomFactory(school=classroom.school, grade=4)
    f.EnrollmentFactory(classroom=other, student=ana)
    assert teacher.post(reverse("classrooms:enrollment_remove", args=[classroom.pk, ana.pk])).status_code == 302
    count, card = look(client)
    assert count > kept and form.name["en"] not in card
    # A write from a shell shows within the TTL.
    look(client)
    window.classrooms.add(other)
    time_machine.shift(data_versions.FRAGMENT_TTL + 1)
    assert form.name["en"] in look(client)[1]


def test_each_student_and_language_has_a_panel_of_their_own(client, room):
    classroom, (ana, ben), form, window = room
    client.force_login(ana)
    look(client)
    save(client, window, form, "pt1", "4")  # hers only; and marks her panel
    client.force_login(ben)
    assert "answer saved" not in look(client)[1]
    spanish = client.get(DASHBOARD, headers={"accept-language": "es"}).text
    assert form.name["es"] in spanish


def test_a_teachers_reports_due_panel_is_kept_too(client, time_machine):
    classroom = f.ClassroomFactory(grade=4)
    f.EnrollmentFactory(classroom=classroom)
    report = f.InstrumentFactory(respondent="teacher", grade_min=0, grade_max=8)
    open_window(classroom, report)
    client.force_login(classroom.teachers.get())
    with CaptureQueriesContext(connection) as drawn:
        first = client.get(DASHBOARD).text
    with CaptureQueriesContext(connection) as kept:
        again = client.get(DASHBOARD).text
    assert len(kept) == ALL_KEPT["teacher"] < len(drawn) - PANEL_QUERIES
    assert again.split("<main", 1)[1] == first.split("<main", 1)[1] and classroom.name in again
