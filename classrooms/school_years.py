"""School years: the calendar year a school year starts in (2026 is the 2026-27 school year), and its label."""

from datetime import datetime

from django.utils import timezone


def current_school_year(today=None) -> int:
    """School years start in the northern summer: from July on, it is the year that starts now."""
    today = today or timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


def school_year_start(year: int):
    """The first moment of school year ``year`` (1 July, in the server's zone), as ``current_school_year`` counts."""
    return timezone.make_aware(datetime(year, 7, 1))


def school_year_label(year: int) -> str:
    """2026 reads "2026–27"."""
    return f"{year}–{(year + 1) % 100:02d}"


def school_year_choices(around: int | None = None) -> list[tuple[int, str]]:
    """Last year, this year and next, for a form's choice."""
    this = current_school_year() if around is None else around
    return [(year, school_year_label(year)) for year in (this - 1, this, this + 1)]
