"""The baby's growth chart: the same numbers give the same SVG bytes, it parses, it shows the numbers, it is scoped."""

import xml.etree.ElementTree as ET  # noqa: S405 - parses our own output in tests, never input from outside
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classrooms.models import Session, Theme
from classrooms.visits import charts, selectors
from classrooms.visits.selectors import family_visits
from classrooms.visits.services import baby_observation_record
from tests.factories import ClassroomFactory, SchoolAdminFactory, StudentFactory, TeacherFactory, VisitingFamilyFactory

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def texts(svg: bytes) -> list[str]:
    return [(t.text or "").strip() for t in parse(svg).iter(f"{SVG}text")]


def ada(*points) -> charts.BabySeries:
    return charts.BabySeries(
        name="Ada",
        measurements=[
            charts.Measurement(age_months=age, day=None, weight_kg=Decimal(w) if w else None,
                               length_cm=Decimal(cm) if cm else None)
            for age, w, cm in points
        ],
    )


GROWTH = [ada((3.2, "6.10", "60.0"), (4.1, "6.85", "62.5"), (5.0, None, "64.0"), (6.1, "8.40", "66.0"))]


# --- The drawing (no database) ----------------------------------------------------------------------------------


def test_the_same_data_gives_byte_identical_svg():
    first = charts.growth_svg(GROWTH)
    assert first == charts.growth_svg(GROWTH)
    assert first != charts.growth_svg([ada((3.2, "6.20", "60.0"))])


def test_the_svg_is_valid_xml_with_an_svg_root_and_no_date_or_script():
    svg = charts.growth_svg(GROWTH)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script"))
    assert b"<dc:date>" not in svg


def test_every_measured_value_is_written_on_the_chart():
    labels = texts(charts.growth_svg(GROWTH))
    for value in ("6.1", "6.85", "8.4", "60", "62.5", "64", "66"):
        assert value in labels, value
    assert "Weight (kg)" in labels and "Length (cm)" in labels
    assert "Ada's age in months" in labels


def test_no_measurements_give_a_small_figure_that_says_so():
    for series in ([], [charts.BabySeries(name="Ada", measurements=[])]):
        svg = charts.growth_svg(series)
        assert parse(svg).tag == f"{SVG}svg"
        assert "No measurements yet" in texts(svg)


def test_a_panel_without_any_value_says_not_measured_yet():
    labels = texts(charts.growth_svg([ada((3.0, None, "60"), (4.0, None, "62"))]))
    assert "Not measured yet" in labels and "62" in labels


def test_two_babies_are_told_apart_by_a_legend_not_by_colour_alone():
    ben = charts.BabySeries(name="Ben", measurements=[charts.Measurement(1.0, None, Decimal("4.5"), Decimal("55"))])
    labels = texts(charts.growth_svg([*GROWTH, ben]))
    assert "Ada" in labels and "Ben" in labels and "Age in months" in labels


def test_a_name_with_dollar_signs_is_shown_as_typed_not_as_maths():
    labels = texts(charts.growth_svg([charts.BabySeries(name=r"Jo$\frac{$y", measurements=GROWTH[0].measurements)]))
    assert r"Jo$\frac{$y's age in months" in labels


def test_names_are_escaped_in_the_svg():
    svg = charts.growth_svg([charts.BabySeries(name="<script>x</script>", measurements=GROWTH[0].measurements),
                             ada((1.0, "4", "50"))])
    assert b"<script>" not in svg
    assert "<script>x</script>" in texts(svg)


# --- Through HTTP ------------------------------------------------------------------------------------------------

NOW = datetime(2027, 1, 20, 18, 0, tzinfo=UTC)


