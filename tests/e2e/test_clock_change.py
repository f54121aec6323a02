"""A teacher plans a session into the hour the clocks skip, is told before saving, and sees it marked."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from classrooms.models import Classroom, Session
from classrooms.program.recurrence import clock_change_days

pytestmark = pytest.mark.e2e

CLASSROOM = "Room 8 · Grade 2"  # the demo leaves this one for the teacher to set up


@pytest.mark.parametrize("width", [390, 1280])
def test_the_skipped_hour_is_explained_before_saving_and_marked_after(fresh_demo, page, sign_in, check_page, width):
    page.set_viewport_size({"width": width, "height": 900})
    classroom = Classroom.objects.get(name=CLASSROOM, teachers__username="teacher.rivera")
    zone = ZoneInfo(classroom.school.time_zone)
    now = timezone.now()
    # The next day New York's clocks go forward: the second Sunday of March.
    spring = min(day for day, change in clock_change_days(zone, now, now + timedelta(days=400)).items()
                 if change.forward and change.at > now)
    month = f"{spring.year}-{spring.month:02d}"
    sign_in(page, "teacher.rivera")
    page.goto(f"/classrooms/{classroom.pk}/program-year/")
    page.get_by_label("Week", exact=True).select_option("2")
    page.get_by_label("Weekday", exact=True).select_option("6")  # Sunday
    page.locator("input[name=at]").fill("02:30")
    page.get_by_label("First month").fill(month)
    page.get_by_label("Last month").fill(month)
    page.get_by_role("button", name="Plan the sessions").click()

    question = page.locator("#clock-change")
    day = formats.date_format(spring, "DATE_FORMAT")
    expect(question).to_contain_text(f"02:30 does not exist on {day} (clocks go forward); the session will be at 03:30.")
    expect(page.locator("input[name=at]")).to_have_value("02:30")
    check_page(page)
    assert not Session.objects.filter(classroom=classroom).exists()

    question.get_by_label("Yes, hold this session at the later time shown above.").check()
    page.get_by_role("button", name="Plan the sessions").click()
    expect(page).to_have_url(re.compile(rf"/classrooms/{classroom.pk}/sessions/$"))
    row = page.locator("li.session")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Clock change day")
    expect(row).to_contain_text("this session is at 03:30 (EDT)")
    check_page(page)
