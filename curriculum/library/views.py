"""The lesson library for the adults of a school: browse and search it, read a lesson as a lesson plan (and
print it), preview its activities as a student sees them, make one's own copy, write and edit one's own
lessons and activities, send an activity on to be assigned, and choose the lesson a session teaches.

Students never open these pages (a 404): they see what is assigned to them. Lessons are fetched through
the scoped selectors only, so another teacher's copy answers 404 like a lesson that does not exist.
"""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from classrooms.program.selectors import classroom_sessions_for
from classrooms.selectors import classrooms_managed_by
from curriculum import content
from curriculum.content import ASSIGNABLE_KINDS, INDIVIDUAL_KINDS, LIVE_RUN_KINDS, Kind, band_for_grade
from curriculum.feelings import WHEEL
from curriculum.library import selectors, services
from curriculum.library.activity_forms import ACTIVITY_FORMS, StoryInnerStateForm
from curriculum.library.filters import LibraryFilter
from curriculum.library.forms import LessonForm, SessionPlanForm
from curriculum.models import BAND_CHOICES, PROGRAM_CHOICES
from curriculum.permissions import can_browse_library, can_write_lessons

PART_ORDER = {content.Part.PRE_VISIT: 0, content.Part.FAMILY_VISIT: 1, content.Part.POST_VISIT: 2, content.Part.LESSON: 3}
BAND_ORDER = {content.Band.K2: 0, content.Band.G3_5: 1, content.Band.G6_8: 2}
PROGRAM_ORDER = {content.Program.BABY_VISITS: 0, content.Program.CARING_COMMUNITY: 1}
PROGRAM_LABELS, BAND_LABELS = dict(PROGRAM_CHOICES), dict(BAND_CHOICES)
LANGUAGES = ("en", "es")


def _adults_only(request) -> None:
    if not can_browse_library(request.user):
        raise Http404


