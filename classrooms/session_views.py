"""The program year and its sessions: set up the rule, list, reschedule, cancel, mark held, title.

Managers (the classroom's teachers and the school admin) change things; students of the classroom may
read the list, without the teachers' notes. Objects are fetched only through scoped querysets, so a
session of another classroom asked for under this classroom's URL is a 404.
"""

from datetime import timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from classrooms import schedule, selectors
from classrooms.models import ProgramYear, Session
from classrooms.recurrence import describe
from classrooms.session_forms import ProgramYearForm, RescheduleForm, SessionNoteForm, SessionTitleForm

UPCOMING_ON_CLASSROOM_PAGE = 3


def _zone(classroom) -> ZoneInfo:
    return ZoneInfo(classroom.school.time_zone)


def _managed_classroom(request, pk):
    return get_object_or_404(selectors.classrooms_managed_by(request.user), pk=pk)


def _session_of(classroom, session_pk) -> Session:
    session = get_object_or_404(selectors.classroom_sessions(classroom), pk=session_pk)
    session.classroom = classroom  # already fetched with its school; the services read it
    return session


def _program_year(classroom) -> ProgramYear | None:
    return selectors.classroom_program_year(classroom)  # its .classroom is this classroom, school included


def _rule_sentence(program_year: ProgramYear | None) -> str:
    if program_year is None:
        return ""
    return describe(program_year.recurrence(time_zone=program_year.classroom.school.time_zone))


def _mark(sessions, now):
    """What a row shows beyond the stored status: started yet, and "overdue" (over and still planned)."""
    for session in sessions:
        session.has_started = session.starts_at <= now
        ends_at = session.starts_at + timedelta(minutes=session.duration_minutes)
        session.is_overdue = session.status == Session.Status.PLANNED and ends_at <= now
        session.is_under_way = session.status == Session.Status.PLANNED and session.has_started and not session.is_overdue
    return sessions


def _when(session: Session) -> str:
    local = timezone.localtime(session.starts_at, _zone(session.classroom))
    return f"{formats.date_format(local, 'DATE_FORMAT')}, {local:%H:%M}"


