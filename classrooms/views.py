"""Classrooms: the list, creating one, its page (built from the registered sections), join codes, joining and leaving."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts import throttle
from accounts.data_versions import kept_page
from accounts.models import User
from classrooms import selectors, services
from classrooms.forms import ClassroomForm, JoinForm, TeacherChoiceForm
from classrooms.permissions import can_assign_teachers, can_create_classroom, can_manage_classroom
from classrooms.sections import sections_render


def managed_classroom(request, pk):
    """The classroom ``pk`` if the signed-in user may change it; any other id is a 404."""
    return get_object_or_404(selectors.classrooms_managed_by(request.user), pk=pk)


def visible_classroom(request, pk):
    """The classroom ``pk`` if the signed-in user may open it; any other id is a 404."""
    return get_object_or_404(selectors.classrooms_for(request.user), pk=pk)


@login_required
def classroom_list(request):
    classrooms = selectors.classrooms_for(request.user)
    return render(request, "classrooms/classroom_list.html", {"classrooms": classrooms})


@login_required
def classroom_create(request):
    if not can_create_classroom(request.user):
        raise Http404
    form = ClassroomForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            classroom = services.classroom_create(
                by=request.user, name=data["name"], grade=data["grade"], school_year=data["school_year"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is ready. Share its join code with your students, or add them yourself.") % {"name": classroom.name})
            return redirect(classroom)
    return render(request, "classrooms/classroom_form.html", {"form": form})


@login_required
@kept_page
def classroom_detail(request, pk):
    classroom = visible_classroom(request, pk)
    can_manage = can_manage_classroom(request.user, classroom)
    context = {"classroom": classroom, "can_manage": can_manage, "sections": sections_render(request, classroom, can_manage)}
    return render(request, "classrooms/classroom_detail.html", context)


def join_code_section(request, classroom, can_manage) -> dict | None:
    """The join-code card, for the people who may hand the code out or make a new one (no query)."""
    return {} if can_manage else None


@login_required
@require_safe
def classroom_code_display(request, pk):
    """The join code alone, as large as the screen allows, for a projector or a whiteboard."""
    classroom = managed_classroom(request, pk)
    join_url = request.build_absolute_uri(reverse("classrooms:join"))
    context = {"classroom": classroom, "join_address": join_url.split("://", 1)[-1]}
    return render(request, "classrooms/join_code_display.html", context)


@login_required
@require_POST
def classroom_code_regenerate(request, pk):
    classroom = managed_classroom(request, pk)
    classroom = services.classroom_join_code_regenerate(classroom=classroom, by=request.user)
    messages.success(request, _("New join code: %(code)s. The old code no longer works.") % {"code": classroom.join_code_display})
    return redirect(classroom.get_absolute_url() + "#join_code")


def _teachers_url(classroom) -> str:
    return reverse("classrooms:teachers", kwargs={"pk": classroom.pk})


@never_cache
@login_required
def classroom_teachers(request, pk):
    """Who teaches the classroom: its admin assigns and removes teachers; a teacher adds a colleague as co-teacher."""
    classroom = managed_classroom(request, pk)
    candidates = selectors.teacher_candidates(classroom)
    form = TeacherChoiceForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        teacher = form.cleaned_data["teacher"]
        try:
            services.classroom_teacher_add(classroom=classroom, teacher=teacher, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if teacher.pk == request.user.pk:
                text = _("You now teach %(name)s.") % {"name": classroom.name}
            else:
                text = _("%(teacher)s now teaches %(name)s and was told so.") % {"teacher": teacher.display_name, "name": classroom.name}
            messages.success(request, text)
            return redirect(_teachers_url(classroom))
    context = {
        "classroom": classroom,
        "teachers": selectors.classroom_teachers(classroom),
        "form": form,
        "has_candidates": form.fields["teacher"].queryset.exists(),
        "can_assign": can_assign_teachers(request.user, classroom),
    }
    return render(request, "classrooms/teachers.html", context)


@login_required
@require_POST
def classroom_teacher_remove(request, pk, teacher_pk):
    classroom = managed_classroom(request, pk)
    if not can_assign_teachers(request.user, classroom):
        raise Http404
    teacher = get_object_or_404(classroom.teachers.all(), pk=teacher_pk)
    services.classroom_teacher_remove(classroom=classroom, teacher=teacher, by=request.user)
    messages.success(request, _("%(teacher)s no longer teaches %(name)s.") % {"teacher": teacher.display_name, "name": classroom.name})
    return redirect(_teachers_url(classroom))


@login_required
def classroom_join(request):
    if request.user.role != User.Role.STUDENT:
        raise Http404
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Wrong codes are counted per student and per address, so nobody can try codes until one works.
        window = settings.JOIN_WRONG_CODES_WINDOW_MINUTES * 60
        by_student = throttle.key_for("join-student", str(request.user.pk))
        by_address = throttle.key_for("join-address", throttle.client_address(request))
        if (
            throttle.tries(by_student) >= settings.JOIN_WRONG_CODES_PER_STUDENT
            or throttle.tries(by_address) >= settings.JOIN_WRONG_CODES_PER_ADDRESS
        ):
            form.add_error(
                "code",
                _("That was too many wrong codes in a row. Wait %(minutes)s minutes, then ask your teacher to show you the code again.")
                % {"minutes": settings.JOIN_WRONG_CODES_WINDOW_MINUTES},
            )
            return render(request, "classrooms/join.html", {"form": form}, status=429)
        try:
            joined = services.classroom_join(student=request.user, code=form.cleaned_data["code"])
        except services.JoinRefused as refusal:
            throttle.record(by_student, window_seconds=window)
            throttle.record(by_address, window_seconds=window)
            form.add_error("code", refusal)
        else:
            throttle.forget(by_student)
            classroom = joined.enrollment.classroom
            if joined.already_in:
                messages.info(request, _("You are already in %(name)s.") % {"name": classroom.name})
            else:
                messages.success(request, _("You joined %(name)s.") % {"name": classroom.name})
            return redirect(classroom)
    return render(request, "classrooms/join.html", {"form": form})


@login_required
@require_POST
def classroom_leave(request, pk):
    if request.user.role != User.Role.STUDENT:
        raise Http404
    classroom = visible_classroom(request, pk)
    services.enrollment_leave(classroom=classroom, student=request.user)
    messages.success(request, _("You left %(name)s.") % {"name": classroom.name})
    return redirect("dashboard")
