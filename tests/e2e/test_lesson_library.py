"""The lesson library in a browser, at phone and desktop width: a teacher finds a lesson, reads it, previews it as a
student in Spanish, and opens the pages that plan a session's lesson and write one's own; every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=WIDTHS)
def sized_page(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return page


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), f"{page.url} scrolls sideways"


def test_a_teacher_finds_reads_and_previews_a_lesson(demo, sized_page, sign_in, check_page):
    page = sized_page
    sign_in(page, "teacher.rivera")
    if page.get_by_role("button", name="Menu").is_visible():
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lesson library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson library")
    check_page(page)
    no_sideways_scroll(page)
    page.get_by_label("Search").fill("baby")
    page.get_by_label("Kind of activity").select_option("feelings_guess")
    page.get_by_role("button", name="Show lessons").click()
    expect(page.get_by_role("status").filter(has_text="found")).to_contain_text("found")
    check_page(page)
    page.get_by_role("link", name="Hello, baby!").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, baby!")
    check_page(page)
    no_sideways_scroll(page)
    page.get_by_role("link", name="Preview as a student").click()
    check_page(page)
    page.get_by_role("link", name="Español").click()
    expect(page.locator(".student-screen h2")).to_have_text("¿Cómo se siente el bebé?")
    check_page(page)
    no_sideways_scroll(page)


def test_the_pages_that_plan_a_session_and_write_a_lesson(demo, sized_page, sign_in, check_page):
    page = sized_page
    sign_in(page, "teacher.rivera")
    page.goto("/classrooms/")
    page.get_by_role("link", name=re.compile("Kindergarten")).first.click()
    page.goto(page.url.rstrip("/") + "/sessions/")
    check_page(page)
    page.locator(".session__lesson a[href*='/plan/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose the lesson")
    check_page(page)
    no_sideways_scroll(page)
    page.goto("/curriculum/library/new/")
    check_page(page)
    page.get_by_role("button", name="Save the lesson").click()
    expect(page.locator(".is-invalid").first).to_be_visible()
    check_page(page)
    no_sideways_scroll(page)
