"""The program year and its sessions: set up the rule, list, reschedule, cancel, restore, mark held (with
who was away), title; the classroom's calendar feed and its link; and the program-fidelity report.

Managers (the classroom's teachers and the school admin) change things; students of the classroom may
read the list, without the teachers' notes. Objects are fetched only through scoped querysets, so a
session of another classroom asked for under this classroom's URL is a 404.
"""

import csv
from datetime import timedelta
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.data_versions import kept_page
from accounts.selectors import schools_for
from classrooms.filters import ClassroomReportFilter
from classrooms.models import ProgramYear, Session
from classrooms.permissions import can_manage_classroom, can_see_reports
from classrooms.program import fidelity, selectors, services
from classrooms.program.forms import (
    ProgramYearForm,
    RescheduleForm,
    SessionHeldForm,
    SessionNoteForm,
    SessionTitleForm,
)
from classrooms.program.ics import classroom_calendar
from classrooms.program.recurrence import (
    MARK_DURING,
    MARK_FIRST,
    MARK_SECOND,
    MARK_SHIFTED,
    clock_change_days,
    describe,
    session_clock_mark,
)
from classrooms.program.session_parts import session_parts_attach
from classrooms.school_years import current_school_year, school_year_label
from classrooms.selectors import classrooms_reported_on, report_school_years
from classrooms.views import managed_classroom, visible_classroom

UPCOMING_ON_CLASSROOM_PAGE = 3


def _session_of(request, classroom, session_pk) -> Session:
    """A session of ``classroom`` that the signed-in user may change; any other id is a 404."""
    return get_object_or_404(selectors.classroom_sessions_for(request.user, classroom, manage=True), pk=session_pk)


def _program_year(classroom) -> ProgramYear | None:
    return selectors.classroom_program_year(classroom)  # its .classroom is this classroom, school included


def _rule_sentence(program_year: ProgramYear | None) -> str:
    if program_year is None:
        return ""
    return describe(selectors.program_year_recurrence(program_year))


def _mark(sessions, now):
    """What a row shows beyond the stored status: started yet, and "overdue" (over and still planned)."""
    for session in sessions:
        session.has_started = session.starts_at <= now
        ends_at = session.starts_at + timedelta(minutes=session.duration_minutes)
        session.is_overdue = session.status == Session.Status.PLANNED and ends_at <= now
        session.is_under_way = session.status == Session.Status.PLANNED and session.has_started and not session.is_overdue
    return sessions


def _mark_clock_changes(sessions, zone):
    """``clock_note`` on each session whose time the clocks touch on its day (the list's "Clock change day").

    No query: the zone's transitions over the sessions' span come from zoneinfo.
    """
    if not sessions:
        return sessions
    days = clock_change_days(zone, min(s.starts_at for s in sessions), max(s.starts_at for s in sessions))
    for session in sessions:
        local = session.starts_at.astimezone(zone)
        change = days.get(local.date())
        mark = session_clock_mark(session.starts_at, session.duration_minutes, zone, change)
        session.clock_note = ""
        if mark is None:
            continue
        words = {
            "change": f"{change.local_before:%H:%M}",
            "new": f"{change.local_after:%H:%M}",
            "time": f"{local:%H:%M}",
            "zone": local.tzname(),
            "n": session.duration_minutes,
        }
        session.clock_note = {
            MARK_FIRST: _("The clocks go back at %(change)s this day, so %(time)s happens twice: this session is at "
                          "the first %(time)s (%(zone)s)."),
            MARK_SECOND: _("The clocks go back at %(change)s this day, so %(time)s happens twice: this session is at "
                           "the second %(time)s (%(zone)s)."),
            MARK_SHIFTED: _("The clocks go forward at %(change)s this day, straight to %(new)s: this session is at "
                            "%(time)s (%(zone)s)."),
            MARK_DURING: _("The clocks change during this session (at %(change)s they show %(new)s); it lasts "
                           "%(n)d minutes all the same."),
        }[mark] % words
    return sessions


def _when(session: Session) -> str:
    local = timezone.localtime(session.starts_at, session.classroom.school.zone)
    return formats.date_format(local, "DATETIME_FORMAT")


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


# --- The classroom page's "Sessions" and "Calendar link" cards ----------------------------------------------


def sessions_section(request, classroom, can_manage) -> dict:
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


