"""How the outcomes are written for a person: numbers in the reader's language, intervals, p values, the reason a
cell is hidden and the attrition reading in words; and the outcomes cut up the way the page, the charts and the
CSV show them (the measures by instrument, each measure's classrooms, their dose).

Pure: an ``Outcomes`` in, text and plain lists out; no database.
"""

import math
from dataclasses import dataclass

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.models import Respondent
from surveys.outcomes.cells import Attrition, Cell, Hidden, Level, Measure, Outcomes

NONE = "—"
MINUS = "\u2212"  # a real minus sign: read as "minus" by screen readers, and as wide as a digit


def finite(value) -> bool:
    return value is not None and math.isfinite(value)


def number(value, places: int = 2) -> str:
    """``-0.456`` as "−0.46" ("−0,46" in Spanish); nothing (or infinity) as "—". Rounded, not cut: Django's
    number_format truncates a float's digits."""
    if not finite(value):
        return NONE
    rounded = round(float(value), places)
    if rounded == 0:
        rounded = 0.0  # never "−0.00"
    return number_format(rounded, decimal_pos=places).replace("-", MINUS)


def count(value) -> str:
    return NONE if value is None else number_format(int(value))


def percent(value) -> str:
    """A share as whole percent: 0.874 is "87%"."""
    return NONE if not finite(value) else f"{number_format(round(value * 100))}%"


def p_value(value) -> str:
    """Three decimals; below one in a thousand, "< 0.001" (with the reader's decimal mark)."""
    if not finite(value):
        return NONE
    if value < 0.001:
        return f"< {number_format(0.001, decimal_pos=3)}"
    return number(value, 3)


def interval(low, high, places: int = 2) -> str:
    """ "[0.12, 0.45]"; with a decimal comma the two ends are parted by a semicolon, "[0,12; 0,45]"."""
    if not (finite(low) and finite(high)):
        return NONE
    separator = "; " if get_format("DECIMAL_SEPARATOR") == "," else ", "
    return f"[{number(low, places)}{separator}{number(high, places)}]"


def degrees_of_freedom(value) -> str:
    """Whole for a paired t (n − 1); Welch's fractional df to one decimal."""
    if not finite(value):
        return NONE
    return count(value) if float(value).is_integer() else number(value, 1)


def hidden_reason(cell: Cell, min_n: int) -> str:
    if cell.hidden == Hidden.SMALL:
        return _("Fewer than %(n)d students — not shown") % {"n": min_n}
    if cell.hidden == Hidden.COMPLEMENTARY:
        return _("Not shown, so that a small group can't be worked out")
    return ""


def attrition_reading(reading: str) -> str:
    return {
        Attrition.FINE: _("Fine: the students with both surveys started out like those without a second one."),
        Attrition.ADJUST: _(
            "Needs adjustment: the students who took both surveys started out somewhat differently from those who did not. Read the change with care; an evaluation would adjust for the pre score."
        ),
        Attrition.WARNING: _(
            "Warning: the students who took both surveys started out quite differently from those who did not, so the change may not hold for the whole group."
        ),
        Attrition.NONE: _(
            "Nothing to compare: everyone who took the pre survey took the post survey, or too few did not."
        ),
    }[Attrition(reading)]


def attrition_short(reading: str) -> str:
    return {
        Attrition.FINE: _("Fine"),
        Attrition.ADJUST: _("Needs adjustment"),
        Attrition.WARNING: _("Warning"),
        Attrition.NONE: NONE,
    }[Attrition(reading)]


def respondent_label(value: str) -> str:
    try:
        return str(Respondent(value).label)
    except ValueError:
        return value


def measure_title(measure: Measure) -> str:
    return _("%(subscale)s · %(instrument)s") % {
        "subscale": measure.subscale_name,
        "instrument": measure.instrument_name,
    }


@dataclass
class InstrumentPart:
    """One instrument's measures and their widest cells: what the pre-and-post chart of that instrument draws."""

    instrument_id: int
    name: str
    respondent: str
    rows: list[tuple[Measure, Cell]]


def top_cell(cells: list[Cell]) -> Cell | None:
    """The widest group shown for a measure: "All", or with a school, grade or classroom chosen, the first
    group the computation gives back for it (cells come widest first)."""
    return cells[0] if cells else None


def by_instrument(found: Outcomes) -> list[InstrumentPart]:
    parts: dict[int, InstrumentPart] = {}
    for measure in found.measures:
        part = parts.setdefault(
            measure.instrument_id,
            InstrumentPart(measure.instrument_id, measure.instrument_name, measure.respondent, []),
        )
        total = top_cell(found.for_measure(measure))
        if total is not None:
            part.rows.append((measure, total))
    return list(parts.values())


