"""Which survey reminders are due now, as notification drafts. Read-only: the dispatcher writes.

Registered as a reminder source in ``SurveysConfig.ready()`` (notifications.reminders). Each reminder is
keyed on the window and its closing moment, so each is made once; a window extended (or closed early) has
a new closing moment, and is reminded again for it.

* each student enrolled now in an open window's classrooms who has not handed in all their forms, once
  the window closes within two days: "closes soon" (in the app only: children are not e-mailed). A student
  who left the class, or finished (an anonymous window: their participation), hears nothing;
* when a window has closed: whoever opened it and the school's admins, with its response rate (counted as
  the cycle page counts it: the students enrolled now).
"""

from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import Classroom
from notifications.models import Notification
from notifications.services import NotificationDraft, subject_key_for
from surveys.models import Instrument, SurveyWindow
from surveys.windows.selectors import forms_needed, total, window_progress, window_rates

CLOSING_NOTICE = timedelta(days=2)
# Windows that closed longer ago than this are not reported (a dispatcher down for a week does not wake
# admins with old news: the cycle page has the figures).
CLOSED_LOOKBACK = timedelta(days=7)


def _windows(**filters):
    return (
        SurveyWindow.objects.filter(**filters)
        .select_related("cycle", "created_by")
        .prefetch_related(
            Prefetch("instruments", queryset=Instrument.objects.order_by("pk")),
            Prefetch("classrooms", queryset=Classroom.objects.order_by("pk"), to_attr="shown_classrooms"),
        )
        .order_by("pk")
    )


def _closing_soon(now: datetime) -> list[NotificationDraft]:
    windows = {w.pk: w for w in _windows(opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + CLOSING_NOTICE)}
    if not windows:
        return []
    rows = (
        window_progress(windows)
        .values_list("window_id", "student_id", "classroom__grade", "done")
        .order_by("window_id", "student_id")
    )
    drafts, seen = [], set()
    for window_id, student_id, grade, done in rows:
        window = windows[window_id]
        needed = forms_needed(window, grade)
        if not needed or done >= needed or (window_id, student_id) in seen:
            continue
        seen.add((window_id, student_id))
        drafts.append(
            NotificationDraft(
                recipient_id=student_id,
                kind=Notification.Kind.SURVEY_CLOSING_SOON,
                subject_key=subject_key_for(window),
                due_at=window.closes_at,
                title=_("“%(title)s” closes soon. There is still time to answer it!") % {"title": window.cycle.title},
                url=reverse("dashboard"),
            )
        )
    return drafts


def _closed(now: datetime) -> list[NotificationDraft]:
    windows = list(_windows(closes_at__lte=now, closes_at__gt=now - CLOSED_LOOKBACK))
    if not windows:
        return []
    rates = window_rates(windows)  # every classroom of the window: the rate its opener and the admins read
    admins: dict[int, list[int]] = {}
    for pk, school_id in User.objects.filter(
        role=User.Role.SCHOOL_ADMIN, is_active=True, school_id__in={w.cycle.school_id for w in windows}
    ).values_list("pk", "school_id"):
        admins.setdefault(school_id, []).append(pk)
    drafts = []
    for window in windows:
        whole = total(rates.get(window.pk, []))
        title = _(
            "The %(phase)s window of “%(title)s” has closed: %(submitted)d of %(enrolled)d students handed it in (%(percent)s)."
        ) % {
            "phase": window.get_phase_display().lower(),
            "title": window.cycle.title,
            "submitted": whole.submitted,
            "enrolled": whole.enrolled,
            "percent": f"{whole.percent}%" if whole.percent is not None else "—",
        }
        recipients = set(admins.get(window.cycle.school_id, []))
        opener = window.created_by
        if opener is not None and opener.is_active and opener.school_id == window.cycle.school_id:
            recipients.add(opener.pk)
        drafts += [
            NotificationDraft(
                recipient_id=pk,
                kind=Notification.Kind.SURVEY_CLOSED,
                subject_key=subject_key_for(window),
                due_at=window.closes_at,
                title=title,
                url=reverse("surveys:cycle", kwargs={"pk": window.cycle_id}),
                email=True,
            )
            for pk in sorted(recipients)
        ]
    return drafts


def survey_reminders_due(now: datetime) -> list[NotificationDraft]:
    return _closing_soon(now) + _closed(now)
