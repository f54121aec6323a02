"""The empathy story wall, end to end: a student of Room 3 writes a story on a phone and sends it; the teacher
approves it on a desktop; a student of Room 8 (the same school and band, K-2) reads it without the author's
name; the author stops sharing, and it is gone from Room 8's wall. HEARD_SCREENSHOTS=<folder> keeps a
picture of each page at 390 and 1280 px."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from classrooms.models import Classroom
from curriculum.assignments.services import assignment_create
from curriculum.models import Activity, Story, StoryRead

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("HEARD_SCREENSHOTS")
STORY = "When I was new, Mia showed me where the library was. I felt less alone. <script>alert(1)</script>"


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def both_widths(page, check_page, name: str) -> None:
    """Check and picture the page on a phone and on a desktop; it never scrolls sideways on the phone."""
    for size, label in ((PHONE, "390"), (DESKTOP, "1280")):
        page.set_viewport_size(size)
        check_page(page)
        shot(page, f"{name}-{label}")
        if size is PHONE:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"


def test_a_story_goes_from_the_writer_through_the_teacher_to_another_class_and_off_again(
    fresh_demo, new_context, watch, browser_errors, sign_in, check_page
):
    room3 = Classroom.objects.get(name="Room 3 · Kindergarten")
    room8 = Classroom.objects.get(name="Room 8 · Grade 2")
    teacher = User.objects.get(username="teacher.rivera")
    activity = Activity.objects.filter(kind="norm_story", lesson__owner__isnull=True).order_by("pk").first()
    assignment_create(classroom=room3, activity=activity, by=teacher)
    author = User.objects.get(username="maple.s1")
    reader = User.objects.get(username="maple.s17")
    assert reader.enrollments.filter(classroom=room8).exists()

    # The author writes on a phone, and sends it to the teacher.
    writer = watch(new_context(viewport=PHONE).new_page())
    sign_in(writer, "maple.s1")
    writer.goto("/curriculum/work/")
    writer.locator(".work-card").filter(has_text=activity.title).get_by_role("link").click()
    expect(writer.get_by_role("heading", level=1)).to_have_text(activity.title)
    writer.wait_for_load_state("load")
    writer.get_by_label("Your story").fill(STORY)
    writer.get_by_label(re.compile("Other classes in my grade may read my story too")).check()
    expect(writer.locator("#draft-status").filter(has_text="Saved")).to_be_visible(timeout=10_000)
    both_widths(writer, check_page, "story-write")
    writer.set_viewport_size(PHONE)
    writer.get_by_role("button", name="Send to my teacher").click()
    expect(writer.get_by_text("Your story is on its way to your teacher.")).to_be_visible()
    expect(writer.get_by_role("heading", name="Your story is with your teacher")).to_be_visible()
    check_page(writer)
    story = Story.objects.get(author=author)
    assert story.state == Story.State.PENDING and story.share_consent

    # Nobody else sees it yet.
    other = watch(new_context(viewport=PHONE).new_page())
    sign_in(other, "maple.s17")
    other.goto(f"/curriculum/classrooms/{room8.pk}/stories/")
    expect(other.get_by_text("No stories on the wall yet.")).to_be_visible()
    assert other.request.get(f"/curriculum/classrooms/{room8.pk}/stories/{story.pk}/").status == 404

    # The teacher approves it, on a desktop.
    desk = watch(new_context(viewport=DESKTOP).new_page())
    sign_in(desk, "teacher.rivera")
    desk.goto(f"/curriculum/classrooms/{room3.pk}/stories/review/")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Stories to review")
    queued = desk.locator(".story-queue__item").filter(has_text="Mia showed me where the library was")
    expect(queued).to_contain_text("<script>alert(1)</script>")  # shown as text
    expect(queued).to_contain_text("agrees to share with other classes")
    both_widths(desk, check_page, "story-review")
    desk.set_viewport_size(DESKTOP)
    queued.get_by_role("button", name="Put it on the wall").click()
    expect(desk.get_by_text(f"{author.display_name}'s story is on the wall.")).to_be_visible()
    check_page(desk)

    # A student of Room 8 reads it, without the author's name.
    other.goto(f"/curriculum/classrooms/{room8.pk}/stories/")
    card = other.locator(".story-card").filter(has_text="Mia showed me where the library was")
    expect(card).to_contain_text("From another class")
    expect(other.locator(".story-wall")).not_to_contain_text(author.first_name)
    both_widths(other, check_page, "story-wall")
    other.set_viewport_size(PHONE)
    card.get_by_role("button", name="Read the story").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("A story from another class")
    expect(other.locator(".story-page__text")).to_contain_text("<script>alert(1)</script>")
    check_page(other)
    other.wait_for_timeout(1200)
    other.goto(f"/curriculum/classrooms/{room8.pk}/stories/")  # leaving the page sends the time read
    expect(other.locator(".story-card").first).to_contain_text("You read this")
    read = StoryRead.objects.get(story=story, reader=reader)
    assert read.classroom_id == room8.pk and read.opens == 1
    for _ in range(20):  # the beacon goes out as the page is left, and may land a moment later
        if StoryRead.objects.get(pk=read.pk).seconds:
            break
        other.wait_for_timeout(250)
    assert StoryRead.objects.get(pk=read.pk).seconds >= 1

    # The author stops sharing: it is gone from Room 8's wall at once, and stays on Room 3's.
    writer.reload()
    writer.get_by_role("button", name="Stop sharing with other classes").click()
    expect(writer.get_by_text("Done. Only your own class can read your story now.")).to_be_visible()
    check_page(writer)
    other.reload()
    expect(other.get_by_text("No stories on the wall yet.")).to_be_visible()
    assert other.request.get(f"/curriculum/classrooms/{room8.pk}/stories/{story.pk}/").status == 404
    desk.goto(f"/curriculum/classrooms/{room3.pk}/stories/")
    expect(desk.locator(".story-card")).to_contain_text(f"By {author.first_name}")
    assert browser_errors == [], "the browser reported errors"
