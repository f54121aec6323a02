"""Instruments: the file format and its errors by item, the import (all or nothing), the export (a round trip),
the shipped instruments (loaded once, never rewritten once used, readable by the children who answer them),
and the pages."""

import json
import logging

import pytest
import textstat
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.instruments import selectors, services
from surveys.instruments.files import (
    MAX_FILE_BYTES,
    InstrumentFileError,
    instrument_file_read,
    instrument_from_json,
    shipped_paths,
)
from surveys.models import Instrument, Item, Subscale
from surveys.services import SurveyRefused
from tests import factories as f

pytestmark = pytest.mark.django_db

SHIPPED = ("heard-self-3-8", "heard-self-k-2", "heard-teacher", "heard-peer")


def spec_data(**changes) -> dict:
    """A small valid instrument file: two subscales, an item with its own scale, one with 6-8 wording."""
    data = {
        "slug": "our-scale",
        "name": {"en": "Our scale", "es": "Nuestra escala"},
        "description": {"en": "A licensed scale.", "es": "Una escala con licencia."},
        "respondent": "student",
        "grade_min": 3,
        "grade_max": 8,
        "scale": [{"value": v, "label": {"en": f"Point {v}", "es": f"Punto {v}"}} for v in (1, 2, 3, 4)],
        "source": "Someone (2020), used under licence 42.",
        "min_share": "3/4",
        "subscales": [
            {
                "key": "pt",
                "name": {"en": "Perspective", "es": "Perspectiva"},
                "items": [
                    {"key": "pt1", "kind": "rating", "text": {"en": "One.", "es": "Uno."}},
                    {"key": "pt2", "kind": "rating", "text": {"en": "Two.", "es": "Dos."}, "reverse": True},
                    {
                        "key": "pt3",
                        "kind": "rating",
                        "text": {"en": "Three.", "es": "Tres."},
                        "band_text": {"6_8": {"en": "Three, older.", "es": "Tres, mayores."}},
                    },
                    {"key": "pt4", "kind": "rating", "text": {"en": "Four."}},
                ],
            },
            {
                "key": "ec",
                "name": {"en": "Concern"},
                "min_items": 1,
                "items": [
                    {
                        "key": "ec1",
                        "kind": "rating",
                        "text": {"en": "Five."},
                        "scale": [{"value": 1, "label": {"en": "No"}}, {"value": 2, "label": {"en": "Yes"}}],
                    },
                    {"key": "ec2", "kind": "rating", "text": {"en": "Six."}},
                ],
            },
        ],
    }
    data.update(changes)
    return data


def problems_of(source) -> list[str]:
    with pytest.raises(InstrumentFileError) as caught:
        instrument_from_json(source)
    return [str(p) for p in caught.value.problems]


def counts() -> tuple[int, int, int]:
    return Instrument.objects.count(), Subscale.objects.count(), Item.objects.count()


def items_as_rows(instrument) -> list[tuple]:
    return [
        (i.subscale.key, i.subscale.min_items, i.key, i.order, i.kind, i.text, i.band_text, i.reverse, i.scale)
        for i in Item.objects.filter(instrument=instrument).select_related("subscale").order_by("order")
    ]


# --- The format --------------------------------------------------------------------------------------------


def test_every_problem_of_a_file_is_listed_by_item_at_once():
    data = spec_data(slug="Our Scale!", grade_min=6, grade_max=4)
    data["scale"][2]["value"] = 5  # 1, 2, 5, 4
    items = data["subscales"][1]["items"]
    items.append({"key": "ec3", "kind": "rating", "text": {"es": "Siete."}, "revers": True})
    items.append({"key": "pt1", "kind": "nomination", "text": {"en": "Eight."}})
    data["subscales"].append({"key": "pt", "name": {"en": "Again"}, "items": []})
    found = problems_of(data)
    assert found == [
        "slug: use lower-case letters, digits and dashes only (a key may have “_” too)",
        "grade_max: must not be below grade_min (6)",
        "scale: the values must be 1 to 4, in order (they are 1, 2, 5, 4)",
        "subscales[0].items[2] (pt3): band_text.6_8: grades 6-8 are outside the instrument's grades",
        "subscales[1].items[2] (ec3): text.en: required",
        "subscales[1].items[2] (ec3): revers: not part of the format (a typo?)",
        "subscales[1].items[3] (pt1): key: “pt1” is the key of subscales[0].items[0] already",
        'subscales[1].items[3] (pt1): kind: only a peer nomination ("respondent": "peer") asks nomination questions',
        "subscales[2] (pt): items: needs at least 1",
        "subscales[2] (pt): key: “pt” is the key of subscales[0] already",
    ]


