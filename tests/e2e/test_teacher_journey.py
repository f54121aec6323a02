"""A teacher sets up a classroom and its accounts; a child signs in with the card they were given."""

import re

import pytest
from playwright.sync_api import expect

from classrooms.models import Classroom

pytestmark = pytest.mark.e2e

CLASSROOM = "Room 21 · Grade 3"


def test_teacher_creates_a_classroom_adds_students_and_a_student_signs_in_from_the_card(
    fresh_demo, new_context, page, sign_in, sign_out, check_page, watch
):
    """From an empty classroom to a child on their own home page, all through the pages."""
    sign_in(page, "teacher.rivera")

    # Create the classroom.
    page.get_by_role("link", name="Create a classroom").click()
    check_page(page)
    page.get_by_label("Classroom name").fill(CLASSROOM)
    page.get_by_label("Grade").select_option(label="Grade 3")
    page.get_by_role("button", name="Create classroom").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(CLASSROOM)
    expect(page.get_by_role("status")).to_contain_text(f"{CLASSROOM} is ready")
    check_page(page)
    classroom = Classroom.objects.get(name=CLASSROOM)
    summary = page.get_by_role("definition").filter(has_text=classroom.join_code_display)
    expect(summary).to_be_visible()  # the join code, at the top of the page
    expect(page.get_by_role("link", name="0 students")).to_be_visible()

    # Add two students by name, from the Students tab.
    page.get_by_role("link", name="0 students").click()
    expect(page.get_by_role("tab", name="Students")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("No students yet.")).to_be_visible()
    page.get_by_role("link", name="Add students").click()
    check_page(page)
    page.get_by_label("Students' names").fill("Maya Rodriguez\nTheo Okafor")
    page.get_by_role("button", name="Make accounts").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sign-in cards · {CLASSROOM}")
    check_page(page)
    cards = {}
    for name in ("Maya Rodriguez", "Theo Okafor"):
        card = page.get_by_role("article", name=f"Card for {name}")
        expect(card).to_contain_text(CLASSROOM)
        username = card.locator("dt:text-is('Username') + dd").inner_text()
        password = card.locator("dt:text-is('Password') + dd").inner_text()
        assert re.fullmatch(r"[a-z]+-[a-z]+-\d\d", password), password
        cards[name] = (username, password)
    assert cards["Maya Rodriguez"][0] == "maya.r"
    assert cards["Theo Okafor"][0] == "theo.o"

    # On paper: the cards and nothing else.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print cards")).to_be_hidden()
    expect(page.get_by_role("article")).to_have_count(2)
    page.emulate_media(media="screen")

    # The roster lists them: back on the classroom page, the tab last chosen is open again.
    page.get_by_role("link", name="Back to the classroom").click()
    expect(page.get_by_role("tab", name="Students")).to_have_attribute("aria-selected", "true")
    roster = page.get_by_role("region", name=re.compile("^Students"))
    expect(roster.get_by_role("listitem")).to_have_count(2)
    expect(roster).to_contain_text("maya.r")
    sign_out(page)

    # Maya signs in with her card on another computer: a fresh context, no teacher's cookie.
    student_page = watch(new_context().new_page())
    username, password = cards["Maya Rodriguez"]
    sign_in(student_page, username, password)

    expect(student_page.get_by_role("heading", level=1)).to_have_text("Hi, Maya!")
    my_classrooms = student_page.get_by_role("region", name="My classrooms")
    my_classrooms.get_by_role("link", name=CLASSROOM).click()
    expect(student_page.get_by_role("heading", level=1)).to_have_text(CLASSROOM)
    check_page(student_page)


def test_removing_a_student_asks_first_and_cancel_keeps_them(fresh_demo, page, sign_in):
    """A mis-tap on "Remove" on a phone does not take a child off the roster."""
    sign_in(page, "teacher.rivera")
    page.get_by_role("link", name="Room 3 · Kindergarten", exact=True).click()
    page.get_by_role("tab", name="Students").click()
    remove = page.get_by_role("button", name="Remove Ben Haddad")
    questions, posts = [], []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    remove.click()
    assert posts == []  # cancelled: nothing was sent
    page.reload()
    expect(remove).to_be_visible()  # and Ben is still on the roster

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    remove.click()
    expect(page.get_by_role("status")).to_contain_text("Ben Haddad was removed from Room 3 · Kindergarten")
    expect(remove).to_have_count(0)
    assert questions == ["Remove Ben Haddad from this classroom? Their account and work are kept."] * 2