@pytest.fixture
def classroom(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    student = StudentFactory()
    return ClassroomFactory(school=student.school, students=[student])


def seed_visits(classroom, values, *, start=datetime(2026, 10, 6, 15, 0, tzinfo=UTC), every=35):
    teacher = classroom.teachers.get()
    family = VisitingFamilyFactory(classroom=classroom, baby_name="Ada", baby_born_on=date(2026, 7, 1))
    for number, (weight, length) in enumerate(values, start=1):
        theme = Theme.objects.create(classroom=classroom, number=number, family=family)
        visit = Session.objects.create(classroom=classroom, theme=theme, kind=Session.Kind.FAMILY_VISIT,
                                       starts_at=start + timedelta(days=every * (number - 1)))
        if visit.is_past:
            baby_observation_record(session=visit, by=teacher, weight_kg=weight, length_cm=length)
    return family


def chart_url(classroom):
    return reverse("classrooms:baby_chart", args=[classroom.pk])


def test_the_chart_endpoint_serves_deterministic_svg_of_the_classrooms_measurements(client, classroom):
    seed_visits(classroom, [("6.1", "60"), ("6.85", "62.5"), ("7.6", "64"), ("8.4", "66")])
    client.force_login(classroom.teachers.get())
    first = client.get(chart_url(classroom))
    assert first.status_code == 200
    assert first["Content-Type"] == "image/svg+xml"
    assert "private" in first["Cache-Control"]
    # Its own policy: matplotlib's inline styles may apply, nothing else may load or run.
    policy = first["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy and "script-src" not in policy
    assert first.content == client.get(chart_url(classroom)).content
    labels = texts(first.content)
    assert {"6.1", "6.85", "7.6", "8.4", "60", "62.5", "64", "66"} <= set(labels)
    # The page says the same in words, for screen readers.
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "Ada&#x27;s weight went from 6.1 kg to 8.4 kg between October and January." in page


def test_a_browser_that_has_the_chart_is_told_it_has_not_changed_until_it_does(client, classroom):
    seed_visits(classroom, [("6.1", "60")])
    client.force_login(classroom.teachers.get())
    etag = client.get(chart_url(classroom))["ETag"]
    assert client.get(chart_url(classroom), headers={"if-none-match": etag}).status_code == 304
    visit = Session.objects.get(classroom=classroom, kind=Session.Kind.FAMILY_VISIT)
    baby_observation_record(session=visit, by=classroom.teachers.get(), weight_kg="6.2", length_cm="60")
    changed = client.get(chart_url(classroom), headers={"if-none-match": etag})
    assert changed.status_code == 200 and "6.2" in texts(changed.content)


def test_an_empty_classroom_still_gets_an_answer(client, classroom):
    client.force_login(classroom.teachers.get())
    response = client.get(chart_url(classroom))
    assert response.status_code == 200
    assert "No measurements yet" in texts(response.content)


def test_the_chart_is_for_those_who_may_see_the_classroom(client, classroom):
    seed_visits(classroom, [("6.1", "60")])
    enrolled = classroom.enrollments.get().student
    cases = [
        (enrolled, 200),
        (SchoolAdminFactory(school=classroom.school), 200),
        (StudentFactory(school=classroom.school), 404),  # not in this classroom
        (TeacherFactory(school=classroom.school), 404),  # a colleague's classroom
        (TeacherFactory(), 404),  # another school
        (SchoolAdminFactory(), 404),
    ]
    for user, expected in cases:
        client.force_login(user)
        assert client.get(chart_url(classroom)).status_code == expected, user.role
    client.logout()
    assert client.get(chart_url(classroom)).status_code == 302  # to the sign-in page


def test_the_chart_costs_the_same_for_2_or_9_visits(client, db, time_machine):
    time_machine.move_to(NOW, tick=False)

    def queries_for(n):
        classroom = ClassroomFactory()
        seed_visits(classroom, [("6.1", "60")] * n, start=datetime(2026, 3, 3, 16, 0, tzinfo=UTC), every=28)
        client.force_login(classroom.teachers.get())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(chart_url(classroom)).status_code == 200
        return len(captured)

    # The session, the user, the classroom with its school, and the chart's measurements.
    assert queries_for(2) == queries_for(9) == 4


def test_the_charts_lines_are_the_classroom_pages_lines(classroom):
    """The chart reads its measurements in one query; they are the ones the classroom page reads with its
    visits: a theme's first visit only, measured, with a family of the classroom, babies in the order first seen."""
    teacher = classroom.teachers.get()
    ada_family = seed_visits(classroom, [("6.1", "60"), (None, "62.5"), ("7.6", None)])
    ben_family = VisitingFamilyFactory(classroom=classroom, baby_name="", name="The Diaz family", baby_born_on=date(2026, 9, 2))
    start = datetime(2026, 10, 20, 15, 0, tzinfo=UTC)
    ben_theme = Theme.objects.create(classroom=classroom, number=9, family=ben_family)
    first = Session.objects.create(classroom=classroom, theme=ben_theme, kind=Session.Kind.FAMILY_VISIT, starts_at=start)
    again = Session.objects.create(classroom=classroom, theme=ben_theme, kind=Session.Kind.FAMILY_VISIT,
                                   starts_at=start + timedelta(days=14))
    baby_observation_record(session=again, by=teacher, weight_kg="4.2", length_cm="52")  # hidden by the theme's first visit
    later_theme = Theme.objects.create(classroom=classroom, number=10, family=ben_family)
    later = Session.objects.create(classroom=classroom, theme=later_theme, kind=Session.Kind.FAMILY_VISIT,
                                   starts_at=start + timedelta(days=40))
    baby_observation_record(session=later, by=teacher, weight_kg="4.9", length_cm="55")
    no_family = Theme.objects.create(classroom=classroom, number=11)
    unknown = Session.objects.create(classroom=classroom, theme=no_family, kind=Session.Kind.FAMILY_VISIT,
                                     starts_at=start + timedelta(days=45))
    baby_observation_record(session=unknown, by=teacher, weight_kg="5.0", length_cm="56")
    orphan = Session.objects.create(classroom=classroom, kind=Session.Kind.FAMILY_VISIT, starts_at=start + timedelta(days=47))
    baby_observation_record(session=orphan, by=teacher, weight_kg="5.1", length_cm="57")
    unmeasured = Session.objects.create(classroom=classroom, theme=Theme.objects.create(classroom=classroom, number=12,
                                        family=ada_family), kind=Session.Kind.FAMILY_VISIT, starts_at=start + timedelta(days=50))
    baby_observation_record(session=unmeasured, by=teacher, weight_kg=None, length_cm=None)
    elsewhere = ClassroomFactory(school=classroom.school)
    seed_visits(elsewhere, [("9.9", "70")])
    assert first.pk  # planned and never written up
    drawn = selectors.growth_series(classroom)
    assert drawn == family_visits(classroom).growth_series()
    assert [(s.name, [(m.weight_kg, m.length_cm) for m in s.measurements]) for s in drawn] == [
        ("Ada", [(Decimal("6.10"), Decimal("60.0")), (None, Decimal("62.5")), (Decimal("7.60"), None)]),
        ("The Diaz family", [(Decimal("4.90"), Decimal("55.0"))]),
    ]


def test_a_chart_is_drawn_once_per_change_for_every_browser(client, classroom):
    """Another browser, or the same one without its ETag, gets the drawing kept in the cache; a new measurement
    draws it again, once; a cache that fails costs only the drawing."""
    seed_visits(classroom, [("6.1", "60")])
    client.force_login(classroom.teachers.get())
    with mock.patch.object(charts, "growth_svg", wraps=charts.growth_svg) as drawn:
        first = client.get(chart_url(classroom)).content
        client.force_login(SchoolAdminFactory(school=classroom.school))
        assert client.get(chart_url(classroom)).content == first
        assert drawn.call_count == 1
        visit = Session.objects.get(classroom=classroom, kind=Session.Kind.FAMILY_VISIT)
        baby_observation_record(session=visit, by=classroom.teachers.get(), weight_kg="6.2", length_cm="60")
        assert "6.2" in texts(client.get(chart_url(classroom)).content)
        client.get(chart_url(classroom))
        assert drawn.call_count == 2
        with mock.patch.object(cache, "get", side_effect=ConnectionError("Redis is down")):
            assert "6.2" in texts(client.get(chart_url(classroom)).content)
        assert drawn.call_count == 3