def test_peer_instruments_ask_nominations_only_and_have_no_scale():
    data = spec_data(respondent="peer")
    found = problems_of(data)
    assert "scale: a peer nomination has no answer scale: leave it out" in found
    assert (
        "subscales[0].items[0] (pt1): kind: a peer nomination asks nomination questions only "
        '("kind": "nomination")' in found
    )
    peer = {k: v for k, v in data.items() if k not in ("scale", "min_share")}
    peer["subscales"] = [
        {
            "key": "helps",
            "name": {"en": "Helps"},
            "items": [{"key": "h", "kind": "nomination", "text": {"en": "Who?"}, "reverse": True}],
        }
    ]
    assert problems_of(peer) == ["subscales[0].items[0] (h): reverse: a nomination question cannot be reverse-scored"]


def test_a_file_that_is_not_json_or_not_an_instrument_says_so():
    assert problems_of('{"slug": "x",') == [
        "This is not JSON Heard can read: Expecting property name enclosed in double quotes (line 1, column 14)."
    ]
    assert problems_of("[1, 2]") == ["The file holds no instrument: a JSON object {…} is expected."]
    assert problems_of(b"\xff\xfe{") == ["This file is not UTF-8 text: save it as UTF-8 JSON."]
    assert problems_of('{"slug": "a", "slug": "b"}') == ["the key “slug” appears twice in one object"]
    assert problems_of(spec_data(min_share="0")) == ["min_share: the share is more than 0 and at most 1"]


def test_a_valid_file_reads_with_its_share_and_a_utf8_byte_order_mark():
    spec = instrument_from_json(("\ufeff" + json.dumps(spec_data())).encode())
    assert spec.slug == "our-scale"
    assert str(spec.min_share) == "3/4"
    assert [i.key for i in spec.items()] == ["pt1", "pt2", "pt3", "pt4", "ec1", "ec2"]


# --- The import and the export --------------------------------------------------------------------------


def test_import_writes_the_whole_instrument_with_each_subscales_items_needed():
    admin = f.SchoolAdminFactory()
    instrument = services.instrument_import(spec=instrument_from_json(spec_data()), school=admin.school, by=admin)
    subscales = {s.key: s.min_items for s in instrument.subscales.all()}
    assert subscales == {"pt": 3, "ec": 1}  # 3/4 of 4 items; the file's own min_items for ec
    items = {i.key: i for i in instrument.items.all()}
    assert items["pt2"].reverse and not items["pt1"].reverse
    assert items["pt1"].scale == instrument.scale and len(instrument.scale) == 4  # the instrument's, copied in
    assert [p["value"] for p in items["ec1"].scale] == [1, 2]
    assert items["pt3"].band_text == {"6_8": {"en": "Three, older.", "es": "Tres, mayores."}}
    assert items["pt4"].text == {"en": "Four."}
    assert instrument.school == admin.school and instrument.created_by == admin and instrument.digest


def test_export_then_import_into_another_school_gives_the_same_instrument():
    admin, other = f.SchoolAdminFactory(), f.SchoolAdminFactory()
    first = services.instrument_import(spec=instrument_from_json(spec_data()), school=admin.school, by=admin)
    exported = selectors.instrument_export(first)
    second = services.instrument_import(spec=instrument_from_json(json.dumps(exported)), school=other.school, by=other)
    assert items_as_rows(second) == items_as_rows(first)
    fields = (
        "slug",
        "name",
        "description",
        "respondent",
        "grade_min",
        "grade_max",
        "read_aloud",
        "scale",
        "nominations_max",
        "source",
    )
    assert [getattr(second, n) for n in fields] == [getattr(first, n) for n in fields]
    assert selectors.instrument_export(second) == exported


