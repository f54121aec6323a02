"""The Practice page's listening-circle section: turns talking and summing up per student, the felt-heard
ratings each gave as speaker and received as the one who summed up, closing cards; the class's figures for the
school admin, without names; the same queries for 3 students or 12."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from curriculum.models import CircleCard, CircleTurn, LiveGroup, LiveMember
from tests.curriculum.circles.conftest import circle_running
from tests.factories import SchoolAdminFactory

pytestmark = pytest.mark.django_db


def cells(html: str, row_label: str) -> list[str]:
    html = html.split('id="practice-circles-heading"')[1]
    row = re.search(rf"<th scope=\"row\">{re.escape(row_label)}</th>(.*?)</tr>", html, re.S)
    return re.findall(r"<td[^>]*>([^<]*)</td>", row[1])


def turns(run, spoken: list[tuple[int, int, int | None]]):
    """Each group's students take turns: (speaker, reflector, heard) by position in the group, None = skipped."""
    now = timezone.now()
    for group in LiveGroup.objects.filter(run=run):
        members = [m.student for m in LiveMember.objects.filter(group=group).order_by("pk").select_related("student")]
        for number, (speaker, reflector, heard) in enumerate(spoken, start=1):
            CircleTurn.objects.create(
                run=run, group=group, number=number, speaker=members[speaker], reflector=members[reflector],
                seconds=240, ends_at=now + timedelta(minutes=4), heard=heard, rated_at=now if heard else None,
                skipped_at=None if heard else now,
            )


def order(run):
    return [m.student for m in LiveMember.objects.filter(run=run).order_by("pk").select_related("student")]


def test_the_teacher_sees_each_students_turns_and_the_ratings_they_gave_and_received(client, circle_of_three):
    run, teacher, _ = circle_of_three
    turns(run, [(0, 1, 5), (1, 2, 3), (2, 0, None)])
    first, second, third = order(run)
    CircleCard.objects.create(run=run, student=second, like="I liked it", wish="More time")
    client.force_login(teacher)
    html = client.get(reverse("curriculum:practice", args=[run.classroom_id])).content.decode()
    assert "3 turns in 1 listening circle." in html
    assert "Speakers felt heard 4.0 out of 5 on average (2 ratings)." in html
    assert cells(html, first.display_name) == ["1", "5.0", "1", "—", "0"]
    assert cells(html, second.display_name) == ["1", "3.0", "1", "5.0", "1"]
    assert cells(html, third.display_name) == ["1", "—", "1", "3.0", "0"]
    assert cells(html, "The class") == ["3", "4.0", "3", "4.0", "1"]
    assert "I liked it" not in html  # counts, never what a child wrote


def test_a_student_of_the_class_who_missed_the_circle_shows_no_turns(client, circle_room):
    classroom, teacher, students, activity = circle_room
    run = circle_running(classroom, teacher, students[:3], activity)
    turns(run, [(0, 1, 4)])
    client.force_login(teacher)
    html = client.get(reverse("curriculum:practice", args=[classroom.pk])).content.decode()
    assert cells(html, students[6].display_name) == ["0", "—", "0", "—", "0"]


def test_the_school_admin_sees_the_class_figures_and_no_student(client, circle_of_three):
    run, _teacher, three = circle_of_three
    turns(run, [(0, 1, 2), (1, 2, 4)])
    client.force_login(SchoolAdminFactory(school=run.classroom.school))
    html = client.get(reverse("curriculum:practice", args=[run.classroom_id])).content.decode()
    assert cells(html, "The class") == ["2", "3.0", "2", "3.0", "0"]
    assert all(kid.display_name not in html for kid in three)


def test_a_class_without_a_circle_says_what_the_section_will_show(client, circle_room):
    classroom, teacher, _students, _activity = circle_room
    client.force_login(teacher)
    assert "No listening circles yet." in client.get(reverse("curriculum:practice", args=[classroom.pk])).content.decode()


def test_the_page_costs_the_same_queries_for_3_students_or_7_and_1_turn_or_9(client, circle_room):
    classroom, teacher, students, activity = circle_room
    url = reverse("curriculum:practice", args=[classroom.pk])
    client.force_login(teacher)
    counts = []
    for size, spoken in ((3, [(0, 1, 5)]), (7, [(0, 1, 5), (1, 2, 4), (2, 0, None)] * 3)):
        run = circle_running(classroom, teacher, students[:size], activity, size=3 if size == 3 else 4)
        turns(run, spoken)
        run.state = "closed"  # the next circle can start
        run.save(update_fields=["state"])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
