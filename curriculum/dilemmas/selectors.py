"""Reading a live dilemma: the split of the votes (never who chose what, for the class), each student's own
vote, whose reason they restate, and how opinions moved. Every figure is counted by the database; each
function costs the same queries for 4 students or 30."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from accounts.models import User
from curriculum.dilemmas.pairing import assign_restatements
from curriculum.models import DilemmaVote, LiveMember, LiveRun, Restatement

FIRST, SECOND = DilemmaVote.Round.FIRST, DilemmaVote.Round.SECOND
LETTERS = "ABCD"


def options_of(run: LiveRun) -> list:
    return list(run.content.get("options", []))


def round_open(run: LiveRun) -> int | None:
    """The round a vote now counts in: 1 while voting, 2 at the re-vote, None at any other step."""
    return {LiveRun.State.VOTING: FIRST, LiveRun.State.REVOTE: SECOND}.get(run.state)


@dataclass
class OptionCount:
    index: int
    letter: str
    option: object  # the option's text, as stored (shown in the reader's language by the template)
    first: int = 0
    second: int = 0
    first_percent: int = 0  # of the round's votes, for the words beside the bar
    second_percent: int = 0
    first_bar: int = 0  # of the most chosen option in either round, for the bar's length (0-100)
    second_bar: int = 0


def split(run: LiveRun) -> list[OptionCount]:
    """Each option's votes in both rounds (one query)."""
    counts = [OptionCount(index=i, letter=LETTERS[i], option=o) for i, o in enumerate(options_of(run))]
    rows = DilemmaVote.objects.filter(run=run).values("round", "option").annotate(n=Count("pk"))
    for row in rows:
        if row["option"] < len(counts):
            setattr(counts[row["option"]], "first" if row["round"] == FIRST else "second", row["n"])
    totals = (sum(c.first for c in counts), sum(c.second for c in counts))
    most = max([c.first for c in counts] + [c.second for c in counts] + [1])
    for c in counts:
        c.first_percent = round(100 * c.first / totals[0]) if totals[0] else 0
        c.second_percent = round(100 * c.second / totals[1]) if totals[1] else 0
        c.first_bar, c.second_bar = round(100 * c.first / most), round(100 * c.second / most)
    return counts


def votes_of(run: LiveRun, student: User) -> dict[int, DilemmaVote]:
    """round -> the student's own vote."""
    return {vote.round: vote for vote in DilemmaVote.objects.filter(run=run, student=student)}


def first_answers(run: LiveRun) -> tuple[dict[int, int], tuple[int, ...]]:
    """(student id -> first choice, the options' order): what the groups are formed from."""
    answers = dict(DilemmaVote.objects.filter(run=run, round=FIRST).values_list("student_id", "option"))
    return answers, tuple(range(len(options_of(run))))


def assignments(run: LiveRun) -> dict[int, int]:
    """reader -> author for the whole class (two queries); stable once restating starts (votes closed,
    groups fixed)."""
    answers, _order = first_answers(run)
    groups = dict(LiveMember.objects.filter(run=run, student_id__in=answers).values_list("student_id", "group__number"))
    return assign_restatements(answers, groups)


def reason_to_restate(run: LiveRun, reader: User) -> DilemmaVote | None:
    """The first vote (option and reason) of the classmate ``reader`` restates, or None."""
    author = assignments(run).get(reader.pk)
    if author is None:
        return None
    return DilemmaVote.objects.filter(run=run, round=FIRST, student_id=author).first()


def restatement_by(run: LiveRun, reader: User) -> Restatement | None:
    return Restatement.objects.filter(run=run, reader=reader, restated_at__isnull=False).first()


def restatements_of(run: LiveRun, author: User) -> list[Restatement]:
    """What classmates said back of ``author``'s reason (their names are not shown to the author)."""
    return list(
        Restatement.objects.filter(run=run, author=author, restated_at__isnull=False).order_by("restated_at", "pk")
    )


@dataclass
class Movement:
    options: list[OptionCount]
    table: list[tuple[OptionCount, list[int]]]  # first choice -> counts of each second choice
    changed: int
    stayed: int
    only_first: int  # voted in the first round, not again


def movement(run: LiveRun, options: list[OptionCount]) -> Movement:
    """First choice × second choice, for those who voted in both rounds (one query)."""
    size = len(options)
    cells = [[0] * size for _ in range(size)]
    firsts = dict(DilemmaVote.objects.filter(run=run, round=FIRST).values_list("student_id", "option"))
    seconds = dict(DilemmaVote.objects.filter(run=run, round=SECOND).values_list("student_id", "option"))
    changed = stayed = 0
    for student, first in firsts.items():
        second = seconds.get(student)
        if second is None or first >= size or second >= size:
            continue
        cells[first][second] += 1
        changed, stayed = (changed + 1, stayed) if first != second else (changed, stayed + 1)
    only_first = sum(1 for student in firsts if student not in seconds)
    return Movement(
        options=options,
        table=list(zip(options, cells, strict=True)),
        changed=changed,
        stayed=stayed,
        only_first=only_first,
    )


def rating_counts(run: LiveRun) -> dict[str, int]:
    """How many restatements were written, and rated yes, partly or no (one query)."""
    rows = dict(
        Restatement.objects.filter(run=run, restated_at__isnull=False).values_list("rating").annotate(n=Count("pk"))
    )
    counts = {rating: rows.get(rating, 0) for rating in Restatement.Rating.values}
    counts["written"] = sum(rows.values())
    counts["unrated"] = rows.get("", 0)
    return counts
