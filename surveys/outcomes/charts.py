"""The outcomes' charts, drawn as SVG images: before and after per subscale, the change per classroom, and
practice (dose) against change.

Pure drawing, as the baby's growth chart and the practice chart (``classrooms.visits.charts``): numbers in,
bytes out, matplotlib's object API, a fixed hash salt and no date, so the same numbers give the same bytes.
Series are told apart by marker shape as well as colour. Every chart has its figures in a table on the page.
"""

import textwrap
from dataclasses import dataclass

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from classrooms.visits.charts import INK, figure_svg, new_figure
from surveys.outcomes import figures

# Part of the charts' ETag: change it whenever the drawing changes.
DRAWING_VERSION = 2
PRE_COLOUR = "#1d4ed8"  # the focus blue; 6.7:1 on white
POST_COLOUR = "#b4410f"  # the house orange; 5.6:1 on white
GRID = "#d9dee3"
WIDTH = 4.6  # inches: at 390 px the chart shows at about 80% of its size, labels about 11 px
ROW = 0.42  # inches per subscale or classroom
FRAME = 1.5  # inches of title, axis and legend around the rows


@dataclass(frozen=True)
class PrePost:
    label: str
    pre: float | None
    post: float | None
    low: float | None  # the 95% CI of the change, around the post mean: post + (change_low - change)
    high: float | None


@dataclass(frozen=True)
class Change:
    label: str
    change: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class DosePanel:
    label: str  # "Sessions held"
    points: list[tuple[str, float, float]]  # (classroom, dose, mean change)


def size_px(inches: tuple[float, float]) -> tuple[int, int]:
    return round(inches[0] * 96), round(inches[1] * 96)


def prepost_size(rows: int) -> tuple[float, float]:
    return WIDTH, FRAME + 0.3 + ROW * 1.6 * max(rows, 1)


def change_size(rows: int) -> tuple[float, float]:
    return WIDTH, FRAME + ROW * max(rows, 1)


def dose_size(panels: int) -> tuple[float, float]:
    return WIDTH, 3.4 * max(panels, 1)


def _plain(text: str) -> str:
    """Names are shown as typed: a "$" would otherwise start matplotlib's maths notation."""
    return text.replace("$", r"\$")


def _label(text: str, width: int = 18) -> str:
    """A name on at most two lines of ``width`` characters (cut with an ellipsis beyond), so long subscale and
    classroom names neither squeeze the plot nor run off the figure."""
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1].rstrip() + "…"]
    return _plain("\n".join(lines))


def _tidy(ax, *, grid_axis: str = "x") -> None:
    ax.tick_params(labelsize=12, colors=INK)
    ax.grid(True, axis=grid_axis, color=GRID, linewidth=1)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _number_axis(axis) -> None:
    """matplotlib's own choice of ticks and of one number of decimals for all of them (0.25 is never "0.2"),
    written with the reader's decimal mark and a real minus sign."""
    from matplotlib.ticker import ScalarFormatter

    decimal = get_format("DECIMAL_SEPARATOR")

    class LocalFormatter(ScalarFormatter):
        def __call__(self, x, pos=None):
            return super().__call__(x, pos).replace(".", decimal).replace("-", figures.MINUS)

    formatter = LocalFormatter(useOffset=False)
    formatter.set_scientific(False)
    axis.set_major_formatter(formatter)


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=13, color=INK)
    ax.set_xticks([])
    ax.set_yticks([])


# The pre mean is an open circle, the post mean a filled square: on the chart and in its legend alike.
PRE_MARK = {"marker": "o", "markersize": 10, "markerfacecolor": "white", "markeredgewidth": 2.5, "color": PRE_COLOUR, "linestyle": "none"}
POST_MARK = {"marker": "s", "markersize": 9, "color": POST_COLOUR, "linestyle": "none"}


def _interval(ax, x, y, low, high, colour, *, capsize) -> None:
    """A 95% interval drawn as a horizontal bar around ``x`` (nothing when either end is unknown)."""
    if low is not None and high is not None:
        ax.errorbar([x], [y], xerr=[[x - low], [high - x]], fmt="none", ecolor=colour, elinewidth=2, capsize=capsize, zorder=2)


