"""The shape of a lesson and of each kind of activity's content, as pydantic models.

One schema validates a lesson wherever it comes from: a shipped data file in ``curriculum/lessons/``
(YAML, one lesson per file), a teacher's own lesson written with the forms, or a copy. An activity's
content is validated by its kind's schema (``CONTENT_SCHEMAS``) on load and on every save, so a page
never meets content it cannot show.

Student-facing and teacher-facing text are different types on purpose:

* ``Text`` is what a student reads on their own screen. It has an English version and may have a
  Spanish one (``es``), shown to a student whose language is Spanish. Its reading level is checked
  against the lesson's grade band (``tests/curriculum/test_reading_level.py``). In a data file it is
  written either as a plain string (English only) or as ``{en: ..., es: ...}``.
* a plain ``str`` is for the teacher (objectives, steps, discussion questions the teacher adapts
  aloud, the family's home-link note): adult reading level, English, exempt from the band check.

Pure: no database, no Django models.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from curriculum.feelings import FEELINGS

# One limit for every student-facing text a lesson may hold, and one for the teacher's lines.
TEXT_MAX = 2000
LINE_MAX = 500
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LINE_MAX)]
Paragraph = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX)]


class Strict(BaseModel):
    # An unknown key in a data file is a typo ("objetives"), not something to ignore silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A student-facing text, in English and optionally Spanish."""

    en: Paragraph
    es: Paragraph | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_english(cls, value: Any) -> Any:
        return {"en": value} if isinstance(value, str) else value

    def in_language(self, language: str | None) -> str:
        """The Spanish version for a Spanish reader when there is one; English otherwise."""
        if language and language.startswith("es") and self.es:
            return self.es
        return self.en

    def __str__(self) -> str:
        return self.en


class Program(StrEnum):
    BABY_VISITS = "baby_visits"
    CARING_COMMUNITY = "caring_community"


class Band(StrEnum):
    K2 = "k2"
    G3_5 = "3_5"
    G6_8 = "6_8"


# The Flesch-Kincaid grade no student-facing text of a band may exceed.
BAND_READING_GRADE_MAX = {Band.K2: 2.5, Band.G3_5: 5.5, Band.G6_8: 8.5}


def band_for_grade(grade: int) -> Band:
    """K-2, 3-5 or 6-8 for a classroom's grade (0 is kindergarten)."""
    if grade <= 2:
        return Band.K2
    if grade <= 5:
        return Band.G3_5
    return Band.G6_8


# The grades of each band (0 is kindergarten): the classes whose story walls share stories (curriculum.stories).
BAND_GRADES = {Band.K2: (0, 1, 2), Band.G3_5: (3, 4, 5), Band.G6_8: (6, 7, 8)}


class Part(StrEnum):
    """Where a lesson sits: one of a Baby-visits theme's three, or a lesson of its own."""

    PRE_VISIT = "pre_visit"
    FAMILY_VISIT = "family_visit"
    POST_VISIT = "post_visit"
    LESSON = "lesson"


class Kind(StrEnum):
    # Each student on their own (this four exercise types; story exchange works in pairs).
    PERSPECTIVE_WRITING = "perspective_writing"
    STORY_EXCHANGE = "story_exchange"
    FEELINGS_GUESS = "feelings_guess"
    SITUATIONAL_ATTRIBUTION = "situational_attribution"
    STORY_INNER_STATE = "story_inner_state"
    # The whole class at once, led live by the teacher (built in a later issue; the library already holds them).
    DILEMMA = "dilemma"
    LISTENING_CIRCLE = "listening_circle"
    NORM_STORY = "norm_story"
    TEAM_PUZZLE = "team_puzzle"


INDIVIDUAL_KINDS = frozenset(
    {Kind.PERSPECTIVE_WRITING, Kind.STORY_EXCHANGE, Kind.FEELINGS_GUESS, Kind.SITUATIONAL_ATTRIBUTION, Kind.STORY_INNER_STATE}
)
LIVE_KINDS = frozenset(Kind) - INDIVIDUAL_KINDS
# What a teacher can give a class as an assignment: the individual kinds, and the norm story, which each
# student writes on their own (curriculum.stories: the teacher approves it before it goes on the wall).
ASSIGNABLE_KINDS = INDIVIDUAL_KINDS | {Kind.NORM_STORY}
# The live kinds a teacher starts with a class (curriculum.live, and each kind's subpackage).
LIVE_RUN_KINDS = frozenset({Kind.DILEMMA, Kind.LISTENING_CIRCLE, Kind.TEAM_PUZZLE})

