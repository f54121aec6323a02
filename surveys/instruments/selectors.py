"""Reads of instruments, scoped to the signed-in user (``surveys.permissions``), each a fixed number of queries;
and an instrument as its JSON file again (``instrument_export``)."""

import copy

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from surveys.instruments.schema import DEFAULT_SHARE
from surveys.models import Instrument, Item, Response, Subscale, SurveyWindow
from surveys.permissions import instrument_manage_scope, instrument_scope
from surveys.services import min_items


def _used():
    """Whether a survey window has used the instrument (its answers then need it as it is)."""
    return Exists(SurveyWindow.instruments.through.objects.filter(instrument_id=OuterRef("pk"))) | Exists(
        Response.objects.filter(instrument_id=OuterRef("pk"))
    )


def instruments_for(user) -> QuerySet[Instrument]:
    """Instruments ``user`` may open: the shipped ones and their school's (district's) imported ones."""
    return Instrument.objects.filter(instrument_scope(user))


def instruments_managed_by(user) -> QuerySet[Instrument]:
    """Instruments ``user`` may remove: their school's imported ones (a school's admin)."""
    return Instrument.objects.filter(instrument_manage_scope(user))


def instrument_list(user) -> QuerySet[Instrument]:
    """The list page's instruments: each with its school, its number of items and whether a window used it."""
    return (
        instruments_for(user)
        .select_related("school")
        .annotate(item_count=Count("items"), used=_used())
        .order_by(*Instrument._meta.ordering)
    )


def instrument_page(user, pk) -> QuerySet[Instrument]:
    """The one instrument ``pk`` (if ``user`` may open it), with its subscales and their items in order."""
    items = Item.objects.order_by("order", "key")
    return (
        instruments_for(user)
        .filter(pk=pk)
        .select_related("school")
        .annotate(used=_used())
        .prefetch_related(
            Prefetch(
                "subscales",
                queryset=Subscale.objects.order_by("order", "key").prefetch_related(Prefetch("items", queryset=items)),
            )
        )
    )


def _present(text: dict | None) -> dict:
    return {language: value for language, value in (text or {}).items() if value}


def instrument_export(instrument: Instrument) -> dict:
    """``instrument`` in the file format ``instrument_from_json`` reads: importing it gives the same subscales
    and items. A subscale whose items needed differ from two thirds says so itself (``min_items``)."""
    subscales = []
    items_by_subscale: dict[int, list[Item]] = {}
    for item in Item.objects.filter(instrument=instrument).order_by("order", "key"):
        items_by_subscale.setdefault(item.subscale_id, []).append(item)
    for subscale in Subscale.objects.filter(instrument=instrument).order_by("order", "key"):
        members = items_by_subscale.get(subscale.pk, [])
        entry = {"key": subscale.key, "name": _present(subscale.name)}
        if subscale.min_items != min_items(len(members), DEFAULT_SHARE):
            entry["min_items"] = subscale.min_items
        entry["items"] = []
        for item in members:
            row = {"key": item.key, "kind": item.kind, "text": _present(item.text)}
            if item.band_text:
                row["band_text"] = {band: _present(text) for band, text in item.band_text.items()}
            row["reverse"] = item.reverse
            if item.kind == Item.Kind.RATING and item.scale and item.scale != instrument.scale:
                row["scale"] = item.scale
            entry["items"].append(row)
        subscales.append(entry)
    data = {"slug": instrument.slug, "name": _present(instrument.name)}
    if _present(instrument.description):
        data["description"] = _present(instrument.description)
    data |= {
        "respondent": instrument.respondent,
        "grade_min": instrument.grade_min,
        "grade_max": instrument.grade_max,
        "read_aloud": instrument.read_aloud,
        "scale": instrument.scale,
        "nominations_max": instrument.nominations_max,
        "source": instrument.source,
        "subscales": subscales,
    }
    return copy.deepcopy(data)  # plain data: a caller editing it does not change the instrument's fields
