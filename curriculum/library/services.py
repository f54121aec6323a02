"""Loading the shipped library into the database; the writes teachers make to their own lessons."""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from curriculum.content import LessonSpec
from curriculum.library.files import LessonFile, LessonFileError, lesson_file_read, lesson_paths
from curriculum.models import Activity, Lesson

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
            [lesson_search_text(spec), *(a.title.en.casefold() for a in spec.activities)]
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