# The pictures a student text may show: our own drawings in static/curriculum/pictures/<name>.svg.
PICTURES = (
    "baby", "baby-crying", "baby-sleeping", "baby-smiling", "blanket", "bottle", "crib", "family",
    "friends", "hands", "heart", "playground", "classroom", "scale", "ruler", "book", "ball", "rain",
)
Picture = Literal[PICTURES]  # type: ignore[valid-type]


class Criterion(Strict):
    """One line of a rubric: what the teacher looks for, scored 0 (not yet) to ``points``."""

    key: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$", max_length=40)]
    label: Line
    points: int = Field(default=2, ge=1, le=4)


# --- each kind's content --------------------------------------------------------------------------


class PerspectiveWritingContent(Strict):
    """'A day in the life of ...' or 'tell it as ... would': one piece of writing from another's point of view."""

    prompt: Text
    picture: Picture | None = None
    guiding_questions: list[Text] = Field(min_length=1, max_length=6)
    # Scored by the teacher; the default is Heard's three points (perspective kept, inner states, no judgement).
    rubric: list[Criterion] | None = None


class StoryExchangeContent(Strict):
    """Tell a short story of your own; retell your partner's in the first person; rate the retelling of yours."""

    prompt: Text
    retell_prompt: Text
    picture: Picture | None = None
    guiding_questions: list[Text] = Field(default_factory=list, max_length=6)


class FeelingKey(Strict):
    feelings: list[Literal[FEELINGS]] = Field(min_length=1, max_length=3)  # type: ignore[valid-type]
    intensity: int | None = Field(default=None, ge=1, le=5)


class FeelingsGuessContent(Strict):
    """A moment; the student names the feelings in it (feelings wheel), how strong (1-5), and why.

    The key is the target's own answer: the author's key for a written scenario, what the instructor
    observed at a baby visit (the session's observation log), or the partner's self-report in a pair.
    """

    key_source: Literal["author", "baby_visit", "partner"]
    scenario: Text
    picture: Picture | None = None
    why_prompt: Text
    key: FeelingKey | None = None

    @model_validator(mode="after")
    def _author_key_is_given(self) -> FeelingsGuessContent:
        if self.key_source == "author" and self.key is None:
            raise ValueError("a scenario with key_source 'author' needs its key (the feelings and intensity the author meant)")
        if self.key_source != "author" and self.key is not None:
            raise ValueError(f"key_source '{self.key_source}' takes its key from the class, so the content has no key")
        return self


class SituationalAttributionContent(Strict):
    """A behaviour; several explanations, each tagged as about the person or about the situation; then oneself."""

    behaviour: Text
    picture: Picture | None = None
    explanations_min: int = Field(default=3, ge=2, le=5)
    self_prompt: Text


class InnerStateQuestion(Strict):
    # After which line of the passage (1-based) the question appears.
    after_line: int = Field(ge=1)
    asks: Literal["thinks", "feels", "wants"]
    character: Line
    question: Text


class StoryInnerStateContent(Strict):
    """A short original passage, with questions at set points on what a character thinks, feels and wants."""

    title: Text
    picture: Picture | None = None
    lines: list[Text] = Field(min_length=3, max_length=40)
    questions: list[InnerStateQuestion] = Field(min_length=1, max_length=8)

    @model_validator(mode="after")
    def _questions_point_inside(self) -> StoryInnerStateContent:
        for question in self.questions:
            if question.after_line > len(self.lines):
                raise ValueError(f"a question comes after line {question.after_line}, but the passage has {len(self.lines)} lines")
        return self


class DilemmaContent(Strict):
    situation: Text
    picture: Picture | None = None
    options: list[Text] = Field(min_length=3, max_length=4)
    reason_prompt: Text


class ListeningCircleContent(Strict):
    topic: Text
    speaker_minutes: int = Field(default=4, ge=1, le=10)
    starters: list[Text] = Field(default_factory=list, max_length=6)


class NormStoryContent(Strict):
    prompt: Text
    example: Text | None = None


class TeamPuzzleContent(Strict):
    problem: Text
    parts: list[Text] = Field(min_length=3, max_length=5)
    question: Text
    answer_for_teacher: Line


