"""A student's work on a phone: the To do list, typing an answer that a reload does not lose, turning it in;
and the teacher's grid on a desktop. HEARD_SCREENSHOTS=<folder> keeps a picture of each page."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from classrooms.models import Classroom
from curriculum.assignments.services import assignment_create
from curriculum.models import Activity, Submission

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("HEARD_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def give_room3_work() -> Classroom:
    """Two library activities given to Room 3 by its teacher, one due tomorrow (without a picture: the
    library's drawings are still to come)."""
    room3 = Classroom.objects.get(name="Room 3 · Kindergarten")
    teacher = User.objects.get(username="teacher.rivera")
    writing = Activity.objects.filter(kind="perspective_writing", lesson__owner__isnull=True, content__picture__isnull=True).order_by("pk").first()
    guess = Activity.objects.filter(
        kind="feelings_guess", content__key_source="author", lesson__owner__isnull=True, content__picture__isnull=True
    ).order_by("pk").first()
    assignment_create(classroom=room3, activity=writing, by=teacher, instructions="Take your time.", due_at=timezone.now() + timedelta(days=1))
    assignment_create(classroom=room3, activity=guess, by=teacher)
    return room3


def test_a_student_types_on_a_phone_loses_nothing_to_a_reload_and_turns_it_in(fresh_demo, page, sign_in, check_page):
    give_room3_work()
    to_do = Submission.objects.filter(student__username="maple.s1", state__in=("assigned", "in_progress"))
    writing = to_do.get(assignment__kind="perspective_writing", assignment__due_at__isnull=False).assignment
    page.set_viewport_size(PHONE)
    sign_in(page, "maple.s1")
    page.goto("/curriculum/work/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    cards = page.locator(".work-card")
    expect(cards).to_have_count(to_do.count())  # the two given here, and the demo's own
    check_page(page)
    shot(page, "todo-390")
    cards.filter(has_text=writing.title).get_by_role("link").click()
    page.wait_for_load_state("load")  # htmx has set up the autosave
    box = page.locator("textarea[name=text]")
    box.fill("I am the baby. I wake up and I see a big light.")
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible(timeout=10_000)
    # Typed, then the page is reloaded before the autosave goes out: the browser's copy comes back, and is sent.
    box.fill("I am the baby. I wake up and I see a big light. Then my mum sings.")
    page.reload()
    expect(page.get_by_text("We put back what you typed on this device.")).to_be_visible()
    expect(box).to_have_value("I am the baby. I wake up and I see a big light. Then my mum sings.")
    expect(page.locator("#draft-status").filter(has_text="Saved")).to_be_visible(timeout=10_000)
    assert "Then my mum sings." in Submission.objects.get(student__username="maple.s1", assignment__kind="perspective_writing").answer["text"]
    expect(page.get_by_text(re.compile(r"\d+ of 2000 letters"))).to_be_visible()
    check_page(page)
    shot(page, "answer-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the answer page is {width} px wide on a phone"
    page.get_by_role("button", name="Turn in", exact=True).click()
    expect(page.get_by_text("You turned it in. Well done!")).to_be_visible()
    expect(page.get_by_role("button", name="Unsubmit to change it")).to_be_visible()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('heard-draft:')).length") == 0
    check_page(page)


def test_the_teacher_sees_each_students_work_in_a_grid(fresh_demo, page, sign_in, check_page):
    room3 = give_room3_work()
    Submission.objects.filter(assignment__classroom=room3, student__username="maple.s1").update(
        state=Submission.State.TURNED_IN, turned_in_at=timezone.now(), answer={"text": "Done."}
    )
    page.set_viewport_size(DESKTOP)
    sign_in(page, "teacher.rivera")
    page.goto(f"/curriculum/classrooms/{room3.pk}/assignments/")
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(16)
    expect(page.get_by_role("link", name=re.compile("Turned in")).first).to_be_visible()
    check_page(page)
    shot(page, "grid-1280")
