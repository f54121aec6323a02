"""The classroom's Practice page: per student and per month, from the stored score columns, for the
classroom's teachers (the school admin sees the class as a whole); the same queries for 2 or 20 students."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.models import Assignment, Pairing, Submission
from tests.factories import ClassroomFactory, EnrollmentFactory, SchoolAdminFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def _classroom():
    teacher = TeacherFactory()
    classroom = ClassroomFactory(school=teacher.school)
    classroom.teachers.add(teacher)
    return teacher, classroom


def _assignment(classroom, kind="feelings_guess"):
    return Assignment.objects.create(
        classroom=classroom, kind=kind, title=f"A {kind}", activity_instructions={"en": "Go"}, content={}, band="3_5"
    )


def _work(assignment, student, *, when, state="turned_in", **scores):
    return Submission.objects.create(assignment=assignment, student=student, state=state, turned_in_at=when, **scores)


def _student(classroom, **names):
    student = StudentFactory(school=classroom.school, **names)
    EnrollmentFactory(classroom=classroom, student=student)
    return student


def test_the_figures_are_those_of_the_stored_scores(client):
    teacher, classroom = _classroom()
    ana = _student(classroom, first_name="Ana", last_name="Alvarez")
    ben = _student(classroom, first_name="Ben", last_name="Brown")
    october = datetime(2026, 10, 15, 12, tzinfo=CHICAGO)
    november = datetime(2026, 11, 3, 12, tzinfo=CHICAGO)
    guess1, guess2 = _assignment(classroom), _assignment(classroom)
    why = _assignment(classroom, "situational_attribution")
    _work(guess1, ana, when=october, accuracy_points=1, accuracy_max=2, intensity_difference=2)
    _work(guess2, ana, when=november, accuracy_points=4, accuracy_max=4, intensity_difference=0)
    _work(guess1, ben, when=october, accuracy_points=0, accuracy_max=6, intensity_difference=1)
    _work(guess2, ben, when=november, state="in_progress", accuracy_points=2, accuracy_max=2)  # not done: left out
    _work(why, ana, when=november, situational_share_others=0.5, situational_share_self=1.0)
    _work(why, ben, when=november, state="returned", situational_share_others=0.25, situational_share_self=0.5)
    swap = _assignment(classroom, "story_exchange")
    Pairing.objects.create(assignment=swap, teller=ana, reader=ben, faithful=3, feelings=2, no_judgement=1, rated_at=november)
    Pairing.objects.create(assignment=swap, teller=ben, reader=ana, faithful=3, feelings=3, no_judgement=3, rated_at=november)

    client.force_login(teacher)
    page = client.get(reverse("curriculum:practice", args=[classroom.pk]))
    assert page.status_code == 200
    html = page.content.decode()

    # By hand. October: points 1+0 of 2+6 = 12%. November: 4 of 4 = 100%; situational others (0.5+0.25)/2.
    practice = page.context["practice"]
    months = {m.month.month: m for m in practice.months}
    assert months[10].accuracy == pytest.approx(1 / 8) and months[10].done == 2
    assert months[11].accuracy == pytest.approx(1.0) and months[11].done == 3
    assert months[11].situational_others == pytest.approx(0.375)
    assert months[11].rating == pytest.approx((3 + 2 + 1 + 3 + 3 + 3) / 6)
    rows = {s.student.first_name: s for s in practice.students}
    assert rows["Ana"].accuracy == pytest.approx(5 / 6)  # (1 + 4) / (2 + 4)
    assert (rows["Ana"].accuracy_first, rows["Ana"].accuracy_latest) == (pytest.approx(0.5), pytest.approx(1.0))
    assert rows["Ben"].accuracy == pytest.approx(0.0) and rows["Ben"].done == 2
    assert rows["Ana"].rating_received == pytest.approx(3.0) and rows["Ana"].rating_given == pytest.approx(2.0)
    assert rows["Ben"].rating_received == pytest.approx(2.0)
    assert rows["Ana"].intensity_difference == pytest.approx(1.0)
    # ...and the page shows them.
    assert "83%" in html and "50% → 100%" in html and "12%" in html and "38%" in html
    assert "Ana Alvarez" in html


def test_the_school_admin_sees_the_class_but_no_student(client):
    teacher, classroom = _classroom()
    ana = _student(classroom, first_name="Zelda", last_name="Quill")
    _work(_assignment(classroom), ana, when=datetime(2026, 10, 1, tzinfo=CHICAGO), accuracy_points=2, accuracy_max=2)
    client.force_login(SchoolAdminFactory(school=classroom.school))
    page = client.get(reverse("curriculum:practice", args=[classroom.pk]))
    assert page.status_code == 200
    assert "100%" in page.content.decode() and "Zelda" not in page.content.decode()


@pytest.mark.parametrize("who", ["other_teacher", "student", "other_school_admin"])
def test_others_get_a_404(client, who):
    teacher, classroom = _classroom()
    people = {
        "other_teacher": TeacherFactory(school=classroom.school),
        "student": _student(classroom),
        "other_school_admin": SchoolAdminFactory(),
    }
    client.force_login(people[who])
    assert client.get(reverse("curriculum:practice", args=[classroom.pk])).status_code == 404
    assert client.get(reverse("curriculum:practice_chart", args=[classroom.pk])).status_code == 404


def test_the_chart_is_an_svg_that_a_browser_keeps_until_the_figures_change(client):
    teacher, classroom = _classroom()
    student = _student(classroom)
    _work(_assignment(classroom), student, when=datetime(2026, 10, 1, tzinfo=CHICAGO), accuracy_points=1, accuracy_max=2)
    client.force_login(teacher)
    url = reverse("curriculum:practice_chart", args=[classroom.pk])
    first = client.get(url)
    assert first["Content-Type"] == "image/svg+xml" and first.content.startswith(b"<?xml")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    _work(_assignment(classroom), student, when=datetime(2026, 11, 1, tzinfo=CHICAGO), accuracy_points=2, accuracy_max=2)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_an_empty_class_says_what_the_page_will_show(client):
    teacher, classroom = _classroom()
    client.force_login(teacher)
    html = client.get(reverse("curriculum:practice", args=[classroom.pk])).content.decode()
    assert "No work has been turned in yet." in html


def _seed(classroom, students: int, assignments: int):
    kids = [_student(classroom) for _ in range(students)]
    for i in range(assignments):
        a = _assignment(classroom, "feelings_guess" if i % 2 else "situational_attribution")
        for kid in kids:
            _work(a, kid, when=datetime(2026, 9 + i % 4, 5, tzinfo=CHICAGO), accuracy_points=1, accuracy_max=2,
                  situational_share_others=0.5)
    swap = _assignment(classroom, "story_exchange")
    for teller, reteller in zip(kids, kids[1:] + kids[:1], strict=True):
        Pairing.objects.create(assignment=swap, teller=teller, reader=reteller, faithful=2, feelings=2,
                                      no_judgement=2, rated_at=datetime(2026, 10, 5, tzinfo=CHICAGO))


def test_the_page_costs_the_same_queries_for_2_or_20_students_and_assignments(client):
    counts = []
    for students, assignments in ((2, 2), (20, 12)):
        teacher, classroom = _classroom()
        _seed(classroom, students, assignments)
        client.force_login(teacher)
        url = reverse("curriculum:practice", args=[classroom.pk])
        client.get(url)  # the session's first request warms what it caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_student_sees_their_own_accuracy_by_month_and_no_one_elses(client):
    teacher, classroom = _classroom()
    ana, ben = _student(classroom), _student(classroom)
    guess = _assignment(classroom)
    _work(guess, ana, when=datetime(2026, 10, 2, tzinfo=CHICAGO), accuracy_points=1, accuracy_max=4)
    _work(_assignment(classroom), ana, when=datetime(2026, 11, 2, tzinfo=CHICAGO), accuracy_points=3, accuracy_max=4)
    _work(guess, ben, when=datetime(2026, 10, 2, tzinfo=CHICAGO), accuracy_points=2, accuracy_max=2)
    client.force_login(ana)
    html = client.get(reverse("curriculum:my_practice")).content.decode()
    assert 'value="25"' in html and 'value="75"' in html and 'value="100"' not in html
    client.force_login(teacher)
    assert client.get(reverse("curriculum:my_practice")).status_code == 404
