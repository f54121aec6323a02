"""Survey cycles and windows, the adults' side: the list, opening a cycle with its pre window, its post window,
a window's dates, and the response rates per classroom (counts only: never anyone's answers). Thin: fetch
through the scoped selectors (another school's cycle or window is a 404), call a service, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from surveys.models import Phase
from surveys.permissions import can_open_windows, can_see_district_outcomes, can_see_outcomes
from surveys.services import SurveyRefused
from surveys.windows import selectors, services
from surveys.windows.forms import ANONYMOUS, CycleForm, WindowEditForm, WindowPlanForm

CLOSE_NOW = "close_now"


def in_language(text) -> str:
    """An instrument's name ({"en", "es"}) in the page's language, else in English."""
    if not isinstance(text, dict):
        return str(text or "")
    language = (get_language() or "en")[:2]
    return text.get(language) or text.get("en") or ""


def _form_label(instrument) -> str:
    grades = (
        _("grade %(grade)s") % {"grade": instrument.grade_min or "K"}
        if instrument.grade_min == instrument.grade_max
        else _("grades %(low)s–%(high)s") % {"low": instrument.grade_min or "K", "high": instrument.grade_max}
    )
    return f"{in_language(instrument.name)} · {instrument.get_respondent_display()}, {grades}"


def _plan_form(form_class, request, *, initial=None, **kwargs):
    user = request.user
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial=initial,
        zone=user.school.zone,
        instruments=selectors.instruments_for_windows(user),
        classrooms=selectors.classrooms_for_windows(user),
        **kwargs,
    )
    form.fields["instruments"].label_from_instance = _form_label
    return form


def _add_problems(form, refused: SurveyRefused) -> None:
    """A service's refusal on the form: each problem beside its field (or above the form), what was typed kept."""
    for field, message in getattr(refused, "problems", [(refused.field, refused.message)]):
        form.add_error(field if field in form.fields else None, message)


def _links(user=None) -> dict:
    """The survey pages beside the cycles: the forms (instruments) and, for a district's admin, every school's
    outcomes at once. Each cycle links its own outcomes."""
    links = {"instruments": reverse("surveys:instruments")}
    if user is not None and can_see_district_outcomes(user):
        links["district"] = reverse("surveys:district_outcomes")
    return links


def _follows_surveys(user) -> None:
    """The adults who follow surveys (teachers, school and district admins); anyone else meets a 404."""
    if not can_see_outcomes(user):
        raise Http404


def _windows_shown(cycles, user) -> None:
    """Each window of ``cycles`` gets ``status``, ``rates`` (per classroom ``user`` reads) and ``total``: one query."""
    windows = [w for cycle in cycles for w in cycle.windows.all()]
    rates = selectors.window_rates(windows, selectors.rate_classrooms(user))
    now = timezone.now()
    for window in windows:
        window.status = selectors.window_status(window, now)
        window.rates = rates.get(window.pk, [])
        window.total = selectors.total(window.rates)
        window.teacher_form = any(r.teacher_form for r in window.rates)
        window.form_names = [in_language(i.name) for i in window.instruments.all()]
    for cycle in cycles:
        phases = {w.phase: w for w in cycle.windows.all()}
        cycle.pre, cycle.post = phases.get(Phase.PRE), phases.get(Phase.POST)


@login_required
@require_safe
def cycle_list(request):
    """The user's cycles, newest first: each window's status, dates and response rate over their classrooms."""
    user = request.user
    _follows_surveys(user)
    cycles = list(selectors.cycles_for(user))
    _windows_shown(cycles, user)
    context = {"cycles": cycles, "can_open": can_open_windows(user), "links": _links(user)}
    return render(request, "surveys/windows/cycle_list.html", context)


