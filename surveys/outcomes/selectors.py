# TEMPORARY: replaced at merge by the outcomes helper's selectors.py
"""A stand-in for the outcomes computation, so the outcomes pages run on real data until the real one lands.

It keeps the real one's signature and returns the dataclasses of ``cells.py``, computed the simplest correct
way: the scores read in Python and every cell finished by ``surveys.stats``. It does not group in the
database and its complementary suppression is the plain rule (a hidden group's parts are hidden; a group
shown beside exactly one hidden sibling hides the smallest other sibling too), not a proof against every
combination of filters.
"""

from collections import defaultdict

import numpy as np
from django.conf import settings
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Grade
from classrooms.models import Classroom, Enrollment, Session
from surveys import stats
from surveys.models import Phase, Score, Subscale
from surveys.outcomes.cells import Attrition, Cell, Hidden, Level, Measure, Outcomes
from surveys.permissions import outcome_classrooms, score_scope


def _text(data: dict) -> str:
    return data.get((get_language() or "en")[:2]) or data.get("en") or ""


def outcomes(user, cycle, *, school=None, grade=None, classroom=None, subscale=None, respondent=None) -> Outcomes:
    """Filters as the real one takes them: pks, a grade number, a respondent type; "All" only with none of
    school, grade and classroom."""
    min_n = settings.SUPPRESSION_MIN_N
    subscales = Subscale.objects.filter(instrument__windows__cycle=cycle).select_related("instrument").distinct()
    if subscale is not None:
        subscales = subscales.filter(pk=subscale)
    if respondent:
        subscales = subscales.filter(instrument__respondent=respondent)
    measures = [
        Measure(
            instrument_id=s.instrument_id,
            instrument_name=_text(s.instrument.name),
            subscale_id=s.pk,
            subscale_key=s.key,
            subscale_name=_text(s.name),
            respondent=s.instrument.respondent,
            scale_min=min((p["value"] for p in s.instrument.scale), default=0),
            scale_max=max((p["value"] for p in s.instrument.scale), default=1),
        )
        for s in sorted(subscales, key=lambda s: (s.instrument.respondent, s.instrument_id, s.order, s.key))
    ]
    rooms = (
        Classroom.objects.filter(outcome_classrooms(user), survey_windows__cycle=cycle)
        .select_related("school")
        .distinct()
    )
    if school is not None:
        rooms = rooms.filter(school_id=school)
    if grade is not None:
        rooms = rooms.filter(grade=grade)
    if classroom is not None:
        rooms = rooms.filter(pk=classroom)
    rooms = sorted(rooms, key=lambda c: (c.school.name, c.school_id, c.grade, c.name, c.pk))
    room_ids = [c.pk for c in rooms]
    enrolled = dict(
        Enrollment.objects.active()
        .filter(classroom_id__in=room_ids)
        .values("classroom_id")
        .annotate(n=Count("pk"))
        .values_list("classroom_id", "n")
    )
    held = dict(
        Session.objects.filter(classroom_id__in=room_ids, status=Session.Status.HELD)
        .values("classroom_id")
        .annotate(n=Count("pk"))
        .values_list("classroom_id", "n")
    )
    scores = Score.objects.filter(
        score_scope(user), cycle=cycle, classroom_id__in=room_ids, subscale_id__in=[m.subscale_id for m in measures]
    ).values_list("subscale_id", "phase", "student_id", "classroom_id", "value")
    by_measure = defaultdict(lambda: {Phase.PRE: [], Phase.POST: []})
    for subscale_id, phase, student_id, classroom_id, value in scores:
        by_measure[subscale_id][phase].append((student_id, classroom_id, value))

    cells: list[Cell] = []
    for measure in measures:
        groups = _groups(measure, rooms)
        data = by_measure[measure.subscale_id]
        ours = [_cell(measure, group, members, data, cycle.anonymous, enrolled, held) for group, members in groups]
        _suppress(ours, min_n)
        filtered = school is not None or grade is not None or classroom is not None
        cells.extend(ours[1:] if filtered else ours)
    return Outcomes(
        cycle_id=cycle.pk,
        anonymous=cycle.anonymous,
        suppression_min_n=min_n,
        measures=measures,
        cells=cells,
        dose_labels={"sessions_held": _("Sessions held")},
    )


def _groups(measure, rooms):
    """(an empty Cell naming the group, the classroom ids in it), in the contract's order."""
    out = [(Cell(measure, Level.ALL, None, None, None, _("All")), {c.pk for c in rooms})]
    for school_id in dict.fromkeys(c.school_id for c in rooms):
        of_school = [c for c in rooms if c.school_id == school_id]
        out.append(
            (Cell(measure, Level.SCHOOL, school_id, None, None, of_school[0].school.name), {c.pk for c in of_school})
        )
        for grade in dict.fromkeys(c.grade for c in of_school):
            of_grade = [c for c in of_school if c.grade == grade]
            out.append(
                (Cell(measure, Level.GRADE, school_id, grade, None, str(Grade(grade).label)), {c.pk for c in of_grade})
            )
            for c in of_grade:
                out.append((Cell(measure, Level.CLASSROOM, school_id, grade, c.pk, c.name), {c.pk}))
    return out


