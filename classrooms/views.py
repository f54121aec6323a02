from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.selectors import locked_out_usernames, students_for
from accounts.services import student_passwords_reset, student_sign_in_unlock
from classrooms import calendar_views, selectors, services, session_views, visit_views
from classrooms.forms import ClassroomForm, JoinForm, NewStudentsForm, StudentChoiceForm


def _managed_classroom(request, pk):
    return get_object_or_404(selectors.classrooms_managed_by(request.user), pk=pk)


@login_required
def classroom_list(request):
    classrooms = selectors.classrooms_for(request.user)
    return render(request, "classrooms/classroom_list.html", {"classrooms": classrooms})


@login_required
def classroom_create(request):
    if request.user.role != User.Role.TEACHER:
        raise Http404
    form = ClassroomForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom = services.classroom_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is ready. Share its join code with your students, or add them yourself.") % {"name": classroom.name})
            return redirect(classroom)
    return render(request, "classrooms/classroom_form.html", {"form": form})


@login_required
def classroom_detail(request, pk):
    classroom = get_object_or_404(selectors.classrooms_for(request.user), pk=pk)
    can_manage = selectors.classroom_can_manage(request.user, classroom)
    context = {"classroom": classroom, "can_manage": can_manage}
    if can_manage:
        roster = list(selectors.classroom_roster(classroom))
        locked = locked_out_usernames(e.student.username for e in roster)
        for enrollment in roster:
            enrollment.student.is_locked_out = enrollment.student.username.lower() in locked
        context["roster"] = roster
    for part in (session_views, visit_views, calendar_views):  # each section of the page brings its own data
        context.update(part.detail_context(request, classroom, can_manage))
    return render(request, "classrooms/classroom_detail.html", context)


@login_required
@require_POST
def classroom_code_regenerate(request, pk):
    classroom = _managed_classroom(request, pk)
    services.classroom_join_code_regenerate(classroom=classroom, by=request.user)
    messages.success(request, _("New join code: %(code)s. The old code no longer works.") % {"code": classroom.join_code_display})
    return redirect(classroom)


@login_required
def classroom_join(request):
    if request.user.role != User.Role.STUDENT:
        raise Http404
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.classroom_join(student=request.user, code=form.cleaned_data["code"])
        except services.JoinRefused as refusal:
            form.add_error("code", refusal)
        else:
            messages.success(request, _("You joined %(name)s.") % {"name": enrollment.classroom.name})
            return redirect(enrollment.classroom)
    return render(request, "classrooms/join.html", {"form": form})


@login_required
@require_POST
def classroom_leave(request, pk):
    if request.user.role != User.Role.STUDENT:
        raise Http404
    classroom = get_object_or_404(selectors.classrooms_for(request.user), pk=pk)
    services.enrollment_leave(classroom=classroom, student=request.user)
    messages.success(request, _("You left %(name)s.") % {"name": classroom.name})
    return redirect("dashboard")


def _roster_student(request, classroom, student_pk):
    roster_ids = selectors.classroom_roster(classroom).values("student_id")
    return get_object_or_404(students_for(request.user).filter(pk__in=roster_ids), pk=student_pk)


@login_required
@require_POST
def enrollment_remove(request, pk, student_pk):
    classroom = _managed_classroom(request, pk)
    student = _roster_student(request, classroom, student_pk)
    services.enrollment_remove(classroom=classroom, student=student, by=request.user)
    messages.success(request, _("%(student)s was removed from %(name)s. Their account and work are kept.") % {"student": student.display_name, "name": classroom.name})
    return redirect(classroom)


@login_required
@require_POST
def student_unlock(request, pk, student_pk):
    classroom = _managed_classroom(request, pk)
    student = _roster_student(request, classroom, student_pk)
    student_sign_in_unlock(student=student, by=request.user)
    messages.success(request, _("%(student)s can sign in again now.") % {"student": student.display_name})
    return redirect(classroom)


@never_cache
@login_required
def students_add(request, pk):
    classroom = _managed_classroom(request, pk)
    form = NewStudentsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cards = services.classroom_students_create(classroom=classroom, students=form.cleaned_data["names"], by=request.user)
        return render(request, "classrooms/cards.html", {"classroom": classroom, "cards": cards, "just_created": True})
    return render(request, "classrooms/students_add.html", {"classroom": classroom, "form": form})


@never_cache
@login_required
def sign_in_cards(request, pk):
    """Printable sign-in cards. Passwords are stored hashed, so printing a card issues a new one."""
    classroom = _managed_classroom(request, pk)
    roster = students_for(request.user).filter(pk__in=selectors.classroom_roster(classroom).values("student_id")).order_by(
        "last_name", "first_name"
    )
    form = StudentChoiceForm(request.POST if request.method == "POST" else None, roster=roster)
    if request.method == "POST" and form.is_valid():
        cards = student_passwords_reset(students=list(form.cleaned_data["students"]), by=request.user)
        return render(request, "classrooms/cards.html", {"classroom": classroom, "cards": cards})
    return render(request, "classrooms/cards_choose.html", {"classroom": classroom, "form": form, "roster": roster})
