"""A dilemma run live: Room 12's teacher starts it from the lesson page and leads it from their page and the
projector, while four students follow on their phones at the same time (five browser contexts at once):
vote, groups, saying back a classmate's reason, rating it, the re-vote and the result.
HEARD_SCREENSHOTS=<folder> keeps a picture of each page at 390 and 1280 px."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from classrooms.models import Classroom
from curriculum.models import Activity, DilemmaVote, LiveRun, Restatement

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("HEARD_SCREENSHOTS")
# The poll runs every 2 seconds; the pages follow within a few polls.
FOLLOW = 15_000


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"dilemma-{name}.png"), full_page=True)


def both_widths(page, name: str, check_page) -> None:
    """The page at a phone's width and a desktop's, checked (axe) and pictured at each."""
    before = page.viewport_size
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        check_page(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{page.url} is {width} px wide at {size['width']} px"
        shot(page, f"{name}-{size['width']}")
    page.set_viewport_size(before)


def test_a_teacher_runs_a_dilemma_with_four_students_end_to_end(
    fresh_demo, browser, base_url, watch, sign_in, check_page
):
    room = Classroom.objects.get(name="Room 12 · Grade 4")
    usernames = list(room.enrollments.order_by("student__username").values_list("student__username", flat=True)[:4])
    activity = Activity.objects.get(
        lesson__slug="cc-35-12-left-out-at-recess", kind="dilemma", lesson__owner__isnull=True
    )

    contexts = []

    def new_page(size):
        context = browser.new_context(viewport=size, base_url=base_url)
        contexts.append(context)
        return watch(context.new_page())

    teacher = new_page(DESKTOP)
    sign_in(teacher, "teacher.nguyen")
    teacher.goto(activity.lesson.get_absolute_url())
    start = teacher.locator(f'form[action="/curriculum/live/start/"]:has(input[name=activity][value="{activity.pk}"])')
    if start.locator("select").count():
        start.locator("select").select_option(label=room.name)
    start.get_by_role("button").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text(activity.title)
    run = LiveRun.objects.exclude(state="closed").get(classroom=room)  # the demo's own runs are closed
    projector = teacher.context.new_page()
    watch(projector)
    projector.goto(f"/curriculum/live/{run.pk}/projector/")

    students = []
    for username in usernames:
        page = new_page(PHONE)
        sign_in(page, username)
        page.goto(run.get_absolute_url())
        expect(page.get_by_text("Your teacher will open the vote in a moment.")).to_be_visible()
        students.append(page)
    expect(teacher.get_by_text("4 students have joined.")).to_be_visible(timeout=FOLLOW)
    both_widths(students[0], "student-open", check_page)

    # Voting: each student picks and says why; the wall shows the split as it comes in, no names.
    teacher.get_by_role("button", name="Next: Voting").click()
    choices = [
        "Go along with Kai. It is his club.",
        "Leave the club and go play with Jada.",
        "Go along with Kai. It is his club.",
        "Ask Kai to let more kids in the club.",
    ]
    for i, (page, choice) in enumerate(zip(students, choices, strict=True)):
        expect(page.get_by_role("group", name="What would you do? Pick one.")).to_be_visible(timeout=FOLLOW)
        if i == 0:
            both_widths(page, "student-vote", check_page)
            page.get_by_role("button", name="Send my vote").click()  # nothing picked, nothing typed
            expect(page.get_by_text("Pick one of the choices.")).to_be_visible()
        page.locator("label.dilemma-choice__label", has_text=choice).click()
        expect(page.get_by_role("radio", name=choice)).to_be_checked()
        page.get_by_label("Why did you pick that choice?").fill(f"Reason {i}: <b>Jada</b> would feel sad.")
        expect(page.get_by_text(re.compile(r"^\d+ of 1000 letters$"))).to_be_visible()
        page.get_by_role("button", name="Send my vote").click()
        expect(page.get_by_text("Your vote is in. Thank you!")).to_be_visible()
    expect(students[0].get_by_text("Because: Reason 0: <b>Jada</b> would feel sad.")).to_be_visible()
    expect(projector.get_by_text("First vote: 4 votes")).to_be_visible(timeout=FOLLOW)
    expect(projector.locator(".dilemma-split__row").first).to_contain_text("2 votes (50%)")
    for username in usernames:
        expect(projector.locator("main")).not_to_contain_text(username)
    both_widths(projector, "projector-voting", check_page)

    # Groups from the votes: mixed, then the teacher goes on.
    teacher.get_by_role("button", name="Next: Groups formed").click()
    teacher.get_by_label("Mixed: different answers in each group").check()
    teacher.get_by_label("Students in a group").select_option("4")
    # (the foundation's form reads "Form again" while everyone is still in no group: its ``groups`` holds them)
    teacher.locator(".live-controls__groups").get_by_role("button").click()
    expect(teacher.get_by_role("heading", name="Group 1 · 4 students")).to_be_visible()
    both_widths(teacher, "teacher-grouped", check_page)
    expect(students[1].get_by_role("heading", name="You are in group 1")).to_be_visible(timeout=FOLLOW)

    # Restating: each says back a classmate's reason (no name), then replies.
    teacher.get_by_role("button", name="Next: Restating").click()
    for i, page in enumerate(students):
        expect(page.get_by_role("heading", name="A classmate chose differently")).to_be_visible(timeout=FOLLOW)
        if i == 0:
            both_widths(page, "student-restate", check_page)
        page.get_by_label("1. Say their reason back in your own words").fill(f"You think Jada would feel sad ({i}).")
        page.get_by_label("2. Now your reply: what do you think?").fill("I see it, and I also think of Kai.")
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_text("Thank you! Your classmate will see what you said back.")).to_be_visible()
    assert Restatement.objects.filter(run=run, restated_at__isnull=False).count() == 4

    # Each author says whether it got them: the page follows the classmate's restatement by itself.
    for page in students:
        section = page.locator(".dilemma-of-mine")
        expect(section).to_be_visible(timeout=FOLLOW)
        section.get_by_role("button", name="Yes, you got it").first.click()
        expect(page.get_by_text("You said: Yes, you got it.").first).to_be_visible()
    both_widths(students[2], "student-rated", check_page)
    expect(projector.locator(".dilemma-ratings")).to_contain_text("Yes, you got it", timeout=FOLLOW)

    # The re-vote: two change their minds.
    teacher.get_by_role("button", name="Next: Voting again").click()
    again = [
        "Go along with Kai. It is his club.",
        'Say, "Let\'s play a game that all of us can play."',
        'Say, "Let\'s play a game that all of us can play."',
        "Ask Kai to let more kids in the club.",
    ]
    for page, choice in zip(students, again, strict=True):
        expect(page.get_by_role("group", name="Vote again. You can keep your choice or change it.")).to_be_visible(
            timeout=FOLLOW
        )
        page.locator("label.dilemma-choice__label", has_text=choice).click()
        page.get_by_role("button", name="Send my vote").click()
        expect(page.get_by_text("Your vote is in. Thank you!")).to_be_visible()
    expect(projector.get_by_text("Second vote: 4 votes so far")).to_be_visible(timeout=FOLLOW)
    both_widths(projector, "projector-revote", check_page)

    teacher.once("dialog", lambda dialog: dialog.accept())
    teacher.get_by_role("button", name="Close the activity").click()
    expect(teacher.get_by_role("heading", name="How our minds moved")).to_be_visible()
    expect(teacher.get_by_text("2 people changed their choice.")).to_be_visible()
    both_widths(teacher, "teacher-closed", check_page)
    expect(projector.get_by_role("heading", name="How our minds moved")).to_be_visible(timeout=FOLLOW)
    table = projector.get_by_role("table")
    expect(table.get_by_role("columnheader", name="First choice")).to_be_visible()
    expect(table.get_by_role("row").nth(1)).to_contain_text("A")
    both_widths(projector, "projector-closed", check_page)
    expect(students[3].get_by_role("heading", name="How our minds moved")).to_be_visible(timeout=FOLLOW)
    both_widths(students[3], "student-closed", check_page)

    assert DilemmaVote.objects.filter(run=run).count() == 8
    assert set(Restatement.objects.filter(run=run).values_list("rating", flat=True)) == {"yes"}
    for context in contexts:
        context.close()
