"""The outcomes of a survey cycle: the page (and its printable view), its charts, and its two CSV files.

Teachers see their classrooms, a school's admin the school, a district's admin the district; everyone else,
and anyone asking about a cycle outside their scope, gets 404. Every view computes the outcomes once, through
``outcomes()``, so a page costs the same queries for ten students or ten thousand.
"""

import dataclasses
import hashlib
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_safe

from surveys.models import SurveyCycle
from surveys.outcomes import charts, exports, figures
from surveys.outcomes.cells import Level, Outcomes
from surveys.outcomes.filters import OutcomesFilter
from surveys.outcomes.selectors import district_cycles, outcomes
from surveys.outcomes.services import student_scores_export
from surveys.permissions import can_export_student_level, can_see_district_outcomes, can_see_outcomes, cycle_scope
from surveys.services import SurveyRefused

CHART_KINDS = ("prepost", "change", "dose")
# A scope of several schools, with no school, grade or classroom chosen, is shown as an overview: the totals,
# each grade across the schools and each school, and the charts per school. Its classrooms are one choice of
# school away. (A district of 50,000 students had 2,000 classrooms: 12.6 MB of tables, 2.8 s to draw.) What
# is hidden does not change: suppression is decided over every cell, whatever is shown.
OVERVIEW_LEVELS = (Level.ALL, Level.ALL_GRADE, Level.SCHOOL)


def _overview(found: Outcomes, filters: OutcomesFilter) -> Outcomes | None:
    """The overview of ``found`` (see OVERVIEW_LEVELS), or None when the page shows every group. A school's dose
    in the overview is its classrooms' mean, so that a school with more classrooms does not look like more practice."""
    selection = filters.selection()
    if any(selection[k] is not None for k in ("school", "grade", "classroom")):
        return None
    if len({c.school_id for c in found.cells if c.level == Level.SCHOOL}) < 2:
        return None
    rooms = Counter((c.measure, c.school_id) for c in found.cells if c.level == Level.CLASSROOM)
    cells = []
    for cell in found.cells:
        if cell.level not in OVERVIEW_LEVELS:
            continue
        if cell.level == Level.SCHOOL and rooms[(cell.measure, cell.school_id)]:
            count = rooms[(cell.measure, cell.school_id)]
            dose = {k: (v / count if v is not None else None) for k, v in cell.dose.items()}
            cell = dataclasses.replace(cell, dose=dose)
        cells.append(cell)
    return dataclasses.replace(found, cells=cells)


def _shown(found: Outcomes, filters: OutcomesFilter) -> tuple[Outcomes, str]:
    """What the page and its charts show of ``found``, and the unit of their charts ("classroom" or "school")."""
    overview = _overview(found, filters)
    return (overview, Level.SCHOOL) if overview is not None else (found, Level.CLASSROOM)


def _cycle(request, pk) -> SurveyCycle:
    if not can_see_outcomes(request.user):
        raise Http404
    return get_object_or_404(SurveyCycle.objects.filter(cycle_scope(request.user)).select_related("school"), pk=pk)


@dataclasses.dataclass
class Subject:
    """What an outcomes page is about: one cycle, or a district's schools' cycles pooled. ``extra`` is the part
    of the query string that names it (the pooled cycles), carried to its charts, CSV and printable view."""

    cycles: list[SurveyCycle]
    title: str
    place: str
    page_url: str
    chart_url: str
    csv_url: str
    extra: dict = dataclasses.field(default_factory=dict)
    cycle: SurveyCycle | None = None  # the one cycle; None when pooled

    @property
    def anonymous(self) -> bool:
        return self.cycles[0].anonymous

    def url(self, base: str, filters: OutcomesFilter, **more) -> str:
        query = filters.querystring(**self.extra, **more)
        return f"{base}?{query}" if query else base


def _cycle_subject(request, pk) -> Subject:
    cycle = _cycle(request, pk)
    return Subject(
        cycles=[cycle], title=cycle.title, place=cycle.school.name, cycle=cycle,
        page_url=reverse("surveys:outcomes", args=[cycle.pk]),
        chart_url=reverse("surveys:outcomes_chart", args=[cycle.pk]),
        csv_url=reverse("surveys:outcomes_csv", args=[cycle.pk]),
    )


