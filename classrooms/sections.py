"""The sections of the classroom page, registered by the apps that own them.

The classroom page lists what each part of Heard has to show about one classroom (its sessions, its
roster, its family visits, its join code, its calendar link; later its lessons and surveys) without
importing any of them: each app registers its sections in its ``AppConfig.ready()``, so a new app adds
its part without the classroom page knowing it exists, and the import direction (``classrooms`` below
the apps built on it) holds.

A section is a template and a function that gives the template its data, or ``None`` when the
section has nothing to show this person (a student sees no roster). Each section's data is its own:
it is rendered with only its keys added to the page's context, so two sections cannot overwrite
each other's variables.

For the people who run the classroom the page is a short summary and one tab per section (a phone
shows one section at a time, not five screens of them). A section names its tab (``title``) and may
add a line to the summary (``summary_template``, rendered with the same data as the section, so the
summary costs no query of its own).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class ClassroomSection:
    key: str  # also the id of its tab panel, so "#roster" opens the roster's tab
    template: str
    # (request, classroom, can_manage) -> the template's data, or None to leave the section out
    context: Callable[[HttpRequest, object, bool], dict | None]
    title: str | Promise = ""  # the tab's name; a gettext_lazy string
    summary_template: str = ""  # one <div><dt>…</dt><dd>…</dd></div> of the summary at the top, or none
    order: int = 100  # smaller first


@dataclass(frozen=True)
class RenderedSection:
    key: str
    template: str
    context: dict
    title: str | Promise = ""
    summary_template: str = ""


_registry: dict[str, ClassroomSection] = {}


def section_register(section: ClassroomSection) -> None:
    """Add a section to the classroom page; registering the same key twice is a mistake (two apps, one name)."""
    if not section.key.isidentifier():
        raise ValueError(f"A classroom section's key is a plain name (it is an id on the page), not {section.key!r}.")
    existing = _registry.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"A classroom section called {section.key!r} is already registered.")
    _registry[section.key] = section


def sections_registered() -> list[ClassroomSection]:
    return sorted(_registry.values(), key=lambda s: (s.order, s.key))


def sections_render(request: HttpRequest, classroom, can_manage: bool) -> list[RenderedSection]:
    """The sections this person sees on this classroom's page, in order."""
    rendered = []
    for section in sections_registered():
        data = section.context(request, classroom, can_manage)
        if data is not None:
            rendered.append(RenderedSection(section.key, section.template, data, section.title, section.summary_template))
    return rendered
