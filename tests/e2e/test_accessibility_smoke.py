"""Every page, at phone and desktop width, in its ordinary and its error states: no serious or
critical axe-core violation, one <h1> and one <main> (the ``check_page`` fixture); and the skip link works."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from home.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=WIDTHS)
def sized_page(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return page


def visit(page, check_page, path):
    page.goto(path)
    check_page(page)


def test_signed_out_pages(demo, sized_page, check_page):
    """Sign-in (also after a wrong password) and the password reset pages."""
    page = sized_page
    visit(page, check_page, "/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Username")).to_have_attribute("aria-invalid", "true")
    check_page(page)
    page.get_by_label("Username").fill("maple.s1")
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    check_page(page)
    visit(page, check_page, "/accounts/password_reset/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_role("button", name="Send me the link").click()
    expect(page).to_have_url(re.compile(r"/password_reset/done/$"))
    check_page(page)
    visit(page, check_page, "/accounts/reset/MQ/set-password/")
    visit(page, check_page, "/accounts/reset/done/")


def test_the_page_check_runs_axe_under_the_csp_and_names_what_it_finds(demo, page, check_page):
    """axe runs on Heard's pages despite script-src 'self', and an unlabelled field fails with its rule and selector."""
    page.goto("/accounts/login/")
    check_page(page)
    page.locator("main").evaluate("main => main.insertAdjacentHTML('beforeend', '<input id=\"unlabelled\">')")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_page(page)
    assert "- label (critical): Form elements must have labels" in str(failure.value)
    assert "#unlabelled" in str(failure.value)


def test_skip_link_is_the_first_stop_and_lands_on_main(demo, page, sign_in):
    """A keyboard user's first Tab offers to skip the navigation."""
    sign_in(page, "teacher.rivera")
    page.goto("/notifications/")  # a page with no autofocus field
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_teacher_pages(demo, sized_page, sign_in, check_page):
    """Home, classrooms, a classroom with its roster, and each form empty and with errors."""
    page = sized_page
    sign_in(page, "teacher.rivera")
    visit(page, check_page, "/classrooms/")
    page.get_by_role("link", name="Room 3 · Kindergarten").click()
    check_page(page)
    expect(page.get_by_role("button", name="Remove Ben Haddad")).to_be_visible()
    classroom_url = page.url

    page.get_by_role("link", name="Add students").click()
    check_page(page)
    page.get_by_role("button", name="Make accounts").click()
    expect(page.get_by_label("Students' names")).to_be_focused()  # the first error is where focus starts
    check_page(page)

    visit(page, check_page, classroom_url + "cards/")
    page.get_by_role("button", name=re.compile("^Reset their passwords")).click()
    expect(page.get_by_role("alert")).to_have_text("Choose at least one student.")
    check_page(page)

    visit(page, check_page, "/classrooms/new/")
    page.get_by_role("button", name="Create classroom").click()
    expect(page.get_by_label("Classroom name")).to_have_attribute("aria-invalid", "true")
    check_page(page)

    visit(page, check_page, "/notifications/")
    visit(page, check_page, "/accounts/password_change/")
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_label("Old password")).to_have_attribute("aria-invalid", "true")
    check_page(page)


def test_student_pages(demo, sized_page, sign_in, check_page):
    """Home, classrooms, a classroom, and joining with a wrong code."""
    page = sized_page
    sign_in(page, "maple.s1")
    visit(page, check_page, "/classrooms/")
    page.get_by_role("link", name="Room 3 · Kindergarten").click()
    check_page(page)
    visit(page, check_page, "/classrooms/join/")
    page.get_by_label("Join code").fill("ZZZ-ZZZ")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_text("There is no classroom with the code")).to_be_visible()
    check_page(page)
    visit(page, check_page, "/notifications/")


def test_the_phone_menu_opens_and_names_its_links(demo, page, sign_in, check_page):
    """On a phone the navigation folds into a labelled menu button."""
    page.set_viewport_size(WIDTHS["phone"])
    sign_in(page, "teacher.rivera")
    menu = page.get_by_role("button", name=re.compile("^Menu"))
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name=re.compile("^Notifications"))).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    check_page(page)  # the open menu too


def es(text: str) -> str:
    """What the Spanish catalogue shows for ``text``."""
    with translation.override("es"):
        return translation.gettext(text)


@pytest.mark.browser_context_args(locale="es-MX", extra_http_headers={"Accept-Language": "es-MX,es;q=0.9"})
def test_a_child_whose_browser_speaks_spanish_reads_heard_in_spanish(demo, sized_page, check_page):
    """Sign-in, home, a classroom and its baby's growth: in Spanish, at both widths, and as accessible as in English."""
    page = sized_page
    visit(page, check_page, "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(es("Sign in to Heard"))
    page.get_by_label(es("Username")).fill("maple.s1")
    page.get_by_label(es("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=es("Sign in")).click()
    expect(page.get_by_role("heading", level=2, name=es("My classrooms"))).to_be_visible()
    check_page(page)
    page.get_by_role("heading", level=3, name="Room 3 · Kindergarten").get_by_role("link").click()
    expect(page.get_by_role("heading", level=2, name=es("Coming up"))).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=es("How the baby grows"))).to_be_visible()
    check_page(page)


def test_the_footer_button_turns_the_page_spanish_and_back(demo, page, check_page):
    """On a school laptop set to English, "Ver esta página en español" switches, and stays switched on the next page."""
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Ver esta página en español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(es("Sign in to Heard"))
    check_page(page)
    page.goto("/accounts/password_reset/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("button", name="View this page in English").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(es("Sign in to Heard"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
