"""A listening circle in the browser: a teacher at a desk (with the projector in a second tab) and three students on
their phones, each in a browser context of their own, all at once, through one full rotation: each speaks once,
chooses who sums up, ends their talking and says how heard they felt; then a closing card.
HEARD_SCREENSHOTS=<folder> keeps a picture of each page at 390 and 1280 px."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from classrooms.models import Classroom
from curriculum.models import CircleCard, CircleTurn, Lesson, LiveMember, LiveRun
from home.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("HEARD_SCREENSHOTS")


def shoot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for label, size in (("390", PHONE), ("1280", DESKTOP)):
            before = page.viewport_size
            page.set_viewport_size(size)
            page.screenshot(path=str(Path(SHOTS) / f"circle-{name}-{label}.png"), full_page=True)
            page.set_viewport_size(before)


def test_a_teacher_runs_a_circle_of_three_through_one_full_rotation(
    fresh_demo, page, browser, base_url, watch, browser_errors, sign_in, check_page
):
    lesson = Lesson.objects.get(slug="cc-35-04-listening-all-the-way", owner__isnull=True)
    room = Classroom.objects.get(name="Room 12 · Grade 4")
    usernames = list(room.enrollments.order_by("student__username").values_list("student__username", flat=True)[:3])

    teacher = page
    teacher.set_viewport_size(DESKTOP)
    sign_in(teacher, "teacher.nguyen")
    teacher.goto(lesson.get_absolute_url())
    teacher.get_by_role("button", name=re.compile(r"^Start live with Room 12")).first.click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("When I Was New")
    run = LiveRun.objects.exclude(state="closed").get(classroom=room)  # the demo's own runs are closed
    check_page(teacher)

    students = {}
    for username in usernames:
        context = browser.new_context(base_url=base_url, viewport=PHONE)
        student = watch(context.new_page())
        sign_in(student, username, DEMO_PASSWORD)
        student.goto(run.get_absolute_url())
        expect(student.get_by_text("Your teacher will put you in a small group soon.")).to_be_visible()
        students[username] = student
    check_page(students[usernames[0]])
    expect(teacher.get_by_text("3 students have joined.")).to_be_visible()  # by the poll

    teacher.get_by_role("button", name="Next: Groups formed").click()
    teacher.get_by_label("Students in a group").select_option("3")
    teacher.get_by_role("button", name=re.compile(r"^Form (groups|again)$")).click()
    expect(teacher.get_by_role("heading", name=re.compile(r"^Group 1"))).to_be_visible()
    teacher.get_by_role("button", name="Next: Under way").click()
    check_page(teacher)
    shoot(teacher, "teacher-start")

    projector = watch(teacher.context.new_page())
    projector.set_viewport_size(DESKTOP)
    projector.goto(f"/curriculum/live/{run.pk}/projector/")
    expect(projector.get_by_role("heading", name="A good summing up")).to_be_visible()
    check_page(projector)

    order = list(
        LiveMember.objects.filter(run=run).order_by("pk").values_list("student__username", "student__first_name")
    )
    speaker = order[0][0]
    for number in (1, 2, 3):
        me = students[speaker]
        expect(
            me.get_by_role("heading", name="Who will sum up what you say?")
        ).to_be_visible()  # by the poll, for the next ones
        if number == 1:
            check_page(me)
            shoot(me, "student-choose")
        me.locator(".circle-choose__buttons .btn-primary").click()
        expect(me.get_by_role("heading", name="You talk. Your group listens.")).to_be_visible()
        turn = CircleTurn.objects.get(run=run, number=number)
        reflector = turn.reflector.username
        listener = next(u for u in usernames if u not in (speaker, reflector))
        speaker_name = dict(order)[speaker]
        expect(students[reflector].get_by_role("heading", name=f"Listen closely to {speaker_name}.")).to_be_visible()
        expect(students[listener].get_by_role("heading", name=f"Listen quietly to {speaker_name}.")).to_be_visible()
        expect(me.get_by_role("timer")).to_contain_text(re.compile(r"[12]:\d\d"))
        expect(projector.locator(".circle-board")).to_contain_text(speaker_name)  # the wall follows by its poll
        if number == 1:
            check_page(me)
            check_page(students[reflector])
            check_page(students[listener])
            shoot(me, "student-speaker")
            shoot(students[reflector], "student-reflector")
            shoot(students[listener], "student-listener")
            shoot(projector, "projector-running")
            me.reload()  # the server's clock: the time left survives a reload
            expect(me.get_by_role("timer")).to_contain_text(re.compile(r"[12]:\d\d"))
        me.get_by_role("button", name="I’m done talking").click()
        expect(me.get_by_role("heading", name="Time is up. Now listen.")).to_be_visible()
        expect(
            students[reflector].get_by_role("heading", name=f"Your turn: tell {speaker_name} what you heard.")
        ).to_be_visible()
        if number == 1:
            check_page(me)
            shoot(me, "student-rate")
        me.get_by_role("button", name="5 Fully heard").click()
        expect(me.get_by_text("Thank you for telling your group!")).to_be_visible()
        speaker = reflector

    turns = list(CircleTurn.objects.filter(run=run).order_by("number"))
    assert sorted(t.speaker.username for t in turns) == sorted(usernames)
    assert [t.heard for t in turns] == [5, 5, 5]
    teacher.reload()
    expect(teacher.locator(".circle-rotation__counts", has_text="talked 1 · summed up 1")).to_have_count(3)
    check_page(teacher)
    shoot(teacher, "teacher-rotation")

    teacher.get_by_role("button", name="Next: Closing cards").click()
    writer = students[usernames[0]]
    expect(writer.get_by_role("heading", name="One last thing: your card")).to_be_visible()
    writer.get_by_label("I like …").fill("Everyone <b>listened</b> to me.")
    writer.get_by_role("button", name="Save my card").click()
    expect(writer.get_by_text("Write a few words here.")).to_be_visible()
    expect(writer.get_by_label("I like …")).to_have_value("Everyone <b>listened</b> to me.")
    writer.get_by_label("I wish …").fill("More time to talk.")
    writer.get_by_role("button", name="Save my card").click()
    expect(writer.get_by_text("Your card is saved. Thank you!")).to_be_visible()
    check_page(writer)
    shoot(writer, "student-card")
    assert CircleCard.objects.get(run=run).like == "Everyone <b>listened</b> to me."
    teacher.reload()
    expect(teacher.locator(".circle-card")).to_contain_text("Everyone <b>listened</b> to me.")
    check_page(teacher)
    shoot(teacher, "teacher-cards")
    assert browser_errors == []