def _finite(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def _cell(measure, cell: Cell, members: set, data, anonymous: bool, enrolled, held) -> Cell:
    pre = [(s, v) for s, room, v in data[Phase.PRE] if room in members]
    post = [(s, v) for s, room, v in data[Phase.POST] if room in members]
    cell.enrolled = sum(enrolled.get(pk, 0) for pk in members)
    if cell.enrolled:
        cell.response_rate_pre = len(pre) / cell.enrolled
        cell.response_rate_post = len(post) / cell.enrolled
    cell.dose = {"sessions_held": float(sum(held.get(pk, 0) for pk in members))}
    if anonymous:
        a, b = np.array([v for _s, v in pre]), np.array([v for _s, v in post])
        cell.n_pre_only, cell.n_post_only = len(a), len(b)
        e = stats.independent_effect(a, b)
        cell.mean_pre, cell.mean_post = _finite(e.mean_a[0]), _finite(e.mean_b[0])
        cell.mean_change = _finite(e.difference[0])
        cell.t, cell.df, cell.p = _finite(e.t[0]), _finite(e.df[0]), _finite(e.p[0])
        cell.change_low, cell.change_high = _finite(e.difference_low[0]), _finite(e.difference_high[0])
        cell.g_s, cell.g_low, cell.g_high = _finite(e.g_s[0]), _finite(e.g_s_low[0]), _finite(e.g_s_high[0])
        cell.improvement_index = _finite(e.improvement_index[0])
        return cell
    pre_of, post_of = dict(pre), dict(post)
    matched = [s for s in pre_of if s in post_of]
    cell.n_matched = len(matched)
    cell.n_pre_only = len(pre_of) - len(matched)
    cell.n_post_only = len(post_of) - len(matched)
    cell.match_rate = len(matched) / len(pre_of) if pre_of else None
    e = stats.paired_effect([pre_of[s] for s in matched], [post_of[s] for s in matched])
    for name in (
        "mean_pre",
        "mean_post",
        "mean_change",
        "sd_change",
        "t",
        "df",
        "p",
        "change_low",
        "change_high",
        "d_z",
        "d_z_low",
        "d_z_high",
        "g_z",
        "improvement_index",
    ):
        setattr(cell, name, _finite(getattr(e, name)[0]))
    cell.g_low, cell.g_high = _finite(e.g_z_low[0]), _finite(e.g_z_high[0])
    kept = np.array([pre_of[s] for s in matched])
    left = np.array([v for s, v in pre_of.items() if s not in post_of])
    if len(kept) and len(left):
        cell.mean_pre_matched, cell.mean_pre_unmatched = float(kept.mean()), float(left.mean())
    if len(kept) > 1 and len(left) > 1:
        pooled = np.sqrt(
            ((len(kept) - 1) * kept.var(ddof=1) + (len(left) - 1) * left.var(ddof=1)) / (len(kept) + len(left) - 2)
        )
        if pooled > 0:
            cell.attrition_d = float((kept.mean() - left.mean()) / pooled)
            size = abs(cell.attrition_d)
            cell.attrition = Attrition.FINE if size <= 0.05 else Attrition.ADJUST if size <= 0.25 else Attrition.WARNING
    return cell


_FIGURES = [
    name
    for name in Cell.__dataclass_fields__
    if name not in {"measure", "level", "school_id", "grade", "classroom_id", "label", "hidden", "attrition", "dose"}
]


def _hide(cell: Cell, why: Hidden) -> None:
    cell.hidden = why
    for name in _FIGURES:
        setattr(cell, name, None)
    cell.attrition = Attrition.NONE
    cell.dose = {}


def _suppress(cells: list[Cell], min_n: int) -> None:
    def size(c):
        return c.n_matched if c.n_matched is not None else min(c.n_pre_only or 0, c.n_post_only or 0)

    for c in cells:
        if size(c) < min_n:
            c.hidden = Hidden.SMALL
        elif c.n_pre_only is not None and c.n_pre_only < min_n:
            # The unmatched students' pre mean is a small group's figure.
            c.mean_pre_unmatched, c.attrition_d, c.attrition = None, None, Attrition.NONE

    def parent_of(c):
        if c.level == Level.SCHOOL:
            return cells[0]
        if c.level == Level.GRADE:
            return next(p for p in cells if p.level == Level.SCHOOL and p.school_id == c.school_id)
        if c.level == Level.CLASSROOM:
            return next(p for p in cells if p.level == Level.GRADE and (p.school_id, p.grade) == (c.school_id, c.grade))
        return None

    changed = True
    while changed:
        changed = False
        for parent in cells:
            children = [c for c in cells if parent_of(c) is parent]
            if parent.hidden:
                for c in children:
                    if not c.hidden:
                        c.hidden, changed = Hidden.COMPLEMENTARY, True
                continue
            hidden = [c for c in children if c.hidden]
            shown = sorted((c for c in children if not c.hidden), key=size)
            if len(hidden) == 1 and shown:
                shown[0].hidden, changed = Hidden.COMPLEMENTARY, True
    for c in cells:
        if c.hidden:
            _hide(c, c.hidden)
