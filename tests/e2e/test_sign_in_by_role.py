"""Each role signs in through the sign-in form, lands on its own home page, and signs out."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# (username, the page's <h1>, a heading only that role's home page has)
HOMES = {
    "student": ("maple.s1", "Hi, Ben!", "My classrooms"),
    "teacher": ("teacher.rivera", "Welcome, Lucia Rivera", "Classrooms I teach"),
    "counselor": ("counselor.maple", "Welcome, Ruth Okoye", "Family visits you lead"),
    "school_admin": ("admin.maple", "Maple Elementary", "Classrooms in this school"),
    "district_admin": ("district.admin", "Riverside Unified (demo)", "Schools"),
}


@pytest.mark.parametrize("role", HOMES)
def test_each_role_signs_in_to_its_own_home_page_and_out_again(role, demo, page, sign_in, sign_out):
    """The sign-in form takes every role to the home page written for it."""
    username, title, section = HOMES[role]

    sign_in(page, username)

    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", level=2, name=section, exact=True)).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    sign_out(page)


def test_a_wrong_password_shows_what_to_do_and_keeps_the_username(demo, page, check_page):
    """A child who mistypes is told so in words, and does not retype the username."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("maple.s1")
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("That username and password do not match")
    expect(page.get_by_label("Username")).to_have_value("maple.s1")
    check_page(page)
