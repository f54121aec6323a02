"""The whole survey journey in a browser: Cedar's admin opens a pre window for Homeroom 6B with Heard's own
self-report; the class answers (one student on a phone, who closes the tab half-way and comes back); the admin
closes it, opens the post window over the same form; the class answers again; the admin reads the outcomes,
sees the charts and downloads the table as CSV. Most students answer through the services (the same code the
pages call) to keep the test short; the figures the page shows are checked against scipy."""

import csv
import io
import re
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from scipy import stats as scipy_stats

from accounts.models import User
from classrooms.models import Classroom
from surveys import services
from surveys.models import Instrument, Item, Score, SurveyCycle

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def local_input(moment, zone) -> str:
    return timezone.localtime(moment, zone).strftime("%Y-%m-%dT%H:%M")


def class_answers(window, form, pupils, *, shift: int) -> None:
    """Each of ``pupils`` answers every item (a value of their own, ``shift`` higher at post) and hands it in."""
    items = list(form.items.filter(kind=Item.Kind.RATING).order_by("order"))
    for index, pupil in enumerate(pupils):
        response = services.response_open(window, pupil, form)
        for n, item in enumerate(items):
            value = min(item.scale_points, 1 + (index + n) % 4 + (shift if (index + n) % 3 else 0))
            services.answer_save(response, pupil, item.key, str(value))
        services.response_submit(response, pupil)


def answer_on_the_phone(page, total: int, first: int, last: int) -> None:
    questions = page.locator("fieldset.survey-item")
    expect(questions).to_have_count(total)
    for number in range(first, last + 1):
        question = questions.nth(number - 1)
        question.locator("label.survey-choice").nth(3).click()
        expect(question.get_by_role("status")).to_contain_text("Saved", timeout=10_000)


def test_an_admin_runs_a_pre_and_post_survey_and_reads_its_outcomes(fresh_demo, page, sign_in, sign_out, watch, check_page):
    homeroom = Classroom.objects.get(name="Homeroom 6B")
    zone = homeroom.school.zone
    form = Instrument.objects.get(slug="heard-self-3-8", school__isnull=True)
    items = form.items.count()
    pupils = list(User.objects.filter(enrollments__classroom=homeroom).order_by("username"))
    phone_pupil, others = pupils[0], pupils[1:]

    # The admin opens the cycle and its pre window.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "admin.cedar")
    page.goto("/surveys/cycles/")
    page.get_by_role("link", name="Open a new survey").click()
    page.get_by_label("Title").fill("Homeroom empathy check")
    page.locator(f"input[name=instruments][value='{form.pk}']").check()
    page.locator(f"input[name=classrooms][value='{homeroom.pk}']").check()
    now = timezone.now()
    page.get_by_label("Opens").fill(local_input(now, zone))
    page.get_by_label("Closes").fill(local_input(now + timedelta(days=7), zone))
    page.get_by_role("button", name="Open the survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Homeroom empathy check")
    cycle = SurveyCycle.objects.get(title="Homeroom empathy check")
    pre = cycle.windows.get(phase="pre")
    assert list(pre.instruments.all()) == [form] and list(pre.classrooms.all()) == [homeroom]
    sign_out(page)

    # One student answers on a phone: half, closes the tab, comes back, finishes.
    class_answers(pre, form, others, shift=0)
    page.set_viewport_size(PHONE)
    sign_in(page, phone_pupil.username)
    page.locator(".survey-card").filter(has_text=form.name["en"]).get_by_role("link").click()
    page.wait_for_load_state("load")
    answer_on_the_phone(page, items, 1, items // 2)
    context = page.context
    page.close()
    page = watch(context.new_page())
    page.set_viewport_size(PHONE)
    page.goto("/")
    card = page.locator(".survey-card").filter(has_text=form.name["en"])
    expect(card.get_by_role("link")).to_have_text(re.compile("^Keep going"))
    card.get_by_role("link").click()
    page.wait_for_load_state("load")
    expect(page.locator("#survey-progress")).to_contain_text(f"You have answered {items // 2} of {items}")
    answer_on_the_phone(page, items, items // 2 + 1, items)
    page.get_by_role("button", name="Hand it in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    page.set_viewport_size(DESKTOP)  # the menu, with Sign out, is folded away on a phone
    sign_out(page)

    # The admin closes the pre window and opens the post window over the same form.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "admin.cedar")
    page.goto("/surveys/cycles/")
    page.get_by_role("link", name="Homeroom empathy check", exact=True).click()
    page.get_by_role("link", name=re.compile("Change the dates")).first.click()
    page.get_by_role("button", name="Close the survey now").click()
    page.get_by_role("link", name="Open the post window").click()
    later = timezone.now() + timedelta(minutes=2)
    page.get_by_label("Opens").fill(local_input(later, zone))
    page.get_by_label("Closes").fill(local_input(later + timedelta(days=7), zone))
    page.get_by_role("button", name=re.compile("Open")).last.click()
    post = cycle.windows.get(phase="post")
    assert list(post.instruments.all()) == [form]
    post.opens_at = timezone.now() - timedelta(minutes=1)  # the two minutes pass
    post.save(update_fields=["opens_at"])
    class_answers(post, form, pupils, shift=1)

    # The outcomes: Homeroom 6B's figures for each subscale, the charts, and the CSV.
    page.get_by_role("link", name="See the outcomes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes")
    expect(page.get_by_role("main")).to_contain_text("Homeroom empathy check")
    check_page(page)
    charts = page.locator("figure.outcomes-chart img")
    expect(charts.first).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=charts.first.element_handle())
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table (CSV)").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    perspective = form.subscales.get(key="perspective_taking")
    scores = Score.objects.filter(cycle=cycle, subscale=perspective)
    pre_of = dict(scores.filter(phase="pre").values_list("student_id", "value"))
    post_of = dict(scores.filter(phase="post").values_list("student_id", "value"))
    matched = sorted(set(pre_of) & set(post_of))
    before = np.array([pre_of[s] for s in matched])
    after = np.array([post_of[s] for s in matched])
    expected = scipy_stats.ttest_rel(after, before)
    row = next(r for r in rows if "Homeroom 6B" in " ".join(r.values()) and perspective.name["en"] in " ".join(r.values()))
    numbers = {k: v for k, v in row.items() if v not in ("", None)}
    assert str(len(matched)) in numbers.values(), row
    assert any(abs(float(v) - (after - before).mean()) < 1e-3 for v in numbers.values() if re.fullmatch(r"-?\d+(\.\d+)?", v)), row
    assert any(abs(float(v) - expected.statistic) < 1e-2 for v in numbers.values() if re.fullmatch(r"-?\d+(\.\d+)?", v)), row
