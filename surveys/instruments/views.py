"""The instruments pages, for the adults of a school or district: the list (Heard's shipped instruments and the
school's imported ones), one instrument with its subscales, items and scale, its JSON file; and for a school's
admin, importing an instrument file and removing an imported instrument no survey has used.

Students never open these pages (a 404): they meet the forms given to them. Instruments are fetched through the
scoped selectors only, so another school's instrument answers 404 like one that does not exist.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from surveys.instruments import selectors, services
from surveys.instruments.files import in_language
from surveys.instruments.forms import InstrumentImportForm
from surveys.instruments.schema import BANDS
from surveys.models import Item, Respondent
from surveys.permissions import can_browse_instruments, can_import_instruments
from surveys.services import SurveyRefused

EXAMPLE_SLUG = "heard-self-3-8"  # the shipped instrument the import page offers as an example file
# The faces of a read-aloud scale, as the detail page names them (the answering page draws them).
FACE_NAMES = {
    "very_sad": gettext_lazy("very sad"),
    "sad": gettext_lazy("sad"),
    "neutral": gettext_lazy("neither"),
    "happy": gettext_lazy("happy"),
    "very_happy": gettext_lazy("very happy"),
}


def _adults_only(request) -> None:
    if not can_browse_instruments(request.user):
        raise Http404


def grades_label(low: int, high: int) -> str:
    def grade(g: int) -> str:
        return _("K") if g == 0 else str(g)

    if low == high:
        return _("Kindergarten") if low == 0 else _("Grade %(grade)s") % {"grade": low}
    return _("Grades %(low)s-%(high)s") % {"low": grade(low), "high": grade(high)}


def _band_label(band: str) -> str:
    low, high = BANDS[band]
    return grades_label(low, high)


def _other_language(text: dict, language: str) -> tuple[str, str] | None:
    """The text in the language the reader is not reading, to check a translation against: (code, text)."""
    other = "en" if language.startswith("es") else "es"
    shown = in_language(text, language)
    value = (text or {}).get(other)
    return (other, value) if value and value != shown else None


def _scale_rows(scale: list, language: str) -> list[dict]:
    return [
        {
            "value": point.get("value"),
            "label": in_language(point.get("label"), language),
            "face": FACE_NAMES.get(point.get("face"), ""),
        }
        for point in scale
    ]


def _shown(instrument, language: str):
    instrument.shown_name = in_language(instrument.name, language)
    instrument.grades = grades_label(instrument.grade_min, instrument.grade_max)
    return instrument


@login_required
@require_safe
def instrument_list(request):
    _adults_only(request)
    language = get_language() or "en"
    instruments = [_shown(i, language) for i in selectors.instrument_list(request.user)]
    for instrument in instruments:
        instrument.shown_description = in_language(instrument.description, language)
    context = {
        "shipped": [i for i in instruments if i.school_id is None],
        "imported": [i for i in instruments if i.school_id is not None],
        "can_import": can_import_instruments(request.user),
        "several_schools": len({i.school_id for i in instruments if i.school_id}) > 1
        or request.user.role == User.Role.DISTRICT_ADMIN,
    }
    return render(request, "surveys/instruments/list.html", context)


@login_required
@require_safe
def instrument_detail(request, pk):
    _adults_only(request)
    instrument = get_object_or_404(selectors.instrument_page(request.user, pk))
    language = get_language() or "en"
    _shown(instrument, language)
    instrument.shown_description = in_language(instrument.description, language)
    subscales = list(instrument.subscales.all())
    item_count = 0
    for subscale in subscales:
        subscale.shown_name = in_language(subscale.name, language)
        subscale.rows = []
        for item in subscale.items.all():
            item_count += 1
            subscale.rows.append(
                {
                    "item": item,
                    "text": in_language(item.text, language),
                    "other": _other_language(item.text, language),
                    "bands": [
                        {"label": _band_label(band), "text": in_language(text, language)}
                        for band, text in sorted(item.band_text.items())
                        if band in BANDS
                    ],
                    "own_scale": _scale_rows(item.scale, language)
                    if item.kind == Item.Kind.RATING and item.scale and item.scale != instrument.scale
                    else None,
                }
            )
        # Items that share a scale of their own (a subscale about the class, "how true") show it once, above them.
        own = [row["own_scale"] for row in subscale.rows]
        subscale.shared_scale = own[0] if own and own[0] and all(o == own[0] for o in own) else None
        if subscale.shared_scale:
            for row in subscale.rows:
                row["own_scale"] = None
    mine = can_import_instruments(request.user) and instrument.school_id == request.user.school_id
    context = {
        "instrument": instrument,
        "subscales": subscales,
        "item_count": item_count,
        "scale": _scale_rows(instrument.scale, language),
        "has_faces": any(point.get("face") for point in instrument.scale),
        "peer": instrument.respondent == Respondent.PEER,
        "can_delete": mine and not instrument.used,
        "mine": mine,
    }
    return render(request, "surveys/instruments/detail.html", context)


@login_required
@require_safe
def instrument_export(request, pk):
    """The instrument's file, in the format the import reads (surveys/instruments/shipped/README.md)."""
    _adults_only(request)
    instrument = get_object_or_404(selectors.instruments_for(request.user), pk=pk)
    data = selectors.instrument_export(instrument)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{instrument.slug}.json"'
    return response


@login_required
def instrument_import(request):
    if not can_import_instruments(request.user):
        raise Http404
    form = InstrumentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        spec = form.cleaned_data["spec"]
        try:
            instrument = services.instrument_import(spec=spec, school=request.user.school, by=request.user)
        except SurveyRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("“%(name)s” is imported: %(n)d items in %(subscales)d subscales.")
                % {
                    "name": in_language(instrument.name, get_language()),
                    "n": len(spec.items()),
                    "subscales": len(spec.subscales),
                },
            )
            return redirect("surveys:instrument", pk=instrument.pk)
    example = selectors.instruments_for(request.user).filter(school__isnull=True, slug=EXAMPLE_SLUG).first()
    return render(request, "surveys/instruments/import.html", {"form": form, "example": example})


@login_required
@require_POST
def instrument_delete(request, pk):
    instrument = get_object_or_404(selectors.instruments_managed_by(request.user), pk=pk)
    name = in_language(instrument.name, get_language())
    try:
        services.instrument_delete(instrument=instrument, by=request.user)
    except SurveyRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("surveys:instrument", pk=pk)
    messages.success(request, _("“%(name)s” is deleted.") % {"name": name})
    return redirect("surveys:instruments")
