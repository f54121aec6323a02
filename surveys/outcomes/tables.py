"""The table of an outcomes page: the classrooms' sums added into every cell, suppressed, and the cells to
show finished at once. No queries: ``selectors.outcomes`` hands it what the database summed.

Every measure gets a table over its classrooms (those of its form's grades, or with its scores): all, each
grade across the schools (with two schools or more), then per school the school and each of its grades
followed by its classrooms. A cell's sums are its classrooms' sums (one sparse matrix product for every cell
of every measure). Suppression (``suppression.py``) is decided on the whole table, before the filters; the
statistics (``surveys.stats``) are computed for the shown cells the filters keep, all at once.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from django.utils.translation import gettext as _
from scipy import sparse

from accounts.models import Grade
from surveys import stats
from surveys.models import Phase
from surveys.outcomes import suppression
from surveys.outcomes.cells import Attrition, Cell, Hidden, Level, Outcomes

# The per-classroom sums of the scores query (selectors._SCORES_SQL), in its column order.
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


class Room(NamedTuple):
    pk: int
    name: str
    grade: int
    school_id: int
    school_name: str
    enrolled: int


def _dose_value(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def finish(cycle, *, user_filters, chosen, rooms, rows, handed_in, dose, dose_labels, min_n) -> Outcomes:
    """Sum the classrooms into every cell, suppress, finish the statistics of the cells to show at once, filter."""
    order = sorted(rooms.values(), key=lambda r: (r.school_name, r.school_id, r.grade, r.name, r.pk))
    room_at = {r.pk: i for i, r in enumerate(order)}
    # One row per (subscale, classroom) of the scores query, and a row of zeros for a classroom it has none of.
    sql_at = {(row[0], row[1]): i for i, row in enumerate(rows)}
    sums = np.zeros((len(rows) + 1, len(SUMS)))
    if rows:
        sums[:-1] = np.nan_to_num(np.array([row[2:] for row in rows], dtype=float))
    dose_keys = list(dose_labels)
    per_room = np.array(
        [[r.enrolled for r in order]] + [[dose[key].get(r.pk, 0) for r in order] for key in dose_keys], dtype=float
    ).reshape(1 + len(dose_keys), len(order))
    # Each measure's table over its classrooms (those of its instrument's grades, or with its scores); measures
    # over the same classrooms share one (the keys, relations, places and who adds into what).
    tables: dict[tuple, _Table] = {}
    offsets, cell_count = [], 0
    cells_of, members_of, room_of, sql_of, handed = [], [], [], [], []
    used = []
    for measure, subscale in chosen:
        instrument = subscale.instrument
        members = [r for r in order if (subscale.pk, r.pk) in sql_at or instrument.covers(r.grade)]
        if not members:  # a form for grades none of these classrooms teaches: nothing to show
            continue
        used.append(measure)
        signature = tuple(r.pk for r in members)
        if signature not in tables:
            tables[signature] = _table(members, rooms, user_filters)
        table = tables[signature]
        offsets.append((table, cell_count))
        cells_of.append(table.adds_into + cell_count)
        members_of.append(table.adding + len(room_of))
        cell_count += len(table.keys)
        room_of += [room_at[r.pk] for r in members]
        sql_of += [sql_at.get((subscale.pk, r.pk), len(rows)) for r in members]
        handed += [
            (handed_in.get((Phase.PRE, instrument.pk, r.pk), 0), handed_in.get((Phase.POST, instrument.pk, r.pk), 0))
            for r in members
        ]
    measures = used
    if not cell_count:
        return Outcomes(cycle.pk, cycle.anonymous, min_n, measures, [], dose_labels)
    cells_of, members_of = np.concatenate(cells_of), np.concatenate(members_of)
    member_rows = np.hstack(
        [sums[sql_of], np.asarray(handed, dtype=float).reshape(-1, 2), per_room[:, room_of].T]
    )  # the SUMS, handed in pre and post, enrolled, the dose figures
    adding = sparse.csr_matrix((np.ones(len(cells_of)), (cells_of, members_of)), shape=(cell_count, len(room_of)))
    totals = np.asarray(adding @ member_rows)
    column = {name: totals[:, i] for i, name in enumerate(SUMS)}
    if cycle.anonymous:
        pre_n, post_n = column["n_pre_only"], column["n_post_only"]
        # The figures rest on both groups: the smaller one decides, unless a group is empty.
        suppress_n = np.where(pre_n == 0, post_n, np.where(post_n == 0, pre_n, np.minimum(pre_n, post_n)))
    else:
        suppress_n = column["n"]
    suppress_n = np.rint(suppress_n).astype(int).tolist()
    unmatched_n = np.rint(column["n_pre_only"]).astype(int).tolist()
    hidden: dict[int, Hidden] = {}
    attrition_hidden: set[int] = set()
    # The subscales of one instrument usually have the same students, so the same table and n's: decided once.
    decided: dict[tuple, tuple[dict, dict]] = {}
    for table, offset in offsets:
        keys = table.keys
        main_n = tuple(suppress_n[offset : offset + len(keys)])
        unmatched = tuple(unmatched_n[offset : offset + len(keys)])
        signature = (id(table), main_n, unmatched)
        if signature not in decided:
            main = suppression.suppress(dict(zip(keys, main_n, strict=True)), table.relations, min_n)
            also = {}
            if not cycle.anonymous:
                also = suppression.suppress(
                    dict(zip(keys, unmatched, strict=True)), table.relations, min_n, forced=main
                )
            decided[signature] = (main, also)
        main, also = decided[signature]
        hidden.update({offset + table.position[key]: why for key, why in main.items()})
        attrition_hidden.update(offset + table.position[key] for key in also)

    # Only the cells the filters keep come back, and only the shown ones need figures.
    kept = [
        (offset + i, m, table.places[i])
        for m, (table, offset) in enumerate(offsets)
        for i in range(len(table.keys))
        if table.wanted[i]
    ]
    shown = np.array([i for i, _m, _p in kept if i not in hidden], dtype=int)
    figures = _figures(cycle.anonymous, {name: values[shown] for name, values in column.items()})
    width = len(SUMS)
    pre_in, post_in, enrolled = (totals[shown, width + i] for i in range(3))
    n, pre_only, post_only = (np.rint(column[name][shown]).astype(int) for name in ("n", "n_pre_only", "n_post_only"))
    with np.errstate(divide="ignore", invalid="ignore"):
        figures["response_rate_pre"] = np.where(enrolled > 0, pre_in / enrolled, np.nan)
        figures["response_rate_post"] = np.where(enrolled > 0, post_in / enrolled, np.nan)
        if not cycle.anonymous:
            figures["match_rate"] = np.where(n + pre_only > 0, n / (n + pre_only), np.nan)
    values = {name: _python(v) for name, v in figures.items()}
    values["enrolled"] = np.rint(enrolled).astype(int).tolist()
    if cycle.anonymous:
        values["n_pre"], values["n_post"] = pre_only.tolist(), post_only.tolist()
    else:
        values.update(
            n_matched=n.tolist(),
            n_pre_only=pre_only.tolist(),
            n_post_only=post_only.tolist(),
            n_pre=(n + pre_only).tolist(),
            n_post=(n + post_only).tolist(),
            mean_pre_matched=values["mean_pre"],
        )
        # Attrition figures only where enough students are unmatched (and the second suppression shows them).
        quiet = np.isin(shown, list(attrition_hidden)) | (pre_only == 0)
        d = figures["attrition_d"]
        for name in ("mean_pre_unmatched", "attrition_d"):
            values[name] = _python(np.where(quiet, np.nan, figures[name]))
        size = np.abs(np.where(quiet, np.nan, d))
        reading = np.select(
            [size <= stats.WWC_ATTRITION_FINE, size <= stats.WWC_ATTRITION_ADJUST, size > stats.WWC_ATTRITION_ADJUST],
            [Attrition.FINE, Attrition.ADJUST, Attrition.WARNING],
            Attrition.NONE,
        )
        values["attrition"] = [Attrition(r) for r in reading.tolist()]
    names = list(values)
    shown_rows = zip(*(values[name] for name in names), strict=True)
    dose_values = [[_dose_value(v) for v in totals[:, width + 3 + j].tolist()] for j in range(len(dose_keys))]
    doses = [dict(zip(dose_keys, row, strict=True)) for row in zip(*dose_values, strict=True)]
    cells = []
    for i, m, (level, school_id, grade, classroom_id, label) in kept:
        dose_of = doses[i] if doses else {}
        if i in hidden:
            cells.append(
                Cell(measures[m], level, school_id, grade, classroom_id, label, hidden=hidden[i], dose=dose_of)
            )
            continue
        fields = dict(zip(names, next(shown_rows), strict=True))
        cells.append(Cell(measures[m], level, school_id, grade, classroom_id, label, dose=dose_of, **fields))
    return Outcomes(cycle.pk, cycle.anonymous, min_n, measures, cells, dose_labels)


@dataclass(frozen=True)
class _Table:
    keys: list  # suppression keys, in display order
    relations: list
    position: dict  # key -> its index in ``keys``
    places: list  # (level, school, grade, classroom, label) of each key
    wanted: list  # whether the filters keep each key
    adds_into: np.ndarray  # with ``adding``: classroom ``adding[k]`` (of the members) adds into cell ``adds_into[k]``
    adding: np.ndarray


def _table(members: list[Room], rooms: dict[int, Room], user_filters) -> _Table:
    grade_totals = len({r.school_id for r in members}) > 1
    keys, relations = suppression.tree(((r.school_id, r.grade, r.pk) for r in members), grade_totals=grade_totals)
    position = {key: i for i, key in enumerate(keys)}
    school_names = {r.school_id: r.school_name for r in members}
    grade_labels = {g: str(label) for g, label in Grade.choices}
    places = [_place(key, rooms, school_names, grade_labels) for key in keys]
    adds_into, adding = [], []
    for member, room in enumerate(members):
        above = [
            suppression.ALL,
            suppression.school_key(room.school_id),
            suppression.grade_key(room.school_id, room.grade),
            suppression.classroom_key(room.pk),
        ]
        if grade_totals:
            above.append(suppression.all_grade_key(room.grade))
        adds_into += [position[key] for key in above]
        adding += [member] * len(above)
    return _Table(
        keys=keys,
        relations=relations,
        position=position,
        places=places,
        wanted=[_wanted(*place[:4], *user_filters) for place in places],
        adds_into=np.asarray(adds_into, dtype=int),
        adding=np.asarray(adding, dtype=int),
    )


def _python(values: np.ndarray) -> list:
    """Floats for the page: None where a figure does not exist (NaN) or is not finite."""
    out = values.astype(object)
    out[~np.isfinite(values)] = None
    return out.tolist()


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


def _place(
    key: tuple, rooms: dict[int, Room], school_names: dict[int, str], grade_labels: dict[int, str]
) -> tuple[Level, int | None, int | None, int | None, str]:
    """A cell key's level, school, grade, classroom and label."""
    kind = key[0]
    if kind == "all":
        return Level.ALL, None, None, None, _("All")
    if kind == "all_grade":
        return Level.ALL_GRADE, None, key[1], None, _("%(grade)s, all schools") % {"grade": grade_labels[key[1]]}
    if kind == "school":
        return Level.SCHOOL, key[1], None, None, school_names[key[1]]
    if kind == "grade":
        return Level.GRADE, key[1], key[2], None, grade_labels[key[2]]
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
