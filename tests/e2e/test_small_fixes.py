"""Issue 9's browser-visible fixes: no CSP violation when a title is saved, contrast, Esc on the phone menu,
the language choice in the menu, and Heard's own 404 page."""

import re

import pytest
from playwright.sync_api import expect

from classrooms.models import Classroom

pytestmark = pytest.mark.e2e

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}

# Added before any page script runs, outside the page's CSP: every violation the page meets is kept.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + (event.sample || ""));
});
"""


def test_saving_a_session_title_with_htmx_breaks_no_content_security_policy(fresh_demo, page, sign_in):
    """htmx's indicator styles would be an injected <style>: the meta tag turns them off, heard.css has them."""
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    sign_in(page, "teacher.rivera")
    classroom = Classroom.objects.filter(teachers__username="teacher.rivera").order_by("pk").first()
    page.goto(f"/classrooms/{classroom.pk}/sessions/")
    assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False
    row = page.locator("li.session").first
    row.locator("summary", has_text=re.compile("title")).click()
    row.get_by_role("textbox").fill("Naming feelings")
    row.get_by_role("button", name="Save").click()
    expect(page.locator("li.session").first).to_contain_text("Naming feelings")
    assert page.evaluate("() => window.__cspViolations") == []
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0
    # The page fixture also fails the test on any console error, which is how Chromium reports a violation.


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_import_page_passes_the_contrast_check(demo, page, sign_in, check_page, size):
    """The import page's <code> file and column names (Bootstrap's pink was 4.3:1 on the paper colour)."""
    page.set_viewport_size(size)
    sign_in(page, "admin.maple")
    page.goto("/classrooms/import/")
    expect(page.locator("main code").first).to_be_visible()
    check_page(page)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_mark_as_read_on_an_unread_notification_passes_the_contrast_check(demo, page, sign_in, check_page, size):
    """Already fixed by 479c53e (outline buttons on tinted rows); kept here so that it stays fixed."""
    page.set_viewport_size(size)
    sign_in(page, "teacher.rivera")
    page.goto("/notifications/")
    expect(page.locator(".list-group-item-warning").get_by_role("button", name=re.compile("^Mark as read"))).to_be_visible()
    check_page(page)


def test_escape_closes_the_phone_menu_and_gives_focus_back_to_its_button(demo, page, sign_in):
    page.set_viewport_size(PHONE)
    sign_in(page, "teacher.rivera")
    menu = page.get_by_role("button", name=re.compile("^Menu"))
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#nav-menu")).to_have_class(re.compile(r"\bshow\b"))  # opened, not still opening
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").focus()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#nav-menu")).not_to_be_visible()
    expect(menu).to_be_focused()


def test_the_language_choice_in_the_phone_menu_switches_and_stays(demo, page, sign_in, check_page):
    page.set_viewport_size(PHONE)
    sign_in(page, "maple.s1")
    page.get_by_role("button", name=re.compile("^Menu")).click()
    page.get_by_role("button", name="Ver en español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_page(page)
    page.goto("/classrooms/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("button", name=re.compile("^Menú")).click()
    page.get_by_role("button", name="View in English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_missing_page_is_heards_page_with_the_navigation(demo, page, sign_in, check_page, browser_errors, size):
    page.set_viewport_size(size)
    sign_in(page, "teacher.rivera")
    response = page.goto("/classrooms/999999/")
    assert response.status == 404
    # Chromium logs the 404 itself as a console error: that one is the point of the test, any other still fails it.
    browser_errors[:] = [e for e in browser_errors if "status of 404" not in e]
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to your home page")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Signed in as")
    check_page(page)
