"""What a classroom's practice shows its teacher: per student and per month, from the stored score columns.

Every figure is summed, averaged or counted by the database from ``Submission``'s and
``Pairing``'s columns; nothing here reads an answer's JSON. The page costs the same handful of
queries for 5 students or 35, for 1 assignment or 60.

Empathic accuracy is pooled: the points of all a student's (or the class's) scored feelings guesses over
the most those guesses could earn, so a guess of three feelings weighs what it could earn. Situational
shares are the mean of each piece of work's share. Retelling ratings are the mean of the three 1-3
points; "received" is how classmates rated one's retellings, "given" how one rated theirs.
Story wall: stories a student sent to the teacher (written) and stories they opened on the class's wall (read).
Team puzzles: the groups that wrote an answer (solved together) and the contributions members wrote; counted,
never ranked between students or groups.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth

from classrooms.models import Classroom
from curriculum.models import (
    CircleCard,
    CircleTurn,
    Pairing,
    PuzzleAnswer,
    PuzzlePart,
    Restatement,
    Story,
    StoryRead,
    Submission,
)

DONE = (Submission.State.TURNED_IN, Submission.State.RETURNED)
_DONE = Q(state__in=DONE)
_SCORED = _DONE & Q(accuracy_max__gt=0)


def _share(points, most) -> float | None:
    return points / most if most else None


@dataclass
class StudentPractice:
    student: object
    done: int = 0
    accuracy: float | None = None  # pooled over the year
    accuracy_first: float | None = None  # the first month with a scored guess
    accuracy_latest: float | None = None
    intensity_difference: float | None = None
    situational_others: float | None = None
    situational_self: float | None = None
    rating_received: float | None = None
    ratings_received: int = 0
    rating_given: float | None = None
    ratings_given: int = 0
    stories_written: int = 0
    stories_read: int = 0
    puzzle_contributions: int = 0


@dataclass
class MonthPractice:
    month: date
    done: int = 0
    students: int = 0
    accuracy: float | None = None
    situational_others: float | None = None
    situational_self: float | None = None
    rating: float | None = None
    ratings: int = 0


@dataclass(frozen=True)
class StoriesPractice:
    written: int = 0  # stories of the class sent to the teacher
    approved: int = 0
    read: int = 0  # (reader, story) pairs on the class's wall
    readers: int = 0

    @property
    def any(self) -> bool:
        return bool(self.written or self.read)
@dataclass(frozen=True)
class PuzzlesPractice:
    puzzles: int = 0  # team puzzles the class did live (their parts were dealt)
    groups: int = 0
    solved: int = 0  # groups that wrote their answer together
    contributions: int = 0
    contributors: int = 0

    @property
    def any(self) -> bool:
        return bool(self.groups)


@dataclass
class ClassroomPractice:
    students: list[StudentPractice] = field(default_factory=list)
    months: list[MonthPractice] = field(default_factory=list)
    totals: MonthPractice | None = None
    stories: StoriesPractice = field(default_factory=StoriesPractice)
    puzzles: PuzzlesPractice = field(default_factory=PuzzlesPractice)

    @property
    def has_work(self) -> bool:
        return bool(self.totals and self.totals.done)


def _class_work(classroom: Classroom):
    return Submission.objects.filter(assignment__classroom_id=classroom.pk)


def _rating_mean():
    return (Avg("faithful") + Avg("feelings") + Avg("no_judgement")) / 3.0


def _month_key(value) -> date:
    return value.date() if hasattr(value, "date") else value


def classroom_practice(classroom: Classroom, *, with_students: bool) -> ClassroomPractice:
    """The class's practice by month and over the year; and per student when ``with_students``."""
    zone = classroom.school.zone
    work = _class_work(classroom)
    aggregates = {
        "done": Count("pk", filter=_DONE),
        "students": Count("student_id", filter=_DONE, distinct=True),
        "points": Sum("accuracy_points", filter=_SCORED),
        "most": Sum("accuracy_max", filter=_SCORED),
        "share_others": Avg("situational_share_others", filter=_DONE),
        "share_self": Avg("situational_share_self", filter=_DONE),
        "intensity": Avg("intensity_difference", filter=_SCORED),
    }
    retellings = Pairing.objects.filter(assignment__classroom_id=classroom.pk, rated_at__isnull=False)

    months: dict[date, MonthPractice] = {}
    for row in (
        work.filter(_DONE).annotate(month=TruncMonth("turned_in_at", tzinfo=zone)).values("month").annotate(**aggregates).order_by("month")
    ):
        if row["month"] is None:
            continue
        key = _month_key(row["month"])
        months[key] = MonthPractice(
            month=key, done=row["done"], students=row["students"], accuracy=_share(row["points"], row["most"]),
            situational_others=row["share_others"], situational_self=row["share_self"],
        )
    for row in (
        retellings.annotate(month=TruncMonth("rated_at", tzinfo=zone)).values("month").annotate(rating=_rating_mean(), n=Count("pk"))
    ):
        key = _month_key(row["month"])
        month = months.setdefault(key, MonthPractice(month=key))
        month.rating, month.ratings = row["rating"], row["n"]

    total = work.aggregate(**aggregates)
    rated = retellings.aggregate(rating=_rating_mean(), n=Count("pk"))
    totals = MonthPractice(
        month=date.min, done=total["done"], students=total["students"], accuracy=_share(total["points"], total["most"]),
        situational_others=total["share_others"], situational_self=total["share_self"], rating=rated["rating"], ratings=rated["n"],
    )
    written = Story.objects.filter(classroom_id=classroom.pk).aggregate(
        written=Count("pk"), approved=Count("pk", filter=Q(state=Story.State.APPROVED))
    )
    read = StoryRead.objects.filter(classroom_id=classroom.pk).aggregate(read=Count("pk"), readers=Count("reader_id", distinct=True))
    practice = ClassroomPractice(
        months=[months[k] for k in sorted(months)], totals=totals, stories=StoriesPractice(**written, **read), puzzles=_puzzles(classroom)
    )
    if with_students:
        practice.students = _students_practice(classroom, work, retellings, aggregates, zone)
    return practice


