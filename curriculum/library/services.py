"""Loading the shipped library into the database; the writes teachers make to their own lessons; the
lesson planned for each session of a program year.

A teacher's lesson (written with the forms, or a copy of a shipped one) is checked by the same schema
as the shipped files (``curriculum.content``), so every page can show every lesson. Only its owner
changes it, in their current school (``lesson_manage_scope``), and a reload of the shipped files never
touches it: the loader writes only the lessons without an owner, found by their slug.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import Field
from pydantic import ValidationError as SchemaError

from classrooms.models import ProgramYear, Session
from classrooms.permissions import require_classroom_manager
from curriculum.content import ActivitySpec, Band, LessonSpec, Text, band_for_grade, content_validate
from curriculum.library.files import LessonFile, LessonFileError, lesson_file_read, lesson_paths
from curriculum.library.schema_errors import schema_error_as_validation_error
from curriculum.models import Activity, Lesson, SessionPlan
from curriculum.permissions import can_write_lessons, lesson_manage_scope, lesson_scope

logger = logging.getLogger(__name__)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[LessonFileError] = field(default_factory=list)


def lesson_search_text(spec_or_lesson) -> str:
    """The words the library's search box looks in, lower-cased."""
    parts = [spec_or_lesson.title, spec_or_lesson.theme_title, *spec_or_lesson.objectives]
    return " ".join(str(p) for p in parts).casefold()


def _lesson_fields(spec: LessonSpec) -> dict:
    return {
        "program": spec.program.value,
        "band": spec.band.value,
        "theme": spec.theme,
        "theme_title": spec.theme_title,
        "part": spec.part.value,
        "title": spec.title,
        "minutes": spec.minutes,
        "objectives": list(spec.objectives),
        "materials": list(spec.materials),
        "steps": list(spec.steps),
        "discussion": list(spec.discussion),
        "connections": [c.model_dump() for c in spec.connections],
        "home_link": spec.home_link,
        "search_text": " ".join(
            [lesson_search_text(spec), *(t.casefold() for a in spec.activities for t in (a.title.en, a.title.es) if t)]
        ),
    }


def _activities_write(lesson: Lesson, spec: LessonSpec, using: str) -> None:
    kept = []
    for position, activity in enumerate(spec.activities):
        Activity.objects.using(using).update_or_create(
            lesson=lesson,
            key=activity.key,
            defaults={
                "position": position,
                "kind": activity.kind.value,
                "title": activity.title.en,
                "title_es": activity.title.es or "",
                "instructions": activity.instructions.model_dump(),
                "content": activity.content,
            },
        )
        kept.append(activity.key)
    # An activity dropped from the file goes; assignments keep their own copy of it (Assignment.content).
    Activity.objects.using(using).filter(lesson=lesson).exclude(key__in=kept).delete()


def library_load(*, paths: list[Path] | None = None, using: str = "default") -> LoadReport:
    """Bring the shipped lessons in the database up to date with the data files.

    Idempotent: a file whose digest matches what was loaded writes nothing. Only shipped lessons
    (matched by slug) are written, so a teacher's copy is never touched. A file that does not
    validate is reported and skipped as a whole; the other files still load.
    """
    report = LoadReport()
    files: list[LessonFile] = []
    for path in paths if paths is not None else lesson_paths():
        try:
            files.append(lesson_file_read(path))
        except LessonFileError as error:
            report.errors.append(error)
            logger.error("Lesson file not loaded: %s", error)
    slugs = [f.spec.slug for f in files]
    duplicated = {s for s in slugs if slugs.count(s) > 1}
    for lesson_file in files:
        if lesson_file.spec.slug in duplicated:
            error = LessonFileError(lesson_file.path, "slug", f"another lesson file has the slug {lesson_file.spec.slug!r}")
            report.errors.append(error)
            logger.error("Lesson file not loaded: %s", error)
    files = [f for f in files if f.spec.slug not in duplicated]
    existing = {
        slug: (pk, digest)
        for slug, pk, digest in Lesson.objects.using(using)
        .filter(slug__in=[f.spec.slug for f in files], owner__isnull=True)
        .values_list("slug", "pk", "source_digest")
    }
    for lesson_file in files:
        spec = lesson_file.spec
        known = existing.get(spec.slug)
        if known and known[1] == lesson_file.digest:
            report.unchanged.append(spec.slug)
            continue
        with transaction.atomic(using=using):
            lesson, created = Lesson.objects.using(using).update_or_create(
                slug=spec.slug,
                owner=None,
                defaults={**_lesson_fields(spec), "source_digest": lesson_file.digest},
            )
            _activities_write(lesson, spec, using)
        (report.created if created else report.updated).append(spec.slug)
    return report


