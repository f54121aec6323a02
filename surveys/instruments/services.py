"""Writing instruments: a school's import of an instrument file, its removal, and loading Heard's shipped ones.

An instrument is written whole, in one transaction (the instrument, its subscales, its items), from a spec
``surveys.instruments.files`` has validated: a bad file never gets here, so nothing of it is written.

**The shipped instruments** (``surveys/instruments/shipped/*.json``) are loaded at ``migrate`` and by
``manage.py instruments_load``, idempotently: a file whose digest matches what was loaded writes nothing.
A shipped instrument that a survey window has used is never rewritten, even when its file changed: its
answers and scores were given to those words and that scale. The loader logs it and leaves it; a changed
instrument ships under a new slug.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import School, User
from surveys.instruments.files import (
    InstrumentFile,
    InstrumentFileError,
    Problem,
    instrument_file_read,
    shipped_paths,
    spec_digest,
)
from surveys.instruments.schema import InstrumentSpec
from surveys.models import Instrument, Item, Response, Subscale, SurveyWindow
from surveys.permissions import can_import_instruments, instrument_manage_scope
from surveys.services import SurveyRefused, min_items

logger = logging.getLogger(__name__)


def _dump(model) -> dict:
    return model.model_dump(mode="json", exclude_none=True)


def _instrument_fields(spec: InstrumentSpec) -> dict:
    return {
        "name": _dump(spec.name),
        "description": _dump(spec.description) if spec.description else {},
        "respondent": spec.respondent,
        "grade_min": spec.grade_min,
        "grade_max": spec.grade_max,
        "read_aloud": spec.read_aloud,
        "scale": [_dump(point) for point in spec.scale],
        "nominations_max": spec.nominations_max,
        "source": spec.source,
    }


def _parts_write(instrument: Instrument, spec: InstrumentSpec, using: str) -> None:
    """The instrument's subscales and items, in the file's order (each rating item keeps its own scale, or a
    copy of the instrument's: the answering page and the scoring read the item's)."""
    order = 0
    items = []
    for position, sub in enumerate(spec.subscales):
        subscale = Subscale.objects.using(using).create(
            instrument=instrument,
            key=sub.key,
            name=_dump(sub.name),
            order=position,
            min_items=sub.min_items or min_items(len(sub.items), spec.min_share),
        )
        for item in sub.items:
            order += 1
            rating = item.kind == Item.Kind.RATING
            items.append(
                Item(
                    instrument=instrument,
                    subscale=subscale,
                    key=item.key,
                    order=order,
                    kind=item.kind,
                    text=_dump(item.text),
                    band_text={band: _dump(text) for band, text in item.band_text.items()},
                    reverse=item.reverse,
                    scale=[_dump(point) for point in (item.scale or spec.scale)] if rating else [],
                )
            )
    Item.objects.using(using).bulk_create(items)


def instrument_used(instrument: Instrument, using: str = "default") -> bool:
    return (
        SurveyWindow.instruments.through.objects.using(using).filter(instrument_id=instrument.pk).exists()
        or Response.objects.using(using).filter(instrument_id=instrument.pk).exists()
    )


@transaction.atomic
def instrument_import(*, spec: InstrumentSpec, school: School, by: User) -> Instrument:
    """A validated instrument file as a new instrument of ``school``, all of it or nothing. A slug the
    school already has is refused: a changed version of an instrument is imported under a new slug."""
    if not can_import_instruments(by) or by.school_id != school.pk:
        raise PermissionDenied
    refused = SurveyRefused(
        _(
            "Your school already has an instrument with the slug “%(slug)s”. Give this one another "
            '"slug" in the file to import it as a new instrument.'
        )
        % {"slug": spec.slug},
        field="slug",
    )
    if Instrument.objects.filter(school=school, slug=spec.slug).exists():
        raise refused
    try:
        with transaction.atomic():
            instrument = Instrument.objects.create(
                slug=spec.slug, school=school, digest=spec_digest(spec), created_by=by, **_instrument_fields(spec)
            )
    except IntegrityError:  # the same file imported twice at once: the first one stands
        raise refused from None
    _parts_write(instrument, spec, "default")
    return instrument


@transaction.atomic
def instrument_delete(*, instrument: Instrument, by: User) -> None:
    """Remove one of the school's imported instruments, if no survey window has used it."""
    if not Instrument.objects.filter(instrument_manage_scope(by), pk=instrument.pk).exists():
        raise PermissionDenied
    locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument_used(locked):
        raise SurveyRefused(_("A survey has used this instrument, so it stays: its answers and scores need it."))
    locked.delete()


# --- The shipped instruments -----------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed on disk, but a window used them: left as they were
    errors: list[InstrumentFileError] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return len(self.created) + len(self.updated)


def _shipped_write(instrument_file: InstrumentFile, existing: Instrument | None, using: str) -> Instrument:
    spec = instrument_file.spec
    with transaction.atomic(using=using):
        if existing is None:
            instrument = Instrument.objects.using(using).create(
                slug=spec.slug, school=None, digest=instrument_file.digest, **_instrument_fields(spec)
            )
        else:
            instrument = existing
            for name, value in {**_instrument_fields(spec), "digest": instrument_file.digest}.items():
                setattr(instrument, name, value)
            instrument.save(using=using)
            Subscale.objects.using(using).filter(instrument=instrument).delete()  # and their items
        _parts_write(instrument, spec, using)
    return instrument


def instruments_load(*, paths: list[Path] | None = None, using: str = "default") -> LoadReport:
    """Bring the shipped instruments in the database up to date with their files (see the module's docstring).
    A file that does not validate is reported and skipped; the others still load."""
    report = LoadReport()
    files: list[InstrumentFile] = []
    for path in shipped_paths() if paths is None else paths:
        try:
            files.append(instrument_file_read(path))
        except InstrumentFileError as error:
            report.errors.append(error)
            logger.error("Instrument file not loaded: %s", error)
    slugs = [f.spec.slug for f in files]
    for instrument_file in [f for f in files if slugs.count(f.spec.slug) > 1]:
        problem = Problem("", "slug", f"another shipped file has the slug {instrument_file.spec.slug!r}")
        report.errors.append(InstrumentFileError([problem], path=instrument_file.path))
        logger.error("Instrument file not loaded: %s", report.errors[-1])
    files = [f for f in files if slugs.count(f.spec.slug) == 1]
    existing = {
        instrument.slug: instrument
        for instrument in Instrument.objects.using(using).filter(
            school__isnull=True, slug__in=[f.spec.slug for f in files]
        )
    }
    for instrument_file in files:
        slug = instrument_file.spec.slug
        known = existing.get(slug)
        if known is not None and known.digest == instrument_file.digest:
            report.unchanged.append(slug)
        elif known is not None and instrument_used(known, using):
            report.kept.append(slug)
            logger.warning(
                "Shipped instrument %s not rewritten: its file %s changed, but a survey window has used it. "
                "Ship the change under a new slug.",
                slug,
                instrument_file.path.name,
            )
        else:
            _shipped_write(instrument_file, known, using)
            (report.created if known is None else report.updated).append(slug)
    return report