CONTENT_SCHEMAS: dict[Kind, type[Strict]] = {
    Kind.PERSPECTIVE_WRITING: PerspectiveWritingContent,
    Kind.STORY_EXCHANGE: StoryExchangeContent,
    Kind.FEELINGS_GUESS: FeelingsGuessContent,
    Kind.SITUATIONAL_ATTRIBUTION: SituationalAttributionContent,
    Kind.STORY_INNER_STATE: StoryInnerStateContent,
    Kind.DILEMMA: DilemmaContent,
    Kind.LISTENING_CIRCLE: ListeningCircleContent,
    Kind.NORM_STORY: NormStoryContent,
    Kind.TEAM_PUZZLE: TeamPuzzleContent,
}


def content_validate(kind: str, content: Any) -> Strict:
    """``content`` checked against its kind's schema; raises ``pydantic.ValidationError`` (or ``ValueError``)."""
    return CONTENT_SCHEMAS[Kind(kind)].model_validate(content)


class ActivitySpec(Strict):
    key: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=40)]
    kind: Kind
    title: Text
    # What the student reads first, on their own screen.
    instructions: Text
    content: dict[str, Any]

    @model_validator(mode="after")
    def _content_fits_kind(self) -> ActivitySpec:
        content_validate(self.kind, self.content)
        return self


class Connection(Strict):
    """A link to another subject: the maths of the baby's growth, a book about feelings, an art piece."""

    subject: Literal["maths", "literature", "art", "science", "music", "movement"]
    text: Line


class LessonSpec(Strict):
    """One lesson, as a data file holds it."""

    slug: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
    program: Program
    band: Band
    theme: int = Field(ge=1, le=30)  # the theme (Baby visits) or unit (Caring community) number
    theme_title: Line
    part: Part
    title: Line
    minutes: int = Field(ge=10, le=120)
    objectives: list[Line] = Field(min_length=2, max_length=4)
    materials: list[Line] = Field(min_length=1, max_length=12)
    steps: list[Line] = Field(min_length=5, max_length=10)
    discussion: list[Line] = Field(min_length=3, max_length=6)
    connections: list[Connection] = Field(default_factory=list, max_length=6)
    home_link: Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX)] = ""
    # The lesson teaches that empathy is a skill that grows with effort (the malleability mindset).
    growth_mindset: bool = False
    activities: list[ActivitySpec] = Field(min_length=1, max_length=6)

    @field_validator("activities")
    @classmethod
    def _activity_keys_unique(cls, activities: list[ActivitySpec]) -> list[ActivitySpec]:
        keys = [a.key for a in activities]
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        if duplicated:
            raise ValueError(f"two activities share the key {duplicated[0]!r}")
        return activities

    @model_validator(mode="after")
    def _parts_fit_program(self) -> LessonSpec:
        if self.program == Program.BABY_VISITS and self.part == Part.LESSON:
            raise ValueError("a Baby-visits lesson is a pre_visit, family_visit or post_visit lesson")
        if self.program == Program.CARING_COMMUNITY and self.part != Part.LESSON:
            raise ValueError("a Caring-community lesson has part 'lesson'")
        if self.program == Program.BABY_VISITS and self.band == Band.G6_8:
            raise ValueError("Baby visits is written for K-2 and 3-5")
        if self.program == Program.CARING_COMMUNITY and self.band == Band.K2:
            raise ValueError("Caring community is written for 3-5 and 6-8")
        if self.program == Program.BABY_VISITS and not self.home_link:
            raise ValueError("a Baby-visits lesson has a home-link note for families")
        return self


def student_texts(spec: LessonSpec) -> list[tuple[str, Text]]:
    """Every student-facing text of a lesson, with where it sits ("activities[0].content.lines[2]")."""
    found: list[tuple[str, Text]] = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, Text):
            found.append((where, value))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{where}.{name}")
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    for i, activity in enumerate(spec.activities):
        walk(activity.title, f"activities[{i}].title")
        walk(activity.instructions, f"activities[{i}].instructions")
        walk(content_validate(activity.kind, activity.content), f"activities[{i}].content")
    return found


def paragraphs(spec: LessonSpec) -> list[str]:
    """The lesson's paragraphs of prose, teacher's and students', normalised for comparing lessons."""
    texts = [*spec.objectives, *spec.steps, *spec.discussion, spec.home_link]
    for _where, text in student_texts(spec):
        texts.append(text.en)
        if text.es:
            texts.append(text.es)
    return [re.sub(r"\W+", " ", t).strip().casefold() for t in texts if t.strip()]
