"""The roster pages of a school's supervising counselors: the roster, adding and editing a peer counselor and
their duty slots, the duty periods; and the help desk (the school day and the last contact), which the school's
admin keeps too. Thin: fetch through the manage scopes (another school's id is a 404), call a service, render;
a refusal is shown beside its field with everything typed kept."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from peer_counselors.permissions import is_supervisor
from peer_counselors.roster import selectors, services
from peer_counselors.roster.forms import (
    DeskForm,
    PeriodDeleteForm,
    PeriodForm,
    ProfileAddForm,
    ProfileEditForm,
    SlotForm,
    posted_id,
)
from peer_counselors.selectors import school_counselors

SEARCH_MAX = 100


def _supervisor(request) -> None:
    if not is_supervisor(request.user):
        raise Http404


def _refused(form, error: ValidationError) -> None:
    """The service's words beside the fields they are about (on top of the form for any other)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _profile(request, pk):
    profile = selectors.profile_for_edit(request.user, pk)
    if profile is None:
        raise Http404
    return profile


def _period(request, pk):
    period = selectors.periods_managed_by(request.user).filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


def _edit_url(profile) -> str:
    return reverse("peer_counselors:profile_edit", args=[profile.pk])


# --- The roster ------------------------------------------------------------------------------------------------


@login_required
@require_safe
def roster(request):
    _supervisor(request)
    return render(request, "peer_counselors/roster/roster.html", {
        "profiles": list(selectors.roster_of(request.user)),
        "has_periods": selectors.has_periods(request.user),
    })


