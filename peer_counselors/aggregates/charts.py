"""Requests per week, one small panel per topic, drawn as an SVG image.

Pure drawing (figures in, bytes out), the house way (``classrooms.visits.charts``): matplotlib's object API,
imported once under a lock, a fixed hash salt and no date, so the same figures give the same bytes. A figure
the page does not show is not drawn either: its week is hatched across the whole panel, with no height that
could be read as a number, and a key says so. Topics are told apart by their panel's title, not by colour alone.
"""

from collections.abc import Sequence
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from classrooms.visits.charts import INK, figure_svg, new_figure
from peer_counselors.aggregates.figures import Week

DRAWING_VERSION = 2
WIDTH_INCHES = 4.6  # drawn for a phone: at 390 px wide the figure shows at about 80% of its size
PANEL_INCHES = 1.35
GRID = "#d9dee3"
HATCH = "#8a949e"
COLOURS = ("#b4410f", "#1d4ed8", "#4d7c0f", "#6d28d9")  # each 4.5:1 or more on white
LABELS_MAX = 6  # week labels under the last panel; the others are in the table


def size_inches(topics: int) -> tuple[float, float]:
    return WIDTH_INCHES, PANEL_INCHES * topics + 1.3


def size_px(topics: int) -> tuple[int, int]:
    width, height = size_inches(topics)
    return round(width * 96), round(height * 96)


def weekly_svg(weeks: Sequence[Week], topics: Sequence[str], *, min_n: int) -> bytes:
    """``weeks``' figures by topic (``topics``: the labels, in the order of each week's cells)."""
    figure = new_figure(figsize=size_inches(len(topics)))  # first: it imports matplotlib, once, under a lock
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    axes = figure.subplots(len(topics), 1, sharex=True, sharey=True, squeeze=False)[:, 0]
    xs = list(range(len(weeks)))
    shown = [c.n for w in weeks for c in w.cells if c.shown]
    top = max([*shown, 1])
    any_hidden = False
    for index, (ax, label) in enumerate(zip(axes, topics, strict=True)):
        colour = COLOURS[index % len(COLOURS)]
        for x, week in zip(xs, weeks, strict=True):
            cell = week.cells[index]
            if cell.shown:
                if cell.n:
                    ax.bar(x, cell.n, width=0.7, color=colour)
            else:
                any_hidden = True
                ax.bar(x, top * 1.15, width=0.8, bottom=0, fill=False, hatch="///", edgecolor=HATCH, linewidth=0)
        ax.set_title(label, loc="left", fontsize=12, fontweight="bold", color=INK, pad=4)
        ax.set_ylim(0, top * 1.15)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        ax.tick_params(labelsize=11, colors=INK, length=3)
        ax.grid(True, axis="y", color=GRID, linewidth=1)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    every = max(1, -(-len(weeks) // LABELS_MAX))
    ticks = xs[::every]
    axes[-1].set_xticks(ticks, [_short(weeks[x].monday) for x in ticks])
    axes[-1].set_xlim(-0.6, len(weeks) - 0.4)
    axes[-1].set_xlabel(_("Week starting"), fontsize=11, color=INK)
    if any_hidden:
        key = Patch(fill=False, hatch="///", edgecolor=HATCH, linewidth=0,
                    label=_("Not shown (fewer than %(n)s, or hidden with them)") % {"n": min_n})
        figure.legend(handles=[key], loc="outside lower left", fontsize=10, frameon=False, handlelength=1.6)
    return figure_svg(figure)


def _short(day: date) -> str:
    return date_format(day, "M j")