# --- A teacher's own lessons ------------------------------------------------------------------------------

# How many activities a lesson holds at most: the shipped files' limit (LessonSpec.activities).
ACTIVITIES_MAX = next(m.max_length for m in LessonSpec.model_fields["activities"].metadata if hasattr(m, "max_length"))


class LessonFields(LessonSpec):
    """A lesson's own fields as a teacher writes them: the shipped files' schema, without the slug (a
    teacher's lesson has none) and with the activities added one by one, after the lesson."""

    slug: str = ""
    activities: list[ActivitySpec] = Field(default_factory=list, max_length=ACTIVITIES_MAX)


def _require_own(by, lesson: Lesson) -> None:
    if not Lesson.objects.filter(lesson_manage_scope(by), pk=lesson.pk).exists():
        raise PermissionDenied


def _search_text_refresh(lesson: Lesson) -> None:
    titles = Activity.objects.filter(lesson=lesson).order_by("position", "pk").values_list("title", "title_es")
    lesson.search_text = " ".join([lesson_search_text(lesson), *(t.casefold() for pair in titles for t in pair if t)])
    Lesson.objects.filter(pk=lesson.pk).update(search_text=lesson.search_text)


def lesson_fields_check(**fields) -> dict:
    """The lesson's fields checked by the schema, as the model stores them; a ``ValidationError`` by field
    (the form calls it too, to show every refusal at once)."""
    try:
        spec = LessonFields.model_validate(fields)
    except SchemaError as error:
        raise schema_error_as_validation_error(error) from None
    data = _lesson_fields(spec)
    del data["search_text"]
    return data


@transaction.atomic
def lesson_create(
    *, by, program: str, band: str, theme: int, theme_title: str, part: str, title: str, minutes: int,
    objectives: list[str], materials: list[str], steps: list[str], discussion: list[str],
    connections: list[dict], home_link: str,
) -> Lesson:
    """A lesson of the teacher's own, in their school; its activities are added with ``activity_create``."""
    if not can_write_lessons(by):
        raise PermissionDenied
    data = lesson_fields_check(
        program=program, band=band, theme=theme, theme_title=theme_title, part=part, title=title, minutes=minutes,
        objectives=objectives, materials=materials, steps=steps, discussion=discussion, connections=connections,
        home_link=home_link,
    )
    lesson = Lesson.objects.create(**data, slug="", owner=by, school_id=by.school_id)
    _search_text_refresh(lesson)
    return lesson


@transaction.atomic
def lesson_update(
    *, lesson: Lesson, by, program: str, band: str, theme: int, theme_title: str, part: str, title: str,
    minutes: int, objectives: list[str], materials: list[str], steps: list[str], discussion: list[str],
    connections: list[dict], home_link: str,
) -> Lesson:
    """Rewrite one of the teacher's own lessons (never a shipped one, never a colleague's)."""
    _require_own(by, lesson)
    data = lesson_fields_check(
        program=program, band=band, theme=theme, theme_title=theme_title, part=part, title=title, minutes=minutes,
        objectives=objectives, materials=materials, steps=steps, discussion=discussion, connections=connections,
        home_link=home_link,
    )
    for name, value in data.items():
        setattr(lesson, name, value)
    lesson.save(update_fields=[*data, "updated_at"])
    _search_text_refresh(lesson)
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson, by) -> int:
    """Delete one of the teacher's own lessons; the sessions it was planned for have no lesson planned
    any more (their number is returned). Assignments keep their own copy of its activities."""
    _require_own(by, lesson)
    unplanned, _kinds = SessionPlan.objects.filter(lesson=lesson).delete()
    lesson.delete()
    return unplanned