def _puzzles(classroom: Classroom) -> PuzzlesPractice:
    answers = PuzzleAnswer.objects.filter(run__classroom_id=classroom.pk).aggregate(
        puzzles=Count("run_id", distinct=True), groups=Count("pk"), solved=Count("pk", filter=~Q(text=""))
    )
    written = PuzzlePart.objects.filter(run__classroom_id=classroom.pk).exclude(contribution="").aggregate(
        contributions=Count("pk"), contributors=Count("student_id", distinct=True)
    )
    return PuzzlesPractice(**answers, **written)


def _students_practice(classroom, work, retellings, aggregates, zone) -> list[StudentPractice]:
    enrolled = list(
        classroom.enrollments.active().select_related("student").order_by("student__last_name", "student__first_name", "student_id")
    )
    rows = {e.student_id: StudentPractice(student=e.student) for e in enrolled}
    for row in work.filter(student_id__in=rows).values("student_id").annotate(**aggregates):
        practice = rows[row["student_id"]]
        practice.done = row["done"]
        practice.accuracy = _share(row["points"], row["most"])
        practice.intensity_difference = row["intensity"]
        practice.situational_others, practice.situational_self = row["share_others"], row["share_self"]
    trend = (
        work.filter(_SCORED, student_id__in=rows)
        .annotate(month=TruncMonth("turned_in_at", tzinfo=zone))
        .values("student_id", "month")
        .annotate(points=Sum("accuracy_points"), most=Sum("accuracy_max"))
        .order_by("student_id", "month")
    )
    for row in trend:
        practice = rows[row["student_id"]]
        share = _share(row["points"], row["most"])
        if practice.accuracy_first is None:
            practice.accuracy_first = share
        practice.accuracy_latest = share
    for row in retellings.filter(reader_id__in=rows).values("reader_id").annotate(rating=_rating_mean(), n=Count("pk")):
        rows[row["reader_id"]].rating_received, rows[row["reader_id"]].ratings_received = row["rating"], row["n"]
    for row in retellings.filter(teller_id__in=rows).values("teller_id").annotate(rating=_rating_mean(), n=Count("pk")):
        rows[row["teller_id"]].rating_given, rows[row["teller_id"]].ratings_given = row["rating"], row["n"]
    for row in Story.objects.filter(classroom_id=classroom.pk, author_id__in=rows).values("author_id").annotate(n=Count("pk")):
        rows[row["author_id"]].stories_written = row["n"]
    for row in StoryRead.objects.filter(classroom_id=classroom.pk, reader_id__in=rows).values("reader_id").annotate(n=Count("pk")):
        rows[row["reader_id"]].stories_read = row["n"]
    contributed = PuzzlePart.objects.filter(run__classroom_id=classroom.pk, student_id__in=rows).exclude(contribution="")
    for row in contributed.values("student_id").annotate(n=Count("pk")):
        rows[row["student_id"]].puzzle_contributions = row["n"]
    return list(rows.values())


def student_accuracy_by_month(student, *, zone) -> list[tuple[date, float]]:
    """One student's empathic accuracy per month, over every classroom (their "accuracy over the year")."""
    rows = (
        Submission.objects.filter(_SCORED, student_id=student.pk)
        .annotate(month=TruncMonth("turned_in_at", tzinfo=zone))
        .values("month")
        .annotate(points=Sum("accuracy_points"), most=Sum("accuracy_max"))
        .order_by("month")
    )
    return [(_month_key(r["month"]), r["points"] / r["most"]) for r in rows if r["most"]]


