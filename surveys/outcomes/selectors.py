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
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import get_language

from classrooms.measures import classroom_measures_registered, classroom_measures_values
from classrooms.models import Classroom
from classrooms.school_years import current_school_year, school_year_start
from surveys.models import Phase, Respondent, Response, Score, Subscale, SurveyCycle, SurveyWindow
from surveys.outcomes.cells import Measure, Outcomes
from surveys.outcomes.tables import Room, finish
from surveys.permissions import can_see_district_outcomes, can_see_outcomes, cycle_scope, outcome_classrooms

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
WHERE cycle_id IN ({cycles}) AND student_id IS NOT NULL AND subscale_id IN ({subscales})
GROUP BY cycle_id, subscale_id, student_id
"""
# Anonymous: no student to match on, each score is a student of its own phase.
_ANONYMOUS_STUDENTS = """
SELECT subscale_id,
       CASE WHEN phase = 'pre' THEN value END AS pre,
       CASE WHEN phase = 'post' THEN value END AS post,
       classroom_id
FROM {score}
WHERE cycle_id IN ({cycles}) AND subscale_id IN ({subscales})
"""


def district_cycles(user) -> list[SurveyCycle]:
    """The cycles a district's admin may pool: the confidential cycles of the district's schools with both a
    pre and a post window, newest first; ``this_year`` marks those whose pre window opened this school year."""
    if not can_see_district_outcomes(user):
        return []
    start = school_year_start(current_school_year())
    def window(phase):
        return SurveyWindow.objects.filter(cycle=OuterRef("pk"), phase=phase)

    cycles = (
        SurveyCycle.objects.filter(cycle_scope(user), anonymous=False)
        .filter(Exists(window(Phase.PRE)), Exists(window(Phase.POST)))
        .annotate(pre_opens=Subquery(window(Phase.PRE).values("opens_at")[:1]))
        .select_related("school")
        .order_by("school__name", "-pre_opens", "pk")
    )
    found = list(cycles)
    for cycle in found:
        cycle.this_year = cycle.pre_opens >= start
    return found


def _in_language(text, language: str) -> str:
    if isinstance(text, dict):
        if language.startswith("es") and text.get("es"):
            return text["es"]
        return text.get("en") or next(iter(text.values()), "")
    return str(text or "")


def _measures(cycles: Sequence[SurveyCycle], *, subscale, respondent) -> list[tuple[Measure, Subscale]]:
    subscales = Subscale.objects.filter(
        pk__in=Subscale.objects.filter(instrument__windows__cycle__in=[c.pk for c in cycles]).values("pk")
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


def _cycles(cycle) -> list[SurveyCycle]:
    """One cycle, or several pooled (a district's schools' cycles, all confidential or all anonymous)."""
    cycles = [cycle] if isinstance(cycle, SurveyCycle) else list(cycle)
    if len({c.anonymous for c in cycles}) > 1:
        raise ValueError("confidential and anonymous cycles are never pooled")
    return cycles


def scores_query(cycle, subscale_ids: Sequence[int], scope_sql: str, scope_params: tuple) -> tuple[str, tuple]:
    """The scores query (SQL and parameters) for the subscales of ``cycle`` (or of several cycles), keeping the
    students whose group classroom is in the ``scope_sql`` subquery (see the module's docstring)."""
    cycles = _cycles(cycle)
    score = connection.ops.quote_name(Score._meta.db_table)
    marks = ", ".join(["%s"] * len(subscale_ids))
    students = (_ANONYMOUS_STUDENTS if cycles[0].anonymous else _MATCHED_STUDENTS).format(
        score=score, subscales=marks, cycles=", ".join(["%s"] * len(cycles))
    )
    params = (*[c.pk for c in cycles], *subscale_ids, *scope_params)
    return _SCORES_SQL.format(students=students, classrooms=scope_sql), params


def _score_sums(cycle, subscale_ids: Sequence[int], scope_sql: str, scope_params: tuple) -> list[tuple]:
    sql, params = scores_query(cycle, subscale_ids, scope_sql, scope_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def outcomes(
    user,
    cycle: SurveyCycle | Sequence[SurveyCycle],
    *,
    school: int | None = None,
    grade: int | None = None,
    classroom: int | None = None,
    subscale: int | str | None = None,
    respondent: str | None = None,
    min_n: int | None = None,
) -> Outcomes:
    """The outcomes of ``cycle`` that ``user`` may see (see the module's docstring). ``cycle`` may be several
    cycles (a district's schools' own, all confidential or all anonymous): their students are matched within
    each cycle, and the sums of their classrooms add up as one table.

    Filters: ``respondent`` (a ``Respondent`` value) and ``subscale`` (a Subscale's pk, or a key, which picks
    that subscale of every instrument) choose the measures; ``school``, ``grade`` and ``classroom`` (pks, a
    grade number) choose the cells: a school's own cells (the school, its grades, their classrooms), a grade's
    (the grade across schools, each school's grade, its classrooms), a classroom. "All" comes back only with
    none of the three. Suppression does not change with the filters. A filter outside the scope gives no cells.
    """
    min_n = settings.SUPPRESSION_MIN_N if min_n is None else min_n
    cycles = _cycles(cycle)
    anonymous = bool(cycles) and cycles[0].anonymous
    first = cycles[0].pk if cycles else 0
    empty = Outcomes(cycle_id=first, anonymous=anonymous, suppression_min_n=min_n, measures=[], cells=[])
    if not can_see_outcomes(user) or not cycles:
        return empty
    windows = list(SurveyWindow.objects.filter(cycle__in=[c.pk for c in cycles]))
    chosen = _measures(cycles, subscale=subscale, respondent=respondent)
    dose_labels = {m.key: str(m.label) for m in classroom_measures_registered()}
    empty.dose_labels = dose_labels
    if not chosen:
        return empty
    scope = Classroom.objects.filter(outcome_classrooms(user)).order_by()
    try:
        scope_sql, scope_params = _sql(scope.values("pk"))
    except EmptyResultSet:
        return empty
    window_rooms = SurveyWindow.classrooms.through.objects.filter(surveywindow__in=[w.pk for w in windows]).values(
        "classroom_id"
    )
    # The program's span: from the (first) pre window's opening to the (last) post window's closing.
    since = min((w.opens_at for w in windows if w.phase == Phase.PRE), default=None)
    until = max((w.closes_at for w in windows if w.phase == Phase.POST), default=None)
    rooms = _rooms(scope.filter(pk__in=window_rooms), since)
    rows = _score_sums(cycles, [s.pk for _m, s in chosen], scope_sql, scope_params)
    missing = {row[1] for row in rows} - rooms.keys()
    if missing:  # a window's classrooms changed after it was answered: its scores still count
        rooms.update(_rooms(scope.filter(pk__in=missing), since))
    if not rooms:  # none of the cycle's classrooms is this person's: not even its forms' names
        return empty
    phase_of = {w.pk: w.phase for w in windows}
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
        cycles[0],
        user_filters=(school, grade, classroom),
        chosen=chosen,
        rooms=rooms,
        rows=rows,
        handed_in=handed_in,
        dose=dose,
        dose_labels=dose_labels,
        min_n=min_n,
    )