def _district_subject(request) -> Subject:
    """A district's admin's pooled outcomes: the confidential cycles of the district's schools that have a pre
    and a post window (by default those whose pre window opened this school year; ``cycles`` chooses)."""
    user = request.user
    if not can_see_district_outcomes(user):
        raise Http404
    offered = district_cycles(user)
    chosen = request.GET.getlist("cycles")
    if chosen:
        if not all(c.isdigit() for c in chosen) or not {int(c) for c in chosen} <= {c.pk for c in offered}:
            raise Http404  # a cycle outside the offer answers like one that does not exist
        cycles = [c for c in offered if str(c.pk) in chosen]
    else:
        cycles = [c for c in offered if c.this_year]
    if not cycles:
        raise Http404
    return Subject(
        cycles=cycles,
        title=gettext("Every school's survey"),
        place=user.district.name,
        page_url=reverse("surveys:district_outcomes"),
        chart_url=reverse("surveys:district_outcomes_chart"),
        csv_url=reverse("surveys:district_outcomes_csv"),
        extra={"cycles": [c.pk for c in cycles]} if chosen else {},
    )


def _filters(request, cycle, data=None) -> OutcomesFilter:
    filters = OutcomesFilter(request.GET if data is None else data, user=request.user, cycle=cycle)
    if not filters.is_valid():
        raise Http404  # a classroom or subscale outside the choices answers like one that does not exist
    return filters


def _chart_url(subject: Subject, filters: OutcomesFilter, **extra) -> str:
    return subject.url(subject.chart_url, filters, **extra)


def _prepost_rows(part: figures.InstrumentPart) -> list[charts.PrePost]:
    rows = []
    for measure, cell in part.rows:
        shown = cell.shown and figures.finite(cell.mean_pre) and figures.finite(cell.mean_post)
        ends = shown and all(figures.finite(v) for v in (cell.mean_change, cell.change_low, cell.change_high))
        # The change's interval drawn around the post mean (pre + change): where the change puts it.
        rows.append(
            charts.PrePost(
                measure.subscale_name,
                cell.mean_pre if shown else None,
                cell.mean_post if shown else None,
                cell.mean_post + (cell.change_low - cell.mean_change) if ends else None,
                cell.mean_post + (cell.change_high - cell.mean_change) if ends else None,
            )
        )
    return rows


def _change_rows(cells, unit=Level.CLASSROOM) -> tuple[list[charts.Change], charts.Change | None]:
    def line(cell):
        ends = figures.finite(cell.change_low) and figures.finite(cell.change_high)
        value = cell.mean_change if figures.finite(cell.mean_change) else None
        return charts.Change(cell.label, value, cell.change_low if ends else None, cell.change_high if ends else None)

    shown, _hidden = figures.groups_of(cells, unit)
    total = figures.top_cell(cells)
    if total is not None and (total.level == unit or not total.shown):
        total = None
    return [line(c) for c in shown], line(total) if total is not None else None


def _dose_panels(found: Outcomes, cells, unit=Level.CLASSROOM) -> list[charts.DosePanel]:
    return [
        charts.DosePanel(str(label), figures.dose_points(cells, key, unit)) for key, label in found.dose_labels.items()
    ]


def _page_parts(subject: Subject, found: Outcomes, filters: OutcomesFilter, unit=Level.CLASSROOM) -> dict:
    """What the page shows, measure by measure, with each chart's address, size and words."""
    instruments = []
    for part in figures.by_instrument(found):
        instruments.append(
            {
                "part": part,
                "url": _chart_url(subject, filters, kind="prepost", instrument=part.instrument_id),
                "size": charts.size_px(charts.prepost_size(len(part.rows))),
                "alt": figures.prepost_alt(part, found.anonymous),
            }
        )
    measures = []
    for measure in found.measures:
        cells = found.for_measure(measure)
        shown, hidden = figures.groups_of(cells, unit)
        lines, total = _change_rows(cells, unit)
        panels = _dose_panels(found, cells, unit)
        measures.append(
            {
                "measure": measure,
                "title": figures.measure_title(measure),
                "cells": cells,
                "attrition_cells": [c for c in cells if c.shown and figures.finite(c.mean_pre_unmatched)],
                "classrooms": shown,
                "hidden_classrooms": hidden,
                "hidden_note": figures.hidden_groups(hidden, unit) if hidden else "",
                "change_url": _chart_url(subject, filters, kind="change", subscale=measure.subscale_id),
                "change_size": charts.size_px(charts.change_size(len(lines) + (1 if total else 0))),
                "change_alt": figures.change_alt(measure, shown, hidden, unit),
                "has_dose": any(p.points for p in panels),
                "dose_url": _chart_url(subject, filters, kind="dose", subscale=measure.subscale_id),
                "dose_size": charts.size_px(charts.dose_size(len(panels))),
                "dose_alt": " ".join(figures.dose_alt(measure, p.label, p.points, unit) for p in panels),
            }
        )
    return {"instruments": instruments, "measures": measures}


