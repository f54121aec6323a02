"""Reads of the story wall: a class's wall, one story on it, a teacher's review queue and a class's reading.

A wall costs the same queries for 2 stories or 200: the stories with their classroom and author in one
query, and whether the viewer has read each in a second.
"""

from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Q, QuerySet, Sum

from classrooms.models import Classroom, Enrollment
from curriculum.content import BAND_GRADES, band_for_grade
from curriculum.models import Story, StoryRead
from curriculum.permissions import story_moderate_scope, story_read_scope, story_scope

State = Story.State


def stories_for(user) -> QuerySet[Story]:
    return Story.objects.filter(story_scope(user)).select_related("classroom", "author")


def stories_to_moderate(user) -> QuerySet[Story]:
    return Story.objects.filter(story_moderate_scope(user)).select_related("classroom", "author", "submission")


def _on_wall(classroom: Classroom) -> Q:
    """The approved stories of ``classroom``, and the shared ones of the other classes of its school, school
    year and grade band (the rule of curriculum.permissions.story_scope, for one wall)."""
    shared = Q(
        share_consent=True,
        classroom__school_id=classroom.school_id,
        classroom__school_year=classroom.school_year,
        classroom__grade__in=BAND_GRADES[band_for_grade(classroom.grade)],
    )
    return Q(state=State.APPROVED) & (Q(classroom_id=classroom.pk) | shared)


def wall(user, classroom: Classroom) -> QuerySet[Story]:
    """The stories on ``classroom``'s wall (``classroom`` already scoped) that ``user`` may read, newest approved first."""
    return stories_for(user).filter(_on_wall(classroom)).order_by("-approved_at", "-pk")


def read_by(user, classroom: Classroom, stories) -> set[int]:
    """Which of ``stories`` ``user`` has opened on ``classroom``'s wall (one query)."""
    return set(
        StoryRead.objects.filter(
            story_read_scope(user), reader_id=user.pk, classroom_id=classroom.pk, story__in=[s.pk for s in stories]
        ).values_list("story_id", flat=True)
    )


def story_of_submission(submission) -> Story | None:
    return Story.objects.filter(submission_id=submission.pk).first()


def review_queue(user, classroom: Classroom) -> dict[str, list[Story]]:
    """A teacher's stories of ``classroom`` to decide (oldest sent first), and those on the wall (newest first)."""
    mine = Story.objects.filter(story_moderate_scope(user), classroom_id=classroom.pk).select_related("author")
    return {
        "pending": list(mine.filter(state=State.PENDING).order_by("sent_at", "pk")),
        "approved": list(mine.filter(state=State.APPROVED).order_by("-approved_at", "-pk")),
        "waiting_on_student": list(mine.filter(state=State.SENT_BACK).order_by("-decided_at", "-pk")),
        "declined": list(mine.filter(state=State.DECLINED).order_by("-decided_at", "-pk")),
    }


def pending_count(user, classroom: Classroom) -> int:
    return Story.objects.filter(story_moderate_scope(user), classroom_id=classroom.pk, state=State.PENDING).count()


@dataclass(frozen=True)
class Engagement:
    students: int  # in the class now
    on_wall: int  # approved stories on its wall
    on_wall_from_others: int
    written: int  # stories of the class sent at least once
    approved: int
    shared: int  # approved and shared with the other classes
    opens: int  # stories opened on the class's wall, counting each opening
    readers: int  # students of the class who opened at least one
    stories_read: int  # (reader, story) pairs
    median_seconds: float | None  # of one reader's time on one story, where time was reported

    @property
    def readers_share(self) -> float | None:
        return self.readers / self.students if self.students else None


def engagement(classroom: Classroom) -> Engagement:
    """How much ``classroom`` (already scoped by the caller) read its wall: counts for the class, never per
    student. Five queries whatever the size."""
    stories = list(Story.objects.filter(_on_wall(classroom)).values_list("classroom_id", flat=True))
    written = Story.objects.filter(classroom_id=classroom.pk).aggregate(
        written=Count("pk"),
        approved=Count("pk", filter=Q(state=State.APPROVED)),
        shared=Count("pk", filter=Q(state=State.APPROVED, share_consent=True)),
    )
    reads = StoryRead.objects.filter(classroom_id=classroom.pk)
    totals = reads.aggregate(opens=Sum("opens"), readers=Count("reader_id", distinct=True), pairs=Count("pk"))
    seconds = list(reads.filter(seconds__gt=0).values_list("seconds", flat=True))
    students = Enrollment.objects.active().filter(classroom_id=classroom.pk).count()
    return Engagement(
        students=students,
        on_wall=len(stories),
        on_wall_from_others=sum(1 for room in stories if room != classroom.pk),
        written=written["written"],
        approved=written["approved"],
        shared=written["shared"],
        opens=totals["opens"] or 0,
        readers=totals["readers"],
        stories_read=totals["pairs"],
        median_seconds=median(seconds) if seconds else None,
    )
