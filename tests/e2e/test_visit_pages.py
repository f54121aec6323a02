"""Family visits in the browser: the growth chart loads, and every visit page and the fidelity report
pass the page check at phone and desktop width, in their ordinary and error states."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classrooms.models import BabyObservation, Classroom, Session, VisitingFamily

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=WIDTHS)
def sized_page(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return page


def room3():
    return Classroom.objects.get(name="Room 3 · Kindergarten")


def test_teacher_records_what_the_class_saw(fresh_demo, sized_page, sign_in, check_page):
    """The growth chart loads; a weight in grams is kept and explained; a weight in kilograms is saved and shown."""
    page = sized_page
    classroom = room3()
    visit = Session.objects.filter(classroom=classroom, kind=Session.Kind.FAMILY_VISIT, starts_at__lt=timezone.now())
    visit = visit.order_by("-starts_at").first()
    family = VisitingFamily.objects.get(classroom=classroom)
    sign_in(page, "teacher.rivera")

    page.goto(f"/classrooms/{classroom.pk}/#visits")  # the address of the page's "Family visits" tab
    expect(page.get_by_role("tab", name="Family visits")).to_have_attribute("aria-selected", "true")
    check_page(page)
    chart = page.get_by_role("img", name="Ada")  # the alt text names the baby and the trend
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "the growth chart did not load"
    expect(page.get_by_role("table").filter(has_text="Weight")).to_be_visible()  # the data behind the chart

    page.goto(f"/classrooms/{classroom.pk}/sessions/{visit.pk}/observation/")
    check_page(page)
    weight = page.get_by_label("Weight (optional)")
    weight.fill("6400")  # grams typed as kilograms
    page.get_by_role("button", name="Save").click()
    expect(weight).to_have_value("6400")  # kept, with a message
    expect(weight).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("between 0.5 and 25 kg (1 lb 2 oz and 55 lb)")).to_be_visible()
    check_page(page)
    weight.fill("14 lb 2 oz")  # a US classroom weighs in pounds: stored as 6.41 kg
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/classrooms/{classroom.pk}/#visits-heading$"))
    expect(page.get_by_role("status")).to_contain_text("Saved what the class saw at this visit.")
    measured = page.get_by_role("table", name="What the class measured and noticed at each visit")
    expect(measured.get_by_role("cell", name="6.41 kg (14 lb 2 oz)", exact=True)).to_be_visible()
    assert BabyObservation.objects.get(session=visit).weight_kg == Decimal("6.41")

    for path in (f"/classrooms/{classroom.pk}/families/{family.pk}/", f"/classrooms/{classroom.pk}/families/new/",
                 f"/classrooms/{classroom.pk}/themes/{visit.theme_id}/"):
        page.goto(path)
        check_page(page)


def test_student_sees_the_baby_grow_and_admin_sees_fidelity(demo, sized_page, sign_in, check_page):
    """A child's classroom page shows the growth chart without the family's contacts; the school admin opens the fidelity report."""
    page = sized_page
    sign_in(page, "maple.s1")
    page.goto(f"/classrooms/{room3().pk}/")
    check_page(page)
    chart = page.get_by_role("img", name="Ada")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "the growth chart did not load"
    expect(page.get_by_text("okafor.family@example.org")).to_have_count(0)  # no contact details for children
    page.context.clear_cookies()
    sign_in(page, "admin.maple")
    page.goto("/classrooms/fidelity/")
    check_page(page)
    report = page.get_by_role("table", name=re.compile("^Sessions per classroom"))
    expect(report.get_by_role("rowheader", name=re.compile("^Room 3 · Kindergarten"))).to_be_visible()
    # The wide table scrolls inside its region; the page itself is never wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