def _page(request, subject: Subject):
    filters = _filters(request, subject.cycles)
    found, unit = _shown(outcomes(request.user, subject.cycles, **filters.selection()), filters)
    printing = request.GET.get("print") == "1"
    context = {
        "subject": subject,
        "found": found,
        "overview": unit == Level.SCHOOL,
        "filters": filters,
        "printing": printing,
        "min_n": found.suppression_min_n,
        "dose_labels": list(found.dose_labels.items()),
        "page_url": subject.url(subject.page_url, filters),
        "csv_url": subject.url(subject.csv_url, filters),
        "print_url": subject.url(subject.page_url, filters, print=1),
        "students_url": (
            subject.url(reverse("surveys:outcomes_students_csv", args=[subject.cycle.pk]), filters)
            if subject.cycle is not None and can_export_student_level(request.user) and not subject.anonymous
            else ""
        ),
        "pooled": subject.cycles if subject.cycle is None else [],
        "offered": district_cycles(request.user) if subject.cycle is None else [],
        **_page_parts(subject, found, filters, unit),
    }
    template = "surveys/outcomes/print.html" if printing else "surveys/outcomes/page.html"
    return render(request, template, context)


@login_required
@require_safe
def outcomes_page(request, pk):
    return _page(request, _cycle_subject(request, pk))


@login_required
@require_safe
def district_outcomes(request):
    """Every school's cycles of the district at once, for its admin: one table, suppressed as one."""
    return _page(request, _district_subject(request))


def _chart(request, subject: Subject):
    filters = _filters(request, subject.cycles)
    kind = request.GET.get("kind")
    if kind not in CHART_KINDS:
        raise Http404
    selection = filters.selection()
    if kind != "prepost" and selection["subscale"] is None:
        raise Http404  # the change and dose charts are one subscale's
    found, unit = _shown(outcomes(request.user, subject.cycles, **selection), filters)
    if kind == "prepost":
        part = next(
            (p for p in figures.by_instrument(found) if str(p.instrument_id) == request.GET.get("instrument")), None
        )
        if part is None:
            raise Http404
        scale = next(((m.scale_min, m.scale_max) for m, _c in part.rows), None)
        data, draw = (_prepost_rows(part), scale), lambda: charts.prepost_svg(_prepost_rows(part), scale=scale)
    else:
        measure = next((m for m in found.measures if m.subscale_id == selection["subscale"]), None)
        if measure is None:
            raise Http404
        cells = found.for_measure(measure)
        if kind == "change":
            lines, total = _change_rows(cells, unit)
            data, draw = (lines, total), lambda: charts.change_svg(lines, total=total)
        else:
            panels = _dose_panels(found, cells, unit)
            data, draw = panels, lambda: charts.dose_svg(panels)
    # Drawing costs far more than reading: a browser that has this very chart is told so.
    digest = hashlib.sha256(repr((charts.DRAWING_VERSION, get_language(), kind, data)).encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(draw(), content_type="image/svg+xml")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_safe
def outcomes_chart(request, pk):
    return _chart(request, _cycle_subject(request, pk))


@login_required
@require_safe
def district_outcomes_chart(request):
    return _chart(request, _district_subject(request))


def _csv(request, subject: Subject):
    filters = _filters(request, subject.cycles)
    found = outcomes(request.user, subject.cycles, **filters.selection())
    names = {pk: s.name for pk, s in filters.schools.items()}
    return exports.outcomes_csv(found, name=subject.cycle.title if subject.cycle else subject.place, school_names=names)


@login_required
@require_safe
def outcomes_csv(request, pk):
    return _csv(request, _cycle_subject(request, pk))


@login_required
@require_safe
def district_outcomes_csv(request):
    return _csv(request, _district_subject(request))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def outcomes_students_csv(request, pk):
    """GET: what the export holds and that it is recorded; POST: the file, recorded as an audit event."""
    cycle = _cycle(request, pk)
    if not can_export_student_level(request.user):
        raise Http404
    filters = _filters(request, cycle, request.POST if request.method == "POST" else request.GET)
    refused = ""
    if request.method == "POST":
        try:
            rows = student_scores_export(by=request.user, cycle=cycle, **filters.selection())
        except PermissionDenied as error:
            raise Http404 from error
        except SurveyRefused as error:
            refused = error.message
        else:
            return exports.student_scores_csv(rows, cycle=cycle)
    context = {"cycle": cycle, "filters": filters, "query": filters.querystring(), "refused": refused}
    return render(request, "surveys/outcomes/student_export.html", context, status=200)
