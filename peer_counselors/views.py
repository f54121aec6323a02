"""The help-request pages: a student asks and follows their request; a peer counselor works the requests offered
to them; a supervising counselor works the school's whole queue. Thin: fetch through the scoped selectors
(anyone else's request is a 404, whatever its id), call a service, render. Every look at a request by anyone
but the student who asked is written to its log (``help_request_view_record``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.data_versions import kept_page
from peer_counselors import crisis, hours, selectors, services
from peer_counselors.forms import AskForm, MeetingForm, MessageForm, ProposeForm, ReasonForm, ReassignForm
from peer_counselors.models import HelpRequest, HelpRequestEvent
from peer_counselors.permissions import can_ask_for_help, is_peer_counselor, is_supervisor


def _student(request):
    if not can_ask_for_help(request.user):
        raise Http404


def _refused(request, form, refused: services.HelpRefused):
    if form is not None and refused.field in form.fields:
        form.add_error(refused.field, refused.message)
    else:
        messages.error(request, refused.message)


@login_required
@require_safe
def mine(request):
    """A student's own page: what happens to a request, the button to ask, and their requests so far."""
    _student(request)
    return render(request, "peer_counselors/mine.html", {
        "requests": list(selectors.my_help_requests(request.user)),
        "is_peer": is_peer_counselor(request.user),
    })


@login_required
def ask(request):
    _student(request)
    user = request.user
    peers, periods = list(selectors.peers_to_ask(user)), list(selectors.duty_periods_for(user))
    form = AskForm(request.POST if request.method == "POST" else None, peers=peers, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            help_request = services.help_request_file(requester=user, **form.cleaned_objects())
        except services.HelpRefused as refused:
            _refused(request, form, refused)
        else:
            return redirect(f"{help_request_url(help_request)}?new=1")
    return render(request, "peer_counselors/ask.html", {"form": form, "peers": peers})


def help_request_url(help_request) -> str:
    return reverse("peer_counselors:request", args=[help_request.pk])


def _safety(help_request) -> dict:
    """What the student reads about a request for adults: who has it, and the lines to reach now; outside
    school time, that the school may not see it before the next school day, and the lines first."""
    school = help_request.school
    desk = selectors.help_desk_of(school)
    now = timezone.now()
    open_now = hours.in_school_time(now, zone=school.zone, starts=desk.day_starts, ends=desk.day_ends)
    return {
        "counselors": selectors.school_counselors(school.pk),
        "lines": crisis.lines_for(
            help_request.flag_categories or (crisis.ASKED_ADULT if help_request.asked_adult else ())
        ),
        "school_open": open_now,
        "next_opening": None if open_now else hours.next_opening(
            now, zone=school.zone, starts=desk.day_starts, ends=desk.day_ends
        ),
    }


@login_required
@require_safe
def detail(request, pk):
    user = request.user
    help_request = get_object_or_404(selectors.help_requests_for(user).select_related("school"), pk=pk)
    services.help_request_view_record(request=help_request, by=user)
    is_requester = help_request.requester_id == user.pk
    supervisor = is_supervisor(user)
    context = {
        "help_request": help_request,
        "is_requester": is_requester,
        "supervisor": supervisor,
        "is_new": is_requester and request.GET.get("new") == "1",
        "no_orange_hat": is_requester and help_request.status == HelpRequest.Status.OFFERED
        and not help_request.offered_to.exists(),
        "messages_list": selectors.messages_of(user, help_request),
        "message_form": MessageForm(),
        "zone": help_request.school.zone,
    }
    context["can_write"] = is_requester and help_request.status not in (
        HelpRequest.Status.WITHDRAWN, HelpRequest.Status.CLOSED
    )
    if is_requester and help_request.for_adults:
        context["safety"] = _safety(help_request)
    finished = help_request.status in (HelpRequest.Status.WITHDRAWN, HelpRequest.Status.CLOSED)
    if supervisor:
        context.update(
            can_write=not finished,
            flag_labels=crisis.category_labels(help_request.flag_categories),
            events=[(event, _event_note(event)) for event in selectors.events_of(user, help_request)],
            # Three forms on one page, each with ids of its own (the field is "reason" in all three).
            flag_form=ReasonForm(auto_id="flag_%s"),
            close_form=ReasonForm(auto_id="close_%s"),
            reassign_form=ReassignForm(
                auto_id="reassign_%s",
                peers=list(selectors.peers_to_ask(user).exclude(student_id=help_request.requester_id)),
            ),
        )
    elif not is_requester:
        profile_pk = getattr(getattr(user, "counselor_profile", None), "pk", None)
        mine = profile_pk in (help_request.assigned_to_id, help_request.partner_id)
        context.update(
            mine=mine,
            can_write=mine and not finished,
            propose_form=ProposeForm(zone=help_request.school.zone),
        )
    return render(request, "peer_counselors/request.html", context)


def _event_note(event) -> str:
    """An escalation's note in words: the dispatcher writes who each step reached as a short code."""
    if event.kind not in (HelpRequestEvent.Kind.ESCALATED, HelpRequestEvent.Kind.UNCLAIMED) or ":" not in event.reason:
        return event.reason
    who, _sep, what = event.reason.rpartition(":")
    if who.endswith("counselors_and_admins"):
        return _("No last contact is set: the counselors and admins again (%(n)s).") % {"n": what}
    if who == "last_contact":
        return _("The school's last contact, %(address)s.") % {"address": what}
    n = int(what) if what.isdigit() else 0
    if who == "admins":
        return ngettext("%(n)s school admin.", "%(n)s school admins.", n) % {"n": n}
    return ngettext("%(n)s counselor.", "%(n)s counselors.", n) % {"n": n}


def _act(request, pk, action, *, success: str, **kwargs):
    """Run a service on a request ``request.user`` may see; a refusal is read on the request's page."""
    help_request = get_object_or_404(selectors.help_requests_for(request.user), pk=pk)
    try:
        action(request=help_request, by=request.user, **kwargs)
    except services.HelpRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success)
    return help_request


