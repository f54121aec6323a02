"""Pages of the family visits: the family, the themes, the baby-observation log and its growth chart."""

import hashlib
import logging

from csp.decorators import csp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from accounts import data_versions
from classrooms import selectors as classroom_selectors
from classrooms.views import managed_classroom
from classrooms.visits import charts, selectors, services
from classrooms.visits.forms import FamilyForm, ObservationForm, ThemeForm
from classrooms.visits.selectors import FamilyVisits, family_visits

logger = logging.getLogger(__name__)
BABY_CHART_TTL = 7 * 24 * 3600  # a chart's key changes with its data; this only frees the space


def _section_url(classroom) -> str:
    return classroom.get_absolute_url() + "#visits-heading"


def visits_section(request, classroom, can_manage) -> dict | None:
    """The classroom page's family visits, once the year is of that kind or a family was added (one query
    for a classroom without visits, four with)."""
    found = family_visits(classroom)
    if not found.shown:
        return None
    # Managers see every family's contacts; the adult who leads a visit, their family's (one query).
    contacts = {f.pk for f in found.families} if can_manage else selectors.family_contacts_shown_to(request.user, classroom)
    return {
        "family_visits": found, "growth_alt": growth_summary(found), "growth_chart_size": charts.SIZE_PX,
        "family_contacts": contacts,
    }


def _month(day) -> str:
    return date_format(day, "F")


def growth_summary(found: FamilyVisits) -> str:
    """The chart in words, for its alt text: where each baby's weight and length started and ended."""
    sentences = []
    for family, rows in _measured_by_family(found):
        who = family.baby_name or _("the baby")
        for attr, unit_went, unit_once in (
            (
                "weight_kg",
                _("%(who)s's weight went from %(first)s kg to %(last)s kg between %(start)s and %(end)s."),
                _("%(who)s weighed %(first)s kg in %(start)s."),
            ),
            (
                "length_cm",
                _("%(who)s's length went from %(first)s cm to %(last)s cm between %(start)s and %(end)s."),
                _("%(who)s was %(first)s cm long in %(start)s."),
            ),
        ):
            points = [(row.day, getattr(row.observation, attr)) for row in rows if getattr(row.observation, attr) is not None]
            if not points:
                continue
            (first_day, first), (last_day, last) = points[0], points[-1]
            values = {
                "who": who, "first": charts.measure_text(first), "last": charts.measure_text(last),
                "start": _month(first_day), "end": _month(last_day),
            }
            sentences.append(capfirst((unit_went if len(points) > 1 else unit_once) % values))
    if not sentences:
        return _("Growth chart: no measurements yet.")
    return " ".join([_("Growth chart.")] + sentences)


def _measured_by_family(found: FamilyVisits):
    groups: dict[int, tuple] = {}
    for row in found.measured:
        if row.family is not None and row.day is not None:
            groups.setdefault(row.family.pk, (row.family, []))[1].append(row)
    return list(groups.values())