@pytest.mark.parametrize("slug", SHIPPED)
def test_every_shipped_instrument_exports_to_a_file_that_imports_the_same(slug):
    shipped = Instrument.objects.get(school__isnull=True, slug=slug)
    admin = f.SchoolAdminFactory()
    copied = services.instrument_import(
        spec=instrument_from_json(json.dumps(selectors.instrument_export(shipped))), school=admin.school, by=admin
    )
    assert items_as_rows(copied) == items_as_rows(shipped)
    assert copied.scale == shipped.scale and copied.nominations_max == shipped.nominations_max


def test_a_slug_the_school_has_is_refused_and_nothing_is_written():
    admin = f.SchoolAdminFactory()
    services.instrument_import(spec=instrument_from_json(spec_data()), school=admin.school, by=admin)
    before = counts()
    with pytest.raises(SurveyRefused, match="already has an instrument with the slug “our-scale”"):
        services.instrument_import(spec=instrument_from_json(spec_data()), school=admin.school, by=admin)
    assert counts() == before
    other = f.SchoolAdminFactory()  # another school may use the same slug
    services.instrument_import(spec=instrument_from_json(spec_data()), school=other.school, by=other)


def test_an_import_that_fails_half_way_leaves_nothing_behind(monkeypatch):
    admin = f.SchoolAdminFactory()
    before = counts()

    real = QuerySet.bulk_create

    def broken(queryset, *args, **kwargs):  # the items fail, after the instrument and its subscales were written
        if queryset.model is Item:
            raise RuntimeError("the disk is full")
        return real(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.instrument_import(spec=instrument_from_json(spec_data()), school=admin.school, by=admin)
    assert counts() == before


def test_only_a_school_admin_imports_and_only_into_their_own_school():
    spec = instrument_from_json(spec_data())
    admin = f.SchoolAdminFactory()
    for who, school in ((f.TeacherFactory(school=admin.school), admin.school), (admin, f.SchoolFactory())):
        with pytest.raises(PermissionDenied):
            services.instrument_import(spec=spec, school=school, by=who)
    assert not Instrument.objects.filter(slug="our-scale").exists()


# --- The shipped instruments -----------------------------------------------------------------------------


def test_the_shipped_instruments_are_loaded_at_migrate_and_a_second_load_writes_nothing():
    assert set(Instrument.objects.filter(school__isnull=True, slug__in=SHIPPED).values_list("slug", flat=True)) == set(
        SHIPPED
    )
    with CaptureQueriesContext(connection) as queries:
        report = services.instruments_load()
    assert report.writes == 0 and set(report.unchanged) >= set(SHIPPED)
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_the_command_reports_what_it_did(capsys):
    Instrument.objects.filter(school__isnull=True, slug="heard-peer").delete()
    call_command("instruments_load")
    out = capsys.readouterr().out
    assert "1 instruments added, 0 updated, " in out and ", 0 kept as they were." in out
    assert "Added: heard-peer" in out
    call_command("instruments_load")
    assert "0 instruments added, 0 updated, 4 unchanged" in capsys.readouterr().out


def _changed_copy(tmp_path, slug="heard-self-3-8"):
    data = json.loads(next(p for p in shipped_paths() if p.stem == slug).read_text())
    data["subscales"][0]["items"][0]["text"]["en"] = "A changed first item."
    path = tmp_path / f"{slug}.json"
    path.write_text(json.dumps(data))
    return path


def test_a_changed_file_rewrites_a_shipped_instrument_no_survey_used(tmp_path):
    report = services.instruments_load(paths=[_changed_copy(tmp_path)])
    assert report.updated == ["heard-self-3-8"]
    shipped = Instrument.objects.get(school__isnull=True, slug="heard-self-3-8")
    assert shipped.items.get(key="pt1").text["en"] == "A changed first item."
    assert shipped.items.count() == 20


def test_a_shipped_instrument_a_window_used_is_never_rewritten(tmp_path, caplog, capsys):
    shipped = Instrument.objects.get(school__isnull=True, slug="heard-self-3-8")
    f.SurveyWindowFactory(instruments=[shipped])
    rows = items_as_rows(shipped)
    with caplog.at_level(logging.WARNING, logger="surveys.instruments.services"):
        report = services.instruments_load(paths=[_changed_copy(tmp_path)])
    assert report.kept == ["heard-self-3-8"] and report.writes == 0
    assert items_as_rows(shipped) == rows
    assert "not rewritten" in caplog.text and "a survey window has used it" in caplog.text
    with pytest.MonkeyPatch.context() as patch:  # the command says so too
        patch.setattr(services, "shipped_paths", lambda: [_changed_copy(tmp_path)])
        call_command("instruments_load")
    assert "Kept as it was: heard-self-3-8" in capsys.readouterr().out


def test_a_bad_shipped_file_is_reported_and_the_others_still_load(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(spec_data(slug="bad-one", grade_max=9)))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(spec_data(slug="good-one")))
    report = services.instruments_load(paths=[bad, good])
    assert report.created == ["good-one"]
    assert [str(p) for p in report.errors[0].problems] == ["grade_max: must be at most 8"]
    twin = tmp_path / "twin.json"
    twin.write_text(json.dumps(spec_data(slug="good-one")))
    report = services.instruments_load(paths=[good, twin])  # two files, one slug: neither loads
    assert report.writes == 0 and len(report.errors) == 2
    assert "another shipped file has the slug 'good-one'" in str(report.errors[0])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "shipped_paths", lambda: [bad])
        with pytest.raises(CommandError, match="1 instrument files were not loaded"):
            call_command("instruments_load")


