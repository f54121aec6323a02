"""A team puzzle in browsers, all at once: a teacher (their page and the projector) and three students on
phones. Each student reads a different part, shares it, two save the group's answer at the same time (the
second is shown the first's words and saves again over them), and the projector shows the group's result.
HEARD_SCREENSHOTS=<folder> keeps a picture of each page at 390 and 1280 px."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from classrooms.models import Classroom
from curriculum.live import services as live
from curriculum.models import Activity, LiveRun, PuzzleAnswer

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("HEARD_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for label, size in (("390", PHONE), ("1280", DESKTOP)):
            before = page.viewport_size
            page.set_viewport_size(size)
            page.screenshot(path=str(Path(SHOTS) / f"puzzle-{name}-{label}.png"), full_page=True)
            page.set_viewport_size(before)


def test_a_teacher_and_three_students_put_a_puzzle_together(fresh_demo, browser, base_url, sign_in, check_page, watch):
    room = Classroom.objects.get(name="Room 12 · Grade 4")
    teacher_user = User.objects.get(username="teacher.nguyen")
    puzzle = (
        Activity.objects.filter(kind="team_puzzle", lesson__owner__isnull=True, lesson__band="3_5")
        .order_by("pk")
        .first()
    )
    parts = [part["en"] for part in puzzle.content["parts"]]
    usernames = list(
        room.enrollments.active().order_by("student__username").values_list("student__username", flat=True)[:3]
    )

    teacher_context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    teacher = watch(teacher_context.new_page())
    teacher.on("dialog", lambda dialog: dialog.accept())
    sign_in(teacher, "teacher.nguyen")
    run = live.live_start(classroom=room, activity=puzzle, by=teacher_user)
    teacher.goto(run.get_absolute_url())
    check_page(teacher)
    wall = watch(teacher_context.new_page())
    wall.goto(f"/curriculum/live/{run.pk}/projector/")

    students = []
    for username in usernames:
        context = browser.new_context(base_url=base_url, viewport=PHONE)
        student = watch(context.new_page())
        sign_in(student, username)
        student.goto(run.get_absolute_url())
        expect(student.get_by_role("status").first).to_contain_text("Your teacher will put you in a group soon.")
        students.append(student)
    expect(teacher.get_by_text("3 students have joined.")).to_be_visible()

    teacher.get_by_role("button", name="Next: Groups formed").click()
    teacher.get_by_label("Students in a group").select_option("3")
    teacher.get_by_role("button", name=re.compile(r"^Form (groups|again)$")).click()
    teacher.get_by_role("button", name="Next: Under way").click()
    expect(teacher.get_by_text("0 of 1 group has an answer.")).to_be_visible()

    seen = []
    for student in students:
        pieces = student.locator(".puzzle-piece__text")
        expect(pieces.first).to_be_visible(timeout=10_000)
        check_page(student)
        seen.append(set(pieces.all_inner_texts()))
    assert all(not (a & b) for n, a in enumerate(seen) for b in seen[n + 1 :]), "two students saw the same part"
    assert set().union(*seen) == set(parts)  # the group holds every part; one member holds two of the four
    shot(students[0], "student-piece")

    for n, student in enumerate(students):
        box = student.locator("textarea[id^=contribution-]").first
        box.fill(f"My piece says clue number {n + 1} <b>matters</b>.")
        student.get_by_role("button", name="Share with my group").first.click()
        expect(student.get_by_text("Shared ✓").first).to_be_visible()
    for n, student in enumerate(students):
        others = [f"My piece says clue number {m + 1} <b>matters</b>." for m in range(3) if m != n]
        expect(student.locator(".puzzle-shared__list li")).to_have_count(2, timeout=10_000)
        for words in others:
            expect(student.locator(".puzzle-shared__list")).to_contain_text(words)
    expect(teacher.locator(".puzzle-group__said")).to_have_count(3, timeout=10_000)  # one each; a second piece unshared

    # Two members write the answer at once: both start from the empty answer.
    first, second = students[0], students[1]
    second.get_by_label("Our answer").fill("Kickball, because the clues say so.")
    first.get_by_label("Our answer").fill("Four square on the blacktop.")
    first.get_by_role("button", name="Save our answer").click()
    expect(first.get_by_text(re.compile(r"Saved by .+ ✓"))).to_be_visible()
    second.get_by_role("button", name="Save our answer").click()
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("Someone in your group saved the answer a moment ago.")
    expect(alert).to_contain_text("Four square on the blacktop.")
    expect(second.get_by_label("Our answer")).to_have_value("Kickball, because the clues say so.")
    check_page(second)
    shot(second, "student-conflict")
    second.get_by_label("Our answer").fill("Four square on the blacktop: everyone can play it.")
    second.get_by_role("button", name="Save our answer").click()
    expect(second.get_by_text(re.compile(r"Saved by .+ ✓"))).to_be_visible()
    answer = PuzzleAnswer.objects.get(run=run)
    assert (answer.text, answer.version) == ("Four square on the blacktop: everyone can play it.", 2)

    expect(teacher.get_by_text("1 of 1 group has an answer.")).to_be_visible(timeout=10_000)
    expect(teacher.locator(".puzzle-groups")).to_contain_text("<b>matters</b>")
    check_page(teacher)
    shot(teacher, "teacher-running")
    shot(wall, "projector-running")
    teacher.get_by_role("button", name="Close the activity").click()
    expect(teacher.get_by_text("Answer for the teacher:")).to_be_visible()

    expect(wall.get_by_role("heading", name="What each group found")).to_be_visible(timeout=10_000)
    expect(wall.locator(".puzzle-result__text")).to_have_text("Four square on the blacktop: everyone can play it.")
    for username in usernames:
        expect(wall.locator("main")).not_to_contain_text(User.objects.get(username=username).last_name)
    check_page(wall)
    shot(wall, "projector-closed")
    shot(teacher, "teacher-closed")
    expect(students[2].get_by_text("Look at the board")).to_be_visible(timeout=10_000)
    shot(students[2], "student-closed")
    assert LiveRun.objects.get(pk=run.pk).state == "closed"