@transaction.atomic
def lesson_duplicate(*, lesson: Lesson, by) -> Lesson:
    """"Make my own copy": the lesson and its activities, owned by the teacher in their school, remembering
    where it came from. The copy is the teacher's to change; the library's lesson stays as it is."""
    if not can_write_lessons(by) or not Lesson.objects.filter(lesson_scope(by), pk=lesson.pk).exists():
        raise PermissionDenied
    copied = Lesson.objects.get(pk=lesson.pk)
    source_pk = copied.pk
    copied.pk = None
    copied.slug, copied.source_digest = "", ""
    copied.owner, copied.school_id, copied.copied_from_id = by, by.school_id, source_pk
    copied.created_at = timezone.now()
    copied.save(force_insert=True)
    Activity.objects.bulk_create(
        Activity(
            lesson=copied, key=a.key, position=a.position, kind=a.kind, title=a.title, title_es=a.title_es,
            instructions=a.instructions, content=a.content,
        )
        for a in Activity.objects.filter(lesson_id=source_pk).order_by("position", "pk")
    )
    return copied


def _text_validated(name: str, en: str, es: str, errors: dict) -> dict | None:
    try:
        return Text.model_validate({"en": en, "es": es or None}).model_dump(exclude_none=True)
    except SchemaError as error:
        for field, messages in schema_error_as_validation_error(error, prefix=(name,)).message_dict.items():
            errors.setdefault(field, []).extend(messages)
        return None


def activity_fields_check(*, kind: str, title: str, title_es: str, instructions: dict, content: dict) -> dict:
    """The activity's fields checked by its kind's schema, as the model stores them; a ``ValidationError`` by
    field (the form calls it too, to show every refusal at once)."""
    errors: dict[str, list[str]] = {}
    title_text = _text_validated("title", title, title_es, errors)
    instructions_text = _text_validated("instructions", instructions.get("en", ""), instructions.get("es", ""), errors)
    try:
        checked = content_validate(kind, content).model_dump(mode="json", exclude_none=True)
    except SchemaError as error:
        for field_name, messages in schema_error_as_validation_error(error, rows=frozenset({"questions"})).message_dict.items():
            errors.setdefault(field_name, []).extend(messages)
        checked = None
    except ValueError:
        errors.setdefault("__all__", []).append(_("Choose one of the kinds of activity offered."))
        checked = None
    if errors:
        raise ValidationError(errors)
    return {
        "title": title_text["en"], "title_es": title_text.get("es", ""), "instructions": instructions_text, "content": checked,
    }


def _free_key(lesson: Lesson, title: str, kind: str) -> str:
    base = (slugify(title)[:32].strip("-") or slugify(kind.replace("_", "-")))[:32]
    taken = set(Activity.objects.filter(lesson=lesson).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def activity_create(*, lesson: Lesson, by, kind: str, title: str, title_es: str, instructions: dict, content: dict) -> Activity:
    """Add an activity to one of the teacher's own lessons, last; at most six, as in the shipped files."""
    _require_own(by, lesson)
    Lesson.objects.select_for_update().filter(pk=lesson.pk).values_list("pk").get()
    data = activity_fields_check(kind=kind, title=title, title_es=title_es, instructions=instructions, content=content)
    existing = Activity.objects.filter(lesson=lesson)
    if existing.count() >= ACTIVITIES_MAX:
        raise ValidationError(_("A lesson has at most %(max)d activities.") % {"max": ACTIVITIES_MAX})
    position = (existing.aggregate(n=Max("position"))["n"] or 0) + 1
    activity = Activity.objects.create(lesson=lesson, key=_free_key(lesson, data["title"], kind), position=position, kind=kind, **data)
    _search_text_refresh(lesson)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, by, title: str, title_es: str, instructions: dict, content: dict) -> Activity:
    """Rewrite an activity of one of the teacher's own lessons; its kind stays."""
    _require_own(by, activity.lesson)
    data = activity_fields_check(kind=activity.kind, title=title, title_es=title_es, instructions=instructions, content=content)
    for name, value in data.items():
        setattr(activity, name, value)
    activity.save(update_fields=list(data))
    _search_text_refresh(activity.lesson)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by) -> None:
    """Remove an activity of one of the teacher's own lessons; assignments keep their own copy of it."""
    _require_own(by, activity.lesson)
    lesson = activity.lesson
    activity.delete()
    _search_text_refresh(lesson)


