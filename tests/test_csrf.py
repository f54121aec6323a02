"""Every view that accepts a POST refuses one without a CSRF token, and changes nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import AuditEvent
from classrooms.models import BabyObservation, Classroom, Enrollment, ProgramYear, Session, Theme, VisitingFamily
from curriculum.models import Activity, Assignment, Lesson, SessionPlan, Submission, SubmissionEvent
from notifications.models import Notification
from tests.factories import (
    PASSWORD,
    ClassroomFactory,
    NotificationFactory,
    SessionFactory,
    StudentFactory,
    ThemeFactory,
    VisitingFamilyFactory,
)

pytestmark = pytest.mark.django_db

def our_url_names(patterns=None, namespace=""):
    """Every named route Heard serves, found in the resolver, whatever app adds it (the Django admin is
    Django's business). A new app's views are walked without anyone adding them here."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from our_url_names(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"the route {entry.pattern} has no name: the walkers cannot reverse it"
            yield f"{namespace}:{entry.name}" if namespace else entry.name, entry.pattern.converters


def snapshot():
    return (
        Classroom.objects.values_list("join_code").first(),
        Enrollment.objects.active().count(),
        Notification.objects.filter(read_at__isnull=True).count(),
        AuditEvent.objects.count(),
        list(Session.objects.values_list("pk", "starts_at", "status", "title", "note")),
        list(VisitingFamily.objects.values_list("pk", "name")),
        list(Theme.objects.values_list("pk", "title", "family", "instructor")),
        BabyObservation.objects.count(),
        ProgramYear.objects.count(),
        list(Classroom.objects.values_list("calendar_token")),
        list(Classroom.teachers.through.objects.values_list("classroom", "user")),
        list(VisitingFamily.objects.values_list("contact_phone")),
        # curriculum-assignments
        list(Assignment.objects.values_list("pk", "instructions", "due_at")),
        list(Submission.objects.order_by("pk").values_list("pk", "state", "answer", "feedback", "rubric_scores")),
        SubmissionEvent.objects.count(),
        list(Lesson.objects.order_by("pk").values_list("pk", "title", "owner", "updated_at")),
        list(Activity.objects.order_by("pk").values_list("pk", "lesson", "title", "content")),
        list(SessionPlan.objects.order_by("pk").values_list("session", "lesson", "planned_by")),
    )


# The routes whose views take a POST (each changes something when the token is there).
TAKES_POST = {
    "login", "logout", "password_change", "password_reset", "password_reset_confirm", "classrooms:create",
    "classrooms:join", "classrooms:code_regenerate", "classrooms:enrollment_remove", "classrooms:student_unlock",
    "classrooms:students_add", "classrooms:cards", "notifications:read", "notifications:read_all",
    "classrooms:program_year", "classrooms:session_reschedule", "classrooms:session_cancel", "classrooms:session_held",
    "classrooms:session_title", "classrooms:family_create", "classrooms:family_edit", "classrooms:theme_edit",
    "classrooms:observation", "classrooms:calendar_link", "classrooms:leave", "classrooms:roster_import",
    "classrooms:roster_import_confirm", "set_language", "classrooms:teachers", "classrooms:teacher_remove",
    "classrooms:student_name", "classrooms:student_card",
    "curriculum:assignment_create", "curriculum:submission_save", "curriculum:submission_turn_in",
    "curriculum:submission_reclaim", "curriculum:submission_review", "curriculum:submission_excuse",
    "curriculum:lesson_create", "curriculum:lesson_copy", "curriculum:lesson_edit", "curriculum:lesson_delete",
    "curriculum:activity_create", "curriculum:activity_edit", "curriculum:activity_delete", "curriculum:session_plan",
    "surveys:take", "surveys:answer", "surveys:submit", "surveys:teacher_report",
}


def test_every_post_view_refuses_a_request_without_a_csrf_token():
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    teacher = classroom.teachers.get()
    note = NotificationFactory(recipient=teacher)
    family = VisitingFamilyFactory(classroom=classroom)
    theme = ThemeFactory(classroom=classroom, family=family)
    visit = SessionFactory(
        classroom=classroom, theme=theme, kind=Session.Kind.FAMILY_VISIT, starts_at=timezone.now() - timedelta(days=1)
    )
    ids = {"pk": classroom.pk, "student_pk": student.pk, "uidb64": "MQ", "token": "set-password",
           "session_pk": visit.pk, "family_pk": family.pk, "theme_pk": theme.pk, "teacher_pk": teacher.pk,
           "activity_pk": 1, "classroom_pk": classroom.pk, "window_pk": 1, "instrument_pk": 1,
           "slot_pk": 1, "view": "teacher", "restatement_pk": 1}
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    before = snapshot()
    answers = {}
    for name, converters in our_url_names():
        kwargs = {key: ids[key] for key in converters}
        if name == "notifications:read":
            kwargs = {"pk": note.pk}
        response = client.post(
            reverse(name, kwargs=kwargs),
            {"code": "X", "names": "A B", "students": [student.pk], "action": "on", "title": "T", "note": "N",
             "name": "F", "date": "2030-01-01", "time": "10:00", "teacher": teacher.pk, "first_name": "A"},
        )
        answers[name] = response.status_code
    assert snapshot() == before
    # Django's CSRF middleware refuses a token-less POST before any view runs, so every route answers 403,
    # whichever methods its view takes; the routes that do take a POST are all among them.
    assert answers == dict.fromkeys(answers, 403)
    assert TAKES_POST <= set(answers), "a route in TAKES_POST no longer exists"


def test_sign_in_without_a_token_is_refused():
    student = StudentFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": student.username, "password": PASSWORD})
    assert response.status_code == 403
