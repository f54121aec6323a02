"""Issue 9's people pages in the browser: an admin assigns a teacher to a classroom that had none, and a
teacher reprints one lost card, whose long username and password stay inside the card at 390 px and on paper."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from classrooms.models import Classroom, Enrollment

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=WIDTHS)
def sized_page(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return page


def inside(inner, outer) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5 and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
    )


def test_the_admin_assigns_a_teacher_to_a_classroom_without_one(fresh_demo, sized_page, sign_in, check_page):
    page = sized_page
    room = Classroom.objects.get(name="Room 12 · Grade 4")
    room.teachers.clear()  # as the roster import leaves a classroom
    sign_in(page, "admin.maple")
    page.goto(room.get_absolute_url())
    roster = page.get_by_role("region", name=re.compile("^Students"))
    expect(roster).to_contain_text("This classroom has no teacher yet.")
    roster.get_by_role("link", name="Assign a teacher").click()
    check_page(page)
    page.get_by_role("combobox", name="Teacher").select_option(label="Lucia Rivera (teacher.rivera)")
    page.get_by_role("button", name="Assign as teacher").click()
    expect(page.get_by_role("status")).to_contain_text("Lucia Rivera now teaches Room 12 · Grade 4 and was told so.")
    expect(page.get_by_role("region", name="Who teaches this classroom")).to_contain_text("Lucia Rivera")
    check_page(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_one_lost_card_is_reprinted_and_fits_its_border(fresh_demo, sized_page, sign_in, check_page):
    page = sized_page
    room = Classroom.objects.get(name="Room 3 · Kindergarten")
    long_name = User.objects.create_user(
        username="maximiliana.fernandez-oyelaran", first_name="Maximiliana", last_name="Fernández-Oyelaran",
        role=User.Role.STUDENT, school=room.school, grade=0, password="not-on-any-card-1",
    )
    Enrollment.objects.create(classroom=room, student=long_name)
    sign_in(page, "teacher.rivera")
    page.goto(room.get_absolute_url())
    page.get_by_role("link", name="New password and card for Maximiliana Fernández-Oyelaran").click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("A new sign-in card for Maximiliana Fernández-Oyelaran")
    page.get_by_role("button", name="Reset the password and show the card").click()
    card = page.get_by_role("article", name="Card for Maximiliana Fernández-Oyelaran")
    expect(page.get_by_role("article")).to_have_count(1)
    check_page(page)
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        box = card.bounding_box()
        for value in card.locator("dd").all():
            assert inside(value.bounding_box(), box), f"{value.inner_text()!r} runs past the card ({media})"
        password = card.locator("dt:text-is('Password') + dd")
        assert re.fullmatch(r"[a-z]+-[a-z]+-\d\d", password.inner_text())
        # The password stays on one line: broken at its hyphen it would read as two words.
        lines = password.evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e);"
            " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"
        )
        assert lines == 1, f"the password is on {lines} lines ({media})"
    page.emulate_media(media="screen")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]