@pytest.fixture(scope="module")
def shipped_specs():
    return {path.stem: instrument_file_read(path).spec for path in shipped_paths()}


def _texts(spec):
    """Every text of an instrument, with where it is."""
    yield "name", spec.name
    if spec.description:
        yield "description", spec.description
    for point in spec.scale:
        yield f"scale {point.value}", point.label
    for subscale in spec.subscales:
        yield f"subscale {subscale.key}", subscale.name
        for item in subscale.items:
            yield item.key, item.text
            for band, text in item.band_text.items():
                yield f"{item.key} ({band})", text
            for point in item.scale or []:
                yield f"{item.key} scale {point.value}", point.label


def test_the_shipped_files_are_the_four_instruments_in_spanish_too(shipped_specs):
    assert set(shipped_specs) == set(SHIPPED)
    missing = [
        f"{slug}: {where}" for slug, spec in shipped_specs.items() for where, text in _texts(spec) if not text.es
    ]
    assert missing == []
    untranslated = [
        f"{slug}: {where}" for slug, spec in shipped_specs.items() for where, text in _texts(spec) if text.es == text.en
    ]
    assert untranslated == []


def test_the_self_report_has_about_twenty_items_over_four_subscales_and_few_reversed(shipped_specs):
    spec = shipped_specs["heard-self-3-8"]
    assert (spec.respondent, spec.grade_min, spec.grade_max, spec.read_aloud) == ("student", 3, 8, False)
    assert [s.key for s in spec.subscales] == [
        "perspective_taking",
        "empathic_concern",
        "empathy_motivation",
        "helping",
    ]
    items = spec.items()
    assert 18 <= len(items) <= 22
    assert sum(item.reverse for item in items) <= 2
    assert all(len(s.items) >= 4 for s in spec.subscales)
    assert [p.value for p in spec.scale] == [1, 2, 3, 4, 5]
    assert any(item.band_text.get("6_8") for item in items)


