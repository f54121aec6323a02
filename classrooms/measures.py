"""Figures about classrooms that other parts of Heard add up, registered by the apps that own them.

The outcomes page sets each classroom's "dose" (sessions held, activities turned in) beside its students'
change without the surveys importing the program or the curriculum (siblings, or apps below them, never
import each other the wrong way): each app registers its figure here in its ``AppConfig.ready()``, and the
page reads whatever is registered.

A measure is a key, a label and a function given every classroom of the page at once and a period
(``since``/``until``, either may be None for "no bound"), returning each classroom's value by its id:
one query for the page, never one per classroom. A classroom it has nothing for is left out (read as 0).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise

MeasureFunction = Callable[[Sequence[int], datetime | None, datetime | None], dict[int, float]]


@dataclass(frozen=True)
class ClassroomMeasure:
    key: str
    label: str | Promise  # a gettext_lazy string
    values: MeasureFunction
    order: int = 100  # smaller first


_registry: dict[str, ClassroomMeasure] = {}


def classroom_measure_register(key: str, label: str | Promise, values: MeasureFunction, *, order: int = 100) -> None:
    """Add a figure; registering the same key twice with another function is a mistake (two apps, one name)."""
    measure = ClassroomMeasure(key, label, values, order)
    existing = _registry.get(key)
    if existing is not None and existing != measure:
        raise ValueError(f"A classroom measure called {key!r} is already registered.")
    _registry[key] = measure


def classroom_measures_registered() -> list[ClassroomMeasure]:
    return sorted(_registry.values(), key=lambda m: (m.order, m.key))


def classroom_measures_values(
    classroom_ids: Sequence[int], since: datetime | None = None, until: datetime | None = None
) -> dict[str, dict[int, float]]:
    """Every registered figure for ``classroom_ids`` over the period: {key: {classroom id: value}}; one query each."""
    if not classroom_ids:
        return {m.key: {} for m in classroom_measures_registered()}
    return {m.key: m.values(classroom_ids, since, until) for m in classroom_measures_registered()}
