"""The class's practice by month, drawn as an SVG image: empathic accuracy and the situational shares.

Pure drawing (numbers in, bytes out), the same way as the baby's growth chart
(``classrooms.visits.charts``): matplotlib's object API, a fixed hash salt and no date, so the same
numbers give the same bytes. Lines are told apart by marker and dash as well as colour.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from classrooms.visits.charts import INK, figure_svg, new_figure

DRAWING_VERSION = 2
# Drawn for a phone: at 390 px wide the figure shows at about 80% of its size, so labels stay about 11 px.
SIZE_INCHES = (4.6, 4.4)
SIZE_PX = (round(SIZE_INCHES[0] * 96), round(SIZE_INCHES[1] * 96))
GRID = "#d9dee3"
SERIES = (
    # attribute, colour, marker, dash
    ("accuracy", "#b4410f", "o", "-"),
    ("situational_others", "#1d4ed8", "s", "--"),
    ("situational_self", "#4d7c0f", "^", ":"),
)


@dataclass(frozen=True)
class Point:
    month: date
    accuracy: float | None
    situational_others: float | None
    situational_self: float | None


def series_labels() -> dict[str, str]:
    return {
        "accuracy": _("Empathic accuracy"),
        "situational_others": _("Situational reasons, for others"),
        "situational_self": _("Situational reasons, for oneself"),
    }


def practice_svg(points: list[Point]) -> bytes:
    figure = new_figure(figsize=SIZE_INCHES)
    ax = figure.subplots()
    labels = series_labels()
    xs = list(range(len(points)))
    plotted = False
    for attr, colour, marker, dash in SERIES:
        pairs = [(x, getattr(p, attr) * 100) for x, p in zip(xs, points, strict=True) if getattr(p, attr) is not None]
        if not pairs:
            continue
        plotted = True
        ax.plot(
            [x for x, _y in pairs], [y for _x, y in pairs], color=colour, marker=marker, linestyle=dash, linewidth=2.5,
            markersize=9, markerfacecolor="white", markeredgewidth=2, label=labels[attr],
        )
    if not plotted:
        ax.text(0.5, 0.5, _("No scored work yet"), transform=ax.transAxes, ha="center", va="center", fontsize=15, color=INK)
    ax.set_ylim(0, 105)
    ax.set_ylabel("%", fontsize=13, color=INK)
    ax.set_xticks(xs, [date_format(p.month, "M") for p in points])
    ax.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
    ax.tick_params(labelsize=14, colors=INK)
    ax.grid(True, color=GRID, linewidth=1)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if plotted:
        ax.legend(fontsize=13, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=1)
    return figure_svg(figure)



