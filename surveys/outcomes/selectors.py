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

A peer nomination's score is the share of the classmates who took part who named the student (its
``value``); the within-class z is not added up (a class's z-scores average zero whatever happened).

**Response rates**: responses handed in to the measure's form (per window) over the classroom's enrolment:
students on its roll now or at some time since the pre window opened, so that a student who moved away does
not push a rate over 100% (a student who moved is on two rolls).

**Queries**, whatever the number of students, classrooms or measures: the windows, the measures, the
classrooms (with their enrolment), the scores, the handed-in responses, and one per registered classroom
measure (``classrooms.measures``: sessions held, activities turned in): 7 with both registered; one more
only when some scores' classroom is no longer one of the windows' (a window's classrooms changed after it
was answered).
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import get_language

from classrooms.measures import classroom_measures_registered, classroom_measures_values
from classrooms.models import Classroom
from surveys.models import Phase, Respondent, Response, Score, Subscale, SurveyCycle, SurveyWindow
from surveys.outcomes.cells import Measure, Outcomes
from surveys.outcomes.tables import Room, finish
from surveys.permissions import can_see_outcomes, outcome_classrooms

RESPONDENT_ORDER = {value: i for i, value in enumerate(Respondent.values)}

# Its columns after subscale and classroom are tables.SUMS, in that order.
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


def _rooms(classrooms, since) -> dict[int, Room]:
    """The classrooms with their names and enrolment: students enrolled now or at some time since the pre
    window opened (a student who moved counts in both classrooms: each had them on its roll)."""
    enrolled = Q(enrollments__left_at__isnull=True)
    if since is not None:
        enrolled |= Q(enrollments__left_at__gte=since)
    rows = classrooms.annotate(enrolled=Count("enrollments", filter=enrolled)).values_list(
        "pk", "name", "grade", "school_id", "school__name", "enrolled"
    )
    return {row[0]: Room(*row) for row in rows}


def _sql(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def scores_query(
    cycle: SurveyCycle, subscale_ids: Sequence[int], scope_sql: str, scope_params: tuple
) -> tuple[str, tuple]:
    """The scores query (SQL and parameters) for ``cycle``'s subscales, keeping the students whose group
    classroom is in the ``scope_sql`` subquery (see the module's docstring)."""
    score = connection.ops.quote_name(Score._meta.db_table)
    marks = ", ".join(["%s"] * len(subscale_ids))
    students = (_ANONYMOUS_STUDENTS if cycle.anonymous else _MATCHED_STUDENTS).format(score=score, subscales=marks)
    return _SCORES_SQL.format(students=students, classrooms=scope_sql), (cycle.pk, *subscale_ids, *scope_params)


def _score_sums(cycle: SurveyCycle, subscale_ids: Sequence[int], scope_sql: str, scope_params: tuple) -> list[tuple]:
    sql, params = scores_query(cycle, subscale_ids, scope_sql, scope_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
    scope = Classroom.objects.filter(outcome_classrooms(user)).order_by()
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
    if not rooms:  # none of the cycle's classrooms is this person's: not even its forms' names
        return empty
    phase_of = {w.pk: phase for phase, w in windows.items()}
    submitted = (
        Response.objects.filter(
            window_id__in=list(phase_of), submitted_at__isnull=False, classroom__in=scope.values("pk")
        )
        .order_by()
        .values_list("window_id", "instrument_id", "classroom_id")
        .annotate(n=Count("pk"))
    )
    handed_in = {(phase_of[window], instrument, room): n for window, instrument, room, n in submitted}
    dose = classroom_measures_values(sorted(rooms), since, until)
    return finish(
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