def test_the_k2_version_is_short_read_aloud_with_three_faces(shipped_specs):
    spec = shipped_specs["heard-self-k-2"]
    assert (spec.grade_min, spec.grade_max, spec.read_aloud) == (0, 2, True)
    assert 6 <= len(spec.items()) <= 10 and not any(item.reverse for item in spec.items())
    assert [(p.value, p.face, p.label.en) for p in spec.scale] == [
        (1, "sad", "Not like me"),
        (2, "neutral", "Sometimes"),
        (3, "happy", "A lot like me"),
    ]
    assert max(len(item.text.en.split()) for item in spec.items()) <= 8


def test_the_teacher_report_and_the_peer_nomination(shipped_specs):
    teacher = shipped_specs["heard-teacher"]
    assert (teacher.respondent, teacher.grade_min, teacher.grade_max) == ("teacher", 0, 8)
    assert [p.label.en for p in teacher.scale] == ["Never", "Rarely", "Sometimes", "Often", "Almost always"]
    reversed_keys = {item.key for item in teacher.items() if item.reverse}
    assert "starts_conflicts" in reversed_keys and "helps" not in reversed_keys
    peer = shipped_specs["heard-peer"]
    assert (peer.respondent, peer.nominations_max, peer.scale) == ("peer", 3, [])
    assert [len(s.items) for s in peer.subscales] == [1, 1, 1]
    assert {item.text.en for item in peer.items()} == {
        "Who helps others when they are stuck or sad?",
        "Who listens well?",
        "Who makes sure nobody is left out?",
    }


# The Flesch-Kincaid grade no child-facing item may exceed: a 9-year-old (grade 4) reads the 3-8 self-report on
# their own; the K-2 version is read aloud, and still kept to the words of a first-grader.
READING_GRADE_MAX = {"heard-self-3-8": 4.0, "heard-self-k-2": 2.5, "heard-peer": 4.0}
BAND_READING_GRADE_MAX = {"6_8": 6.0}


def test_every_child_facing_item_reads_at_the_level_of_its_youngest_reader(shipped_specs):
    too_hard = []
    for slug, limit in READING_GRADE_MAX.items():
        for item in shipped_specs[slug].items():
            grade = textstat.flesch_kincaid_grade(item.text.en)
            if grade > limit:
                too_hard.append(f"{slug} {item.key}: grade {grade:.1f} > {limit}: {item.text.en!r}")
            for band, text in item.band_text.items():
                grade = textstat.flesch_kincaid_grade(text.en)
                if grade > BAND_READING_GRADE_MAX[band]:
                    too_hard.append(f"{slug} {item.key} ({band}): grade {grade:.1f}: {text.en!r}")
    assert too_hard == []


@pytest.fixture
def spanish_textstat():
    textstat.set_lang("es")
    yield
    textstat.set_lang("en_US")


def test_the_spanish_of_child_facing_items_is_easy_to_read(shipped_specs, spanish_textstat):
    # Fernández Huerta's ease (100 = easiest; 70-80 is "fairly easy"); rough on one short sentence, so a floor only.
    hard = [
        f"{slug} {item.key}: {textstat.fernandez_huerta(item.text.es):.0f}: {item.text.es!r}"
        for slug in READING_GRADE_MAX
        for item in shipped_specs[slug].items()
        if textstat.fernandez_huerta(item.text.es) < 70
    ]
    assert hard == []


# --- The pages ---------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin = f.SchoolAdminFactory()
    client.force_login(admin)
    client.admin = admin
    return client


def test_the_import_page_lists_a_bad_files_problems_keeps_the_text_and_writes_nothing(admin_client):
    data = spec_data()
    del data["subscales"][1]["items"][1]["text"]["en"]
    data["subscales"][0]["items"][0]["text"]["en"] = "<b>bold</b> & kind"
    text = json.dumps(data, indent=2)
    before = counts()
    response = admin_client.post(reverse("surveys:instrument_import"), {"text": text})
    assert response.status_code == 200 and counts() == before
    page = response.content.decode()
    assert "Nothing was imported: the file has 1 problem, listed below." in page
    assert "<code>subscales[1].items[1] (ec2)</code>: <code>text.en</code>: required" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; kind" in page and "<b>bold</b>" not in page  # the text, kept and escaped