@login_required
def family_create(request, pk):
    classroom = managed_classroom(request, pk)
    form = FamilyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            family = services.visiting_family_create(classroom=classroom, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = _("%(name)s is this classroom's visiting family.") % {"name": family.name}
            if family.themes_assigned:
                text += " " + ngettext(
                    "They are set as the family of %(n)d theme.",
                    "They are set as the family of all %(n)d themes that had none.",
                    family.themes_assigned,
                ) % {"n": family.themes_assigned}
            messages.success(request, text)
            return redirect(_section_url(classroom))
    return render(
        request,
        "classrooms/visits/family_form.html",
        {"classroom": classroom, "form": form, "family": None, "themes_without_family": selectors.themes_without_family(classroom)},
    )


@login_required
def family_edit(request, pk, family_pk):
    classroom = managed_classroom(request, pk)
    family = get_object_or_404(
        selectors.visiting_families_managed_by(request.user).filter(classroom=classroom).select_related("classroom__school"),
        pk=family_pk,
    )
    initial = {f: getattr(family, f) for f in services.FAMILY_FIELDS}
    form = FamilyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visiting_family_update(family=family, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved the details of %(name)s.") % {"name": family.name})
            return redirect(_section_url(classroom))
    return render(request, "classrooms/visits/family_form.html", {"classroom": classroom, "form": form, "family": family})


@login_required
def theme_edit(request, pk, theme_pk):
    classroom = managed_classroom(request, pk)
    theme = get_object_or_404(
        selectors.themes_managed_by(request.user).filter(classroom=classroom).select_related("classroom__school", "family", "instructor"),
        pk=theme_pk,
    )
    initial = {"title": theme.title, "family": theme.family_id, "instructor": theme.instructor_id}
    form = ThemeForm(request.POST if request.method == "POST" else None, initial=initial, classroom=classroom)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved theme %(n)d.") % {"n": theme.number})
            return redirect(_section_url(classroom))
    sessions = list(theme.sessions.order_by("starts_at"))
    return render(request, "classrooms/visits/theme_form.html", {"classroom": classroom, "form": form, "theme": theme, "sessions": sessions})


@login_required
def observation_edit(request, pk, session_pk):
    classroom = managed_classroom(request, pk)
    session = get_object_or_404(selectors.classroom_visits_managed_by(request.user, classroom), pk=session_pk)
    observation = selectors.visit_observation(session)
    initial = {}
    if observation is not None:
        initial = {f: getattr(observation, f) for f in ("weight_kg", "length_cm", "milestones", "feelings", "feelings_note")}
    form = ObservationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.baby_observation_record(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved what the class saw at this visit."))
            return redirect(_section_url(classroom))
    day = timezone.localtime(session.starts_at, classroom.school.zone).date()
    family = session.theme.family if session.theme else None
    return render(
        request,
        "classrooms/visits/observation_form.html",
        {
            "classroom": classroom,
            "session": session,
            "form": form,
            "observation": observation,
            "family": family,
            "baby_age": family.baby_age_on(day) if family else None,
            "can_record": selectors.observation_can_be_recorded(session),
            "show_form": selectors.observation_can_be_recorded(session) or request.method == "POST",
        },
    )


# The SVG carries its own inline styles (matplotlib writes them) and never a script.
@csp({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "frame-ancestors": ["'none'"]})
@login_required
def baby_chart(request, pk):
    """The growth chart as an SVG image, for everyone who may open the classroom (children love watching the baby grow).

    Three layers, each cheaper than the next: the chart kept for the classroom since its school last changed
    (accounts.data_versions' marks, as the kept pages: no read of the measurements), else the drawing kept by its
    data (the digest of the measurements, one query), else matplotlib. The scope is checked on every request."""
    # Scoped like the classroom page, reading only what the chart needs of the classroom: its school and zone.
    classroom = get_object_or_404(classroom_selectors.classrooms_for_chart(request.user), pk=pk)
    # The chart shows the classroom's families, visits and measurements, in the reader's language and the school's
    # time zone: a write by anyone of the school (or a task, a district admin) marks the school changed.
    key, marks = f"classrooms:baby-chart:now:{classroom.pk}:{get_language()}", data_versions.marks_for_school(classroom.school_id)
    found = data_versions.kept(key, marks) if settings.PAGE_CACHE else None
    if found is None:
        began = data_versions.drawing_began()
        etag, svg = _chart_drawing(classroom)
        if settings.PAGE_CACHE:
            data_versions.keep(key, (etag, svg), began)
    else:
        etag, svg = found
    response = get_conditional_response(request, etag=etag) or HttpResponse(svg, content_type="image/svg+xml")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _chart_drawing(classroom) -> tuple[str, bytes]:
    """(ETag, SVG) of the classroom's chart now: its measurements read (one query), drawn once per data version (the
    digest: matplotlib takes a third of a second, and the cache is shared by the web workers; a failing cache only
    costs the drawing)."""
    series = selectors.growth_series(classroom)
    digest = hashlib.sha256(repr((charts.SVG_HASH_SALT, charts.DRAWING_VERSION, get_language(), series)).encode()).hexdigest()
    key = f"classrooms:baby-chart:{digest}"
    try:
        svg = cache.get(key)
    except Exception:
        logger.warning("the baby chart's cache failed; drawing it", exc_info=True)
        svg, key = None, None
    if svg is None:
        svg = charts.growth_svg(series)
        if key is not None:
            try:
                cache.set(key, svg, BABY_CHART_TTL)
            except Exception:
                logger.warning("the baby chart's cache failed", exc_info=True)
    return f'"{digest[:32]}"', svg
