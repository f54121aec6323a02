"""The baby's growth chart: weight and length at each family visit, drawn as an SVG image.

Pure drawing: it gets numbers and gives bytes, and never touches the database.

The horizontal axis is the baby's age in months. Children talk about the baby that way ("she is
five months old now"), the curriculum ties milestones to the age, and the spacing stays true when
a visit moves or is skipped. The dates are in the table beside the chart.

Matplotlib is used through its object-oriented API only (``Figure``, never ``pyplot``): pyplot
keeps global state and is not safe in a threaded web server. It is imported on the first chart
drawn, so processes that never draw one (workers, management commands) do not pay for it.
"""

import math
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Fixed so that the same numbers always give the same bytes (clip-path ids are hashes salted with it).
SVG_HASH_SALT = "heard-baby-chart"
# Part of the chart's ETag: change it whenever the drawing changes, so browsers fetch the new look.
DRAWING_VERSION = 2

WEIGHT_COLOUR = "#b4410f"  # the house orange; 5.6:1 on white
LENGTH_COLOUR = "#1d4ed8"  # the focus blue; 6.7:1 on white
INK = "#1f2933"
GRID = "#d9dee3"
# Sized for a phone: at 390 px wide the figure is drawn at about 80% of its own size, so 14-point
# labels still read at about 15 px.
SIZE_INCHES = (4.6, 5.6)
SIZE_PX = (round(SIZE_INCHES[0] * 96), round(SIZE_INCHES[1] * 96))
# Several babies are told apart by the shape of their points and a legend, never by colour alone.
MARKERS = ("o", "s", "^", "D")
LINE_STYLES = ("-", "--", ":", "-.")


@dataclass(frozen=True)
class Measurement:
    age_months: float
    day: date | None
    weight_kg: Decimal | None
    length_cm: Decimal | None


@dataclass
class BabySeries:
    name: str
    measurements: list[Measurement]


def measure_text(value: Decimal | None) -> str:
    """6.10 kg reads "6.1", 60.0 cm reads "60" (with the reader's decimal mark)."""
    if value is None:
        return ""
    return number_format(Decimal(value).normalize())


def _plain(text: str) -> str:
    """Names are shown as typed: a "$" would otherwise start matplotlib's maths notation (and can fail to parse)."""
    return text.replace("$", r"\$")


def _configure(matplotlib) -> None:
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = SVG_HASH_SALT
    # Text stays text: smaller files, sharp at any size, the figures findable in the file.
    matplotlib.rcParams["svg.fonttype"] = "none"


# matplotlib is imported on the first chart, not at start-up; two charts asked for at once (a page's three
# <img>s) must not import it in two threads together: matplotlib's modules import each other, and the second
# thread met a half-initialised matplotlib.ticker (an ImportError, seen on the survey outcomes page).
_FIRST_IMPORT = threading.Lock()


def new_figure(**kwargs):
    """A white figure laid out for Heard's charts (the baby's growth, a class's practice)."""
    with _FIRST_IMPORT:
        import matplotlib
        import matplotlib.lines
        import matplotlib.ticker
        from matplotlib.figure import Figure

    _configure(matplotlib)
    return Figure(layout="constrained", facecolor="white", **kwargs)


def figure_svg(figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _panel(ax, series: list[BabySeries], *, attr: str, colour: str, title: str, show_legend: bool) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.set_title(title, loc="left", fontsize=16, fontweight="bold", color=INK, pad=10)
    plotted = False
    for index, baby in enumerate(series):
        points = [(m.age_months, getattr(m, attr)) for m in baby.measurements if getattr(m, attr) is not None]
        if not points:
            continue
        plotted = True
        xs = [x for x, _y in points]
        ys = [float(y) for _x, y in points]
        ax.plot(
            xs, ys,
            color=colour, linewidth=3, linestyle=LINE_STYLES[index % len(LINE_STYLES)],
            marker=MARKERS[index % len(MARKERS)], markersize=10, markerfacecolor="white", markeredgewidth=2.5,
            label=_plain(baby.name),
        )
        for x, (_x, y) in zip(xs, points, strict=True):
            ax.annotate(
                measure_text(y), (x, float(y)), textcoords="offset points", xytext=(0, 11), ha="center",
                fontsize=14, fontweight="bold", color=INK,
            )
    if not plotted:
        ax.text(0.5, 0.5, _("Not measured yet"), transform=ax.transAxes, ha="center", va="center",
                fontsize=15, color=INK)
        ax.set_yticks([])
    ax.margins(x=0.12, y=0.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: measure_text(Decimal(f"{value:.2f}"))))
    ax.tick_params(labelsize=14, colors=INK, length=5)
    ax.grid(True, color=GRID, linewidth=1)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if show_legend and plotted:
        ax.legend(fontsize=13, frameon=False, loc="upper left")


def growth_svg(series: list[BabySeries]) -> bytes:
    """Weight above, length below, against the baby's age in months; the same data gives the same bytes."""
    series = [s for s in series if s.measurements]
    if not series:
        return empty_svg()
    figure = new_figure(figsize=SIZE_INCHES)
    weight_ax, length_ax = figure.subplots(2, 1, sharex=True)
    several = len(series) > 1
    _panel(weight_ax, series, attr="weight_kg", colour=WEIGHT_COLOUR, title=_("Weight (kg)"), show_legend=several)
    _panel(length_ax, series, attr="length_cm", colour=LENGTH_COLOUR, title=_("Length (cm)"), show_legend=False)
    if several:
        xlabel = _("Age in months")
    else:
        xlabel = _("%(name)s's age in months") % {"name": _plain(series[0].name)} if series[0].name else _("Age in months")
    length_ax.set_xlabel(xlabel, fontsize=15, color=INK, labelpad=8)
    # Whole months on the axis: the view spans at least two whole months, or matplotlib's integer
    # locator gives up and ticks every 0.15 of a month (two visits a month apart, at 2.4 and 3.3).
    ages = [m.age_months for baby in series for m in baby.measurements]
    low, high = math.floor(min(ages)), math.ceil(max(ages))
    weight_ax.set_xlim(low - 0.25, max(high, low + 1) + 0.25)
    return figure_svg(figure)


def empty_svg() -> bytes:
    figure = new_figure(figsize=(SIZE_INCHES[0], 1.4))
    figure.text(0.5, 0.5, _("No measurements yet"), ha="center", va="center", fontsize=18, color=INK)
    return figure_svg(figure)
