"""What the outcomes page shows, as plain data: the contract between the computation (selectors.py) and the
pages, charts and CSV (views.py, charts.py, exports.py).

A **measure** is one subscale of one instrument (so one respondent type): scores of different instruments or
respondent types are never pooled. A **cell** is one group's figures for one measure: the whole scope, one
grade across the scope's schools, a school, a grade of a school, or a classroom. Cells nest (a classroom in its school's grade, the grade in the
school, the school in the district); the figures of a hidden cell (``hidden`` not None) are all None, and no
sum or difference of the cells shown beside it gives them back.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    ALL = "all"  # everything the user's scope holds
    ALL_GRADE = "all_grade"  # one grade across every school of the scope (only when the scope holds two or more)
    SCHOOL = "school"
    GRADE = "grade"  # one grade of one school
    CLASSROOM = "classroom"


class Hidden(StrEnum):
    SMALL = "small"  # fewer matched students than SUPPRESSION_MIN_N
    COMPLEMENTARY = "complementary"  # hidden so that a small cell beside it cannot be worked out by subtraction


class Attrition(StrEnum):
    """The What Works Clearinghouse reading of the standardised pre difference between matched and unmatched students."""

    FINE = "fine"  # |d| <= 0.05
    ADJUST = "adjust"  # 0.05 < |d| <= 0.25: needs statistical adjustment
    WARNING = "warning"  # |d| > 0.25
    NONE = "none"  # nobody unmatched, or too few to say


@dataclass(frozen=True)
class Measure:
    instrument_id: int
    instrument_name: str  # in the reader's language
    subscale_id: int
    subscale_key: str
    subscale_name: str
    respondent: str  # surveys.models.Respondent value
    scale_min: int
    scale_max: int


@dataclass
class Cell:
    measure: Measure
    level: Level
    school_id: int | None
    grade: int | None
    classroom_id: int | None
    label: str  # "Lincoln Elementary", "Grade 4", "Room 12"; "All" for the scope
    hidden: Hidden | None = None
    # Counts (None when hidden)
    n_matched: int | None = None  # students with a pre and a post score (confidential cycles)
    n_pre_only: int | None = None
    n_post_only: int | None = None
    n_pre: int | None = None  # students with a pre score (matched + pre only; anonymous: the pre group)
    n_post: int | None = None  # students with a post score (matched + post only; anonymous: the post group)
    match_rate: float | None = None  # matched / students with a pre score
    enrolled: int | None = None  # students enrolled in the windows' classrooms (of this group)
    response_rate_pre: float | None = None
    response_rate_post: float | None = None
    # Paired figures (confidential) or independent-groups figures (anonymous: n_pre/n_post, Welch, g_s)
    mean_pre: float | None = None
    mean_post: float | None = None
    mean_change: float | None = None  # post - pre
    sd_change: float | None = None
    t: float | None = None
    df: float | None = None
    p: float | None = None
    change_low: float | None = None  # 95% CI of the mean change (or of the difference of means)
    change_high: float | None = None
    d_z: float | None = None
    d_z_low: float | None = None
    d_z_high: float | None = None
    g_z: float | None = None
    g_s: float | None = None  # anonymous cycles: Hedges' g_s and its CI
    g_low: float | None = None  # CI of g_z (confidential) or g_s (anonymous)
    g_high: float | None = None
    improvement_index: float | None = None  # WWC: U3 of g minus 50, in percentile points
    # Attrition: pre means of matched and unmatched students (confidential)
    mean_pre_matched: float | None = None
    mean_pre_unmatched: float | None = None
    attrition_d: float | None = None
    attrition: Attrition = Attrition.NONE
    # Dose, per classroom (and summed for groups): from the registered classroom measures
    dose: dict[str, float | None] = field(default_factory=dict)  # {"sessions_held": 7, "activities_completed": 112}

    @property
    def shown(self) -> bool:
        return self.hidden is None


@dataclass
class Outcomes:
    cycle_id: int
    anonymous: bool
    suppression_min_n: int
    measures: list[Measure]
    # Every measure's cells, measure by measure, each measure's in display order: all; each grade across the
    # schools (ALL_GRADE, only when the scope holds two schools or more); then per school (by name): the school,
    # then each of its grades (lowest first) followed at once by that grade's classrooms (by name).
    cells: list[Cell]
    dose_labels: dict[str, str] = field(default_factory=dict)  # {"sessions_held": "Sessions held", ...}

    def for_measure(self, measure: Measure) -> list[Cell]:
        return [c for c in self.cells if c.measure == measure]
