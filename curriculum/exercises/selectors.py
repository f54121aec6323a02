"""What an exercise shows a student beyond their own work, by design and nothing more.

* A story exchange shows the partner's shared story (to retell it), the retelling of one's own story
  once it is turned in (to rate it), and the rating of one's own retelling only after rating theirs.
* A story with inner-state questions shows the class's spread of interpretations without names: how
  many chose each line and each feeling, and the answers themselves in an order that follows no one.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from classrooms.models import BabyObservation
from curriculum.feelings import FEELINGS
from curriculum.models import Assignment, Pairing, Submission

DONE = (Submission.State.TURNED_IN, Submission.State.RETURNED)

# The story exchange's three points, as the storyteller is asked them (Pairing's columns), and the answers 1-3.
RATING_QUESTIONS = (
    ("faithful", _("Did they tell what I said?")),
    ("feelings", _("Did they say how I felt?")),
    ("no_judgement", _("Did they tell it without judging me?")),
)
RATING_LEVELS = ((1, _("not really")), (2, _("partly")), (3, _("yes")))


@dataclass(frozen=True)
class StoryExchangeView:
    to_retell: str  # the partner's shared story, "" until shared
    partner_shared: bool
    my_story_shared: bool
    retelling_of_mine: str  # "" until the partner has turned theirs in
    my_rating_of_it: Pairing | None  # the row to rate (storyteller = me)
    rated_by_me: bool
    rating_of_my_retelling: Pairing | None  # only once rated_by_me
    has_partner: bool


def story_exchange_view(submission: Submission) -> StoryExchangeView:
    me = submission.student_id
    rows = list(Pairing.objects.filter(Q(teller_id=me) | Q(reader_id=me), assignment_id=submission.assignment_id))
    mine = next((r for r in rows if r.teller_id == me), None)  # my story, retold by someone
    theirs = next((r for r in rows if r.reader_id == me), None)  # the story I retell
    retelling_of_mine = ""
    if mine is not None:
        reteller_work = (
            Submission.objects.filter(assignment_id=submission.assignment_id, student_id=mine.reader_id, state__in=DONE)
            .values_list("answer", flat=True)
            .first()
        )
        retelling_of_mine = (reteller_work or {}).get("retelling", "") if reteller_work is not None else ""
    rated = bool(mine and mine.rated_at)
    return StoryExchangeView(
        to_retell=theirs.story if theirs and theirs.shared_at else "",
        partner_shared=bool(theirs and theirs.shared_at),
        my_story_shared=bool(mine and mine.shared_at),
        retelling_of_mine=retelling_of_mine,
        my_rating_of_it=mine,
        rated_by_me=rated,
        rating_of_my_retelling=theirs if rated and theirs and theirs.rated_at else None,
        has_partner=mine is not None,
    )


@dataclass
class QuestionSpread:
    question: dict
    answered: int = 0
    lines: list[tuple[int, int]] = field(default_factory=list)  # (line, how many), every line of the passage
    feelings: list[tuple[str, int]] = field(default_factory=list)  # most chosen first
    answers: list[str] = field(default_factory=list)
    chosen: list[tuple[int, int, dict]] = field(default_factory=list)  # (line, how many, its text): the lines chosen


def inner_state_spread(assignment: Assignment) -> list[QuestionSpread]:
    """The class's answers to each question of a story, without names, from the work turned in."""
    questions = assignment.content.get("questions", [])
    line_count = len(assignment.content.get("lines", []))
    spreads = [QuestionSpread(question=q) for q in questions]
    tallies = [(Counter(), Counter()) for _ in questions]
    texts: list[list[tuple[str, str]]] = [[] for _ in questions]
    for pk, answer in assignment.submissions.filter(state__in=DONE).values_list("pk", "answer"):
        for i, item in enumerate((answer or {}).get("answers", [])[: len(questions)]):
            if item.get("text"):
                spreads[i].answered += 1
                # Ordered by a hash of the submission, not by name or time: no one can be picked out by position.
                texts[i].append((hashlib.sha256(f"{assignment.pk}:{pk}:{i}".encode()).hexdigest(), item["text"]))
            if item.get("line"):
                tallies[i][0][item["line"]] += 1
            if item.get("feeling"):
                tallies[i][1][item["feeling"]] += 1
    for i, spread in enumerate(spreads):
        lines, feelings = tallies[i]
        spread.lines = [(n, lines.get(n, 0)) for n in range(1, line_count + 1)]
        spread.chosen = [(n, count, assignment.content["lines"][n - 1]) for n, count in spread.lines if count]
        spread.feelings = feelings.most_common()
        spread.answers = [text for _key, text in sorted(texts[i])]
    return spreads


def feelings_key_for(submission: Submission) -> dict | None:
    """The key a feelings guess is scored against, from the person whose feelings were guessed:

    * a written scenario: the author's key in the content;
    * a baby visit: the feelings the instructor logged at the assignment's session (no intensity);
    * a partner: the partner's own answer about how they felt, once they have turned it in.

    None while there is no key yet (no observation logged, the partner not done).
    """
    content = submission.assignment.content
    source = content.get("key_source")
    if source == "author":
        return content.get("key")
    if source == "baby_visit":
        if submission.assignment.session_id is None:
            return None
        observed = BabyObservation.objects.filter(session_id=submission.assignment.session_id).values_list("feelings", flat=True).first()
        feelings = [f for f in observed or [] if f in FEELINGS]
        return {"feelings": feelings, "intensity": None} if feelings else None
    if source == "partner":
        teller = Pairing.objects.filter(assignment_id=submission.assignment_id, reader_id=submission.student_id).values_list("teller_id", flat=True).first()
        if teller is None:
            return None
        answer = (
            Submission.objects.filter(assignment_id=submission.assignment_id, student_id=teller, state__in=DONE)
            .values_list("answer", flat=True)
            .first()
        )
        if not answer or not answer.get("self_feelings"):
            return None
        return {"feelings": answer["self_feelings"], "intensity": answer.get("self_intensity")}
    return None


def partner_guessing(submission: Submission) -> Submission | None:
    """The classmate's turned-in guess about this student's feelings, which this student's own answer keys."""
    reader = Pairing.objects.filter(assignment_id=submission.assignment_id, teller_id=submission.student_id).values_list("reader_id", flat=True).first()
    if reader is None:
        return None
    return Submission.objects.filter(assignment_id=submission.assignment_id, student_id=reader, state__in=DONE).select_related("assignment").first()