# --- Dilemma corners: saying back a classmate's reason (curriculum.dilemmas) ---------------------------------


@dataclass
class RestatementFigures:
    written: int = 0
    yes: int = 0
    partly: int = 0
    no: int = 0

    @property
    def unrated(self) -> int:
        return self.written - self.yes - self.partly - self.no


@dataclass
class RestatementPractice:
    runs: int = 0  # live dilemmas the class took part in
    totals: RestatementFigures = field(default_factory=RestatementFigures)
    students: list[tuple[object, RestatementFigures]] = field(default_factory=list)


def _restatement_counts():
    return {
        "written": Count("pk"),
        "yes": Count("pk", filter=Q(rating=Restatement.Rating.YES)),
        "partly": Count("pk", filter=Q(rating=Restatement.Rating.PARTLY)),
        "no": Count("pk", filter=Q(rating=Restatement.Rating.NO)),
    }


def restatement_practice(classroom: Classroom, *, students: list | None = None) -> RestatementPractice:
    """Restatements written in the class's live dilemmas and how their authors rated them (yes / partly /
    no): for the class, and per student (as the one who said a reason back) when ``students`` is given.
    Two or three queries, however many students or runs."""
    written = Restatement.objects.filter(run__classroom_id=classroom.pk, restated_at__isnull=False)
    total = written.aggregate(runs=Count("run_id", distinct=True), **_restatement_counts())
    practice = RestatementPractice(
        runs=total.pop("runs"), totals=RestatementFigures(**{k: v or 0 for k, v in total.items()})
    )
    if students is not None:
        rows = {
            row.pop("reader_id"): RestatementFigures(**row)
            for row in written.filter(reader_id__in=[s.pk for s in students]).values("reader_id").annotate(**_restatement_counts())
        }
        practice.students = [(student, rows.get(student.pk, RestatementFigures())) for student in students]
    return practice


# --- Listening circles: turns spoken and summed up, and how heard the speakers felt (curriculum.circles) --------


@dataclass
class CircleFigures:
    spoke: int = 0  # turns as the speaker
    heard_given: float | None = None  # mean of the speaker's own "how heard did you feel?" (1-5)
    rated: int = 0  # of those turns, how many the speaker rated
    reflected: int = 0  # turns as the one who summed up
    heard_received: float | None = None  # mean rating the speakers gave this student's summing up
    cards: int = 0  # closing "I like / I wish" cards written


@dataclass
class CirclePractice:
    runs: int = 0  # listening circles the class took part in
    totals: CircleFigures = field(default_factory=CircleFigures)
    students: list[tuple[object, CircleFigures]] = field(default_factory=list)


def circle_practice(classroom: Classroom, *, students: list | None = None) -> CirclePractice:
    """Turns of the class's listening circles: for the class, and per student when ``students`` is given —
    as speaker (the felt-heard ratings they gave) and as the one who summed up (the ratings they received).
    A skipped turn counts as spoken, without a rating. Two queries for the class, three more per page for its
    students, however many turns or runs."""
    turns = CircleTurn.objects.filter(run__classroom_id=classroom.pk)
    total = turns.aggregate(
        runs=Count("run_id", distinct=True), spoke=Count("pk"), rated=Count("heard"), heard=Avg("heard")
    )
    cards = CircleCard.objects.filter(run__classroom_id=classroom.pk)
    practice = CirclePractice(
        runs=total["runs"],
        totals=CircleFigures(
            spoke=total["spoke"], rated=total["rated"], heard_given=total["heard"], reflected=total["spoke"],
            heard_received=total["heard"], cards=cards.count() if total["runs"] else 0,
        ),
    )
    if students is not None and total["runs"]:
        ids = [s.pk for s in students]
        spoke = {
            r["speaker_id"]: r
            for r in turns.filter(speaker_id__in=ids).values("speaker_id").annotate(n=Count("pk"), rated=Count("heard"), mean=Avg("heard"))
        }
        reflected = {
            r["reflector_id"]: r
            for r in turns.filter(reflector_id__in=ids).values("reflector_id").annotate(n=Count("pk"), mean=Avg("heard"))
        }
        written = dict(cards.filter(student_id__in=ids).values_list("student_id").annotate(n=Count("pk")))
        empty = {"n": 0, "rated": 0, "mean": None}
        for student in students:
            s, r = spoke.get(student.pk, empty), reflected.get(student.pk, empty)
            practice.students.append((student, CircleFigures(
                spoke=s["n"], rated=s["rated"], heard_given=s["mean"], reflected=r["n"], heard_received=r["mean"],
                cards=written.get(student.pk, 0),
            )))
    return practice
