"""On a phone: a teacher marks last week's session held with who was away, corrects it, and undoes a mis-tapped cancel."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classrooms.models import Classroom, Session, SessionAttendance

pytestmark = pytest.mark.e2e

CLASSROOM = "Room 3 · Kindergarten"


def test_a_teacher_takes_the_register_and_restores_a_cancelled_session(fresh_demo, page, sign_in, check_page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "teacher.rivera")
    classroom = Classroom.objects.get(name=CLASSROOM, teachers__username="teacher.rivera")
    students = sorted(
        (e.student for e in classroom.enrollments.filter(left_at__isnull=True).select_related("student")),
        key=lambda s: (s.last_name, s.first_name, s.username),
    )
    away = students[1]
    past = Session.objects.create(
        classroom=classroom, starts_at=(timezone.now() - timedelta(days=2)).replace(second=0, microsecond=0),
        title="Waiting for a turn",
    )
    page.goto(f"/classrooms/{classroom.pk}/sessions/")
    page.locator(f"#session-{past.pk}").get_by_role("link", name=re.compile("^Mark held")).click()
    register = page.get_by_role("group", name="Who was away?")
    expect(register.get_by_role("checkbox")).to_have_count(len(students))
    check_page(page)
    register.get_by_label(away.display_name, exact=True).check()
    page.get_by_role("button", name="Mark held").click()

    expect(page.get_by_role("status")).to_contain_text("is marked held, with 1 student away")
    row = page.locator(f"#session-{past.pk}")
    expect(row).to_contain_text(f"Away (1 of {len(students)}): {away.display_name}")
    check_page(page)
    assert {a.student_id for a in SessionAttendance.objects.filter(session=past, present=False)} == {away.pk}

    # Corrected later: it was someone else.
    row.get_by_role("link", name=re.compile("^Edit attendance")).click()
    expect(register.get_by_label(away.display_name, exact=True)).to_be_checked()
    register.get_by_label(away.display_name, exact=True).uncheck()
    register.get_by_label(students[0].display_name, exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#session-{past.pk}")).to_contain_text(f"Away (1 of {len(students)}): {students[0].display_name}")

    # A mis-tapped cancel, undone.
    planned = Session.objects.filter(classroom=classroom, status="planned", starts_at__gt=timezone.now()).first()
    page.once("dialog", lambda dialog: dialog.accept())
    row = page.locator(f"#session-{planned.pk}")
    row.locator("summary", has_text="Cancel").click()
    row.get_by_role("button", name="Cancel this session").click()
    expect(page.get_by_role("status")).to_contain_text("is cancelled")
    row = page.locator(f"#session-{planned.pk}")
    expect(row).to_contain_text("Cancelled")
    check_page(page)
    row.get_by_role("button", name=re.compile("^Restore")).click()
    expect(page.get_by_role("status")).to_contain_text("is planned again")
    expect(page.locator(f"#session-{planned.pk}")).to_contain_text("Planned")
    planned.refresh_from_db()
    assert planned.status == Session.Status.PLANNED
