"""The outcomes of one survey cycle for one person: every measure's cells, computed in a fixed number of queries.

**What is counted.** Scores (``surveys.models.Score``, written when a response is handed in) are matched by
cycle, subscale and student: a student with a pre and a post score is *matched*; one with only a pre score is
*pre only*, with only a post score *post only*. A student belongs to the classroom of their **pre** score (of
their post score when they have no pre score): a student who moved classroom between the windows counts once,
where the program started with them, and a classroom's cell is the same whoever looks at it. The classroom is
placed by its current school and grade. Anonymous cycles cannot be matched: every score is its own student,
and pre and post are compared as two groups.

**Who sees what.** A cell of a classroom exists for the windows' classrooms the person's outcome scope holds
(``permissions.outcome_classrooms``: a teacher's own, an admin's school or district); students are kept when
their group classroom is one of those. The totals above the classrooms are sums of the classrooms' sums
(never another query): a grade of a school, a school, every grade across the schools when the scope holds
two or more, and everything ("All").

**One query for the scores.** The database groups each student's pre and post score, then sums per subscale
and classroom: matched n, the sums of pre, post, change and change squared (what ``stats.paired_effects``
needs), the sum of squared pre scores of the matched students, and n, sum and sum of squares of the pre-only
and post-only students (the attrition figures, and the two groups of an anonymous cycle). CASE WHEN, so it
runs the same on PostgreSQL and SQLite. numpy and scipy finish every cell of every measure at once.

**Suppression** (``suppression.py``) is decided on the whole table of the person's scope, before the
filters: a filter only chooses which cells come back, it never makes a new total (a new total beside the
old ones would be a new way to subtract). Attrition figures (the unmatched students' pre mean and the
standardised difference) are suppressed once more on the unmatched students' n, starting from the cells
the main figures hide.

**Queries**, whatever the number of students, classrooms or measures: the windows, the measures, the
classrooms (with their enrolment: students on the roll now or at some time since the pre window opened, so
a student who moved away does not push a response rate over 100%), the scores, the handed-in responses, and one per registered classroom
measure (``classrooms.measures``: sessions held, activities turned in) — 7 with both registered; one more
only when some scores' classroom is no longer one of the windows' (a window's classrooms changed after it
was answered).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from scipy import sparse

from accounts.models import Grade
from classrooms.measures import classroom_measures_registered, classroom_measures_values
from classrooms.models import Classroom
from surveys import stats
from surveys.models import Phase, Respondent, Response, Score, Subscale, SurveyCycle, SurveyWindow
from surveys.outcomes import suppression
from surveys.outcomes.cells import Attrition, Cell, Hidden, Level, Measure, Outcomes
from surveys.permissions import can_see_outcomes, outcome_classrooms

RESPONDENT_ORDER = {value: i for i, value in enumerate(Respondent.values)}

# The per-classroom sums of the scores query, in its column order.
SUMS = (
    "n",
    "sum_pre",
    "sum_post",
    "sum_change",
    "sum_change_squared",
    "sum_pre_squared",
    "n_pre_only",
    "sum_pre_only",
    "sum_pre_only_squared",
    "n_post_only",
    "sum_post_only",
    "sum_post_only_squared",
)
_SCORES_SQL = """
WITH students AS ({students})
SELECT subscale_id, classroom_id,
       SUM(CASE WHEN pre IS NOT NULL AND post IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN post IS NOT NULL THEN pre END),
       SUM(CASE WHEN pre IS NOT NULL THEN post END),
       SUM(post - pre),
       SUM((post - pre) * (post - pre)),
       SUM(CASE WHEN post IS NOT NULL THEN pre * pre END),
       SUM(CASE WHEN post IS NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN post IS NULL THEN pre END),
       SUM(CASE WHEN post IS NULL THEN pre * pre END),
       SUM(CASE WHEN pre IS NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN pre IS NULL THEN post END),
       SUM(CASE WHEN pre IS NULL THEN post * post END)
FROM students
WHERE classroom_id IN ({classrooms})
GROUP BY subscale_id, classroom_id
"""
# One row per subscale and student: the pre and the post score, and the group (the pre score's classroom, or
# the post score's when there is no pre). One score per window, subscale and student (a constraint), one
# window per phase: MAX picks the only one.
_MATCHED_STUDENTS = """
SELECT subscale_id,
       MAX(CASE WHEN phase = 'pre' THEN value END) AS pre,
       MAX(CASE WHEN phase = 'post' THEN value END) AS post,
       COALESCE(MAX(CASE WHEN phase = 'pre' THEN classroom_id END), MAX(classroom_id)) AS classroom_id
