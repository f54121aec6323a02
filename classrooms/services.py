"""Every way a classroom or its roster changes."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, User
from classrooms import joincodes
from classrooms.models import Classroom, Enrollment, Theme
from classrooms.permissions import can_assign_teachers, can_create_classroom, require_classroom_manager
from classrooms.selectors import teacher_candidates
from notifications.models import Notification
from notifications.services import NotificationDraft, notifications_create_bulk, subject_key_for


def _new_join_code_fields() -> dict:
    return {
        "join_code": joincodes.generate(),
        "join_code_expires_at": timezone.now() + settings.JOIN_CODE_LIFETIME,
    }


def _save_with_fresh_code(classroom: Classroom, *, attempts: int = 5, **save_kwargs) -> None:
    """Codes are random; on the rare clash with another classroom's code, draw again."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                classroom.save(**save_kwargs)
            return
        except IntegrityError:
            clash = Classroom.objects.filter(join_code=classroom.join_code).exclude(pk=classroom.pk).exists()
            if not clash or attempt == attempts - 1:
                raise
            classroom.join_code = joincodes.generate()


@transaction.atomic
def classroom_create(*, by: User, name: str, grade: int, school_year: int) -> Classroom:
    if not can_create_classroom(by):
        raise PermissionDenied
    if Classroom.objects.filter(school_id=by.school_id, school_year=school_year, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("Your school already has a classroom with this name for that year.")})
    classroom = Classroom(school_id=by.school_id, name=name.strip(), grade=grade, school_year=school_year, **_new_join_code_fields())
    _save_with_fresh_code(classroom)
    classroom.teachers.add(by)
    return classroom


@transaction.atomic
def classroom_join_code_regenerate(*, classroom: Classroom, by: User) -> Classroom:
    """A new code, valid for the full lifetime again; the old one stops working at once."""
    require_classroom_manager(by, classroom)
    for field, value in _new_join_code_fields().items():
        setattr(classroom, field, value)
    _save_with_fresh_code(classroom, update_fields=["join_code", "join_code_expires_at"])
    return classroom


class JoinRefused(ValidationError):
    """A join code that cannot be used, with a message a child can act on."""


@dataclass(frozen=True)
class Joined:
    enrollment: Enrollment
    already_in: bool  # the student was in the classroom already: nothing changed, and the page says so


@transaction.atomic
def classroom_join(*, student: User, code: str) -> Joined:
    """Put ``student`` in the classroom with ``code``. Joining twice is not an error."""
    if student.role != User.Role.STUDENT:
        raise JoinRefused(_("Only students join classrooms with a code. Teachers create classrooms instead."))
    normalized = joincodes.normalize(code)
    if not normalized:
        raise JoinRefused(_("Type the join code your teacher gave you."))
    # Only the student's own school's codes are looked at: a code of another school reads as no code at all,
    # so the page reveals nothing about classrooms elsewhere.
    classroom = Classroom.objects.filter(join_code=normalized, school_id=student.school_id).first()
    if classroom is None:
        raise JoinRefused(
            _("There is no classroom with the code %(code)s. Check each letter and number with your teacher.")
            % {"code": code.strip()[:20]}
        )
    if classroom.join_code_expired:
        raise JoinRefused(_("This code has expired. Ask your teacher for a new one."))
    enrollment, created = Enrollment.objects.get_or_create(classroom=classroom, student=student)
    if not created and enrollment.left_at is None:
        return Joined(enrollment, already_in=True)
    if not created:
        enrollment.left_at = None
        enrollment.joined_at = timezone.now()
        enrollment.save(update_fields=["left_at", "joined_at"])
    _notify_teachers_of_join(enrollment)
    return Joined(enrollment, already_in=False)


def _notify_teachers_of_join(enrollment: Enrollment) -> None:
    classroom, student = enrollment.classroom, enrollment.student
    notifications_create_bulk(
        drafts=[
            NotificationDraft(
                recipient_id=teacher_id,
                kind=Notification.Kind.STUDENT_JOINED,
                subject_key=subject_key_for(enrollment),
                due_at=enrollment.joined_at,
                title=_("%(student)s joined %(classroom)s") % {"student": student.display_name, "classroom": classroom.name},
                url=reverse("classrooms:detail", kwargs={"pk": classroom.pk}),
                email=True,
            )
            for teacher_id in classroom.teachers.values_list("pk", flat=True)
        ]
    )