def test_a_file_with_problems_is_put_in_the_text_box_to_be_fixed(admin_client):
    upload = SimpleUploadedFile(
        "scale.json", json.dumps(spec_data(grade_max=2)).encode(), content_type="application/json"
    )
    response = admin_client.post(reverse("surveys:instrument_import"), {"file": upload, "text": ""})
    page = response.content.decode()
    assert "grade_max</code>: must not be below grade_min (3)" in page
    assert "&quot;slug&quot;: &quot;our-scale&quot;" in page  # the file's text, in the textarea


def test_an_uploaded_file_imports_and_opens_the_new_instrument(admin_client):
    upload = SimpleUploadedFile("scale.json", json.dumps(spec_data()).encode(), content_type="application/json")
    response = admin_client.post(reverse("surveys:instrument_import"), {"file": upload}, follow=True)
    instrument = Instrument.objects.get(school=admin_client.admin.school, slug="our-scale")
    assert response.redirect_chain == [(reverse("surveys:instrument", args=[instrument.pk]), 302)]
    page = response.content.decode()
    assert "“Our scale” is imported: 6 items in 2 subscales." in page
    assert "Reverse-scored" in page and "Three, older." in page and "Its own answers:" in page


def test_a_slug_the_school_has_is_refused_on_the_page_with_the_text_kept(admin_client):
    text = json.dumps(spec_data())
    admin_client.post(reverse("surveys:instrument_import"), {"text": text})
    before = counts()
    response = admin_client.post(reverse("surveys:instrument_import"), {"text": text})
    assert response.status_code == 200 and counts() == before
    page = response.content.decode()
    assert "Your school already has an instrument with the slug “our-scale”." in page
    assert "&quot;our-scale&quot;" in page


def test_too_big_both_or_neither_are_refused_clearly(admin_client):
    url = reverse("surveys:instrument_import")
    page = admin_client.post(url, {"text": " " * (MAX_FILE_BYTES + 1)}).content.decode()
    assert "an instrument file is at most 256 KB" in page
    big = SimpleUploadedFile("big.json", b" " * (MAX_FILE_BYTES + 1), content_type="application/json")
    assert "an instrument file is at most 256 KB" in admin_client.post(url, {"file": big}).content.decode()
    both = SimpleUploadedFile("scale.json", b"{}", content_type="application/json")
    assert (
        "Upload a file or paste the JSON, not both."
        in admin_client.post(url, {"file": both, "text": "{}"}).content.decode()
    )
    assert (
        "Choose a .json file, or paste the instrument&#x27;s JSON."
        in admin_client.post(url, {"text": "  "}).content.decode()
    )


def test_another_schools_instrument_is_a_404_everywhere(admin_client):
    theirs = f.InstrumentFactory(school=f.SchoolFactory(), name={"en": "Their own scale"})
    for name in ("surveys:instrument", "surveys:instrument_export"):
        assert admin_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert admin_client.post(reverse("surveys:instrument_delete", args=[theirs.pk])).status_code == 404
    assert "Their own scale" not in admin_client.get(reverse("surveys:instruments")).content.decode()
    assert Instrument.objects.filter(pk=theirs.pk).exists()


def test_a_student_meets_none_of_the_instruments_pages(client):
    student = f.StudentFactory()
    client.force_login(student)
    mine = f.InstrumentFactory(school=student.school)
    shipped = Instrument.objects.get(school__isnull=True, slug="heard-self-3-8")
    assert client.get(reverse("surveys:instruments")).status_code == 404
    assert client.get(reverse("surveys:instrument_import")).status_code == 404
    for pk in (mine.pk, shipped.pk):
        assert client.get(reverse("surveys:instrument", args=[pk])).status_code == 404
        assert client.get(reverse("surveys:instrument_export", args=[pk])).status_code == 404
        assert client.post(reverse("surveys:instrument_delete", args=[pk])).status_code == 404


