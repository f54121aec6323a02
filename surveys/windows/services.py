"""Opening survey cycles and their windows, and changing a window's dates: every write of this part.

A cycle is opened with its pre window (``cycle_open``); its post window comes later (``post_window_open``),
over the same forms by default. The rules a window's plan must keep are checked here, all at once, so a
page can show every problem beside the field it is about (``WindowRefused``; the forms run the same
``date_problems`` and ``form_problems`` in their ``clean``, so that a plan with a missing field shows the
rest of its problems too):

* it closes after it opens, after now, and within two years;
* it has at least one form and one classroom, each the opener may use (another school's is refused);
* two forms answered by the same respondent (two self-reports, say) never share a grade: each student
  must get one form of each kind, and outcomes never pool two instruments;
* every classroom's grade has a form its students answer (a self-report or a peer nomination);
* an anonymous cycle uses self-reports only: a teacher report and a peer nomination are about named
  students, so they would keep the very link anonymity promises to drop;
* the post window opens once the pre window has closed: students answering both at once would make the
  change between them meaningless (the pre window can be closed early to start the post one sooner).

A window that has opened keeps its opening moment (responses were given under it); its closing can move
earlier (closing early, ``window_close``) or later (extending, even after it closed). An anonymous cycle
stays anonymous; a confidential one may become anonymous only before anyone has answered.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import Classroom
from surveys.models import Instrument, Phase, Respondent, Response, SurveyCycle, SurveyWindow
from surveys.permissions import STUDENT_ANSWERED, can_open_windows, cycle_manage_scope
from surveys.services import SurveyRefused
from surveys.windows.selectors import classrooms_for_windows, instruments_for_windows

TITLE_MAX = SurveyCycle._meta.get_field("title").max_length
HORIZON = timedelta(days=2 * 365)
UNCHANGED = object()  # window_reschedule: leave the opening moment as it is


class WindowRefused(SurveyRefused):
    """A window's plan with problems: ``problems`` is every (field, message), the field None for the whole form."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__(problems[0][1], field=problems[0][0])
        self.problems = problems


def _grade(grade: int) -> str:
    return "K" if grade == 0 else str(grade)


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def date_problems(
    *, opens_at: datetime, closes_at: datetime, now: datetime, not_before: datetime | None = None, opened: bool = False
) -> list[tuple[str | None, str]]:
    """The dates' rules of the module's docstring that a plan breaks, as (field, message). ``not_before``: the
    earliest moment it may open (the pre window's close, for a post window); ``opened``: the window has opened
    already, so its opening is not checked."""
    problems: list[tuple[str | None, str]] = []
    if closes_at <= opens_at:
        problems.append(("closes_at", _("The survey must close after it opens. Choose a later closing time.")))
    elif closes_at <= now:
        problems.append(("closes_at", _("That closing time has already passed. Choose one from now on.")))
    if closes_at > now + HORIZON or opens_at > now + HORIZON:
        problems.append(("closes_at", _("Choose dates within the next two years.")))
    if not_before and opens_at < not_before and not opened:
        problems.append(
            (
                "opens_at",
                _("The pre survey closes on %(when)s: the post survey can open then or later.")
                % {"when": _when(not_before)},
            )
        )
    return problems


def form_problems(
    *, instruments: list[Instrument], classrooms: list[Classroom], anonymous: bool
) -> list[tuple[str | None, str]]:
    """The forms' and classrooms' rules of the module's docstring that a plan breaks, as (field, message)."""
    problems: list[tuple[str | None, str]] = []
    if not instruments:
        problems.append(("instruments", _("Choose at least one form.")))
    if not classrooms:
        problems.append(("classrooms", _("Choose at least one classroom.")))
    for i, first in enumerate(instruments):
        for second in instruments[i + 1 :]:
            if (
                first.respondent == second.respondent
                and first.grade_min <= second.grade_max
                and second.grade_min <= first.grade_max
            ):
                problems.append(
                    (
                        "instruments",
                        _(
                            "“%(a)s” and “%(b)s” are both for grade %(grade)s and answered the same way (%(kind)s): "
                            "choose one of them."
                        )
                        % {
                            "a": first,
                            "b": second,
                            "kind": first.get_respondent_display().lower(),
                            "grade": _grade(max(first.grade_min, second.grade_min)),
                        },
                    )
                )
    if anonymous:
        named = [i for i in instruments if i.respondent != Respondent.STUDENT]
        if named:
            problems.append(
                (
                    "instruments",
                    _("An anonymous survey can use self-reports only: “%(form)s” is about named students.")
                    % {"form": named[0]},
                )
            )
    if instruments:
        for classroom in classrooms:
            if not any(i.respondent in STUDENT_ANSWERED and i.covers(classroom.grade) for i in instruments):
                problems.append(
                    (
                        "instruments",
                        _("%(classroom)s (%(grade)s): none of the chosen forms is for students of that grade.")
                        % {"classroom": classroom.name, "grade": classroom.get_grade_display()},
                    )
                )
    return problems