def groups_of(cells: list[Cell], unit: str = Level.CLASSROOM) -> tuple[list[Cell], int]:
    """A measure's groups of one level (classrooms; schools in a district's overview) that are shown, and how
    many are hidden (the charts leave those out)."""
    groups = [c for c in cells if c.level == unit]
    return [c for c in groups if c.shown], sum(1 for c in groups if not c.shown)


def dose_points(cells: list[Cell], key: str, unit: str = Level.CLASSROOM) -> list[tuple[str, float, float]]:
    """(group, dose, mean change) of each shown group (classroom, or school) with both."""
    shown, _hidden = groups_of(cells, unit)
    return [
        (c.label, float(c.dose[key]), c.mean_change) for c in shown if finite(c.dose.get(key)) and finite(c.mean_change)
    ]


# --- The charts in words (their alt text) ------------------------------------------------------------------


def prepost_alt(part: InstrumentPart, anonymous: bool) -> str:
    sentences = [_("Mean score before and after, %(instrument)s.") % {"instrument": part.name}]
    for measure, cell in part.rows:
        if not cell.shown or not finite(cell.mean_pre) or not finite(cell.mean_post):
            sentences.append(_("%(subscale)s: not shown.") % {"subscale": measure.subscale_name})
            continue
        sentences.append(
            _("%(subscale)s: %(pre)s before, %(post)s after, a change of %(change)s (95%% CI %(ci)s).")
            % {
                "subscale": measure.subscale_name,
                "pre": number(cell.mean_pre),
                "post": number(cell.mean_post),
                "change": number(cell.mean_change),
                "ci": interval(cell.change_low, cell.change_high),
            }
        )
    return " ".join(sentences)


def change_alt(measure: Measure, shown: list[Cell], hidden: int, unit: str = Level.CLASSROOM) -> str:
    first = (
        _("Mean change per school, %(measure)s, with 95%% confidence intervals.")
        if unit == Level.SCHOOL
        else _("Mean change per classroom, %(measure)s, with 95%% confidence intervals.")
    )
    sentences = [first % {"measure": measure_title(measure)}]
    if shown:
        ordered = sorted(shown, key=lambda c: c.mean_change if finite(c.mean_change) else -math.inf)
        low, high = ordered[0], ordered[-1]
        sentences.append(
            _("From %(low)s (%(low_name)s) to %(high)s (%(high_name)s).")
            % {
                "low": number(low.mean_change),
                "low_name": low.label,
                "high": number(high.mean_change),
                "high_name": high.label,
            }
        )
    if hidden:
        sentences.append(hidden_groups(hidden, unit))
    return " ".join(sentences)


def hidden_groups(n: int, unit: str = Level.CLASSROOM) -> str:
    if unit == Level.SCHOOL:
        return ngettext(
            "%(n)d school is left out: too few students, or hidden so a small group can't be worked out.",
            "%(n)d schools are left out: too few students, or hidden so a small group can't be worked out.",
            n,
        ) % {"n": n}
    return ngettext(
        "%(n)d classroom is left out: too few students, or hidden so a small group can't be worked out.",
        "%(n)d classrooms are left out: too few students, or hidden so a small group can't be worked out.",
        n,
    ) % {"n": n}


def dose_alt(measure: Measure, label: str, points: list[tuple[str, float, float]], unit: str = Level.CLASSROOM) -> str:
    if unit == Level.SCHOOL:
        if len(points) < 2:
            return _("%(dose)s and mean change, %(measure)s: too few schools to compare.") % {
                "dose": label,
                "measure": measure_title(measure),
            }
        doses = [d for _n, d, _c in points]
        return _(
            "%(dose)s (per classroom, on average) and mean change per school, %(measure)s: %(n)d schools, "
            "%(dose)s from %(low)s to %(high)s; correlation %(r)s."
        ) % {
            "dose": label,
            "measure": measure_title(measure),
            "n": len(points),
            "low": number(min(doses), 1),
            "high": number(max(doses), 1),
            "r": number(correlation(doses, [c for _n, _d, c in points])),
        }
    if len(points) < 2:
        return _("%(dose)s and mean change, %(measure)s: too few classrooms to compare.") % {
            "dose": label,
            "measure": measure_title(measure),
        }
    doses = [d for _n, d, _c in points]
    changes = [c for _n, _d, c in points]
    r = correlation(doses, changes)
    return _(
        "%(dose)s and mean change per classroom, %(measure)s: %(n)d classrooms, %(dose)s from %(low)s to %(high)s; correlation %(r)s."
    ) % {
        "dose": label,
        "measure": measure_title(measure),
        "n": len(points),
        "low": number(min(doses), 0),
        "high": number(max(doses), 0),
        "r": number(r),
    }


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when either side does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx, syy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)