@login_required
@require_POST
def withdraw(request, pk):
    help_request = _act(request, pk, services.help_request_withdraw, success=_("Your request is withdrawn."))
    return redirect(help_request_url(help_request))


@login_required
@require_POST
def message(request, pk):
    help_request = get_object_or_404(selectors.help_requests_for(request.user), pk=pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.help_message_post(request=help_request, by=request.user, body=form.cleaned_data["body"])
        except services.HelpRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Message sent."))
            return redirect(help_request_url(help_request))
    else:
        messages.error(request, form.errors["body"][0])
    return redirect(help_request_url(help_request))


@login_required
@kept_page
@require_safe
def queue(request):
    """A peer counselor's requests: the ones they have, and the ones offered to them and still waiting."""
    if not is_peer_counselor(request.user):
        raise Http404
    profile = request.user.counselor_profile
    mine, waiting = [], []
    for help_request in selectors.peer_queue(request.user):
        (mine if profile.pk in (help_request.assigned_to_id, help_request.partner_id) else waiting).append(help_request)
    slots = list(profile.duty_slots.select_related("period"))
    return render(
        request, "peer_counselors/queue.html", {"mine": mine, "waiting": waiting, "profile": profile, "duty_slots": slots}
    )


@login_required
@require_POST
def accept(request, pk):
    help_request = _act(request, pk, services.help_request_accept, success=_("It is yours. Propose a time to meet."))
    return redirect(help_request_url(help_request))


@login_required
@require_POST
def join(request, pk):
    help_request = _act(request, pk, services.help_request_join, success=_("You joined as a partner."))
    return redirect(help_request_url(help_request))


@login_required
@require_POST
def hand(request, pk):
    help_request = _act(
        request, pk, services.help_request_hand_to_adult,
        success=_("Handed to the school's counselors. Thank you for noticing: that was the right thing to do."),
    )
    return redirect("peer_counselors:queue" if not is_supervisor(request.user) else help_request_url(help_request))


@login_required
@require_POST
def propose(request, pk):
    help_request = get_object_or_404(selectors.help_requests_for(request.user).select_related("school"), pk=pk)
    form = ProposeForm(request.POST, zone=help_request.school.zone)
    if form.is_valid():
        try:
            services.help_request_propose_time(
                request=help_request, by=request.user, when=form.cleaned_data["when"], place=form.cleaned_data["place"]
            )
        except services.HelpRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Time proposed. The student can see it now."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(help_request_url(help_request))


@login_required
def meeting(request, pk):
    """The short form after a meeting; a refused one keeps every answer."""
    help_request = get_object_or_404(selectors.peer_queue(request.user), pk=pk)
    profile = request.user.counselor_profile
    if profile.pk not in (help_request.assigned_to_id, help_request.partner_id):
        raise Http404
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        classmate=bool(help_request.classmate),
        initial={"met_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.help_request_record_meeting(
                request=help_request, by=request.user, met_on=data["met_on"], outcome=data["outcome"],
                both_agreed=data.get("both_agreed"), agreement=data["agreement"], note=data["note"],
            )
        except services.HelpRefused as refused:
            _refused(request, form, refused)
        else:
            messages.success(request, _("Saved. Thank you for helping."))
            return redirect("peer_counselors:queue")
    return render(request, "peer_counselors/meeting.html", {"help_request": help_request, "form": form})


# --- Supervising counselors ------------------------------------------------------------------------------------


@login_required
@kept_page
@require_safe
def supervise(request):
    if not is_supervisor(request.user):
        raise Http404
    status = request.GET.get("status", "open")
    if status not in {"open", ""} | set(HelpRequest.Status.values):
        status = "open"
    return render(request, "peer_counselors/supervise.html", {
        "requests": list(selectors.supervisor_queue(request.user, status=status)),
        "status": status,
        "statuses": HelpRequest.Status.choices,
    })


def _supervised(request, pk, action, *, success: str, form_class=ReasonForm, **form_kwargs):
    if not is_supervisor(request.user):
        raise Http404
    help_request = get_object_or_404(selectors.help_requests_for(request.user), pk=pk)
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(help_request_url(help_request))
    extra = {"to": form.peers.get(form.cleaned_data["to"])} if form_class is ReassignForm else {}
    try:
        action(request=help_request, by=request.user, reason=form.cleaned_data["reason"], **extra)
    except services.HelpRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success)
    return redirect(help_request_url(help_request))


@login_required
@require_POST
def flag(request, pk):
    return _supervised(request, pk, services.help_request_flag, success=_("Flagged: no peer counselor sees it now."))


@login_required
@require_POST
def unflag(request, pk):
    return _supervised(request, pk, services.help_request_unflag, success=_("Unflagged: offered to the orange hats again."))


@login_required
@require_POST
def close(request, pk):
    return _supervised(request, pk, services.help_request_close, success=_("Closed."))


@login_required
@require_POST
def reassign(request, pk):
    return _supervised(
        request, pk, services.help_request_reassign, success=_("Reassigned."), form_class=ReassignForm,
        peers=list(selectors.peers_to_ask(request.user)),
    )
