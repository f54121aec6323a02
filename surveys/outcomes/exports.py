"""The outcomes as CSV files: the aggregated table the page shows, and the student-level scores.

UTF-8 with a byte-order mark, so Excel reads accented names. Every text cell is made safe from formula
injection (a leading ``= + - @``, tab or carriage return gets a ``'``: school and classroom names are typed by
people); numbers are written plainly, with a dot, so a negative change stays a number. A hidden cell's figures
are blank and its reason is in a column of its own.
"""

import csv
import math

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Grade
from classrooms.program.fidelity import csv_safe
from surveys.outcomes import figures
from surveys.outcomes.cells import Cell, Level, Outcomes
from surveys.outcomes.services import StudentScore


def _number(value) -> str | int:
    """Six significant digits, with a dot; nothing for none (or an infinite t)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    return format(float(value), ".6g") if math.isfinite(value) else ""


def _count(value) -> str | int:
    return "" if value is None else int(value)


def csv_response(filename: str) -> tuple[HttpResponse, "csv._writer"]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv.writer(response)


def filename(kind: str, cycle) -> str:
    return f"heard-{kind}-{slugify(cycle.title) or 'cycle'}-{cycle.pk}.csv"


def level_label(level: str) -> str:
    return {
        Level.ALL: _("All"),
        "all_grade": _("Grade, all schools"),  # Level.ALL_GRADE of the outcomes computation
        Level.SCHOOL: _("School"),
        Level.GRADE: _("Grade"),
        Level.CLASSROOM: _("Classroom"),
    }.get(level, str(level))


def outcomes_csv(found: Outcomes, *, name: str, school_names: dict[int, str]) -> HttpResponse:
    """``name``: the cycle's title (or the district's, for its schools' cycles pooled), for the file's name."""
    response, writer = csv_response(f"heard-outcomes-{slugify(name) or 'cycle'}-{found.cycle_id}.csv")
    dose_keys = list(found.dose_labels)
    paired = not found.anonymous
    writer.writerow(
        [
            _("Instrument"),
            _("Informant"),
            _("Subscale"),
            _("Level"),
            _("School"),
            _("Grade"),
            _("Classroom"),
            _("Not shown because"),
            _("Matched students") if paired else _("Pre responses"),
            _("Pre only") if paired else _("Post responses"),
            _("Post only"),
            _("Match rate"),
            _("Enrolled"),
            _("Response rate, pre"),
            _("Response rate, post"),
            _("Mean pre"),
            _("Mean post"),
            _("Mean change"),
            _("SD of change"),
            _("t"),
            _("df"),
            _("p"),
            _("95% CI of change, low"),
            _("95% CI of change, high"),
            _("d_z"),
            _("d_z 95% CI, low"),
            _("d_z 95% CI, high"),
            _("g_z") if paired else _("g_s"),
            _("g 95% CI, low"),
            _("g 95% CI, high"),
            _("Improvement index"),
            _("Mean pre, matched"),
            _("Mean pre, unmatched"),
            _("Attrition: standardised difference"),
            _("Attrition reading"),
            *[str(found.dose_labels[k]) for k in dose_keys],
        ]
    )
    for measure in found.measures:
        cells = found.for_measure(measure)
        for cell in cells:
            writer.writerow(_outcome_row(found, measure, cell, school_names, dose_keys, paired))
    return response


def _outcome_row(found, measure, cell: Cell, schools, dose_keys, paired: bool) -> list:
    labels = [
        measure.instrument_name,
        figures.respondent_label(measure.respondent),
        measure.subscale_name,
        level_label(cell.level),
        schools.get(cell.school_id, "") if cell.school_id is not None else "",
        str(Grade(cell.grade).label) if cell.grade is not None else "",
        cell.label if cell.level == Level.CLASSROOM else "",
        figures.hidden_reason(cell, found.suppression_min_n),
    ]
    if not cell.shown:
        return [csv_safe(v) for v in labels]
    numbers = [
        _count(cell.n_matched) if paired else _count(cell.n_pre_only),
        _count(cell.n_pre_only) if paired else _count(cell.n_post_only),
        _count(cell.n_post_only) if paired else "",
        _number(cell.match_rate),
        _count(cell.enrolled),
        _number(cell.response_rate_pre),
        _number(cell.response_rate_post),
        _number(cell.mean_pre),
        _number(cell.mean_post),
        _number(cell.mean_change),
        _number(cell.sd_change),
        _number(cell.t),
        _number(cell.df),
        _number(cell.p),
        _number(cell.change_low),
        _number(cell.change_high),
        _number(cell.d_z),
        _number(cell.d_z_low),
        _number(cell.d_z_high),
        _number(cell.g_z if paired else cell.g_s),
        _number(cell.g_low),
        _number(cell.g_high),
        _number(cell.improvement_index),
        _number(cell.mean_pre_matched),
        _number(cell.mean_pre_unmatched),
        _number(cell.attrition_d),
    ]
    reading = csv_safe(figures.attrition_reading(cell.attrition)) if paired else ""
    doses = [_number(cell.dose.get(k)) for k in dose_keys]
    return [csv_safe(v) for v in labels] + numbers + [reading] + doses


def student_scores_csv(rows: list[StudentScore], *, cycle) -> HttpResponse:
    response, writer = csv_response(filename("student-scores", cycle))
    writer.writerow(
        [
            _("Student ID"),
            _("Username"),
            _("First name"),
            _("Last name"),
            _("School"),
            _("Classroom"),
            _("Grade"),
            _("Instrument"),
            _("Informant"),
            _("Subscale"),
            _("Pre score"),
            _("Post score"),
            _("Nominations received, pre"),
            _("z within the class, pre"),
            _("Nominations received, post"),
            _("z within the class, post"),
        ]
    )
    for r in rows:
        texts = [r.username, r.first_name, r.last_name, r.school, r.classroom]
        writer.writerow(
            [
                r.student_id,
                *[csv_safe(t) for t in texts],
                r.grade,
                csv_safe(r.instrument),
                csv_safe(figures.respondent_label(r.respondent)),
                csv_safe(r.subscale),
                _number(r.pre),
                _number(r.post),
                _count(r.pre_received),
                _number(r.pre_z),
                _count(r.post_received),
                _number(r.post_z),
            ]
        )
    return response
