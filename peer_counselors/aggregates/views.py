"""The admins' side of the help requests: the numbers page and its chart, and a student's export and
anonymisation. Anyone the gates leave out (``can_see_help_aggregates``, ``can_export_student_help``) gets 404,
as for a school or a student outside their scope."""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from classrooms.school_years import current_school_year, school_year_start
from peer_counselors.aggregates import charts, figures, selectors, services
from peer_counselors.aggregates.forms import AnonymiseForm, NumbersFilter, StudentSearchForm
from peer_counselors.permissions import can_export_student_help

# --- The numbers --------------------------------------------------------------------------------------------------


def _numbers(request):
    """What the numbers page and its chart show: the schools, the one chosen (None: the district pooled), the
    filter, and the figures."""
    user = request.user
    schools = selectors.help_numbers_schools(user)
    if not schools:
        raise Http404
    district = user.role == User.Role.DISTRICT_ADMIN
    chosen = request.GET.get("school", "")
    by_pk = {s.pk: s for s in schools}
    if chosen:
        if not chosen.isdigit() or int(chosen) not in by_pk:
            raise Http404  # another district's school answers like one that does not exist
        view = by_pk[int(chosen)]
    else:
        view = None if district else schools[0]
    zone = (view or schools[0]).zone
    filters = NumbersFilter(request.GET, today=timezone.localdate(timezone=zone))
    start, end = filters.period()
    joint, waited = selectors.help_counts(schools, start=start, end=end)
    durations = waited.get(view.pk, []) if view else [h for hours in waited.values() for h in hours]
    found = figures.numbers(
        joint, schools=[s.pk for s in schools], weeks=figures.mondays(start, end), min_n=settings.SUPPRESSION_MIN_N,
        pooled=district, view=view.pk if view else None, durations=durations,
    )
    return schools, view, filters, (start, end), found


def _query(filters: NumbersFilter, view, district: bool) -> str:
    query = filters.query() | ({"school": view.pk} if district and view else {})
    return urlencode(query)


@login_required
@require_safe
def numbers(request):
    schools, view, filters, (start, end), found = _numbers(request)
    district = request.user.role == User.Role.DISTRICT_ADMIN
    query = _query(filters, view, district)
    chart_url = reverse("peer_counselors:numbers_chart") + (f"?{query}" if query else "")
    return render(request, "peer_counselors/aggregates/numbers.html", {
        "schools": schools,
        "view": view,
        "district": district,
        "place": view.name if view else request.user.district.name,
        "filters": filters,
        "start": start,
        "end": end,
        "found": found,
        "topics": [label for _v, label in figures.TOPICS],
        "chart_url": chart_url,
        "chart_size": charts.size_px(len(figures.TOPICS)),
        "this_year": _this_year(filters.today),
        "min_n": found.min_n,
    })


def _this_year(today) -> str:
    """The query string of "this school year so far"."""
    first = school_year_start(current_school_year(today)).date()
    if (today - first).days >= figures.WEEKS_MAX * 7:
        return ""
    return urlencode({"start": first.isoformat(), "end": today.isoformat()})


@login_required
@require_safe
def numbers_chart(request):
    _schools, _view, filters, _period, found = _numbers(request)
    if not filters.is_valid():
        raise Http404  # a chart has no page to say what is wrong with the days
    topics = [str(label) for _v, label in figures.TOPICS]
    data = (charts.DRAWING_VERSION, get_language(), topics, found.min_n, found.weeks)
    etag = f'"{hashlib.sha256(repr(data).encode()).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(charts.weekly_svg(found.weeks, topics, min_n=found.min_n), content_type="image/svg+xml")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


# --- One student's requests: export and anonymise ----------------------------------------------------------------


def _admin(request):
    if not can_export_student_help(request.user):
        raise Http404


def _student(request, student_pk: int) -> User:
    _admin(request)
    student = selectors.export_student(request.user, student_pk)
    if student is None:
        raise Http404  # another school's student, or nobody's
    return student


@login_required
@require_safe
def student_search(request):
    """Find a student of the school to export or anonymise: their names and how many requests, nothing else."""
    _admin(request)
    form = StudentSearchForm(request.GET)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    students = list(selectors.export_students(request.user, search=search)[: selectors.SEARCH_LIMIT]) if search else []
    return render(request, "peer_counselors/aggregates/students.html", {
        "form": form, "search": search, "students": students, "limit": selectors.SEARCH_LIMIT,
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def student_export(request, student_pk):
    """GET: how much an export of the student holds, and that it is recorded; POST: the file, recorded."""
    student = _student(request, student_pk)
    if request.method == "POST":
        try:
            data = services.help_requests_export(student=student, by=request.user)
        except PermissionDenied as error:
            raise Http404 from error
        body = json.dumps(
            {"exported_at": timezone.now().isoformat(), "school": request.user.school.name, **data},
            ensure_ascii=False, indent=2,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = slugify(student.username) or student.pk
        response["Content-Disposition"] = f'attachment; filename="help-requests-{name}-{timezone.localdate()}.json"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "peer_counselors/aggregates/student_export.html", {
        "student": student, "summary": selectors.student_help_summary(student, by=request.user),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def student_anonymise(request, student_pk):
    """GET: what anonymising does, and the confirmation; POST: it is done (a wrong confirmation keeps the form)."""
    student = _student(request, student_pk)
    form = AnonymiseForm(request.POST if request.method == "POST" else None, student=student)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.help_requests_anonymise(student=student, by=request.user)
        except PermissionDenied as error:
            raise Http404 from error
        messages.success(request, ngettext(
            "%(count)s help request of %(name)s was anonymised.",
            "%(count)s help requests of %(name)s were anonymised.", count,
        ) % {"count": count, "name": student.display_name})
        return redirect(reverse("peer_counselors:student_export", args=[student.pk]))
    return render(request, "peer_counselors/aggregates/student_anonymise.html", {
        "student": student, "form": form,
        "summary": selectors.student_help_summary(student, by=request.user),
    })
