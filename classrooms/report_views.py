"""The program-fidelity report for school and district administrators, as a page and as CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from classrooms import fidelity
from classrooms.forms import current_school_year


def detail_context(request, classroom, can_manage) -> dict:
    return {}


def _int_param(request, name: str) -> int | None:
    """A number from the query string; anything else is a 404, like any id outside the user's scope."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


@login_required
@require_safe
def fidelity_report(request):
    user = request.user
    if not fidelity.can_see_fidelity(user):
        raise Http404
    schools = list(fidelity.fidelity_schools(user))
    school_id = _int_param(request, "school")
    school = None
    if school_id is not None:
        school = next((s for s in schools if s.pk == school_id), None)
        if school is None:
            raise Http404  # another district's school answers like a school that does not exist
    this_year = current_school_year()
    school_year = _int_param(request, "year") or this_year
    years = sorted(set(fidelity.report_school_years(user)) | {this_year, school_year}, reverse=True)
    report = fidelity.fidelity_report(user=user, school_year=school_year, school=school)
    if request.GET.get("format") == "csv":
        return _csv_response(report, school_year=school_year, scope_name=(school or user.school or user.district).name)
    query = {"year": school_year, **({"school": school.pk} if school else {})}
    return render(
        request,
        "classrooms/fidelity_report.html",
        {
            "report": report,
            "is_district": user.role == user.Role.DISTRICT_ADMIN,
            "schools": schools,
            "school": school,
            "years": [(y, f"{y}–{(y + 1) % 100:02d}") for y in years],
            "school_year": school_year,
            "school_year_label": f"{school_year}–{(school_year + 1) % 100:02d}",
            "csv_query": urlencode({**query, "format": "csv"}),
        },
    )


def _csv_response(report: fidelity.FidelityReport, *, school_year: int, scope_name: str) -> HttpResponse:
    filename = f"heard-fidelity-{slugify(scope_name) or 'report'}-{school_year}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8 (names with accents)
    writer = csv.writer(response)
    writer.writerow(
        [
            _("School"), _("Classroom"), _("Grade"), _("Teachers"), _("Planned (to come)"), _("Held"),
            _("Cancelled"), _("Not marked (past, still planned)"), _("Share held (%)"), _("Next session"), _("Last held"),
        ]
    )

    def cells(row: fidelity.FidelityRow, first: list) -> list:
        return first + [
            row.upcoming, row.held, row.cancelled, row.overdue,
            "" if row.percent_held is None else row.percent_held,
            row.next_session.isoformat() if row.next_session else "",
            row.last_held.isoformat() if row.last_held else "",
        ]

    for row in report.rows:
        c = row.classroom
        teachers = ", ".join(t.display_name for t in c.teachers.all())
        writer.writerow([fidelity.csv_safe(v) for v in cells(row, [c.school.name, c.name, c.get_grade_display(), teachers])])
    if report.totals:
        writer.writerow([fidelity.csv_safe(v) for v in cells(report.totals, [_("All classrooms"), "", "", ""])])
    return response