@login_required
def cycle_create(request):
    """A new cycle and its pre window: title, forms, classrooms, dates in the school's time zone, privacy."""
    user = request.user
    if not can_open_windows(user):
        raise Http404
    now = timezone.localtime(timezone.now(), user.school.zone).replace(second=0, microsecond=0, tzinfo=None)
    form = _plan_form(CycleForm, request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_open(
                by=user,
                title=data["title"],
                anonymous=data["privacy"] == ANONYMOUS,
                instruments=data["instruments"],
                classrooms=data["classrooms"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        except SurveyRefused as refused:
            _add_problems(form, refused)
        except PermissionDenied:  # the choices are scoped: only a forged id, refused by the form already, gets here
            raise Http404 from None
        else:
            messages.success(
                request,
                _("“%(title)s” is ready: its pre survey opens %(when)s.")
                % {
                    "title": cycle.title,
                    "when": _opening(cycle.windows.get()),
                },
            )
            return redirect("surveys:cycle", pk=cycle.pk)
    context = {
        "form": form,
        "zone": user.school.zone,
        "now": now,
        "has_classrooms": form.fields["classrooms"].queryset.exists(),
    }
    return render(request, "surveys/windows/cycle_form.html", context)


def _opening(window) -> str:
    if window.opens_at <= timezone.now():
        return _("now")
    return _("on %(when)s") % {"when": formats.date_format(timezone.localtime(window.opens_at), "DATETIME_FORMAT")}


@login_required
@require_safe
def cycle_detail(request, pk):
    """A cycle's windows, each with its response rate per classroom (a teacher's own classrooms; an admin's all)."""
    user = request.user
    _follows_surveys(user)
    cycle = get_object_or_404(selectors.cycles_for(user), pk=pk)
    _windows_shown([cycle], user)
    managed = selectors.cycles_managed_by(user).filter(pk=cycle.pk).exists()
    context = {"cycle": cycle, "managed": managed, "links": _links(), "now": timezone.now()}
    return render(request, "surveys/windows/cycle_detail.html", context)


@login_required
def window_create(request, pk):
    """The cycle's post window: the pre window's forms and classrooms by default, its own dates."""
    user = request.user
    cycle = get_object_or_404(selectors.cycles_managed_by(user), pk=pk)
    windows = {w.phase: w for w in cycle.windows.prefetch_related("instruments", "classrooms")}
    pre = windows.get(Phase.PRE)
    if Phase.POST in windows:
        messages.info(request, _("This survey already has its post window. Change that window's dates instead."))
        return redirect("surveys:cycle", pk=cycle.pk)
    initial = {}
    if pre is not None:
        initial = {"instruments": list(pre.instruments.all()), "classrooms": list(pre.classrooms.all())}
    form = _plan_form(
        WindowPlanForm, request, initial=initial, anonymous=cycle.anonymous, not_before=pre.closes_at if pre else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            window = services.post_window_open(
                cycle=cycle,
                by=user,
                instruments=data["instruments"],
                classrooms=data["classrooms"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        except SurveyRefused as refused:
            _add_problems(form, refused)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("The post survey of “%(title)s” is ready: it opens %(when)s.")
                % {
                    "title": cycle.title,
                    "when": _opening(window),
                },
            )
            return redirect("surveys:cycle", pk=cycle.pk)
    context = {"form": form, "cycle": cycle, "pre": pre, "zone": user.school.zone}
    return render(request, "surveys/windows/window_form.html", context)


@login_required
def window_edit(request, pk):
    """A window's dates: closing early (or now), extending; its opening while it has not opened. And, for a
    confidential cycle nobody has answered, making it anonymous."""
    user = request.user
    window = get_object_or_404(selectors.windows_managed_by(user), pk=pk)
    cycle, zone = window.cycle, window.cycle.school.zone
    opened = window.opens_at <= timezone.now()
    offer_anonymous = selectors.cycle_may_become_anonymous(cycle)
    if request.method == "POST" and request.POST.get("action") == CLOSE_NOW:
        try:
            services.window_close(window=window, by=user)
        except SurveyRefused as refused:
            messages.error(request, refused.message)
            return redirect("surveys:window_edit", pk=window.pk)
        messages.success(request, _("The survey is closed. Students can no longer answer it."))
        return redirect("surveys:cycle", pk=cycle.pk)
    initial = {
        "opens_at": WindowEditForm.local(window.opens_at, zone),
        "closes_at": WindowEditForm.local(window.closes_at, zone),
    }
    form = WindowEditForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        zone=zone,
        with_opening=not opened,
        offer_anonymous=offer_anonymous,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.window_update(
                window=window,
                by=user,
                closes_at=data["closes_at"],
                opens_at=data.get("opens_at", services.UNCHANGED),
                make_anonymous=bool(data.get("make_anonymous")),
            )
        except SurveyRefused as refused:
            _add_problems(form, refused)
        else:
            messages.success(request, _("The survey's dates are saved."))
            return redirect("surveys:cycle", pk=cycle.pk)
    window.status = selectors.window_status(window)
    context = {"form": form, "window": window, "cycle": cycle, "zone": zone, "opened": opened, "close_now": CLOSE_NOW}
    return render(request, "surveys/windows/window_edit.html", context)