@login_required
def profile_add(request):
    _supervisor(request)
    user = request.user
    search = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX]
    posted = posted_id(request.POST.get("student", "")) if request.method == "POST" else None
    chosen = selectors.school_member(user, posted) if posted is not None else None
    candidates = list(selectors.roster_candidates(user, search=search))
    form = ProfileAddForm(request.POST if request.method == "POST" else None, candidates=candidates, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = services.counselor_profile_create(
                by=user, student=chosen, trained_on=data["trained_on"], notes=data["notes"]
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("%(name)s is an orange hat now. Add the times they are on duty.") % {
                "name": profile.student.display_name,
            })
            return redirect(_edit_url(profile) + "#slots")
    return render(request, "peer_counselors/roster/profile_add.html", {
        "form": form, "search": search, "candidates_count": len(candidates),
    })


def _edit_page(request, profile, form, slot_form, periods, *, status=200):
    return render(request, "peer_counselors/roster/profile_edit.html", {
        "profile": profile, "form": form, "slot_form": slot_form, "periods": periods,
        "slots": list(profile.duty_slots.all()),  # prefetched with the profile
    }, status=status)


def _edit_form(profile, data=None) -> ProfileEditForm:
    return ProfileEditForm(data, initial={"trained_on": profile.trained_on, "notes": profile.notes, "active": profile.active})


@login_required
def profile_edit(request, pk):
    _supervisor(request)
    profile = _profile(request, pk)
    periods = list(selectors.periods_managed_by(request.user))
    form = _edit_form(profile, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        was_active = profile.active
        try:
            profile = services.counselor_profile_update(profile=profile, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            name = profile.student.display_name
            if was_active and not profile.active and profile.open_requests:
                messages.warning(request, ngettext(
                    "%(name)s is inactive now and gets no new requests. They still have %(n)d open request: "
                    "reassign it in the queue if someone else should take it over.",
                    "%(name)s is inactive now and gets no new requests. They still have %(n)d open requests: "
                    "reassign them in the queue if someone else should take them over.",
                    profile.open_requests,
                ) % {"name": name, "n": profile.open_requests})
            elif was_active and not profile.active:
                messages.success(request, _("%(name)s is inactive now and gets no new requests.") % {"name": name})
            else:
                messages.success(request, _("Saved %(name)s's profile.") % {"name": name})
            return redirect("peer_counselors:roster")
    return _edit_page(request, profile, form, SlotForm(periods=periods), periods)


@login_required
@require_POST
def slot_add(request, pk):
    _supervisor(request)
    profile = _profile(request, pk)
    periods = list(selectors.periods_managed_by(request.user))
    slot_form = SlotForm(request.POST, periods=periods)
    if slot_form.is_valid():
        period = {p.pk: p for p in periods}.get(slot_form.cleaned_data["period"])
        try:
            slot = services.duty_slot_add(
                profile=profile, by=request.user, weekday=slot_form.cleaned_data["weekday"], period=period
            )
        except ValidationError as error:
            _refused(slot_form, error)
        else:
            messages.success(request, _("%(name)s is on duty on %(slot)s.") % {
                "name": profile.student.display_name, "slot": f"{slot.get_weekday_display()}, {slot.period.name}",
            })
            return redirect(_edit_url(profile) + "#slots")
    return _edit_page(request, profile, _edit_form(profile), slot_form, periods)


@login_required
@require_POST
def slot_remove(request, pk, slot_pk):
    _supervisor(request)
    profile = _profile(request, pk)
    slot = selectors.duty_slot_managed_by(request.user, profile, slot_pk)
    if slot is None:
        raise Http404
    services.duty_slot_remove(slot=slot, by=request.user)
    messages.success(request, _("%(name)s is no longer on duty on %(slot)s.") % {
        "name": profile.student.display_name, "slot": f"{slot.get_weekday_display()}, {slot.period.name}",
    })
    return redirect(_edit_url(profile) + "#slots")


# --- Duty periods ----------------------------------------------------------------------------------------------


@login_required
def periods(request):
    """The school's duty periods, and a new one."""
    _supervisor(request)
    form = PeriodForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.duty_period_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Added the period %(name)s.") % {"name": period.name})
            return redirect("peer_counselors:periods")
    return render(request, "peer_counselors/roster/periods.html", {
        "periods": list(selectors.periods_managed_by(request.user)), "form": form,
    })


@login_required
def period_edit(request, pk):
    _supervisor(request)
    period = _period(request, pk)
    initial = {"name": period.name, "starts": period.starts, "ends": period.ends}
    form = PeriodForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.duty_period_update(period=period, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved the period %(name)s.") % {"name": period.name})
            return redirect("peer_counselors:periods")
    return render(request, "peer_counselors/roster/period_edit.html", {"period": period, "form": form})


@login_required
def period_delete(request, pk):
    """A period and the slots that use it: the page says how many go with it; deleting confirms that number."""
    _supervisor(request)
    period = _period(request, pk)
    form = PeriodDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            slots = services.duty_period_delete(period=period, by=request.user, slots_seen=form.cleaned_data["slots_seen"])
        except ValidationError as error:
            _refused(form, error)
        else:
            if slots:
                text = ngettext(
                    "Deleted the period %(name)s and the %(n)d duty slot that used it.",
                    "Deleted the period %(name)s and the %(n)d duty slots that used it.",
                    slots,
                ) % {"name": period.name, "n": slots}
            else:
                text = _("Deleted the period %(name)s.") % {"name": period.name}
            messages.success(request, text)
            return redirect("peer_counselors:periods")
    slots, peers = selectors.period_slot_count(period)
    return render(request, "peer_counselors/roster/period_delete.html", {
        "period": period, "form": form, "slots": slots, "peers": peers,
    })


# --- The help desk ---------------------------------------------------------------------------------------------


@login_required
def desk(request):
    """The school day and the last contact of the safety chain: the school's counselors and its admin keep them."""
    desk = selectors.help_desk_managed_by(request.user)
    if desk is None:
        raise Http404
    fields = ("day_starts", "day_ends", "last_contact_name", "last_contact_email", "last_contact_phone")
    form = DeskForm(request.POST if request.method == "POST" else None, initial={f: getattr(desk, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            desk = services.help_desk_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved the school day and the last contact."))
            return redirect("peer_counselors:desk")
    return render(request, "peer_counselors/roster/desk.html", {
        "desk": desk, "form": form,
        "supervisor": is_supervisor(request.user),
        "counselors": school_counselors(request.user.school_id),
        "admins": selectors.school_admins(request.user.school_id),
        "fallback_email": settings.HELP_LAST_CONTACT_EMAIL,
        "escalate_minutes": settings.HELP_FLAG_ESCALATE_MINUTES,
    })
