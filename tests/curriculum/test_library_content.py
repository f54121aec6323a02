"""The shipped library: every file validates, the programs are complete, texts fit their readers."""

import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import textstat

from curriculum.content import (
    BAND_READING_GRADE_MAX,
    INDIVIDUAL_KINDS,
    LIVE_KINDS,
    PICTURES,
    Band,
    Kind,
    Part,
    Program,
    paragraphs,
    student_texts,
)
from curriculum.library.files import lesson_file_read, lesson_paths

PICTURES_DIR = Path(__file__).resolve().parents[2] / "static" / "curriculum" / "pictures"
SHARED_PARAGRAPH_MIN_WORDS = 8


@pytest.fixture(scope="module")
def lessons():
    return [lesson_file_read(path) for path in lesson_paths()]


def test_every_shipped_lesson_file_validates():
    for path in lesson_paths():
        lesson_file_read(path)  # raises LessonFileError naming the file and field


def test_baby_visits_has_nine_themes_of_three_lessons_for_each_band(lessons):
    found = Counter(
        (f.spec.band, f.spec.theme, f.spec.part) for f in lessons if f.spec.program == Program.BABY_VISITS
    )
    expected = {(band, theme, part) for band in (Band.K2, Band.G3_5) for theme in range(1, 10)
                for part in (Part.PRE_VISIT, Part.FAMILY_VISIT, Part.POST_VISIT)}
    assert set(found) == expected
    assert all(n == 1 for n in found.values()), [k for k, n in found.items() if n > 1]
    assert sum(found.values()) == 54


def test_caring_community_covers_both_bands_every_exercise_type_and_a_growth_mindset_lesson(lessons):
    caring = [f.spec for f in lessons if f.spec.program == Program.CARING_COMMUNITY]
    assert len(caring) >= 24
    for band in (Band.G3_5, Band.G6_8):
        in_band = [s for s in caring if s.band == band]
        assert len(in_band) >= 10, band
        assert any(s.growth_mindset for s in in_band), f"no growth-mindset lesson for {band}"
    kinds = {a.kind for s in caring for a in s.activities}
    assert kinds >= set(INDIVIDUAL_KINDS | LIVE_KINDS), sorted(set(Kind) - kinds)


def test_every_lesson_has_a_theme_title_shared_by_its_theme(lessons):
    titles = defaultdict(set)
    for f in lessons:
        titles[(f.spec.program, f.spec.band, f.spec.theme)].add(f.spec.theme_title)
    assert {k: v for k, v in titles.items() if len(v) > 1} == {}


def test_student_texts_fit_the_reading_level_of_their_band(lessons):
    grades = defaultdict(list)
    too_hard = []
    for f in lessons:
        limit = BAND_READING_GRADE_MAX[f.spec.band]
        for where, text in student_texts(f.spec):
            grade = textstat.flesch_kincaid_grade(text.en)
            grades[f.spec.band].append(grade)
            if grade > limit:
                too_hard.append(f"{f.path.name} {where}: grade {grade:.1f} > {limit}: {text.en!r}")
    for band, values in sorted(grades.items()):
        quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
        print(
            f"reading level {band}: {len(values)} texts, median {statistics.median(values):.1f}, "
            f"quartiles {quartiles[0]:.1f}/{quartiles[2]:.1f}, max {max(values):.1f} (limit {BAND_READING_GRADE_MAX[band]})"
        )
    assert too_hard == []


def test_baby_visits_k2_student_texts_have_spanish(lessons):
    missing = [
        f"{f.path.name} {where}"
        for f in lessons
        if f.spec.program == Program.BABY_VISITS and f.spec.band == Band.K2
        for where, text in student_texts(f.spec)
        if not text.es
    ]
    assert missing == []


def test_no_two_lessons_share_a_paragraph(lessons):
    seen: dict[str, str] = {}
    shared = []
    for f in lessons:
        for paragraph in set(paragraphs(f.spec)):
            if len(paragraph.split()) < SHARED_PARAGRAPH_MIN_WORDS:
                continue  # "Read the story aloud." may well recur
            if paragraph in seen and seen[paragraph] != f.spec.slug:
                shared.append(f"{seen[paragraph]} and {f.spec.slug}: {paragraph!r}")
            seen.setdefault(paragraph, f.spec.slug)
    assert shared == []


def test_every_picture_a_lesson_names_is_drawn(lessons):
    assert {p.stem for p in PICTURES_DIR.glob("*.svg")} >= set(PICTURES)
