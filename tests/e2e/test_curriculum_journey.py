"""The curriculum end to end, in two browsers at once: a teacher finds a Baby-visits lesson in the library, plans
it on a session of the kindergarten and assigns its feelings guess from the sessions list; a student answers on a
phone, loses the connection in the middle, comes back and turns it in, and sees how close the guess came; the
teacher returns it with feedback, and the student reads it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classrooms.models import Classroom, Session
from curriculum.models import Lesson, SessionPlan, Submission

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_a_lesson_planned_assigned_answered_offline_turned_in_and_returned(
    fresh_demo, page, browser, base_url, watch, browser_errors, sign_in, check_page
):
    lesson = Lesson.objects.get(slug="bv-k2-01-post", owner__isnull=True)
    guess = lesson.activities.get(kind="feelings_guess")
    key = guess.content["key"]["feelings"]
    room3 = Classroom.objects.get(name="Room 3 · Kindergarten")
    session = Session.objects.filter(classroom=room3, starts_at__gt=timezone.now(), status="planned").order_by("starts_at").first()

    # The teacher, at a desk: the library, the lesson, and the session it is planned on.
    teacher = page
    teacher.set_viewport_size(DESKTOP)
    sign_in(teacher, "teacher.rivera")
    teacher.goto("/curriculum/library/")
    teacher.get_by_label("Search").fill(lesson.title)
    teacher.get_by_role("button", name="Show lessons").click()
    teacher.get_by_role("link", name=lesson.title).first.click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text(lesson.title)
    check_page(teacher)

    teacher.goto(f"/curriculum/library/classrooms/{room3.pk}/sessions/{session.pk}/plan/")
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Choose the lesson")
    teacher.get_by_label("Search").fill(lesson.title)
    teacher.get_by_role("button", name="Show lessons").click()
    teacher.locator("li.library-lesson", has_text=lesson.title).get_by_role("button", name=re.compile("^Plan this lesson")).click()
    assert SessionPlan.objects.get(session=session).lesson == lesson
    row = teacher.locator(f"#session-{session.pk}")
    expect(row.get_by_role("link", name=lesson.title)).to_be_visible()
    check_page(teacher)
    row.get_by_role("link", name="Assign this lesson's activities").click()
    card = teacher.locator(f"#activity-{guess.pk}")
    card.get_by_role("button", name=re.compile(r"^Assign")).click()
    expect(teacher.get_by_role("heading", level=1)).to_contain_text(guess.title)
    check_page(teacher)
    teacher.locator("form").filter(has=teacher.get_by_role("button", name="Assign", exact=True)).get_by_role(
        "button", name="Assign", exact=True
    ).click()
    work = Submission.objects.get(assignment__activity=guess, assignment__session=session, student__username="maple.s1")

    # The student, on a phone, in a browser of their own.
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    student = watch(context.new_page())
    sign_in(student, "maple.s1")
    student.goto("/curriculum/work/")
    student.get_by_role("link", name=re.compile(re.escape(guess.title))).first.click()
    student.wait_for_load_state("load")  # htmx has set up the autosave
    expect(student).to_have_url(re.compile(rf"/curriculum/work/{work.pk}/"))
    check_page(student)
    student.get_by_label(re.compile(rf"^{key[0]}$", re.I)).first.check()
    student.locator("label[for=intensity-3]").click()
    why = student.locator("textarea[name=why]")
    why.fill("Jada holds her mom's hand.")
    expect(student.locator("#draft-status").filter(has_text="Saved")).to_be_visible(timeout=10_000)

    # The connection drops while the student types: nothing reaches the server, the browser keeps it.
    before_offline = len(browser_errors)
    context.set_offline(True)
    why.fill("Jada holds her mom's hand. She looks at the floor.")
    expect(student.locator("#draft-status")).to_contain_text("Not saved yet: no connection.", timeout=10_000)
    assert "floor" not in Submission.objects.get(pk=work.pk).answer.get("why", "")
    context.set_offline(False)
    # What the browser said while offline (htmx's failed save, net::ERR_INTERNET_DISCONNECTED) is the point.
    offline_noise = browser_errors[before_offline:]
    assert offline_noise and all("DISCONNECTED" in e or "htmx:" in e for e in offline_noise), offline_noise
    del browser_errors[before_offline:]
    student.reload()
    expect(student.get_by_text("We put back what you typed on this device.")).to_be_visible()
    expect(why).to_have_value("Jada holds her mom's hand. She looks at the floor.")
    student.get_by_role("button", name="Turn in", exact=True).click()
    expect(student.get_by_text("You turned it in. Well done!")).to_be_visible()
    expect(student.get_by_role("heading", name="How close was your guess?")).to_be_visible()
    check_page(student)
    work.refresh_from_db()
    assert work.state == "turned_in" and "floor" in work.answer["why"] and work.accuracy_points == 2

    # The teacher returns it with a note; the student reads it.
    teacher.goto(f"/curriculum/work/{work.pk}/")
    expect(teacher.get_by_text("She looks at the floor.")).to_be_visible()
    teacher.get_by_label("Feedback").fill("You saw her eyes go to the floor. That is a great clue!")
    teacher.get_by_role("button", name="Return to the student").click()
    expect(teacher.get_by_text(re.compile("Returned|returned")).first).to_be_visible()
    student.reload()
    expect(student.get_by_role("heading", name=re.compile("Your teacher gave it back"))).to_be_visible()
    expect(student.get_by_text("You saw her eyes go to the floor. That is a great clue!")).to_be_visible()
    check_page(student)
    context.close()
