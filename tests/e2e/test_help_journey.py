"""Orange hats in a browser: a Maple student asks for help on a phone; an orange hat accepts, proposes a time and
records the meeting; a second student's request the screen flags reaches the adult counselor alone, with the
alert in the navigation bar, and no orange hat ever sees it."""

import re

import pytest
from playwright.sync_api import expect

from peer_counselors.models import HelpRequest

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_a_student_asks_an_orange_hat_helps_and_a_flagged_request_goes_to_the_counselor_alone(
    fresh_demo, page, sign_in, sign_out, check_page
):
    page.set_viewport_size(PHONE)
    sign_in(page, "maple.s40")
    page.get_by_role("link", name="Ask for help").click()
    check_page(page)
    expect(page.get_by_role("heading", name="What happens when you ask")).to_be_visible()
    page.get_by_label("Feeling left out").check()
    page.get_by_label("Tell us in a few words").fill("Nobody lets me play tag at <recess>.")
    page.get_by_label("When can you meet?").select_option(label="Lunch recess")
    page.get_by_role("button", name="Send to an orange hat").click()
    expect(page.get_by_role("status").filter(has_text="Sent!")).to_be_visible()
    expect(page.locator(".help-words__text")).to_have_text("Nobody lets me play tag at <recess>.")
    check_page(page)
    asked = HelpRequest.objects.get(requester__username="maple.s40")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    sign_in(page, "maple.s35")
    page.get_by_role("link", name=re.compile(r"Orange hat: \d+ requests for you")).click()
    check_page(page)
    page.locator(f'a[href="/help/{asked.pk}/"]').click()
    page.get_by_role("button", name="I'll help (accept)").click()
    expect(page.get_by_text("It is yours. Propose a time to meet.")).to_be_visible()
    page.get_by_label("When").fill("2030-05-14T12:10")
    page.get_by_label("Where (for example: the library)").fill("The bench by the gym")
    page.get_by_role("button", name="Propose this time").click()
    expect(page.get_by_text("Time proposed.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="We met: record how it went").click()
    check_page(page)
    page.get_by_label("Resolved").check()
    page.get_by_label("What did they agree on? (if they did)").fill("Everyone who asks can play.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. Thank you for helping.")).to_be_visible()
    sign_out(page)

    sign_in(page, "maple.s41")
    page.goto("/help/ask/")
    page.get_by_label("Something else").check()
    page.get_by_label("Tell us in a few words").fill("i want to kill myself")
    page.get_by_role("button", name="Send to an orange hat").click()
    safety = page.get_by_role("alert")
    expect(safety).to_contain_text("Thank you for telling us")
    expect(safety).to_contain_text("Ruth Okoye")
    expect(safety).to_contain_text("988")
    check_page(page)
    flagged = HelpRequest.objects.get(requester__username="maple.s41")
    sign_out(page)

    sign_in(page, "maple.s34")
    page.goto("/help/queue/")
    expect(page.locator(".help-card__link")).not_to_contain_text(["Something else"])
    assert page.request.get(f"/help/{flagged.pk}/").status == 404
    page.goto("/")
    sign_out(page)

    sign_in(page, "counselor.maple")
    alert = page.locator("#help-alert-nav")
    expect(alert).to_contain_text("2 safety requests")
    page.get_by_role("link", name=re.compile("Help requests")).first.click()
    check_page(page)
    page.locator(f'a[href="/help/{flagged.pk}/"]').click()
    expect(page.get_by_text("Flagged: no peer counselor can see this request.")).to_be_visible()
    expect(page.locator(".help-log")).to_contain_text("Opened")
    check_page(page)
    expect(page.locator("#help-alert-nav")).to_contain_text("1 safety request")
