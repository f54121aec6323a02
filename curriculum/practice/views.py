"""A classroom's Practice page: what its students' exercises show over the year, and its chart."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import User
from classrooms.views import managed_classroom
from curriculum.practice import charts
from curriculum.practice.selectors import (
    circle_practice,
    classroom_practice,
    restatement_practice,
    student_accuracy_by_month,
)


def _points(practice) -> list[charts.Point]:
    return [charts.Point(m.month, m.accuracy, m.situational_others, m.situational_self) for m in practice.months]


def _chart_alt(practice) -> str:
    """The chart in words: where each line started and ended."""
    months = practice.months
    sentences = []
    for attr, label in charts.series_labels().items():
        shown = [(m.month, getattr(m, attr)) for m in months if getattr(m, attr) is not None]
        if not shown:
            continue
        (first_month, first), (last_month, last) = shown[0], shown[-1]
        if len(shown) == 1:
            sentences.append(_("%(what)s: %(value)d%% in %(month)s.") % {"what": label, "value": round(first * 100), "month": date_format(first_month, "F")})
        else:
            sentences.append(
                _("%(what)s: from %(first)d%% in %(start)s to %(last)d%% in %(end)s.")
                % {"what": label, "first": round(first * 100), "start": date_format(first_month, "F"),
                   "last": round(last * 100), "end": date_format(last_month, "F")}
            )
    return " ".join(sentences) or _("No scored work yet.")


@login_required
@require_safe
def practice(request, classroom_pk):
    """The classroom's teachers see each student; the school admin sees the class as a whole."""
    classroom = managed_classroom(request, classroom_pk)
    with_students = request.user.role == User.Role.TEACHER
    found = classroom_practice(classroom, with_students=with_students)
    students = [s.student for s in found.students] if with_students else None
    restatements = restatement_practice(classroom, students=students)
    circles = circle_practice(classroom, students=students)
    return render(
        request,
        "curriculum/practice/practice.html",
        {"classroom": classroom, "practice": found, "with_students": with_students, "chart_alt": _chart_alt(found),
         "chart_size": charts.SIZE_PX, "restatements": restatements, "circles": circles},
    )


@login_required
@require_safe
def practice_chart(request, classroom_pk):
    classroom = managed_classroom(request, classroom_pk)
    points = _points(classroom_practice(classroom, with_students=False))
    digest = hashlib.sha256(repr((charts.DRAWING_VERSION, get_language(), points)).encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(charts.practice_svg(points), content_type="image/svg+xml")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_safe
def my_practice(request):
    """A student's own practice over the year: how close their feelings guesses came, month by month."""
    if request.user.role != User.Role.STUDENT:
        raise Http404
    zone = request.user.school.zone if request.user.school_id else None
    months = student_accuracy_by_month(request.user, zone=zone) if zone else []
    shown = [{"month": month, "percent": round(share * 100)} for month, share in months]
    return render(request, "curriculum/practice/my_practice.html", {"months": shown})
