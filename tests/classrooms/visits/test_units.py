"""A baby's weight and length typed in pounds, ounces and inches as well as kilograms and centimetres:
stored in metric, exactly converted, shown in both on the classroom page."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from classrooms.models import BabyObservation, Session, Theme
from classrooms.visits import units
from tests.factories import ClassroomFactory, VisitingFamilyFactory
from tests.pages import parse, table

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "kg"),
    [
        ("6.4", Decimal("6.4")),
        ("6,4 kg", Decimal("6.4")),
        ("6400 g", Decimal("6.4")),
        ("7 lb 8 oz", Decimal("7.5") * Decimal("0.45359237")),
        ("7lb", Decimal("7") * Decimal("0.45359237")),
        ("14 lbs 2 oz", (14 + Decimal(2) / 16) * Decimal("0.45359237")),
        ("120 oz", Decimal("7.5") * Decimal("0.45359237")),
        ("7 libras 8 onzas", Decimal("7.5") * Decimal("0.45359237")),
    ],
)
def test_weights_convert_exactly_to_kilograms(typed, kg):
    assert units.parse_weight(typed) == kg


@pytest.mark.parametrize(
    ("typed", "cm"),
    [("62.5", Decimal("62.5")), ("62.5 cm", Decimal("62.5")), ("21 in", Decimal("53.34")), ('21.5"', Decimal("54.61")),
     ("1 ft 9 in", Decimal("53.34")), ("21 pulgadas", Decimal("53.34"))],
)
def test_lengths_convert_exactly_to_centimetres(typed, cm):
    assert units.parse_length(typed) == cm


@pytest.mark.parametrize("typed", ["seven", "7 stone", "lb", "6.4 kg 2 oz", "21 in 3 cm", "--1"])
def test_anything_else_is_not_a_measure(typed):
    with pytest.raises(ValueError):
        units.parse_weight(typed)
    with pytest.raises(ValueError):
        units.parse_length(typed)


def test_stored_metric_reads_back_in_us_units():
    assert units.pounds_ounces(Decimal("3.40")) == (7, 8)
    assert units.pounds_ounces_text(Decimal("3.40")) == "7\u00a0lb\u00a08\u00a0oz"  # kept on one line
    assert units.pounds_ounces_text(Decimal("0.45359237") * 7) == "7\u00a0lb"
    assert units.inches_text(Decimal("53.3")) == "21\u00a0in"
    assert units.inches_text(Decimal("62.2")) == "24.5\u00a0in"


@pytest.fixture
def visit(time_machine):
    time_machine.move_to(datetime(2027, 1, 20, 18, 0, tzinfo=UTC), tick=False)
    classroom = ClassroomFactory()
    family = VisitingFamilyFactory(classroom=classroom, baby_name="Ada", baby_born_on=date(2026, 7, 1))
    theme = Theme.objects.create(classroom=classroom, number=1, family=family)
    return Session.objects.create(
        classroom=classroom, theme=theme, kind=Session.Kind.FAMILY_VISIT, starts_at=datetime(2027, 1, 5, 16, 0, tzinfo=UTC)
    )


def _record(client, visit, **typed):
    classroom = visit.classroom
    client.force_login(classroom.teachers.get())
    url = reverse("classrooms:observation", args=[classroom.pk, visit.pk])
    return client.post(url, {"weight_kg": "", "length_cm": "", "milestones": "", "feelings_note": "", **typed})


def test_pounds_ounces_and_inches_are_stored_in_metric_and_shown_in_both(client, visit):
    response = _record(client, visit, weight_kg="14 lb 2 oz", length_cm="24.5 in")
    assert response.status_code == 302
    observation = BabyObservation.objects.get(session=visit)
    # 14.125 lb = 6.40699...kg and 24.5 in = 62.23 cm, rounded to what is stored (0.01 kg, 0.1 cm).
    assert (observation.weight_kg, observation.length_cm) == (Decimal("6.41"), Decimal("62.2"))
    page = client.get(visit.classroom.get_absolute_url()).text
    rows, _footer = table(page, caption="What the class measured")
    assert (rows[0]["Weight"], rows[0]["Length"]) == ("6.41 kg (14 lb 2 oz)", "62.2 cm (24.5 in)")


def test_a_stored_weight_reads_back_with_its_unit_on_the_form(client, visit):
    _record(client, visit, weight_kg="3.4", length_cm="53.3 cm")
    form = parse(client.get(reverse("classrooms:observation", args=[visit.classroom.pk, visit.pk])).text)
    assert form.find("input", name="weight_kg").attrs["value"] == "3.4 kg"
    assert form.find("input", name="length_cm").attrs["value"] == "53.3 cm"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("weight_kg", "seven pounds", "Type a weight like 6.4 (kilograms), 6.4 kg, 6400 g, or in pounds and ounces: 14 lb 2 oz."),
        ("weight_kg", "70 lb", "between 0.5 and 25 kg (1 lb 2 oz and 55 lb)"),
        ("length_cm", "2 ft 9 in 3", "Type a length like 62.5 (centimetres), 62.5 cm, or in inches: 24.5 in."),
        ("length_cm", "10 in", "between 30 and 120 cm (12 and 47 in)"),
    ],
)
def test_a_measure_heard_cannot_read_or_that_no_baby_has_is_explained_and_kept(client, visit, field, typed, message):
    response = _record(client, visit, **{field: typed})
    assert response.status_code == 200
    assert message in response.text
    assert parse(response.text).find("input", name=field).attrs["value"] == typed
    assert not BabyObservation.objects.filter(session=visit).exists()


def test_spanish_pages_show_us_units_in_spanish(client, visit):
    _record(client, visit, weight_kg="7 lb 8 oz", length_cm="21 in")
    client.cookies["django_language"] = "es"
    rows, _footer = table(client.get(visit.classroom.get_absolute_url()).text, caption="Lo que la clase")
    assert rows[0]["Peso"] == "3,4 kg (7 lb 8 oz)"  # the metric number with the Spanish decimal mark, as before
    assert rows[0]["Estatura"] == "53,3 cm (21 pulg.)"

