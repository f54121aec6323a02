"""The classroom calendar feed (no sign-in: the token is the key) and the buttons that manage its link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from classrooms import selectors
from classrooms.calendar import (
    classroom_calendar,
    classroom_calendar_link_off,
    classroom_calendar_link_renew,
    classroom_for_calendar_token,
)


def detail_context(request, classroom, can_manage) -> dict:
    """What the calendar card needs: the feed's addresses when the link is on (no query)."""
    if not can_manage or not classroom.calendar_token:
        return {}
    url = request.build_absolute_uri(reverse("classrooms:calendar_feed", kwargs={"token": classroom.calendar_token}))
    return {"calendar_feed_url": url, "calendar_webcal_url": "webcal://" + url.split("://", 1)[1]}


@require_safe
def calendar_feed(request, token):
    classroom = classroom_for_calendar_token(token)
    if classroom is None:
        raise Http404
    cal = classroom_calendar(classroom=classroom, classroom_url=request.build_absolute_uri(classroom.get_absolute_url()))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="heard-classroom.ics"'
    # Private: the URL is a secret, so no shared cache may keep a copy. 15 minutes spares the
    # database from apps that poll often, and is far below how often Google or Outlook fetch.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


ACTIONS = {"on", "new", "off"}


@login_required
@require_POST
def calendar_link(request, pk):
    classroom = get_object_or_404(selectors.classrooms_managed_by(request.user), pk=pk)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest(_("Unknown calendar link action."))
    had_link = bool(classroom.calendar_token)
    if action == "off":
        classroom_calendar_link_off(classroom=classroom, by=request.user)
        if had_link:
            messages.success(request, _("The calendar link is off. Calendars subscribed to it stop getting updates."))
    else:
        classroom_calendar_link_renew(classroom=classroom, by=request.user)
        if had_link:
            messages.success(request, _("New calendar link made. The old link no longer works: subscribe again with the new one."))
        else:
            messages.success(request, _("Calendar link made. Add it to your calendar app to see this classroom's sessions."))
    return redirect(classroom.get_absolute_url() + "#calendar-heading")