def test_a_teacher_reads_and_downloads_but_neither_imports_nor_deletes(client):
    teacher = f.TeacherFactory()
    ours = f.InstrumentFactory(school=teacher.school, slug="ours", name={"en": "Ours", "es": "Nuestro"})
    client.force_login(teacher)
    page = client.get(reverse("surveys:instruments")).content.decode()
    assert "Ours" in page and "Heard self-report (grades 3-8)" in page and "Import an instrument" not in page
    detail = client.get(reverse("surveys:instrument", args=[ours.pk])).content.decode()
    assert "Download JSON" in detail and "Delete" not in detail
    download = client.get(reverse("surveys:instrument_export", args=[ours.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="ours.json"'
    assert instrument_from_json(download.content).slug == "ours"
    assert client.get(reverse("surveys:instrument_import")).status_code == 404
    assert client.post(reverse("surveys:instrument_delete", args=[ours.pk])).status_code == 404


def test_the_detail_page_speaks_the_readers_language_and_shows_the_scale(client):
    teacher = f.TeacherFactory()
    client.force_login(teacher)
    shipped = Instrument.objects.get(school__isnull=True, slug="heard-self-k-2")
    page = client.get(
        reverse("surveys:instrument", args=[shipped.pk]), headers={"accept-language": "es"}
    ).content.decode()
    assert "Me doy cuenta cuando alguien está triste." in page
    assert 'lang="en">I can tell when a friend is sad.' in page  # the other language, to check the translation by
    assert "No se parece a mí" in page
    english = client.get(reverse("surveys:instrument", args=[shipped.pk])).content.decode()
    assert "<td>A lot like me</td><td>happy</td>" in english and "<td>Sometimes</td><td>neither</td>" in english


def test_an_admin_deletes_an_imported_instrument_no_survey_used_and_not_one_that_was(admin_client):
    school = admin_client.admin.school
    unused, used = f.InstrumentFactory(school=school), f.InstrumentFactory(school=school)
    f.SurveyWindowFactory(cycle=f.SurveyCycleFactory(school=school), instruments=[used])
    response = admin_client.post(reverse("surveys:instrument_delete", args=[used.pk]), follow=True)
    assert "A survey has used this instrument, so it stays" in response.content.decode()
    assert Instrument.objects.filter(pk=used.pk).exists()
    response = admin_client.post(reverse("surveys:instrument_delete", args=[unused.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("surveys:instruments")
    assert not Instrument.objects.filter(pk=unused.pk).exists()
    shipped = Instrument.objects.get(school__isnull=True, slug="heard-teacher")
    assert admin_client.post(reverse("surveys:instrument_delete", args=[shipped.pk])).status_code == 404


def test_each_adult_lists_the_shipped_instruments_and_their_own_schools_only(client, access_world):
    """The imported instruments' sentinel names show exactly where instrument_scope reaches."""
    seen = {
        "teacher": {"A"},
        "other_school_teacher": {"B"},
        "counselor": {"A"},
        "school_admin": {"A"},
        "other_school_admin": {"B"},
        "district_admin": {"A", "B"},
        "other_district_admin": {"C"},
    }
    for persona, schools in seen.items():
        client.force_login(access_world.people[persona])
        page = client.get(reverse("surveys:instruments")).content.decode()
        shown = {name for name, form in access_world.imported_forms.items() if form.name["en"] in page}
        assert shown == schools, persona
        assert "Heard teacher report" in page


def test_the_list_detail_and_export_cost_the_same_queries_for_2_and_20(admin_client):
    school = admin_client.admin.school

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    f.InstrumentFactory.create_batch(2, school=school)
    small = queries(reverse("surveys:instruments"))
    f.InstrumentFactory.create_batch(18, school=school)
    assert queries(reverse("surveys:instruments")) == small
    few = f.InstrumentFactory(school=school, subscales={"pt": 1, "ec": 1})
    many = f.InstrumentFactory(school=school, subscales={"pt": 5, "ec": 5, "hp": 5, "em": 5})
    for name in ("surveys:instrument", "surveys:instrument_export"):
        assert queries(reverse(name, args=[few.pk])) == queries(reverse(name, args=[many.pk])), name