FROM {score}
WHERE cycle_id = %s AND student_id IS NOT NULL AND subscale_id IN ({subscales})
GROUP BY subscale_id, student_id
"""
# Anonymous: no student to match on, each score is a student of its own phase.
_ANONYMOUS_STUDENTS = """
SELECT subscale_id,
       CASE WHEN phase = 'pre' THEN value END AS pre,
       CASE WHEN phase = 'post' THEN value END AS post,
       classroom_id
FROM {score}
WHERE cycle_id = %s AND subscale_id IN ({subscales})
"""


@dataclass(frozen=True)
class _Room:
    pk: int
    name: str
    grade: int
    school_id: int
    school_name: str
    enrolled: int


def _in_language(text, language: str) -> str:
    if isinstance(text, dict):
        if language.startswith("es") and text.get("es"):
            return text["es"]
        return text.get("en") or next(iter(text.values()), "")
    return str(text or "")


def _measures(cycle: SurveyCycle, *, subscale, respondent) -> list[tuple[Measure, Subscale]]:
    subscales = Subscale.objects.filter(
        pk__in=Subscale.objects.filter(instrument__windows__cycle=cycle).values("pk")
    ).select_related("instrument")
    if respondent:
        subscales = subscales.filter(instrument__respondent=respondent)
    if isinstance(subscale, str):
        subscales = subscales.filter(key=subscale)
    elif subscale is not None:
        subscales = subscales.filter(pk=subscale)
    language = get_language() or "en"
    found = []
    for s in subscales:
        instrument = s.instrument
        if instrument.respondent == Respondent.PEER:  # the share of classmates who named the student
            low, high = 0, 1
        else:
            values = [p.get("value") for p in instrument.scale if isinstance(p, dict) and p.get("value") is not None]
            low, high = (min(values), max(values)) if values else (1, 5)
        measure = Measure(
            instrument_id=instrument.pk,
            instrument_name=_in_language(instrument.name, language),
            subscale_id=s.pk,
            subscale_key=s.key,
            subscale_name=_in_language(s.name, language),
            respondent=instrument.respondent,
            scale_min=low,
            scale_max=high,
        )
        order = (RESPONDENT_ORDER.get(instrument.respondent, 99), instrument.grade_min, instrument.slug, instrument.pk)
        found.append((order + (s.order, s.key, s.pk), measure, s))
    found.sort(key=lambda row: row[0])
    return [(measure, s) for _order, measure, s in found]


def _rooms(classrooms, since) -> dict[int, _Room]:
    """The classrooms with their names and enrolment: students enrolled now or at some time since the pre
    window opened (a student who moved counts in both classrooms: each had them on its roll)."""
    enrolled = Q(enrollments__left_at__isnull=True)
    if since is not None:
        enrolled |= Q(enrollments__left_at__gte=since)
    rows = classrooms.annotate(enrolled=Count("enrollments", filter=enrolled)).values_list(
        "pk", "name", "grade", "school_id", "school__name", "enrolled"
    )
    return {row[0]: _Room(*row) for row in rows}


def _sql(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _score_sums(cycle: SurveyCycle, subscale_ids: Sequence[int], scope_sql: str, scope_params: tuple) -> list[tuple]:
    score = connection.ops.quote_name(Score._meta.db_table)
    marks = ", ".join(["%s"] * len(subscale_ids))
    students = (_ANONYMOUS_STUDENTS if cycle.anonymous else _MATCHED_STUDENTS).format(score=score, subscales=marks)
    sql = _SCORES_SQL.format(students=students, classrooms=scope_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, (cycle.pk, *subscale_ids, *scope_params))
        return cursor.fetchall()


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _count(value: float) -> int:
    return int(round(value))


def _dose_value(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def outcomes(
    user,
    cycle: SurveyCycle,
    *,
    school: int | None = None,
    grade: int | None = None,
    classroom: int | None = None,
    subscale: int | str | None = None,
    respondent: str | None = None,
    min_n: int | None = None,
) -> Outcomes:
    """The outcomes of ``cycle`` that ``user`` may see (see the module's docstring).

    Filters: ``respondent`` (a ``Respondent`` value) and ``subscale`` (a Subscale's pk, or a key, which picks
    that subscale of every instrument) choose the measures; ``school``, ``grade`` and ``classroom`` (pks, a
    grade number) choose the cells: a school's own cells (the school, its grades, their classrooms), a grade's
    (the grade across schools, each school's grade, its classrooms), a classroom. "All" comes back only with
    none of the three. Suppression does not change with the filters. A filter outside the scope gives no cells.
    """
    min_n = settings.SUPPRESSION_MIN_N if min_n is None else min_n
    empty = Outcomes(cycle_id=cycle.pk, anonymous=cycle.anonymous, suppression_min_n=min_n, measures=[], cells=[])
    if not can_see_outcomes(user):
        return empty
    windows = {w.phase: w for w in SurveyWindow.objects.filter(cycle=cycle)}
    chosen = _measures(cycle, subscale=subscale, respondent=respondent)
    dose_labels = {m.key: str(m.label) for m in classroom_measures_registered()}
    empty.dose_labels = dose_labels
    if not chosen:
        return empty
    scope = Classroom.objects.filter(outcome_classrooms(user))
    try:
        scope_sql, scope_params = _sql(scope.values("pk"))
    except EmptyResultSet:
        return empty
    window_rooms = SurveyWindow.classrooms.through.objects.filter(surveywindow__cycle=cycle).values("classroom_id")
    since = windows[Phase.PRE].opens_at if Phase.PRE in windows else None
    until = windows[Phase.POST].closes_at if Phase.POST in windows else None
    rooms = _rooms(scope.filter(pk__in=window_rooms), since)
    rows = _score_sums(cycle, [s.pk for _m, s in chosen], scope_sql, scope_params)
    missing = {row[1] for row in rows} - rooms.keys()
    if missing:  # a window's classrooms changed after it was answered: its scores still count
        rooms.update(_rooms(scope.filter(pk__in=missing), since))
    submitted = (
        Response.objects.filter(window__cycle=cycle, submitted_at__isnull=False, classroom__in=scope.values("pk"))
        .order_by()
        .values_list("window__phase", "instrument_id", "classroom_id")
        .annotate(n=Count("pk"))
    )
    handed_in = {(phase, instrument, room): n for phase, instrument, room, n in submitted}
    dose = classroom_measures_values(sorted(rooms), since, until)
    return _finish(
        cycle,
        user_filters=(school, grade, classroom),
        chosen=chosen,
        rooms=rooms,
        rows=rows,
        handed_in=handed_in,
        dose=dose,
        dose_labels=dose_labels,
        min_n=min_n,
    )


def _finish(cycle, *, user_filters, chosen, rooms, rows, handed_in, dose, dose_labels, min_n) -> Outcomes:
    """Sum the classrooms into every cell, finish the statistics of all cells at once, suppress, filter."""
    school_filter, grade_filter, classroom_filter = user_filters
    order = sorted(rooms.values(), key=lambda r: (r.school_name, r.school_id, r.grade, r.name, r.pk))
    by_subscale = {}
    for row in rows:
        by_subscale.setdefault(row[0], {})[row[1]] = row[2:]
    dose_keys = list(dose_labels)
    width = len(SUMS) + 3 + len(dose_keys)  # the sums, enrolled, handed in pre and post, the dose figures
    classroom_rows: list[list[float]] = []
    cell_keys: list[tuple[int, tuple]] = []  # (measure index, key), one per cell, in display order
    memberships: list[tuple[int, int]] = []  # (cell index, classroom row index)
    trees = []
    for m, (_measure, subscale) in enumerate(chosen):
        sums = by_subscale.get(subscale.pk, {})
        instrument = subscale.instrument
        members = [r for r in order if r.pk in sums or instrument.covers(r.grade)]
        grade_totals = len({r.school_id for r in members}) > 1
        keys, relations = suppression.tree(((r.school_id, r.grade, r.pk) for r in members), grade_totals=grade_totals)
        index = {key: len(cell_keys) + i for i, key in enumerate(keys)}
        cell_keys += [(m, key) for key in keys]
        for room in members:
            row_index = len(classroom_rows)
            values = [float(v or 0) for v in sums.get(room.pk, (0,) * len(SUMS))]
            values += [
                room.enrolled,
                handed_in.get((Phase.PRE, instrument.pk, room.pk), 0),
                handed_in.get((Phase.POST, instrument.pk, room.pk), 0),
            ]
            values += [dose[key].get(room.pk, 0) for key in dose_keys]
            classroom_rows.append(values)
            above = [
                suppression.ALL,
                suppression.school_key(room.school_id),
                suppression.grade_key(room.school_id, room.grade),
                suppression.classroom_key(room.pk),
            ]
            if grade_totals:
                above.append(suppression.all_grade_key(room.grade))
            memberships += [(index[key], row_index) for key in above]
        trees.append((keys, relations, index))
    if not cell_keys:
        return Outcomes(cycle.pk, cycle.anonymous, min_n, [m for m, _s in chosen], [], dose_labels)
    per_room = np.asarray(classroom_rows, dtype=float).reshape(-1, width)
    cells_of, rooms_of = zip(*memberships, strict=True) if memberships else ((), ())
    adding = sparse.csr_matrix(
        (np.ones(len(memberships)), (cells_of, rooms_of)), shape=(len(cell_keys), len(classroom_rows))
    )
    totals = np.asarray(adding @ per_room)
    column = {name: totals[:, i] for i, name in enumerate(SUMS)}
    enrolled, pre_in, post_in = (totals[:, len(SUMS) + i] for i in range(3))
    figures = _figures(cycle.anonymous, column)
    if cycle.anonymous:
        pre_n, post_n = column["n_pre_only"], column["n_post_only"]
        # The figures rest on both groups: the smaller one decides, unless a group is empty.
        suppress_n = np.where(pre_n == 0, post_n, np.where(post_n == 0, pre_n, np.minimum(pre_n, post_n)))
    else:
        suppress_n = column["n"]
    hidden: dict[int, Hidden] = {}
    attrition_hidden: set[int] = set()
    for keys, relations, index in trees:
        counts = {key: _count(suppress_n[index[key]]) for key in keys}
        main = suppression.suppress(counts, relations, min_n)
        hidden.update({index[key]: why for key, why in main.items()})
        if not cycle.anonymous:
            unmatched = {key: _count(column["n_pre_only"][index[key]]) for key in keys}
            also = suppression.suppress(unmatched, relations, min_n, forced=main)
            attrition_hidden.update(index[key] for key in also)
    lists = {name: values.tolist() for name, values in figures.items()}
    counts = {name: column[name].tolist() for name in ("n", "n_pre_only", "n_post_only")}
    enrolled, pre_in, post_in = enrolled.tolist(), pre_in.tolist(), post_in.tolist()
    dose_columns = [totals[:, len(SUMS) + 3 + i].tolist() for i in range(len(dose_keys))]
    measures = [m for m, _s in chosen]
    school_names = {r.school_id: r.school_name for r in rooms.values()}
    cells = []
    for i, (m, key) in enumerate(cell_keys):
        level, school_id, grade, classroom_id, label = _place(key, rooms, school_names)
        if not _wanted(level, school_id, grade, classroom_id, school_filter, grade_filter, classroom_filter):
            continue
        cell = Cell(
            measure=measures[m], level=level, school_id=school_id, grade=grade, classroom_id=classroom_id, label=label
        )
        cell.dose = {k: _dose_value(dose_columns[j][i]) for j, k in enumerate(dose_keys)}
        cells.append(cell)
        if i in hidden:
            cell.hidden = hidden[i]
            continue
        n, pre_only, post_only = (_count(counts[name][i]) for name in ("n", "n_pre_only", "n_post_only"))
        cell.enrolled = _count(enrolled[i])
        if enrolled[i] > 0:
            cell.response_rate_pre = pre_in[i] / enrolled[i]
            cell.response_rate_post = post_in[i] / enrolled[i]
        for name, values in lists.items():
            setattr(cell, name, _finite(values[i]))
        if cycle.anonymous:
            cell.n_pre, cell.n_post = pre_only, post_only
            continue
        cell.n_matched, cell.n_pre_only, cell.n_post_only = n, pre_only, post_only
        cell.n_pre, cell.n_post = n + pre_only, n + post_only
        cell.match_rate = n / (n + pre_only) if n + pre_only else None
        cell.mean_pre_matched = cell.mean_pre
        if i in attrition_hidden or pre_only == 0:
            cell.mean_pre_unmatched = cell.attrition_d = None
        cell.attrition = _attrition_reading(cell.attrition_d)
    return Outcomes(cycle.pk, cycle.anonymous, min_n, measures, cells, dose_labels)


def _figures(anonymous: bool, column: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every cell's figures, by the Cell field they fill, from the summed columns."""
    if anonymous:
        e = stats.independent_effects(
            n_a=column["n_pre_only"],
            sum_a=column["sum_pre_only"],
            sum_a_squared=column["sum_pre_only_squared"],
            n_b=column["n_post_only"],
            sum_b=column["sum_post_only"],
            sum_b_squared=column["sum_post_only_squared"],
        )
        return {
            "mean_pre": e.mean_a,
            "mean_post": e.mean_b,
            "mean_change": e.difference,
            "t": e.t,
            "df": e.df,
            "p": e.p,
            "change_low": e.difference_low,
            "change_high": e.difference_high,
            "g_s": e.g_s,
            "g_low": e.g_s_low,
            "g_high": e.g_s_high,
            "improvement_index": e.improvement_index,
        }
    e = stats.paired_effects(
        n=column["n"],
        sum_pre=column["sum_pre"],
        sum_post=column["sum_post"],
        sum_change=column["sum_change"],
        sum_change_squared=column["sum_change_squared"],
    )
    n_unmatched = column["n_pre_only"]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_unmatched = np.where(n_unmatched > 0, column["sum_pre_only"] / n_unmatched, np.nan)
    return {
        "mean_pre": e.mean_pre,
        "mean_post": e.mean_post,
        "mean_change": e.mean_change,
        "sd_change": e.sd_change,
        "t": e.t,
        "df": e.df,
        "p": e.p,
        "change_low": e.change_low,
        "change_high": e.change_high,
        "d_z": e.d_z,
        "d_z_low": e.d_z_low,
        "d_z_high": e.d_z_high,
        "g_z": e.g_z,
        "g_low": e.g_z_low,
        "g_high": e.g_z_high,
        "improvement_index": e.improvement_index,
        "mean_pre_unmatched": mean_unmatched,
        "attrition_d": stats.standardised_difference(
            n_a=column["n"],
            sum_a=column["sum_pre"],
            sum_a_squared=column["sum_pre_squared"],
            n_b=n_unmatched,
            sum_b=column["sum_pre_only"],
            sum_b_squared=column["sum_pre_only_squared"],
        ),
    }


def _attrition_reading(d: float | None) -> Attrition:
    if d is None:
        return Attrition.NONE
    if abs(d) <= stats.WWC_ATTRITION_FINE:
        return Attrition.FINE
    if abs(d) <= stats.WWC_ATTRITION_ADJUST:
        return Attrition.ADJUST
    return Attrition.WARNING


def _place(
    key: tuple, rooms: dict[int, _Room], school_names: dict[int, str]
) -> tuple[Level, int | None, int | None, int | None, str]:
    """A cell key's level, school, grade, classroom and label."""
    kind = key[0]
    if kind == "all":
        return Level.ALL, None, None, None, _("All")
    if kind == "all_grade":
        return Level.ALL_GRADE, None, key[1], None, _("%(grade)s, all schools") % {"grade": Grade(key[1]).label}
    if kind == "school":
        return Level.SCHOOL, key[1], None, None, school_names[key[1]]
    if kind == "grade":
        return Level.GRADE, key[1], key[2], None, str(Grade(key[2]).label)
    room = rooms[key[1]]
    return Level.CLASSROOM, room.school_id, room.grade, room.pk, room.name


def _wanted(level, school_id, grade, classroom_id, school_filter, grade_filter, classroom_filter) -> bool:
    if level == Level.ALL:
        return school_filter is None and grade_filter is None and classroom_filter is None
    if level == Level.ALL_GRADE:
        return school_filter is None and classroom_filter is None and grade_filter in (None, grade)
    if school_filter is not None and school_id != school_filter:
        return False
    if grade_filter is not None and grade != grade_filter:
        return False
    if classroom_filter is not None:
        return level == Level.CLASSROOM and classroom_id == classroom_filter
    return True
