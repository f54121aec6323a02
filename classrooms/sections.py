"""The sections of the classroom page, registered by the apps that own them.

The classroom page lists what each part of Heard has to show about one classroom (its sessions, its
roster, its family visits, its calendar link; later its lessons and surveys) without importing any of
them: each app registers its sections in its ``AppConfig.ready()``, so a new app adds its card without
the classroom page knowing it exists, and the import direction (``classrooms`` below the apps built
on it) holds.

A section is a template and a function that gives the template its data, or ``None`` when the
section has nothing to show this person (a student sees no roster). Each section's data is its own:
it is rendered with only its keys added to the page's context, so two sections cannot overwrite
each other's variables.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

MAIN, SIDE = "main", "side"  # the wide column, and the narrow one beside it (below it on a phone)


@dataclass(frozen=True)
class ClassroomSection:
    key: str
    template: str
    # (request, classroom, can_manage) -> the template's data, or None to leave the section out
    context: Callable[[HttpRequest, object, bool], dict | None]
    column: str = MAIN
    order: int = 100  # smaller first, within the column


@dataclass(frozen=True)
class RenderedSection:
    key: str
    template: str
    context: dict


_registry: dict[str, ClassroomSection] = {}


def section_register(section: ClassroomSection) -> None:
    """Add a section to the classroom page; registering the same key twice is a mistake (two apps, one name)."""
    if section.column not in (MAIN, SIDE):
        raise ValueError(f"A classroom section's column is {MAIN!r} or {SIDE!r}, not {section.column!r}.")
    existing = _registry.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"A classroom section called {section.key!r} is already registered.")
    _registry[section.key] = section


def sections_registered() -> list[ClassroomSection]:
    return sorted(_registry.values(), key=lambda s: (s.column, s.order, s.key))


def sections_render(request: HttpRequest, classroom, can_manage: bool) -> dict[str, list[RenderedSection]]:
    """The sections this person sees on this classroom's page, by column, in order."""
    columns: dict[str, list[RenderedSection]] = {MAIN: [], SIDE: []}
    for section in sorted(_registry.values(), key=lambda s: (s.order, s.key)):
        data = section.context(request, classroom, can_manage)
        if data is not None:
            columns[section.column].append(RenderedSection(section.key, section.template, data))
    return columns