def calendar_section(request, classroom, can_manage) -> dict | None:
    """The calendar card, for managers: the feed's addresses when the link is on (no query)."""
    if not can_manage:
        return None
    if not classroom.calendar_token:
        return {}
    url = request.build_absolute_uri(reverse("classrooms:calendar_feed", kwargs={"token": classroom.calendar_token}))
    return {"calendar_feed_url": url, "calendar_webcal_url": "webcal://" + url.split("://", 1)[1]}


# --- Pages ------------------------------------------------------------------------------------------------


@login_required
def program_year_edit(request, pk):
    classroom = managed_classroom(request, pk)
    program_year = _program_year(classroom)
    form = ProgramYearForm(request.POST if request.method == "POST" else None, classroom=classroom)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program_year = services.program_year_set(
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
        "classrooms/program/program_year_form.html",
        {"classroom": classroom, "form": form, "program_year": program_year, "rule": _rule_sentence(program_year)},
    )


@login_required
@kept_page
def session_list(request, pk):
    classroom = visible_classroom(request, pk)
    can_manage = can_manage_classroom(request.user, classroom)
    program_year = _program_year(classroom)
    now = timezone.now()
    zone = classroom.school.zone
    sessions = selectors.classroom_sessions(classroom)
    if can_manage:  # who was away is for the teachers, never for students
        sessions = selectors.sessions_with_register(sessions)
    sessions = _mark_clock_changes(_mark(list(sessions), now), zone)
    session_parts_attach(request, classroom, sessions, can_manage)
    months = [
        {"month": month, "sessions": list(rows)}
        for month, rows in groupby(sessions, key=lambda s: timezone.localtime(s.starts_at, zone).date().replace(day=1))
    ]
    overdue = [s for s in sessions if s.is_overdue]
    return render(
        request,
        "classrooms/program/session_list.html",
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
            "next_session": next((s for s in sessions if s.status == Session.Status.PLANNED and s.starts_at > now), None),
        },
    )


@login_required
def session_reschedule(request, pk, session_pk):
    classroom = managed_classroom(request, pk)
    session = _session_of(request, classroom, session_pk)
    _mark([session], timezone.now())
    form = RescheduleForm(request.POST if request.method == "POST" else None, zone=classroom.school.zone, current=session.starts_at)
    if request.method == "POST" and form.is_valid():
        old_when = _when(session)
        was_cancelled = session.status == Session.Status.CANCELLED
        try:
            session = services.session_reschedule(session=session, starts_at=form.cleaned_data["starts_at"], by=request.user)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            if was_cancelled:
                text = _("The cancelled session of %(old)s is planned again, on %(new)s.")
            elif session.kind == Session.Kind.FAMILY_VISIT:
                text = _("The family visit of %(old)s is now on %(new)s; its pre- and post-visit lessons moved with it.")
            else:
                text = _("The session of %(old)s is now on %(new)s.")
            messages.success(request, text % {"old": old_when, "new": _when(session)})
            return redirect(_sessions_url(classroom, session))
    context = {"classroom": classroom, "session": session, "form": form, "can_manage": True}
    return render(request, "classrooms/program/session_reschedule.html", context)