def _add_service_error(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on the field of the same name, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _sessions_url(classroom, session=None) -> str:
    url = reverse("classrooms:sessions", kwargs={"pk": classroom.pk})
    return f"{url}#session-{session.pk}" if session is not None else url


# --- The classroom page's "Sessions" card -----------------------------------------------------------------


def detail_context(request, classroom, can_manage) -> dict:
    """Two queries for managers (the rule, and the sessions to count), one for students."""
    now = timezone.now()
    if not can_manage:
        upcoming = list(selectors.sessions_upcoming(classroom, now=now, limit=UPCOMING_ON_CLASSROOM_PAGE))
        return {"sessions_card": {"upcoming": upcoming}}
    program_year = _program_year(classroom)
    # A year is a few dozen rows at most: counting them here is cheaper than three more queries.
    sessions = _mark(list(selectors.classroom_sessions(classroom)), now)
    upcoming = [s for s in sessions if s.status == Session.Status.PLANNED and s.starts_at > now]
    return {
        "sessions_card": {
            "program_year": program_year,
            "rule": _rule_sentence(program_year),
            "total": sum(s.status != Session.Status.CANCELLED for s in sessions),
            "held": sum(s.status == Session.Status.HELD for s in sessions),
            "overdue": sum(s.is_overdue for s in sessions),
            "upcoming": upcoming[:UPCOMING_ON_CLASSROOM_PAGE],
            "any": bool(sessions),
        }
    }


# --- Pages ------------------------------------------------------------------------------------------------


@login_required
def program_year_edit(request, pk):
    classroom = _managed_classroom(request, pk)
    program_year = _program_year(classroom)
    form = ProgramYearForm(request.POST if request.method == "POST" else None, classroom=classroom)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program_year = schedule.program_year_set(
                classroom=classroom,
                recurrence=data["recurrence"],
                by=request.user,
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                pre_visit_days=data["pre_visit_days"],
                post_visit_days=data["post_visit_days"],
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            program_year.classroom = classroom
            count = selectors.classroom_sessions(classroom).exclude(status=Session.Status.CANCELLED).count()
            messages.success(
                request,
                ngettext(
                    "Saved. %(name)s has %(count)d session: %(rule)s.",
                    "Saved. %(name)s has %(count)d sessions: %(rule)s.",
                    count,
                )
                % {"name": classroom.name, "count": count, "rule": _rule_sentence(program_year)},
            )
            return redirect(_sessions_url(classroom))
    return render(
        request,
        "classrooms/program_year_form.html",
        {"classroom": classroom, "form": form, "program_year": program_year, "rule": _rule_sentence(program_year)},
    )


@login_required
def session_list(request, pk):
    classroom = get_object_or_404(selectors.classrooms_for(request.user), pk=pk)
    can_manage = selectors.classroom_can_manage(request.user, classroom)
    program_year = _program_year(classroom)
    now = timezone.now()
    zone = _zone(classroom)
    sessions = _mark(list(selectors.classroom_sessions(classroom)), now)
    months = [
        {"month": month, "sessions": list(rows)}
        for month, rows in groupby(sessions, key=lambda s: timezone.localtime(s.starts_at, zone).date().replace(day=1))
    ]
    overdue = [s for s in sessions if s.is_overdue]
    return render(
        request,
        "classrooms/session_list.html",
        {
            "classroom": classroom,
            "can_manage": can_manage,
            "program_year": program_year,
            "rule": _rule_sentence(program_year),
            "months": months,
            "counts": {
                "total": sum(s.status != Session.Status.CANCELLED for s in sessions),
                "held": sum(s.status == Session.Status.HELD for s in sessions),
                "cancelled": sum(s.status == Session.Status.CANCELLED for s in sessions),
                "overdue": len(overdue),
            },
            "first_overdue": overdue[0] if overdue else None,
        },
    )


@login_required
def session_reschedule(request, pk, session_pk):
    classroom = _managed_classroom(request, pk)
    session = _session_of(classroom, session_pk)
    _mark([session], timezone.now())
    zone = _zone(classroom)
    local = timezone.localtime(session.starts_at, zone)
    form = RescheduleForm(
        request.POST if request.method == "POST" else None,
        zone=zone,
        initial={"date": local.date(), "time": local.time()},
    )
    if request.method == "POST" and form.is_valid():
        old_when = _when(session)
        try:
            schedule.session_reschedule(session=session, starts_at=form.cleaned_data["starts_at"], by=request.user)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            session.refresh_from_db(fields=["starts_at"])
            if session.kind == Session.Kind.FAMILY_VISIT:
                text = _("The family visit of %(old)s is now on %(new)s; its pre- and post-visit lessons moved with it.")
            else:
                text = _("The session of %(old)s is now on %(new)s.")
            messages.success(request, text % {"old": old_when, "new": _when(session)})
            return redirect(_sessions_url(classroom, session))
    context = {"classroom": classroom, "session": session, "form": form, "can_manage": True}
    return render(request, "classrooms/session_reschedule.html", context)


@login_required
@require_POST
def session_cancel(request, pk, session_pk):
    classroom = _managed_classroom(request, pk)
    session = _session_of(classroom, session_pk)
    form = SessionNoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["note"]))
        schedule.session_cancel(session=session, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The session of %(when)s is cancelled.") % {"when": _when(session)})
    return redirect(_sessions_url(classroom, session))


@login_required
def session_mark_held(request, pk, session_pk):
    classroom = _managed_classroom(request, pk)
    session = _session_of(classroom, session_pk)
    _mark([session], timezone.now())
    initial = {"note": session.note} if session.status == Session.Status.HELD else {}
    form = SessionNoteForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            schedule.session_mark_held(session=session, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("The session of %(when)s is marked held.") % {"when": _when(session)})
            return redirect(_sessions_url(classroom, session))
    context = {"classroom": classroom, "session": session, "form": form, "can_manage": True}
    return render(request, "classrooms/session_held.html", context)


@login_required
@require_POST
def session_title(request, pk, session_pk):
    """Set a session's title: a plain POST redirects to the list; htmx gets the row back, in place."""
    classroom = _managed_classroom(request, pk)
    session = _session_of(classroom, session_pk)
    form = SessionTitleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            schedule.session_title_set(session=session, title=form.cleaned_data["title"], by=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    else:
        error = " ".join(form.errors["title"])
    if request.htmx:
        _mark([session], timezone.now())
        context = {
            "classroom": classroom,
            "can_manage": True,
            "session": session,
            "title_error": error,
            "title_typed": request.POST.get("title", "")[:1000] if error else None,
            "title_saved": error is None,
        }
        return render(request, "classrooms/session_list.html#session-row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Title saved for the session of %(when)s.") % {"when": _when(session)})
    return redirect(_sessions_url(classroom, session))