@transaction.atomic
def enrollment_remove(*, classroom: Classroom, student: User, by: User) -> None:
    """Take a student off the roster; their account and past work stay."""
    require_classroom_manager(by, classroom)
    changed = Enrollment.objects.active().filter(classroom=classroom, student=student).update(left_at=timezone.now())
    if changed:
        AuditEvent.objects.create(kind=AuditEvent.Kind.STUDENT_REMOVED, actor=by, subject=student, school_id=classroom.school_id)


@transaction.atomic
def enrollment_leave(*, classroom: Classroom, student: User) -> None:
    Enrollment.objects.active().filter(classroom=classroom, student=student).update(left_at=timezone.now())


@transaction.atomic
def person_school_moved(*, person: User, old_school_id: int | None, by: User | None) -> None:
    """Tidy what ``person`` leaves behind after their school changed to ``person.school``, and log the move.

    The scopes already ignore links outside a person's current school; this removes them, so the old
    school's pages stop listing a teacher who left, a student's enrollments end (their past work keeps its
    class) and themes they led wait for a new instructor. One AuditEvent for each school.
    """
    if old_school_id == person.school_id:
        return
    left = Classroom.objects.exclude(school_id=person.school_id) if person.school_id else Classroom.objects.all()
    Classroom.teachers.through.objects.filter(user_id=person.pk, classroom__in=left).delete()
    Enrollment.objects.active().filter(student_id=person.pk, classroom__in=left).update(left_at=timezone.now())
    Theme.objects.filter(instructor_id=person.pk, classroom__in=left).update(instructor=None)
    actor = by if by is not None and by.pk else None
    if old_school_id:
        AuditEvent.objects.create(kind=AuditEvent.Kind.SCHOOL_LEFT, actor=actor, subject=person, school_id=old_school_id)
    if person.school_id:
        AuditEvent.objects.create(kind=AuditEvent.Kind.SCHOOL_JOINED, actor=actor, subject=person, school_id=person.school_id)


def classroom_teacher_add(*, classroom: Classroom, teacher: User, by: User) -> User:
    """Make ``teacher`` a teacher of ``classroom``: the school's admin assigning one, or a teacher inviting a colleague.

    A colleague is added at once and told so (in the app and by e-mail), rather than asked to accept: they
    are of the same school, under the same admin, and either of them can have it undone; an invitation
    waiting in someone's inbox would leave an imported classroom without a teacher for longer.
    """
    require_classroom_manager(by, classroom)
    if classroom.teachers.filter(pk=teacher.pk).exists():
        return teacher  # a double click is not an error
    if not teacher_candidates(classroom).filter(pk=teacher.pk).exists():
        raise ValidationError({"teacher": _("Choose a teacher of this classroom's school.")})
    classroom.teachers.add(teacher)
    AuditEvent.objects.create(kind=AuditEvent.Kind.TEACHER_ADDED, actor=by, subject=teacher, school_id=classroom.school_id)
    if teacher.pk != by.pk:
        notifications_create_bulk(
            drafts=[
                NotificationDraft(
                    recipient_id=teacher.pk,
                    kind=Notification.Kind.TEACHER_ADDED,
                    subject_key=subject_key_for(classroom),
                    due_at=timezone.now(),
                    title=_("%(by)s added you as a teacher of %(classroom)s") % {"by": by.display_name, "classroom": classroom.name},
                    url=classroom.get_absolute_url(),
                    email=True,
                )
            ]
        )
    return teacher


@transaction.atomic
def classroom_teacher_remove(*, classroom: Classroom, teacher: User, by: User) -> bool:
    """Take ``teacher`` off ``classroom`` (the school's admin only); True if they were one of its teachers.

    The last teacher may go too (a teacher who left the school): the classroom then says it has no
    teacher, and its admin assigns another from its page. Sessions, students and work stay.
    """
    if not can_assign_teachers(by, classroom):
        raise PermissionDenied
    removed, _rows = Classroom.teachers.through.objects.filter(classroom_id=classroom.pk, user_id=teacher.pk).delete()
    if removed:
        AuditEvent.objects.create(kind=AuditEvent.Kind.TEACHER_REMOVED, actor=by, subject=teacher, school_id=classroom.school_id)
    return bool(removed)
