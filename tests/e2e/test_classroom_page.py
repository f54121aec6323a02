"""The classroom page on a phone: a summary, then one part at a time behind tabs a keyboard can use;
the calendar address copies with one press; the join code fills a projector's screen."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def open_room3(page, sign_in):
    page.set_viewport_size(PHONE)
    sign_in(page, "teacher.rivera")
    page.get_by_role("link", name="Room 3 · Kindergarten", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Room 3 · Kindergarten")


def test_a_phone_shows_the_summary_and_one_part_at_a_time(demo, page, sign_in, check_page):
    """Room 3 was 5,745 px long at 390 px with every part on it; now its first screen says what needs doing."""
    open_room3(page, sign_in)
    summary = page.get_by_role("definition")
    expect(summary.filter(has_text="session to mark")).to_be_visible()
    expect(page.get_by_role("link", name="16 students")).to_be_visible()
    expect(page.get_by_role("link", name="Show it full screen")).to_be_visible()
    expect(page.get_by_role("tabpanel")).to_have_count(1)  # the others are hidden
    expect(page.get_by_role("tabpanel", name="Sessions")).to_be_visible()
    height = page.evaluate("document.body.scrollHeight")
    assert height < 1600, f"the classroom page is {height} px long on a phone"
    check_page(page)


def test_the_tabs_follow_the_aria_pattern_with_the_keyboard(demo, page, sign_in):
    open_room3(page, sign_in)
    sessions = page.get_by_role("tab", name="Sessions")
    expect(sessions).to_have_attribute("aria-selected", "true")
    sessions.focus()
    page.keyboard.press("ArrowRight")
    students = page.get_by_role("tab", name="Students")
    expect(students).to_be_focused()
    expect(students).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name="Students")).to_be_visible()
    expect(page.get_by_role("tabpanel", name="Sessions")).to_be_hidden()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Calendar")).to_be_focused()
    page.keyboard.press("ArrowRight")  # round to the first
    expect(sessions).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="Calendar")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Tab")  # out of the tab list, into the part shown
    expect(page.get_by_role("tabpanel", name="Calendar")).to_be_focused()
    # The summary's links open their tab.
    page.get_by_role("link", name="16 students").click()
    expect(students).to_have_attribute("aria-selected", "true")
    # The tab chosen last is open again when the teacher comes back (after a form, a redirect).
    page.reload()
    expect(students).to_have_attribute("aria-selected", "true")


def test_without_javascript_every_part_is_on_the_page_and_the_tabs_are_links(demo, browser, base_url, check_page):
    context = browser.new_context(java_script_enabled=False, base_url=base_url, viewport=PHONE)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("teacher.rivera")
    page.get_by_label("Password").fill("heard-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Room 3 · Kindergarten", exact=True).click()
    expect(page.get_by_role("tab")).to_have_count(0)
    page.get_by_role("link", name="Join code", exact=True).click()
    expect(page).to_have_url(re.compile(r"#join_code$"))
    expect(page.get_by_role("button", name="Make a new code")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Ben Haddad")).to_be_visible()  # the roster is there too
    context.close()


def test_the_calendar_address_copies_and_says_so(fresh_demo, page, sign_in):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_room3(page, sign_in)
    page.get_by_role("tab", name="Calendar").click()
    page.get_by_role("button", name="Make a calendar link").click()
    expect(page.get_by_role("tab", name="Calendar")).to_have_attribute("aria-selected", "true")  # back where it was made
    address = page.get_by_label("Calendar address").input_value()
    page.get_by_role("button", name="Copy the address").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_have_text("Copied: paste it into your calendar app.")
    assert page.evaluate("navigator.clipboard.readText()") == address


def test_the_join_code_goes_full_screen_for_the_projector(demo, page, sign_in, check_page):
    open_room3(page, sign_in)
    page.get_by_role("link", name="Show it full screen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Room 3 · Kindergarten")
    check_page(page)
    code = page.locator(".join-projector__code")
    page.set_viewport_size({"width": 1280, "height": 720})
    assert code.bounding_box()["height"] > 120  # readable from the back of the room
    page.get_by_role("button", name="Full screen").click()
    expect(page.get_by_role("button", name="Leave full screen")).to_be_visible()
    assert page.evaluate("document.fullscreenElement && document.fullscreenElement.id") == "join-projector"
    page.get_by_role("button", name="Leave full screen").click()
    expect(page.get_by_role("button", name="Full screen")).to_be_visible()
