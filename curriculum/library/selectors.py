"""Reads of the lesson library, scoped to the signed-in user (``curriculum.permissions``), each a fixed number of queries."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from curriculum.content import ASSIGNABLE_KINDS
from curriculum.models import Activity, Lesson, SessionPlan
from curriculum.permissions import lesson_manage_scope, lesson_scope


def lessons_for(user) -> QuerySet[Lesson]:
    """Lessons ``user`` may open: the shipped library and their own."""
    return Lesson.objects.filter(lesson_scope(user))


def lessons_managed_by(user) -> QuerySet[Lesson]:
    """Lessons ``user`` may change: their own, in their current school."""
    return Lesson.objects.filter(lesson_manage_scope(user))


def _with_activity_kinds(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """Each lesson with its activities' kinds and titles (one query more, whatever the number of lessons)."""
    activities = Activity.objects.only("pk", "lesson_id", "kind", "title", "position").order_by("position", "pk")
    return lessons.prefetch_related(Prefetch("activities", queryset=activities))


def library_lessons(user) -> QuerySet[Lesson]:
    """The library's lessons for ``user``, in the library's order, with their activities' kinds."""
    return _with_activity_kinds(lessons_for(user)).order_by(*Lesson._meta.ordering)


def lessons_for_band(user, band: str) -> QuerySet[Lesson]:
    """The lessons a session of a classroom of ``band`` may teach."""
    return library_lessons(user).filter(band=band)


def lesson_page(user, pk) -> QuerySet[Lesson]:
    """The one lesson ``pk`` (if ``user`` may open it), with its activities in order and the lesson it was copied from."""
    return lessons_for(user).filter(pk=pk).select_related("copied_from").prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("position", "pk"))
    )


def activities_of(lesson: Lesson) -> QuerySet[Activity]:
    """The activities of a lesson already scoped by the caller."""
    return Activity.objects.filter(lesson=lesson).order_by("position", "pk")


def library_themes(user) -> list[tuple[int, list[str]]]:
    """The theme (or unit) numbers of the lessons ``user`` may open, each with the titles it has (one query)."""
    found: dict[int, list[str]] = {}
    for number, title in lessons_for(user).order_by("theme", "theme_title").values_list("theme", "theme_title").distinct():
        titles = found.setdefault(number, [])
        if title not in titles:
            titles.append(title)
    return sorted(found.items())


def session_plans(session_ids: Iterable[int], *, user) -> dict[int, SessionPlan]:
    """The plan of each of the sessions that has one, with its lesson, whether ``user`` may open the lesson
    (``visible``: a colleague's own lesson is theirs alone) and whether it has an activity a class can be
    given (``assignable``): one query for any number of sessions."""
    individual = Activity.objects.filter(lesson_id=OuterRef("lesson_id"), kind__in=[k.value for k in ASSIGNABLE_KINDS])
    visible = Lesson.objects.filter(lesson_scope(user), pk=OuterRef("lesson_id"))
    plans = SessionPlan.objects.filter(session_id__in=list(session_ids)).select_related("lesson").annotate(
        assignable=Exists(individual), visible=Exists(visible)
    )
    return {plan.session_id: plan for plan in plans}
