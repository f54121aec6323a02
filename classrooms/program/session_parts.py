"""What other apps add to each row of a classroom's sessions list, registered in their ``AppConfig.ready()``.

The sessions list shows a session's date, kind, status and title; the curriculum adds the lesson
planned for it and a link to assign its activities, without the list importing the curriculum (the
import direction: ``classrooms`` below the apps built on it), as the classroom page's sections do
(``classrooms.sections``).

A part is a template and a function given every session of the page at once, returning each
session's data (by its id) or ``None`` when it has nothing for this person: one query for the page,
never one per row. Each row renders the part's template with only that row's data added.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class SessionPart:
    key: str
    template: str
    # (request, classroom, sessions, can_manage) -> {session id: the template's data}, or None
    context: Callable[[HttpRequest, object, Sequence, bool], dict[int, dict] | None]
    order: int = 100  # smaller first


@dataclass(frozen=True)
class RenderedPart:
    key: str
    template: str
    context: dict


_registry: dict[str, SessionPart] = {}


def session_part_register(part: SessionPart) -> None:
    """Add a part to every session row; registering the same key twice is a mistake (two apps, one name)."""
    existing = _registry.get(part.key)
    if existing is not None and existing != part:
        raise ValueError(f"A session part called {part.key!r} is already registered.")
    _registry[part.key] = part


def session_parts_registered() -> list[SessionPart]:
    return sorted(_registry.values(), key=lambda p: (p.order, p.key))


def session_parts_attach(request: HttpRequest, classroom, sessions: Sequence, can_manage: bool) -> None:
    """Give each of ``sessions`` its ``parts``: the registered parts that have something for it, in order."""
    for session in sessions:
        session.parts = []
    if not sessions:
        return
    for part in session_parts_registered():
        data = part.context(request, classroom, sessions, can_manage)
        if not data:
            continue
        for session in sessions:
            if session.pk in data:
                session.parts.append(RenderedPart(part.key, part.template, data[session.pk]))
