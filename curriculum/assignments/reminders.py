"""Which assignment reminders are due now, as notification drafts. Read-only: the dispatcher writes.

Registered as a reminder source in ``CurriculumConfig.ready()`` (notifications.reminders). Each
reminder is keyed on the assignment and its due date, so each is made once; a due date moved later
is a new moment, and reminded again.

* each student whose work is due within a day and not turned in: "Due tomorrow" (in the app only:
  children are not e-mailed);
* the classroom's teachers, once everyone given the work has turned it in (the excused aside);
* the classroom's teachers, once the due date has passed, with how many are missing (not when
  nobody is: they had the first reminder).
"""

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from curriculum.models import Assignment, Submission
from notifications.models import Notification
from notifications.services import NotificationDraft, subject_key_for

State = Submission.State
STUDENT_NOTICE = timedelta(days=1)
# Assignments older than this are not looked at for "everyone turned in"; due dates further back than
# PASSED_LOOKBACK are not reminded (a dispatcher down for a week does not wake teachers with old news).
TURNED_IN_LOOKBACK = timedelta(days=120)
PASSED_LOOKBACK = timedelta(days=7)


def _teacher_drafts(assignment: Assignment, *, kind: str, title: str, moment: datetime) -> list[NotificationDraft]:
    return [
        NotificationDraft(
            recipient_id=teacher.pk,
            kind=kind,
            subject_key=subject_key_for(assignment),
            due_at=moment,
            title=title,
            url=reverse("curriculum:assignment", kwargs={"pk": assignment.pk}),
            email=True,
        )
        for teacher in assignment.classroom.teachers.all()
    ]


def _counted(assignments):
    return assignments.annotate(
        open_count=Count("submissions", filter=Q(submissions__state__in=(State.ASSIGNED, State.IN_PROGRESS))),
        handed_count=Count("submissions", filter=Q(submissions__state__in=(State.TURNED_IN, State.RETURNED))),
    ).select_related("classroom").prefetch_related("classroom__teachers")


def assignment_reminders_due(now: datetime) -> list[NotificationDraft]:
    drafts: list[NotificationDraft] = []
    due_soon = (
        Submission.objects.filter(
            state__in=(State.ASSIGNED, State.IN_PROGRESS),
            assignment__due_at__gt=now,
            assignment__due_at__lte=now + STUDENT_NOTICE,
            student__is_active=True,
        )
        .select_related("assignment")
        .order_by("assignment_id", "student_id")
    )
    for submission in due_soon:
        assignment = submission.assignment
        drafts.append(
            NotificationDraft(
                recipient_id=submission.student_id,
                kind=Notification.Kind.ASSIGNMENT_DUE_TOMORROW,
                subject_key=subject_key_for(assignment),
                due_at=assignment.due_at,
                title=_("Due tomorrow: %(title)s") % {"title": assignment.title},
                url=reverse("curriculum:submission", kwargs={"pk": submission.pk}),
            )
        )

    already = set(
        Notification.objects.filter(
            kind=Notification.Kind.ASSIGNMENT_ALL_TURNED_IN, created_at__gte=now - TURNED_IN_LOOKBACK
        ).values_list("subject_key", flat=True)
    )
    everyone = _counted(Assignment.objects.filter(created_at__gte=now - TURNED_IN_LOOKBACK)).filter(open_count=0, handed_count__gt=0)
    for assignment in everyone:
        if subject_key_for(assignment) in already:
            continue
        title = _("Everyone in %(classroom)s has turned in “%(title)s”.") % {
            "classroom": assignment.classroom.name, "title": assignment.title,
        }
        drafts += _teacher_drafts(
            assignment, kind=Notification.Kind.ASSIGNMENT_ALL_TURNED_IN, title=title, moment=assignment.due_at or assignment.created_at
        )

    passed = _counted(Assignment.objects.filter(due_at__lte=now, due_at__gt=now - PASSED_LOOKBACK)).filter(open_count__gt=0)
    for assignment in passed:
        title = ngettext(
            "“%(title)s” in %(classroom)s was due: %(handed)d turned in, %(n)d missing.",
            "“%(title)s” in %(classroom)s was due: %(handed)d turned in, %(n)d missing.",
            assignment.open_count,
        ) % {"title": assignment.title, "classroom": assignment.classroom.name, "handed": assignment.handed_count, "n": assignment.open_count}
        drafts += _teacher_drafts(assignment, kind=Notification.Kind.ASSIGNMENT_DUE_PASSED, title=title, moment=assignment.due_at)
    return drafts
