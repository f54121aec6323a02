"""A teacher plans the year's sessions from the classroom page, names one, and marks a past one held."""

import re
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classrooms.models import Classroom, Session
from classrooms.program.recurrence import Recurrence, occurrences

pytestmark = pytest.mark.e2e

CLASSROOM = "Room 8 · Grade 2"  # the demo leaves this one for the teacher to set up


def first_tuesdays_ahead(classroom: Classroom) -> tuple[int, list]:
    """The school year whose October-to-June first Tuesdays still has at least two ahead (late June: next year)."""
    zone = classroom.school.time_zone
    for year in (classroom.school_year, classroom.school_year + 1):
        rule = Recurrence(first_month=date(year, 10, 1), last_month=date(year + 1, 6, 1), at=time(10, 0),
                          time_zone=zone, ordinal=1, weekday=1)
        ahead = [t for t in occurrences(rule) if t > timezone.now() + timedelta(minutes=5)]
        if len(ahead) >= 2:
            return year, ahead
    raise AssertionError("no school year with sessions ahead")


def test_teacher_sets_up_the_program_year_and_marks_a_past_session_held(fresh_demo, page, sign_in, check_page):
    """From an empty classroom to a year of sessions, one of them titled and a past one marked held."""
    sign_in(page, "teacher.rivera")
    classroom = Classroom.objects.get(name=CLASSROOM, teachers__username="teacher.rivera")
    zone = ZoneInfo(classroom.school.time_zone)
    year, ahead = first_tuesdays_ahead(classroom)
    skipped = ahead[0].astimezone(zone).date()

    # From the classroom page's empty state to the form, which proposes a typical year.
    page.get_by_role("link", name=CLASSROOM, exact=True).click()
    card = page.get_by_role("region", name="Sessions")
    expect(card).to_contain_text("No program year yet.")
    card.get_by_role("link", name="Set up the program year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up the program year")
    check_page(page)
    expect(page.get_by_label("The same weekday each month")).to_be_checked()
    expect(page.get_by_label("Week", exact=True)).to_have_value("1")
    expect(page.get_by_label("Weekday", exact=True)).to_have_value("1")  # Tuesday
    expect(page.get_by_label("Time")).to_have_value("10:00")
    expect(page.get_by_label("Length of a session, in minutes")).to_have_value("45")

    # A mistyped holiday is named, and what was typed stays.
    page.get_by_label("First month").fill(f"{year}-10")
    page.get_by_label("Last month").fill(f"{year + 1}-06")
    page.get_by_label("Dates to skip (optional)").fill(f"{skipped.isoformat()}\n{year}-02-30")
    page.get_by_role("button", name="Plan the sessions").click()
    expect(page.get_by_text(f"“{year}-02-30”")).to_be_visible()
    expect(page.get_by_label("Dates to skip (optional)")).to_be_focused()  # focus starts at the first error
    check_page(page)
    assert not Session.objects.filter(classroom=classroom).exists()

    page.get_by_label("Dates to skip (optional)").fill(skipped.isoformat())
    page.get_by_role("button", name="Plan the sessions").click()
    count = len(ahead) - 1
    expect(page).to_have_url(re.compile(rf"/classrooms/{classroom.pk}/sessions/$"))
    expect(page.get_by_role("status")).to_contain_text(f"{CLASSROOM} has {count} sessions: First Tuesday of each month at 10:00")
    expect(page.locator("li.session")).to_have_count(count)
    check_page(page)
    assert Session.objects.filter(classroom=classroom).count() == count

    # A title, saved in place (htmx under the Content Security Policy).
    first_row = page.locator("li.session").first
    first_row.locator("summary", has_text="Add a title").click()
    first_row.get_by_role("textbox").fill("Naming feelings")
    first_row.get_by_role("button", name="Save").click()
    expect(page.locator("li.session").first).to_contain_text("Naming feelings")
    expect(page.get_by_role("status")).to_have_count(2)  # the page's message and the row's "Title saved."

    # Last week's session, never marked (the browser cannot travel in time: it is made here).
    past = Session.objects.create(
        classroom=classroom, starts_at=(timezone.now() - timedelta(days=6)).replace(second=0, microsecond=0),
        title="Sharing a toy",
    )
    page.reload()
    row = page.locator(f"#session-{past.pk}")
    expect(row).to_contain_text("Overdue")
    expect(page.get_by_text("1 session is over but not marked held or cancelled.")).to_be_visible()
    row.get_by_role("link", name=re.compile("^Mark held")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark a session held")
    check_page(page)
    page.get_by_label("What happened (optional)").fill("We passed the toy around and named how waiting felt.")
    page.get_by_role("button", name="Mark held").click()

    expect(page.get_by_role("status")).to_contain_text("is marked held")
    row = page.locator(f"#session-{past.pk}")
    expect(row).to_contain_text("Held")
    expect(row).to_contain_text("We passed the toy around")
    expect(row).not_to_contain_text("Overdue")
    check_page(page)
    past.refresh_from_db()
    assert past.status == Session.Status.HELD


@pytest.mark.parametrize("width", [390, 1280])
def test_the_session_pages_pass_the_accessibility_check(demo, page, sign_in, check_page, width):
    """Every session page, teacher's and student's, on a phone and a desktop, passes axe and has one h1."""
    page.set_viewport_size({"width": width, "height": 900})
    classroom = Classroom.objects.get(name="Room 3 · Kindergarten")
    planned = Session.objects.filter(classroom=classroom, status="planned", starts_at__gt=timezone.now()).first()
    base = f"/classrooms/{classroom.pk}/"
    sign_in(page, "teacher.rivera")
    for path in ("", "sessions/", "program-year/", f"sessions/{planned.pk}/reschedule/", f"sessions/{planned.pk}/held/"):
        page.goto(base + path)
        check_page(page)
    page.goto(base + "sessions/")
    row = page.locator(f"#session-{planned.pk}")
    row.locator("summary").first.click()
    row.locator("summary", has_text="Cancel").click()
    check_page(page)  # the opened title and cancel forms are labelled too
    page.goto(base + f"sessions/{planned.pk}/reschedule/")
    page.get_by_label("New date").fill("2020-01-07")
    page.get_by_role("button", name="Move the session").click()
    expect(page.get_by_text("That time has already passed")).to_be_visible()
    expect(page.get_by_label("New date")).to_be_focused()
    check_page(page)
    page.context.clear_cookies()
    sign_in(page, "maple.s1")
    page.goto(base + "sessions/")
    check_page(page)
    expect(page.get_by_text("Overdue")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
