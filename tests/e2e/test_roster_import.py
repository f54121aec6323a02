"""A school admin imports a messy district export on a phone: every problem at once, then the fixed
file, a classroom renamed on the preview, and only this school's rows written."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from classrooms.models import Classroom
from tests.classrooms.roster.oneroster_files import MESSY_MANIFEST, messy_district_export, oneroster_zip

pytestmark = pytest.mark.e2e


def export(*, fixed: bool) -> dict:
    files = messy_district_export(school_name="Maple Elementary")
    files["users.csv"] = [row | ({"username": "teacher.rivera"} if row["username"] == "mr.grant" else {}) for row in files["users.csv"]]
    if fixed:
        files["users.csv"] = [{("orgSourcedIds" if k == "orgSourcedId" else k): v for k, v in r.items()} for r in files["users.csv"]]
        files["classes.csv"] = [
            {("termSourcedIds" if k == "termSourcedId" else k): {"t-missing": "t1", "k-missing": "k1"}.get(v, v) for k, v in r.items()}
            for r in files["classes.csv"]
        ]  # fmt: skip
        files["enrollments.csv"] = [r for r in files["enrollments.csv"] if r["sourcedId"] not in {"e-2", "e-3"}]
    return files


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def upload(page, files, name):
    page.goto("/classrooms/import/")
    page.get_by_label("Roster file").set_input_files(
        {"name": name, "mimeType": "application/zip", "buffer": oneroster_zip(files, manifest=MESSY_MANIFEST)}
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_messy_district_export_is_checked_fixed_renamed_and_imported(fresh_demo, page, sign_in, check_page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "admin.maple")
    classrooms_before = Classroom.objects.count()

    upload(page, export(fixed=False), "district.zip")
    check_page(page)
    assert fits_the_screen(page)
    expect(page.get_by_role("heading", name="5 problems in the file")).to_be_visible()
    expect(page.get_by_text("Ana Ruiz (ana.ruiz, u-1042) is a student in users.csv but a teacher in 2 enrollments.")).to_be_visible()
    expect(page.get_by_role("heading", name="Not this school")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm the import")).to_have_count(0)

    upload(page, export(fixed=True), "district-fixed.zip")
    check_page(page)
    assert fits_the_screen(page)
    # Two new classrooms take the same name: refused beside the field, what was typed stays.
    first = page.get_by_label("Name in Heard for Math 3 · M3-A (c-31)")
    second = page.get_by_label("Name in Heard for Math 3 · M3-B (c-32)")
    expect(first).to_have_value("Math 3 (M3-A)")
    second.fill("Math 3 (M3-A)")
    page.get_by_role("button", name="Update the preview").click()
    expect(page.get_by_text("Another new classroom of this import is called “Math 3 (M3-A)”").first).to_be_visible()
    expect(page.get_by_label("Name in Heard for Math 3 · M3-B (c-32)")).to_have_value("Math 3 (M3-A)")
    check_page(page)

    page.get_by_label("Name in Heard for Math 3 · M3-B (c-32)").fill("Math 3, 2nd period")
    page.get_by_role("button", name="Update the preview").click()
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster imported")
    check_page(page)

    made = dict(Classroom.objects.exclude(sourced_id="").values_list("sourced_id", "name"))
    assert made == {"c-31": "Math 3 (M3-A)", "c-32": "Math 3, 2nd period", "c-33": "Reading 3"}
    assert Classroom.objects.count() == classrooms_before + 3
    assert set(Classroom.objects.exclude(sourced_id="").values_list("school__name", flat=True)) == {"Maple Elementary"}
    assert not User.objects.filter(username__in=["fay.birch", "dev.patel", "eli.stone"]).exists()