@login_required
@require_POST
def session_cancel(request, pk, session_pk):
    classroom = managed_classroom(request, pk)
    session = _session_of(request, classroom, session_pk)
    form = SessionNoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["note"]))
        services.session_cancel(session=session, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The session of %(when)s is cancelled.") % {"when": _when(session)})
    return redirect(_sessions_url(classroom, session))


@login_required
@require_POST
def session_restore(request, pk, session_pk):
    """Undo a cancellation of a session that has not started: planned again, and reminded."""
    classroom = managed_classroom(request, pk)
    session = _session_of(request, classroom, session_pk)
    try:
        session = services.session_restore(session=session, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The session of %(when)s is planned again; reminders go out as usual.") % {"when": _when(session)}
        )
    return redirect(_sessions_url(classroom, session))


@login_required
def session_mark_held(request, pk, session_pk):
    """Mark held, with who was away; the same page corrects the register and the note later."""
    classroom = managed_classroom(request, pk)
    session = _session_of(request, classroom, session_pk)
    _mark([session], timezone.now())
    register = selectors.session_register(session)
    initial = {"note": session.note, "away": list(selectors.session_absent_ids(session))} if session.status == Session.Status.HELD else {}
    form = SessionHeldForm(request.POST if request.method == "POST" else None, initial=initial, register=register)
    if request.method == "POST" and form.is_valid():
        was_held = session.status == Session.Status.HELD
        try:
            services.session_mark_held(
                session=session,
                by=request.user,
                note=form.cleaned_data["note"],
                absent_ids={student.pk for student in form.cleaned_data["away"]},
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            away = len(form.cleaned_data["away"])
            if was_held:
                text = _("Saved: who was away and the note of the session of %(when)s.")
            else:
                text = ngettext(
                    "The session of %(when)s is marked held, with %(away)d student away.",
                    "The session of %(when)s is marked held, with %(away)d students away.",
                    away,
                )
            messages.success(request, text % {"when": _when(session), "away": away})
            return redirect(_sessions_url(classroom, session))
    students = list(register)
    context = {
        "classroom": classroom, "session": session, "form": form, "can_manage": True,
        "register": _register_rows(form, students),
    }
    return render(request, "classrooms/program/session_held.html", context)


def _register_rows(form, students) -> list[dict]:
    """The checklist: each student on the register with whether the box is ticked (as posted, or as saved)."""
    if form.is_bound:
        ticked = set(form.data.getlist(form.add_prefix("away")))
    else:
        ticked = {str(pk) for pk in form.initial.get("away", [])}
    field = form["away"]
    return [
        {"pk": s.pk, "name": s.display_name, "id": f"{field.auto_id}_{i}", "ticked": str(s.pk) in ticked}
        for i, s in enumerate(students)
    ]


@login_required
@require_POST
def session_title(request, pk, session_pk):
    """Set a session's title: a plain POST redirects to the list; htmx gets the row back, in place."""
    classroom = managed_classroom(request, pk)
    session = _session_of(request, classroom, session_pk)
    form = SessionTitleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.session_title_set(session=session, title=form.cleaned_data["title"], by=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    else:
        error = " ".join(form.errors["title"])
    if request.htmx:
        session = selectors.sessions_with_register(Session.objects.filter(pk=session.pk)).select_related(
            "classroom__school", "theme"
        ).get()
        _mark_clock_changes(_mark([session], timezone.now()), classroom.school.zone)
        session_parts_attach(request, classroom, [session], True)
        context = {
            "classroom": classroom,
            "can_manage": True,
            "session": session,
            "title_error": error,
            "title_typed": request.POST.get("title", "")[:1000] if error else None,
            "title_saved": error is None,
        }
        return render(request, "classrooms/program/session_list.html#session-row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Title saved for the session of %(when)s.") % {"when": _when(session)})
    return redirect(_sessions_url(classroom, session))


# --- The calendar feed (no sign-in: the token is the key) and the buttons that manage its link ------------------


@require_safe
def calendar_feed(request, token):
    classroom = selectors.classroom_for_calendar_token(token)
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


CALENDAR_ACTIONS = {"on", "new", "off"}


@login_required
@require_POST
def calendar_link(request, pk):
    classroom = managed_classroom(request, pk)
    action = request.POST.get("action", "")
    if action not in CALENDAR_ACTIONS:
        return HttpResponseBadRequest(_("Unknown calendar link action."))
    had_link = bool(classroom.calendar_token)
    if action == "off":
        services.classroom_calendar_link_off(classroom=classroom, by=request.user)
        if had_link:
            messages.success(request, _("The calendar link is off. Calendars subscribed to it stop getting updates."))
    else:
        services.classroom_calendar_link_renew(classroom=classroom, by=request.user)
        if had_link:
            messages.success(request, _("New calendar link made. The old link no longer works: subscribe again with the new one."))
        else:
            messages.success(request, _("Calendar link made. Add it to your calendar app to see this classroom's sessions."))
    return redirect(classroom.get_absolute_url() + "#calendar-heading")


# --- The program-fidelity report for school and district administrators, as a page and as CSV ----------------

FIDELITY_PAGE_SIZE = 50  # schools or classrooms a page: the page's size, whatever the district's
CSV_FLUSH_ROWS = 200  # CSV rows written to the response at a time


@login_required
@kept_page
@require_safe
def fidelity_report(request):
    """Schools first for a district admin (one row each, its classrooms added up), one school's classrooms on
    demand (``?school=``) and for a school admin; paged, so the page costs the same at any size. The CSV has
    every classroom of the choice, streamed."""
    user = request.user
    if not can_see_reports(user):
        raise Http404
    this_year = current_school_year()
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(this_year)
    filters = ClassroomReportFilter(data, queryset=classrooms_reported_on(user), request=request)
    if not filters.is_valid():
        raise Http404  # another district's school, or a year that is not one, answers like a school that does not exist
    chosen, school_year = filters.form.cleaned_data["school"], filters.form.cleaned_data["year"]
    now = timezone.now()
    if request.GET.get("format") == "csv":
        scope_name = (chosen or user.school or user.district).name
        return _fidelity_csv(filters.qs, now=now, school_year=school_year, scope_name=scope_name)
    is_district = user.role == user.Role.DISTRICT_ADMIN
    schools = list(schools_for(user))
    query = {"year": school_year, **({"school": chosen.pk} if chosen else {})}
    if is_district and chosen is None:
        school_rows = fidelity.school_rows(classrooms=filters.qs, schools=schools, now=now)
        totals = fidelity.totals_of(school_rows)
        page = Paginator(school_rows, FIDELITY_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page)
    else:
        school = chosen or user.school
        totals = fidelity.totals_of(fidelity.school_rows(classrooms=filters.qs, schools=[school] if school else [], now=now))
        ordered = filters.qs.order_by("school__name", "grade", "name", "pk").values_list("pk", flat=True)
        page = Paginator(ordered, FIDELITY_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = fidelity.classroom_rows(classrooms=filters.qs.filter(pk__in=list(page)), now=now)
    years = sorted(set(report_school_years(user)) | {this_year, school_year}, reverse=True)
    return render(
        request,
        "classrooms/program/fidelity_report.html",
        {
            "rows": rows,
            "totals": totals if totals.classrooms else None,
            "by_school": is_district and chosen is None,
            "page": page,
            "pager": _page_links(page, query),
            "is_district": is_district,
            "schools": schools,
            "school": chosen,
            "years": [(y, school_year_label(y)) for y in years],
            "school_year": school_year,
            "school_year_label": school_year_label(school_year),
            "all_schools_query": urlencode({"year": school_year}),
            "csv_query": urlencode({**query, "format": "csv"}),
        },
    )


def _page_links(page, query: dict) -> dict | None:
    """The pager under a report's table: the previous and next pages, and each page near this one and at both
    ends (None stands for the pages left out between them); every link keeps the report's other choices."""
    if not page.has_other_pages():
        return None

    def url(number: int) -> str:
        return "?" + urlencode({**query, "page": number})

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "pages": [
            None if n == Paginator.ELLIPSIS else {"number": n, "url": url(n), "current": n == page.number} for n in numbers
        ],
    }


class _Echo:
    """What csv.writer writes into: each row comes back as text, for the stream to send."""

    def write(self, text: str) -> str:
        return text


def _fidelity_csv(classrooms, *, now, school_year: int, scope_name: str) -> StreamingHttpResponse:
    """Every classroom of ``classrooms``, then their totals, streamed as they are read (a district's thousands
    of rows are never held at once)."""
    filename = f"heard-fidelity-{slugify(scope_name) or 'report'}-{school_year}.csv"
    header = [
        _("School"), _("Classroom"), _("Grade"), _("Teachers"), _("Planned (to come)"), _("Held"),
        _("Cancelled"), _("Not marked (past, still planned)"), _("Share held (%)"), _("Next session"), _("Last held"),
        _("Present at held sessions (%)"),
    ]  # fmt: skip
    all_classrooms = _("All classrooms")
    language = translation.get_language()  # the rows are written after the view returns: grade names in this one
    writer = csv.writer(_Echo())

    def cells(row: fidelity.FidelityRow, first: list) -> str:
        return writer.writerow(
            [
                fidelity.csv_safe(v)
                for v in first + [
                    row.upcoming, row.held, row.cancelled, row.overdue,
                    "" if row.percent_held is None else row.percent_held,
                    row.next_session.isoformat() if row.next_session else "",
                    row.last_held.isoformat() if row.last_held else "",
                    "" if row.percent_present is None else row.percent_present,
                ]
            ]
        )  # fmt: skip

    def lines():
        with translation.override(language):
            yield "\ufeff" + writer.writerow(header)  # the BOM, so Excel reads the file as UTF-8 (names with accents)
            totals, waiting = fidelity.FidelityRow.nothing(), []
            for row in fidelity.classroom_rows_streamed(classrooms=classrooms, now=now):
                totals.add(row)
                c = row.classroom
                teachers = ", ".join(t.display_name for t in c.teachers.all())
                waiting.append(cells(row, [c.school.name, c.name, c.get_grade_display(), teachers]))
                if len(waiting) >= CSV_FLUSH_ROWS:
                    yield "".join(waiting)
                    waiting = []
            if totals.classrooms:
                waiting.append(cells(totals, [all_classrooms, "", "", ""]))
            yield "".join(waiting)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