def _require_manager(cycle: SurveyCycle, by: User) -> None:
    if not SurveyCycle.objects.filter(cycle_manage_scope(by), pk=cycle.pk).exists():
        raise PermissionDenied


def _checked(by: User, instruments: Iterable[Instrument], classrooms: Iterable[Classroom]):
    """The forms and classrooms as rows ``by`` may use; anything else (another school's) is PermissionDenied."""
    instruments, classrooms = list(instruments), list(classrooms)
    usable_instruments = set(
        instruments_for_windows(by).filter(pk__in=[i.pk for i in instruments]).values_list("pk", flat=True)
    )
    usable_classrooms = set(
        classrooms_for_windows(by).filter(pk__in=[c.pk for c in classrooms]).values_list("pk", flat=True)
    )
    if usable_instruments != {i.pk for i in instruments} or usable_classrooms != {c.pk for c in classrooms}:
        raise PermissionDenied
    return sorted(instruments, key=lambda i: (i.respondent, i.grade_min, i.pk)), classrooms


@transaction.atomic
def cycle_open(
    *,
    by: User,
    title: str,
    anonymous: bool,
    instruments: Iterable[Instrument],
    classrooms: Iterable[Classroom],
    opens_at: datetime,
    closes_at: datetime,
) -> SurveyCycle:
    """A new cycle of ``by``'s school with its pre window."""
    if not can_open_windows(by):
        raise PermissionDenied
    instruments, classrooms = _checked(by, instruments, classrooms)
    title = (title or "").strip()
    problems = [] if title else [("title", _("Give the survey a title, for example “Autumn empathy survey”."))]
    if len(title) > TITLE_MAX:
        problems.append(("title", _("Keep the title to %(max)d characters.") % {"max": TITLE_MAX}))
    problems += date_problems(opens_at=opens_at, closes_at=closes_at, now=timezone.now())
    problems += form_problems(instruments=instruments, classrooms=classrooms, anonymous=anonymous)
    if problems:
        raise WindowRefused(problems)
    cycle = SurveyCycle.objects.create(school_id=by.school_id, title=title, anonymous=anonymous, created_by=by)
    window = SurveyWindow.objects.create(
        cycle=cycle, phase=Phase.PRE, opens_at=opens_at, closes_at=closes_at, created_by=by
    )
    window.instruments.set(instruments)
    window.classrooms.set(classrooms)
    return cycle


@transaction.atomic
def post_window_open(
    *,
    cycle: SurveyCycle,
    by: User,
    instruments: Iterable[Instrument],
    classrooms: Iterable[Classroom],
    opens_at: datetime,
    closes_at: datetime,
) -> SurveyWindow:
    """The cycle's post window, opening once its pre window has closed. A cycle has one: a second is refused."""
    _require_manager(cycle, by)
    cycle = SurveyCycle.objects.select_for_update().get(pk=cycle.pk)
    windows = {w.phase: w for w in cycle.windows.all()}
    if Phase.POST in windows:
        raise SurveyRefused(_("This survey already has its post window. Change that window's dates instead."))
    pre = windows.get(Phase.PRE)
    instruments, classrooms = _checked(by, instruments, classrooms)
    problems = date_problems(
        opens_at=opens_at, closes_at=closes_at, now=timezone.now(), not_before=pre.closes_at if pre else None
    )
    problems += form_problems(instruments=instruments, classrooms=classrooms, anonymous=cycle.anonymous)
    if problems:
        raise WindowRefused(problems)
    try:
        with transaction.atomic():
            window = SurveyWindow.objects.create(
                cycle=cycle, phase=Phase.POST, opens_at=opens_at, closes_at=closes_at, created_by=by
            )
    except IntegrityError:  # the cycle's lock makes this unlikely; the constraint has the last word
        raise SurveyRefused(_("This survey already has its post window. Change that window's dates instead.")) from None
    window.instruments.set(instruments)
    window.classrooms.set(classrooms)
    return window