def _add_service_error(form, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it is about, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        field = form.service_error_field(key) if hasattr(form, "service_error_field") else (key if key in form.fields else None)
        form.add_error(field, errors)


def _library_order(lesson) -> tuple:
    return (
        PROGRAM_ORDER.get(lesson.program, 9), BAND_ORDER.get(lesson.band, 9), lesson.theme,
        PART_ORDER.get(lesson.part, 9), lesson.title.casefold(), lesson.pk,
    )


def _themes(lessons) -> list[dict]:
    return [
        {"number": number, "title": title, "lessons": list(rows)}
        for (number, title), rows in groupby(lessons, key=lambda lesson: (lesson.theme, lesson.theme_title))
    ]


def library_groups(lessons, user) -> list[dict]:
    """The lessons as the library shows them: the teacher's own first, then each program and grade band,
    theme by theme, a Baby-visits theme's lessons in teaching order (before, during, after the visit)."""
    lessons = sorted(lessons, key=_library_order)
    groups = []
    mine = [lesson for lesson in lessons if lesson.owner_id is not None]
    if mine:
        groups.append({"key": "mine", "title": _("My lessons"), "count": len(mine), "themes": [{"lessons": mine}], "mine": True})
    shipped = [lesson for lesson in lessons if lesson.owner_id is None]
    for (program, band), rows in groupby(shipped, key=lambda lesson: (lesson.program, lesson.band)):
        rows = list(rows)
        groups.append({
            "key": f"{program}-{band}".replace("_", "-"),
            "title": _("%(program)s · %(band)s") % {"program": PROGRAM_LABELS.get(program, program), "band": BAND_LABELS.get(band, band)},
            "count": len(rows),
            "themes": _themes(rows),
        })
    return groups


@login_required
@require_safe
def library(request):
    _adults_only(request)
    filters = LibraryFilter(request.GET or None, queryset=selectors.library_lessons(request.user), request=request)
    lessons = list(filters.qs)
    context = {
        "filters": filters,
        "groups": library_groups(lessons, request.user),
        "count": len(lessons),
        "can_write": can_write_lessons(request.user),
    }
    return render(request, "curriculum/library/library.html", context)


def _lesson_of(request, pk):
    return get_object_or_404(selectors.lesson_page(request.user, pk))


def _with_content(activities) -> list:
    """Each activity with its content read by its kind's schema (``spec``) and its instructions as a ``Text``."""
    activities = list(activities)
    for activity in activities:
        activity.spec = content.content_validate(activity.kind, activity.content)
        activity.instructions_text = content.Text.model_validate(activity.instructions)
        activity.title_text = content.Text(en=activity.title, es=activity.title_es or None)
        activity.assignable = activity.kind in ASSIGNABLE_KINDS
        activity.live_startable = activity.kind in LIVE_RUN_KINDS
        activity.editable = activity.kind in ACTIVITY_FORMS
        activity.reason_rows = range(getattr(activity.spec, "explanations_min", 0))
    return activities


def _assign_context(request) -> dict:
    """The classrooms the viewer may give work to, and the classroom and session the sessions list came from
    (``?classroom=&session=``, only when they are the viewer's to manage)."""
    classrooms = list(classrooms_managed_by(request.user))
    chosen = next((c for c in classrooms if str(c.pk) == request.GET.get("classroom", "")), None)
    session = None
    if chosen is not None and request.GET.get("session", "").isdigit() and len(request.GET["session"]) < 19:
        session = classroom_sessions_for(request.user, chosen, manage=True).filter(pk=request.GET["session"]).first()
    return {"classrooms": classrooms, "chosen_classroom": chosen, "chosen_session": session}


@login_required
@require_safe
def lesson_detail(request, pk):
    lesson = _lesson_of(request, pk)
    can_edit = selectors.lessons_managed_by(request.user).filter(pk=lesson.pk).exists()
    context = {
        "lesson": lesson,
        "activities": _with_content(lesson.activities.all()),
        "can_edit": can_edit,
        "can_copy": can_write_lessons(request.user),
        "activities_max": services.ACTIVITIES_MAX,
        "kinds": [(kind.value, kind in INDIVIDUAL_KINDS) for kind in Kind],
        **_assign_context(request),
    }
    return render(request, "curriculum/library/lesson_detail.html", context)


@login_required
@require_safe
def lesson_preview(request, pk):
    """Each activity as a student reads it, in English or Spanish (``?lang=``), nothing to answer."""
    lesson = _lesson_of(request, pk)
    language = request.GET.get("lang")
    if language not in LANGUAGES:
        language = (get_language() or "en")[:2]
        language = language if language in LANGUAGES else "en"
    wheel = [{"name": name, "family": family} for family, names in WHEEL.items() for name in names]
    context = {"lesson": lesson, "activities": _with_content(lesson.activities.all()), "lang": language, "feelings": wheel}
    return render(request, "curriculum/library/lesson_preview.html", context)


@login_required
@require_POST
def lesson_copy(request, pk):
    if not can_write_lessons(request.user):
        raise Http404
    lesson = get_object_or_404(selectors.lessons_for(request.user), pk=pk)
    copy = services.lesson_duplicate(lesson=lesson, by=request.user)
    messages.success(request, _("This is your own copy of “%(title)s”: change it as you like. The library's lesson stays as it was.") % {"title": lesson.title})
    return redirect(copy)


def _lesson_form_page(request, form, lesson=None):
    return render(request, "curriculum/library/lesson_form.html", {"form": form, "lesson": lesson})


@login_required
def lesson_create(request):
    if not can_write_lessons(request.user):
        raise Http404
    form = LessonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_create(by=request.user, **form.lesson_fields())
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Lesson saved. Now add its first activity."))
            return redirect(lesson.get_absolute_url() + "#activities")
    return _lesson_form_page(request, form)


@login_required
def lesson_edit(request, pk):
    lesson = get_object_or_404(selectors.lessons_managed_by(request.user), pk=pk)
    form = LessonForm(request.POST if request.method == "POST" else None, initial=LessonForm.initial_for(lesson))
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_update(lesson=lesson, by=request.user, **form.lesson_fields())
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Lesson saved."))
            return redirect(lesson)
    return _lesson_form_page(request, form, lesson)


@login_required
@require_POST
def lesson_delete(request, pk):
    lesson = get_object_or_404(selectors.lessons_managed_by(request.user), pk=pk)
    unplanned = services.lesson_delete(lesson=lesson, by=request.user)
    text = _("“%(title)s” is deleted.") % {"title": lesson.title}
    if unplanned:
        text += " " + ngettext(
            "%(n)d session it was planned for has no lesson planned now.",
            "%(n)d sessions it was planned for have no lesson planned now.", unplanned,
        ) % {"n": unplanned}
    messages.success(request, text)
    return redirect("curriculum:library")


def _activity_form_page(request, lesson, form, activity=None):
    context = {"lesson": lesson, "form": form, "activity": activity, "kind": form.kind}
    return render(request, "curriculum/library/activity_form.html", context)


def _more_rows(form_class, request):
    """The story form again with one more row of questions (the form counts it), what was typed kept, nothing saved."""
    return form_class.as_typed(request.POST, rows=form_class(request.POST).rows)


@login_required
def activity_create(request, pk):
    lesson = get_object_or_404(selectors.lessons_managed_by(request.user), pk=pk)
    kind = (request.POST if request.method == "POST" else request.GET).get("kind", "")
    form_class = ACTIVITY_FORMS.get(kind)
    if form_class is None:
        kinds = [(k.value, k in INDIVIDUAL_KINDS) for k in Kind]
        return render(request, "curriculum/library/activity_kind.html", {"lesson": lesson, "kinds": kinds})
    if request.method == "POST" and form_class is StoryInnerStateForm and "more_questions" in request.POST:
        return _activity_form_page(request, lesson, _more_rows(form_class, request))
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(lesson=lesson, by=request.user, kind=kind, **form.activity_fields())
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Activity added."))
            return redirect(f"{lesson.get_absolute_url()}#activity-{activity.pk}")
    return _activity_form_page(request, lesson, form)


@login_required
def activity_edit(request, pk, activity_pk):
    lesson = get_object_or_404(selectors.lessons_managed_by(request.user), pk=pk)
    activity = get_object_or_404(selectors.activities_of(lesson), pk=activity_pk)
    form_class = ACTIVITY_FORMS.get(activity.kind)
    if form_class is None:
        raise Http404
    initial = form_class.initial_for(activity)
    if request.method == "POST" and form_class is StoryInnerStateForm and "more_questions" in request.POST:
        return _activity_form_page(request, lesson, _more_rows(form_class, request), activity)
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_update(activity=activity, by=request.user, **form.activity_fields(existing=activity.content))
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(f"{lesson.get_absolute_url()}#activity-{activity.pk}")
    return _activity_form_page(request, lesson, form, activity)


@login_required
@require_POST
def activity_delete(request, pk, activity_pk):
    lesson = get_object_or_404(selectors.lessons_managed_by(request.user), pk=pk)
    activity = get_object_or_404(selectors.activities_of(lesson), pk=activity_pk)
    services.activity_delete(activity=activity, by=request.user)
    messages.success(request, _("“%(title)s” is removed from the lesson.") % {"title": activity.title})
    return redirect(f"{lesson.get_absolute_url()}#activities")


@login_required
@require_safe
def activity_assign(request, pk, activity_pk):
    """On to the assignment page of the chosen classroom (``?classroom=``, and ``?session=`` from the sessions list)."""
    lesson = get_object_or_404(selectors.lessons_for(request.user), pk=pk)
    activity = get_object_or_404(selectors.activities_of(lesson).filter(kind__in=[k.value for k in INDIVIDUAL_KINDS]), pk=activity_pk)
    assign = _assign_context(request)
    classroom = assign["chosen_classroom"]
    if classroom is None:
        raise Http404
    query = {"activity": activity.pk}
    if assign["chosen_session"] is not None:
        query["session"] = assign["chosen_session"].pk
    return redirect(reverse("curriculum:assignment_create", kwargs={"classroom_pk": classroom.pk}) + "?" + urlencode(query))


# --- The lesson planned for a session ------------------------------------------------------------------------


def _sessions_url(classroom, session) -> str:
    return reverse("classrooms:sessions", kwargs={"pk": classroom.pk}) + f"#session-{session.pk}"


@login_required
def session_plan(request, pk, session_pk):
    """Choose the library lesson a session teaches, among those of the classroom's grade band."""
    classroom = get_object_or_404(classrooms_managed_by(request.user), pk=pk)
    session = get_object_or_404(classroom_sessions_for(request.user, classroom, manage=True), pk=session_pk)
    band = band_for_grade(classroom.grade)
    lessons = selectors.lessons_for_band(request.user, band)
    if request.method == "POST":
        form = SessionPlanForm(request.POST, lessons=lessons)
        if form.is_valid():
            lesson = form.cleaned_data["lesson"]
            if lesson is None:
                services.session_plan_clear(session=session, by=request.user)
                messages.success(request, _("The session has no lesson planned now."))
            else:
                services.session_plan_set(session=session, lesson=lesson, by=request.user)
                messages.success(request, _("“%(title)s” is planned for this session.") % {"title": lesson.title})
            return redirect(_sessions_url(classroom, session))
        messages.error(request, _("Choose one of the lessons listed."))
    filters = LibraryFilter(request.GET or None, queryset=lessons, request=request)
    plan = selectors.session_plans([session.pk], user=request.user).get(session.pk)
    slug = services.visit_lesson_slug(grade=classroom.grade, kind=session.kind, theme_number=session.theme.number if session.theme else None)
    suggested = lessons.filter(slug=slug).first() if slug else None
    found = list(filters.qs)
    context = {
        "classroom": classroom, "session": session, "can_manage": True, "band_label": BAND_LABELS.get(band, band),
        "filters": filters, "groups": library_groups(found, request.user), "count": len(found),
        "plan": plan, "suggested": suggested,
    }
    return render(request, "curriculum/library/session_plan.html", context)


def session_plan_part(request, classroom, sessions, can_manage) -> dict[int, dict] | None:
    """A row of the sessions list: the lesson planned for the session, for the adults who read the list
    (a colleague's own lesson is not named to whoever may not open it). One query for every row."""
    user = request.user
    if not can_browse_library(user):
        return None
    plans = selectors.session_plans([s.pk for s in sessions], user=user)
    rows = {}
    for session in sessions:
        plan = plans.get(session.pk)
        if plan is None and not can_manage:
            continue
        rows[session.pk] = {"plan": plan, "plan_can_manage": can_manage}
    return rows
