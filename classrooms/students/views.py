"""The roster on the classroom page, and looking after students' accounts: add, new passwords on cards, unlock, remove."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from classrooms import services as classroom_services
from classrooms.permissions import can_assign_teachers
from classrooms.students import selectors, services
from classrooms.students.forms import NewStudentsForm, StudentChoiceForm, StudentNameForm
from classrooms.views import managed_classroom


def roster_section(request, classroom, can_manage) -> dict | None:
    """The classroom page's roster, for its teachers and admin only: two queries (the roster, the locks)."""
    if not can_manage:
        return None
    return {
        "roster": selectors.classroom_roster_with_locks(classroom),
        "teachers": list(classroom.teachers.all()),  # prefetched with the classroom: no query
        "can_assign_teachers": can_assign_teachers(request.user, classroom),
    }


def _roster_student(request, classroom, student_pk):
    return get_object_or_404(selectors.classroom_students_for(request.user, classroom), pk=student_pk)


@login_required
@require_POST
def enrollment_remove(request, pk, student_pk):
    classroom = managed_classroom(request, pk)
    student = _roster_student(request, classroom, student_pk)
    classroom_services.enrollment_remove(classroom=classroom, student=student, by=request.user)
    messages.success(request, _("%(student)s was removed from %(name)s. Their account and work are kept.") % {"student": student.display_name, "name": classroom.name})
    return redirect(classroom)


@login_required
@require_POST
def student_unlock(request, pk, student_pk):
    classroom = managed_classroom(request, pk)
    student = _roster_student(request, classroom, student_pk)
    services.student_sign_in_unlock(student=student, by=request.user)
    messages.success(request, _("%(student)s can sign in again now.") % {"student": student.display_name})
    return redirect(classroom)


@never_cache
@login_required
def students_add(request, pk):
    classroom = managed_classroom(request, pk)
    form = NewStudentsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cards = services.classroom_students_create(classroom=classroom, students=form.cleaned_data["names"], by=request.user)
        return render(request, "classrooms/students/cards.html", {"classroom": classroom, "cards": cards, "just_created": True})
    return render(request, "classrooms/students/add.html", {"classroom": classroom, "form": form})


@never_cache
@login_required
def sign_in_cards(request, pk):
    """Printable sign-in cards. Passwords are stored hashed, so printing a card issues a new one."""
    classroom = managed_classroom(request, pk)
    roster = selectors.classroom_students_for(request.user, classroom)
    form = StudentChoiceForm(request.POST if request.method == "POST" else None, roster=roster)
    if request.method == "POST" and form.is_valid():
        cards = services.student_passwords_reset(students=list(form.cleaned_data["students"]), by=request.user)
        return render(request, "classrooms/students/cards.html", {"classroom": classroom, "cards": cards})
    return render(request, "classrooms/students/cards_choose.html", {"classroom": classroom, "form": form, "roster": roster})


@never_cache
@login_required
def student_name_edit(request, pk, student_pk):
    """Correct a student's first or last name (a paste that went wrong, a name spelled differently)."""
    classroom = managed_classroom(request, pk)
    student = _roster_student(request, classroom, student_pk)
    initial = {"first_name": student.first_name, "last_name": student.last_name}
    form = StudentNameForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.student_name_change(student=student, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Saved: %(student)s. The username stays %(username)s.") % {"student": student.display_name, "username": student.username},
            )
            return redirect(classroom.get_absolute_url() + "#roster-heading")
    return render(request, "classrooms/students/name_form.html", {"classroom": classroom, "student": student, "form": form})


@never_cache
@login_required
def student_card(request, pk, student_pk):
    """One lost card: asks first (a GET shows what will happen), then gives this one student a new password."""
    classroom = managed_classroom(request, pk)
    student = _roster_student(request, classroom, student_pk)
    if request.method == "POST":
        cards = services.student_passwords_reset(students=[student], by=request.user)
        return render(request, "classrooms/students/cards.html", {"classroom": classroom, "cards": cards})
    return render(request, "classrooms/students/card_confirm.html", {"classroom": classroom, "student": student})