def _neighbour_problems(window: SurveyWindow, opens_at: datetime, closes_at: datetime) -> list[tuple[str, str]]:
    """A pre window must close before its post window opens, and the post open after the pre closed."""
    other = SurveyWindow.objects.filter(cycle_id=window.cycle_id).exclude(pk=window.pk).first()
    if other is None:
        return []
    if window.phase == Phase.PRE and closes_at > other.opens_at:
        return [
            (
                "closes_at",
                _("The post survey opens on %(when)s: the pre survey must close by then.")
                % {"when": _when(other.opens_at)},
            )
        ]
    if window.phase == Phase.POST and opens_at < other.closes_at:
        return [
            (
                "opens_at",
                _("The pre survey closes on %(when)s: the post survey can open then or later.")
                % {"when": _when(other.closes_at)},
            )
        ]
    return []


@transaction.atomic
def window_reschedule(*, window: SurveyWindow, by: User, closes_at: datetime, opens_at=UNCHANGED) -> SurveyWindow:
    """Move a window's dates: its closing (earlier or later, also after it closed), and its opening while it
    has not opened yet. A window that has opened keeps its opening moment."""
    _require_manager(window.cycle, by)
    window = SurveyWindow.objects.select_for_update().select_related("cycle").get(pk=window.pk)
    now = timezone.now()
    opened = window.opens_at <= now
    if opens_at is UNCHANGED:
        opens_at = window.opens_at
    elif opened and opens_at != window.opens_at:
        raise WindowRefused([("opens_at", _("This survey has opened already, so its opening time stays as it is."))])
    problems = date_problems(opens_at=opens_at, closes_at=closes_at, now=now, opened=opened)
    problems += _neighbour_problems(window, opens_at, closes_at)
    if problems:
        raise WindowRefused(problems)
    window.opens_at, window.closes_at = opens_at, closes_at
    window.save(update_fields=["opens_at", "closes_at"])
    return window


@transaction.atomic
def window_update(
    *, window: SurveyWindow, by: User, closes_at: datetime, opens_at=UNCHANGED, make_anonymous: bool = False
) -> SurveyWindow:
    """The edit page's save: the window's dates and, if asked, its cycle made anonymous; all or nothing."""
    if make_anonymous:
        cycle_privacy_set(cycle=window.cycle, by=by, anonymous=True)
    return window_reschedule(window=window, by=by, closes_at=closes_at, opens_at=opens_at)


@transaction.atomic
def window_close(*, window: SurveyWindow, by: User) -> SurveyWindow:
    """Close an open window now. Closing a closed one changes nothing; one not open yet is refused (move its dates)."""
    _require_manager(window.cycle, by)
    window = SurveyWindow.objects.select_for_update().get(pk=window.pk)
    now = timezone.now()
    if window.closes_at <= now:
        return window
    if window.opens_at > now:
        raise SurveyRefused(
            _("This survey has not opened yet, so there is nothing to close. Change its dates instead.")
        )
    window.closes_at = now
    window.save(update_fields=["closes_at"])
    return window


@transaction.atomic
def cycle_privacy_set(*, cycle: SurveyCycle, by: User, anonymous: bool) -> SurveyCycle:
    """Make a confidential cycle anonymous, before anyone has answered. Anonymous cannot be undone: its
    responses were never linked to anyone, so there is nothing to link them back to."""
    _require_manager(cycle, by)
    cycle = SurveyCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.anonymous == anonymous:
        return cycle
    if cycle.anonymous:
        raise SurveyRefused(_("This survey is anonymous, and an anonymous survey stays anonymous."))
    if Response.objects.filter(window__cycle=cycle).exists():
        raise SurveyRefused(
            _("Answers have come in already, linked to the students who gave them, so this survey stays confidential.")
        )
    named = Instrument.objects.filter(windows__cycle=cycle).exclude(respondent=Respondent.STUDENT).first()
    if named is not None:
        raise SurveyRefused(
            _("An anonymous survey can use self-reports only: “%(form)s” is about named students.") % {"form": named}
        )
    cycle.anonymous = True
    cycle.save(update_fields=["anonymous"])
    return cycle