def prepost_svg(rows: list[PrePost], *, scale: tuple[float, float] | None = None) -> bytes:
    """One line per subscale: the pre mean (open circle), the post mean (square) and, around the post mean,
    the 95% CI of the change; the axis spans the response scale when it is known."""
    figure = new_figure(figsize=prepost_size(len(rows)))
    ax = figure.subplots()
    ys = list(range(len(rows)))[::-1]
    plotted = False
    for y, row in zip(ys, rows, strict=True):
        if row.pre is None or row.post is None:
            ax.text(0.02, y, _("not shown"), transform=ax.get_yaxis_transform(), va="center", fontsize=11, color=INK)
            continue
        plotted = True
        ax.plot([row.pre, row.post], [y, y], color=GRID, linewidth=3, zorder=1)
        _interval(ax, row.post, y, row.low, row.high, POST_COLOUR, capsize=5)
        ax.plot([row.pre], [y], zorder=3, **PRE_MARK)
        ax.plot([row.post], [y], zorder=3, **POST_MARK)
    ax.set_yticks(ys, [_label(r.label) for r in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    if scale is not None and scale[1] > scale[0]:
        from matplotlib.ticker import MultipleLocator

        # The whole response scale, each point of it a tick, with room for the end labels.
        ax.set_xlim(scale[0] - 0.15, scale[1] + 0.15)
        ax.xaxis.set_major_locator(MultipleLocator(1))
    else:
        ax.margins(x=0.15)
    _number_axis(ax.xaxis)
    ax.set_xlabel(_("Mean score"), fontsize=12, color=INK)
    _tidy(ax)
    if plotted:
        handles, labels = _legend_handles()
        figure.legend(handles, labels, fontsize=11, frameon=False, loc="outside lower center", ncols=1)
    else:
        _empty(ax, _("Nothing to show yet"))
    return figure_svg(figure)


def _legend_handles():
    from matplotlib.lines import Line2D

    return (
        [
            Line2D([], [], **PRE_MARK),
            Line2D([], [], **POST_MARK),
        ],
        [_("Before (pre)"), _("After (post), with the 95% CI of the change")],
    )


def change_svg(rows: list[Change], *, total: Change | None = None) -> bytes:
    """One line per classroom: its mean change and 95% CI; the whole group's as a diamond at the top; zero marked."""
    lines = ([total] if total is not None else []) + rows
    figure = new_figure(figsize=change_size(len(lines)))
    ax = figure.subplots()
    if not lines:
        _empty(ax, _("No classroom to show"))
        return figure_svg(figure)
    ys = list(range(len(lines)))[::-1]
    for y, row in zip(ys, lines, strict=True):
        if row.change is None:
            continue
        is_total = total is not None and row is total
        colour = PRE_COLOUR if is_total else POST_COLOUR
        _interval(ax, row.change, y, row.low, row.high, colour, capsize=4)
        ax.plot(
            [row.change],
            [y],
            marker="D" if is_total else "s",
            markersize=10 if is_total else 8,
            color=colour,
            linestyle="none",
        )
    ax.axvline(0, color=INK, linewidth=1.2)
    ax.set_yticks(ys, [_label(r.label, 20) for r in lines])
    if total is not None:
        ax.get_yticklabels()[0].set_fontweight("bold")
    ax.set_ylim(-0.7, len(lines) - 0.3)
    ax.margins(x=0.12)
    ax.set_xlabel(_("Mean change (post − pre)") + "\n" + _("with its 95% CI"), fontsize=12, color=INK)
    _number_axis(ax.xaxis)
    _tidy(ax)
    return figure_svg(figure)


def dose_svg(panels: list[DosePanel]) -> bytes:
    """One scatter per kind of practice: each classroom's amount of it against its mean change."""
    figure = new_figure(figsize=dose_size(len(panels)))  # first: it imports matplotlib, once, under a lock
    from matplotlib.ticker import MaxNLocator

    axes = figure.subplots(max(len(panels), 1), 1, squeeze=False)[:, 0]
    if not panels:
        _empty(axes[0], _("No practice recorded"))
        return figure_svg(figure)
    for ax, panel in zip(axes, panels, strict=True):
        if not panel.points:
            _empty(ax, _("No classroom to show"))
            ax.set_xlabel(_plain(panel.label), fontsize=12, color=INK)
            continue
        xs = [x for _n, x, _y in panel.points]
        ys = [y for _n, _x, y in panel.points]
        ax.plot(
            xs,
            ys,
            marker="o",
            markersize=9,
            markerfacecolor="white",
            markeredgewidth=2.2,
            color=POST_COLOUR,
            linestyle="none",
        )
        ax.axhline(0, color=INK, linewidth=1.2)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(_plain(panel.label), fontsize=12, color=INK)
        ax.set_ylabel(_("Mean change"), fontsize=12, color=INK)
        ax.margins(y=0.2)
        low, high = min(xs), max(xs)
        pad = max((high - low) * 0.15, 1.0)  # one classroom, or all with the same amount: still a readable axis
        ax.set_xlim(low - pad, high + pad)
        _number_axis(ax.xaxis)
        _number_axis(ax.yaxis)
        _tidy(ax, grid_axis="both")
    return figure_svg(figure)