# --- The lesson planned for a session ---------------------------------------------------------------------


@transaction.atomic
def session_plan_set(*, session: Session, lesson: Lesson, by) -> SessionPlan:
    """The teacher's choice of lesson for a session: kept when the year's schedule changes."""
    require_classroom_manager(by, session.classroom)
    if not Lesson.objects.filter(lesson_scope(by), pk=lesson.pk).exists():
        raise PermissionDenied
    plan, _created = SessionPlan.objects.update_or_create(
        session=session, defaults={"lesson": lesson, "planned_by": by, "planned_at": timezone.now()}
    )
    return plan


@transaction.atomic
def session_plan_clear(*, session: Session, by) -> None:
    """No lesson planned for the session (its free title, if any, says what it is)."""
    require_classroom_manager(by, session.classroom)
    SessionPlan.objects.filter(session=session).delete()


# A family-visits year follows the Baby-visits lessons in order: theme N's pre-visit session teaches
# bv-<band>-<NN>-pre, its visit bv-<band>-<NN>-visit, its post-visit session bv-<band>-<NN>-post.
VISIT_SLUG_PART = {Session.Kind.PRE_VISIT: "pre", Session.Kind.FAMILY_VISIT: "visit", Session.Kind.POST_VISIT: "post"}
VISIT_SLUG_BAND = {Band.K2: "k2", Band.G3_5: "35"}  # Baby visits is not written for grades 6-8


def visit_lesson_slug(*, grade: int, kind: str, theme_number: int | None) -> str | None:
    """The shipped Baby-visits lesson for a session of a visits year, or None (a 6-8 class, a plain lesson)."""
    band = VISIT_SLUG_BAND.get(band_for_grade(grade))
    part = VISIT_SLUG_PART.get(kind)
    if band is None or part is None or not theme_number:
        return None
    return f"bv-{band}-{theme_number:02d}-{part}"


@transaction.atomic
def visits_year_lessons_plan(*, program_year: ProgramYear, now: datetime | None = None) -> int:
    """Plan the Baby-visits lessons, in order, for the future sessions of a family-visits year.

    A plan Heard made (``planned_by`` empty) follows the sessions' themes when they are renumbered; a
    plan the teacher chose is never overwritten. Past sessions keep the plan they had. Five queries,
    whatever the number of sessions. Returns how many plans were written.
    """
    if program_year.format != ProgramYear.Format.VISITS:
        return 0
    now = now or timezone.now()
    classroom = program_year.classroom
    sessions = Session.objects.filter(
        classroom=classroom, kind__in=list(VISIT_SLUG_PART), theme__isnull=False, starts_at__gt=now
    ).values_list("pk", "kind", "theme__number")
    wanted = {
        pk: slug for pk, kind, number in sessions
        if (slug := visit_lesson_slug(grade=classroom.grade, kind=kind, theme_number=number))
    }
    if not wanted:
        return 0
    lessons = dict(Lesson.objects.filter(slug__in=set(wanted.values()), owner__isnull=True).values_list("slug", "pk"))
    plans = {plan.session_id: plan for plan in SessionPlan.objects.filter(session_id__in=list(wanted))}
    new, changed, dropped = [], [], []
    for session_id, slug in wanted.items():
        plan, lesson_id = plans.get(session_id), lessons.get(slug)
        if plan is not None and plan.planned_by_id is not None:
            continue  # the teacher's choice
        if lesson_id is None:
            if plan is not None:
                dropped.append(plan.pk)
        elif plan is None:
            new.append(SessionPlan(session_id=session_id, lesson_id=lesson_id, planned_by=None, planned_at=now))
        elif plan.lesson_id != lesson_id:
            plan.lesson_id, plan.planned_at = lesson_id, now
            changed.append(plan)
    if dropped:
        SessionPlan.objects.filter(pk__in=dropped).delete()
    if new:
        SessionPlan.objects.bulk_create(new, ignore_conflicts=True)
    if changed:
        SessionPlan.objects.bulk_update(changed, ["lesson", "planned_at"])
    return len(new) + len(changed)
