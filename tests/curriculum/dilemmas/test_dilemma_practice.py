"""The Practice page's live-dilemma section: the reasons each student said back and how their classmates
rated them (yes / partly / not really), for the class and per student; the same queries for 2 or 20."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from curriculum.live import services as live_services
from curriculum.models import LiveRun, Restatement
from tests.factories import ActivityFactory, ClassroomFactory, SchoolAdminFactory, StudentFactory

pytestmark = pytest.mark.django_db

DILEMMA = {"situation": "S", "options": ["A", "B", "C"], "reason_prompt": "Why?"}


def _class(students: int):
    classroom = ClassroomFactory(grade=5)
    kids = StudentFactory.create_batch(students, school=classroom.school)
    for kid in kids:
        classroom.enrollments.create(student=kid)
    return classroom, classroom.teachers.get(), kids


def _dilemma(classroom, teacher, kids, ratings):
    """A closed live dilemma in which each kid said back the next kid's reason, rated as ``ratings`` says."""
    run = live_services.live_start(
        classroom=classroom, activity=ActivityFactory(kind="dilemma", content=DILEMMA), by=teacher
    )
    now = timezone.now()
    for i, (reader, author) in enumerate(zip(kids, kids[1:] + kids[:1], strict=True)):
        rating = ratings[i % len(ratings)]
        Restatement.objects.create(
            run=run,
            reader=reader,
            author=author,
            restatement="You think…",
            reply="I…",
            restated_at=now,
            rating=rating,
            rated_at=now if rating else None,
        )
    LiveRun.objects.filter(pk=run.pk).update(state="closed", closed_at=now)
    return run


def cells(html: str, row_label: str) -> list[str]:
    """The figures of one row of the section's table."""
    html = html.split('id="practice-restatements-heading"')[1]
    row = re.search(rf"<th scope=\"row\">{re.escape(row_label)}</th>(.*?)</tr>", html, re.S)
    return re.findall(r"<td[^>]*>(\d+)</td>", row[1])


def test_the_teacher_sees_the_reasons_said_back_and_their_ratings_per_student_and_for_the_class(client):
    classroom, teacher, kids = _class(4)
    _dilemma(classroom, teacher, kids, ["yes", "partly", "no", ""])
    _dilemma(classroom, teacher, kids[:2], ["yes"])
    client.force_login(teacher)
    html = client.get(reverse("curriculum:practice", args=[classroom.pk])).content.decode()
    assert "6 reasons said back in 2 live dilemmas." in html
    assert cells(html, kids[0].display_name) == ["2", "2", "0", "0", "0"]
    assert cells(html, kids[3].display_name) == ["1", "0", "0", "0", "1"]
    assert cells(html, "The class") == ["6", "3", "1", "1", "1"]
    assert "You think…" not in html  # counts, never what a child wrote


def test_the_school_admin_sees_the_class_figures_but_no_student(client):
    classroom, teacher, kids = _class(3)
    _dilemma(classroom, teacher, kids, ["yes"])
    client.force_login(SchoolAdminFactory(school=classroom.school))
    html = client.get(reverse("curriculum:practice", args=[classroom.pk])).content.decode()
    assert cells(html, "The class") == ["3", "3", "0", "0", "0"]
    assert all(kid.display_name not in html for kid in kids)


def test_a_class_without_a_live_dilemma_says_what_the_section_will_show(client):
    classroom, teacher, _kids = _class(2)
    client.force_login(teacher)
    assert (
        "No reasons said back yet." in client.get(reverse("curriculum:practice", args=[classroom.pk])).content.decode()
    )


def test_the_page_costs_the_same_queries_for_2_or_20_students_and_3_dilemmas_or_1(client):
    counts = []
    for students, runs in ((2, 1), (20, 3)):
        classroom, teacher, kids = _class(students)
        for _ in range(runs):
            _dilemma(classroom, teacher, kids, ["yes", "no"])
        client.force_login(teacher)
        url = reverse("curriculum:practice", args=[classroom.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
