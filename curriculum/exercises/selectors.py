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

from curriculum.models import Assignment, StoryRetelling, Submission

DONE = (Submission.State.TURNED_IN, Submission.State.RETURNED)


@dataclass(frozen=True)
class StoryExchangeView:
    to_retell: str  # the partner's shared story, "" until shared
    partner_shared: bool
    my_story_shared: bool
    retelling_of_mine: str  # "" until the partner has turned theirs in
    my_rating_of_it: StoryRetelling | None  # the row to rate (storyteller = me)
    rated_by_me: bool
    rating_of_my_retelling: StoryRetelling | None  # only once rated_by_me
    has_partner: bool


def story_exchange_view(submission: Submission) -> StoryExchangeView:
    me = submission.student_id
    rows = list(StoryRetelling.objects.filter(Q(storyteller_id=me) | Q(reteller_id=me), assignment_id=submission.assignment_id))
    mine = next((r for r in rows if r.storyteller_id == me), None)  # my story, retold by someone
    theirs = next((r for r in rows if r.reteller_id == me), None)  # the story I retell
    retelling_of_mine = ""
    if mine is not None:
        reteller_work = (
            Submission.objects.filter(assignment_id=submission.assignment_id, student_id=mine.reteller_id, state__in=DONE)
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
        spread.feelings = feelings.most_common()
        spread.answers = [text for _key, text in sorted(texts[i])]
    return spreads
