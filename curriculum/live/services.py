"""The live run's state machine: the only code that changes a LiveRun, its groups and who is in it.

Every change moves the run's ``version`` (and ``stage`` when what students see changes) in the same
UPDATE as the change, or in the same transaction: a poll that saw the old version is answered with the
new page. The state moves with a conditional UPDATE (``WHERE state = <the expected state>``), so two
people acting at once cannot both move it: the second is told what happened instead.

Refusals are ``ValidationError`` with a sentence for the person who acted, as the rest of the curriculum.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import require_classroom_manager
from curriculum import content
from curriculum.live.grouping import SIZE_MAX, SIZE_MIN, form_groups
from curriculum.models import Activity, LiveGroup, LiveMember, LiveRun

State = LiveRun.State

# Each kind's steps, in order. The teacher may also close a run at any step (``live_close``).
STEPS: dict[str, tuple[str, ...]] = {
    content.Kind.DILEMMA: (State.OPEN, State.VOTING, State.GROUPED, State.RESTATING, State.REVOTE, State.CLOSED),
    content.Kind.LISTENING_CIRCLE: (State.OPEN, State.GROUPED, State.RUNNING, State.CARDS, State.CLOSED),
    content.Kind.TEAM_PUZZLE: (State.OPEN, State.GROUPED, State.RUNNING, State.CLOSED),
}
# The step at which groups are formed (and may be changed until the next step).
GROUPING_STEP = State.GROUPED

# (kind, step) -> what the kind sets up as a run enters that step (a puzzle deals its parts when it starts
# running), in the same transaction as the step. Filled by the kinds' subpackages, which import this module.
ON_ENTER: dict[tuple[str, str], Callable[[LiveRun], None]] = {}


def register_on_enter(kind: str, state: str, setup: Callable[[LiveRun], None]) -> None:
    ON_ENTER[(kind, state)] = setup


# kind -> what the kind sets up for a student who joined late and is placed in a group after the groups
# started (a puzzle deals them a piece to share; a circle's rotation simply counts them in). A kind not
# listed here (a dilemma: its pairs come from the first votes) takes no late joiner into a group.
ON_PLACE_LATE: dict[str, Callable[[LiveRun, LiveMember], None]] = {}


def register_on_place_late(kind: str, setup: Callable[[LiveRun, LiveMember], None]) -> None:
    ON_PLACE_LATE[kind] = setup


def places_late(run: LiveRun) -> bool:
    """Whether the teacher can put a student who is in no group into one, now."""
    steps = STEPS[run.kind]
    return (
        run.kind in ON_PLACE_LATE
        and run.state != State.CLOSED
        and steps.index(run.state) > steps.index(GROUPING_STEP)
    )


def next_state(run: LiveRun) -> str | None:
    steps = STEPS[run.kind]
    at = steps.index(run.state)
    return steps[at + 1] if at + 1 < len(steps) else None


def bump(run: LiveRun, *, stage: bool = False) -> None:
    """Tell every poll of ``run`` that something changed (students' pages too when ``stage``)."""
    changes = {"version": F("version") + 1}
    if stage:
        changes["stage"] = F("stage") + 1
    LiveRun.objects.filter(pk=run.pk).update(**changes)


@transaction.atomic
def live_start(*, classroom: Classroom, activity: Activity, by: User, now: datetime | None = None) -> LiveRun:
    """Open ``activity`` live in ``classroom``: on the projector, and for the class to join."""
    require_classroom_manager(by, classroom)
    if activity.kind not in STEPS:
        raise ValidationError(_("“%(title)s” is not an activity the class does live.") % {"title": activity.title})
    running = LiveRun.objects.filter(classroom=classroom).exclude(state=State.CLOSED).first()
    if running is not None:
        raise ValidationError(
            _("“%(title)s” is still under way in this class. Close it before you start another.")
            % {"title": running.title}
        )
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return LiveRun.objects.create(
                classroom=classroom,
                activity=activity,
                kind=activity.kind,
                title=activity.title,
                title_es=activity.title_es,
                content=activity.content,
                band=content.band_for_grade(classroom.grade),
                led_by=by,
                started_at=now,
                state_changed_at=now,
            )
    except IntegrityError:  # another start for this class won the race a moment ago
        raise ValidationError(
            _("Another live activity was started in this class a moment ago. Close it before you start another.")
        ) from None


def live_join(run: LiveRun, student: User, *, now: datetime | None = None) -> LiveMember:
    """``student`` takes part in ``run`` (idempotent: opening the page twice joins once)."""
    if (
        student.role != User.Role.STUDENT
        or not Enrollment.objects.active().filter(classroom_id=run.classroom_id, student=student).exists()
    ):
        raise PermissionDenied
    member = LiveMember.objects.filter(run=run, student=student).first()
    if member is not None:
        return member
    if run.state == State.CLOSED:
        raise ValidationError(_("This activity has ended."))
    try:
        with transaction.atomic():
            member = LiveMember.objects.create(run=run, student=student, joined_at=now or timezone.now())
            bump(run)
    except IntegrityError:  # the same student's other tab joined a moment ago
        member = LiveMember.objects.get(run=run, student=student)
    return member


def _require_leader(run: LiveRun, by: User) -> None:
    require_classroom_manager(by, run.classroom)


def _moved_on(run: LiveRun) -> ValidationError:
    current = LiveRun.objects.filter(pk=run.pk).values_list("state", flat=True).first()
    label = State(current).label if current else _("Closed")
    return ValidationError(
        _("This activity has already moved on (it is now: %(state)s). The page shows where it is.") % {"state": label}
    )


def live_advance(run: LiveRun, *, by: User, expected: str, now: datetime | None = None) -> LiveRun:
    """Move ``run`` from ``expected`` to its kind's next step. ``expected`` is the step the teacher's page
    showed: a second click, or a second tab, finds the run moved on and is told so."""
    _require_leader(run, by)
    steps = STEPS[run.kind]
    if expected not in steps or steps.index(expected) + 1 >= len(steps):
        raise _moved_on(run)
    to = steps[steps.index(expected) + 1]
    if to == State.RESTATING or (to == State.RUNNING and GROUPING_STEP in steps):
        if not LiveGroup.objects.filter(run=run).exists():
            raise ValidationError(_("Form the groups first."))
    now = now or timezone.now()
    changes = {"state": to, "state_changed_at": now, "version": F("version") + 1, "stage": F("stage") + 1}
    if to == State.CLOSED:
        changes["closed_at"] = now
    with transaction.atomic():
        if not LiveRun.objects.filter(pk=run.pk, state=expected).update(**changes):
            raise _moved_on(run)
        run.refresh_from_db()
        setup = ON_ENTER.get((run.kind, to))
        if setup is not None:
            setup(run)
    return run


def live_close(run: LiveRun, *, by: User, now: datetime | None = None) -> LiveRun:
    """End ``run`` at whatever step it is; closing a closed run changes nothing."""
    _require_leader(run, by)
    now = now or timezone.now()
    LiveRun.objects.filter(pk=run.pk).exclude(state=State.CLOSED).update(
        state=State.CLOSED, state_changed_at=now, closed_at=now, version=F("version") + 1, stage=F("stage") + 1
    )
    run.refresh_from_db()
    return run


@transaction.atomic
def live_groups_form(
    run: LiveRun,
    *,
    by: User,
    size: int,
    mode: str = LiveRun.GroupMode.MIXED,
    answers: Mapping[int, Hashable | None] | None = None,
    order: Sequence[Hashable] = (),
) -> list[LiveGroup]:
    """Form (or form again) the groups of ``run`` from its members: by their ``answers`` (a dilemma's first
    votes, student id -> option) in ``mode``, or, without answers, simply cut into groups. Allowed at the
    grouping step only; the run must not have moved on since the page was shown."""
    _require_leader(run, by)
    run = LiveRun.objects.select_for_update().get(pk=run.pk)
    if run.state != GROUPING_STEP:
        raise ValidationError(
            _("Groups are formed at the grouping step; this activity is now: %(state)s.")
            % {"state": run.get_state_display()}
        )
    if not SIZE_MIN <= size <= SIZE_MAX:
        raise ValidationError(
            {"size": _("A group has %(min)d to %(max)d students.") % {"min": SIZE_MIN, "max": SIZE_MAX}}
        )
    if mode not in LiveRun.GroupMode.values:
        raise ValidationError({"mode": _("Choose mixed or alike groups.")})
    members = list(LiveMember.objects.filter(run=run).values_list("student_id", flat=True))
    if not members:
        raise ValidationError(_("Nobody has joined yet: groups are formed from the students who joined."))
    if answers is None:  # nothing to group by: one answer for all, so the groups are cut in order
        by_answer, mode_used = dict.fromkeys(members), LiveRun.GroupMode.ALIKE
    else:
        by_answer, mode_used = {student: answers.get(student) for student in members}, mode
    grouped = form_groups(by_answer, size=size, mode=mode_used, order=order)
    LiveMember.objects.filter(run=run).update(group=None)
    LiveGroup.objects.filter(run=run).delete()
    groups = LiveGroup.objects.bulk_create([LiveGroup(run=run, number=n) for n in range(1, len(grouped) + 1)])
    for group, students in zip(groups, grouped, strict=True):
        LiveMember.objects.filter(run=run, student_id__in=students).update(group=group)
    LiveRun.objects.filter(pk=run.pk).update(
        group_size=size, group_mode=mode if answers is not None else "", version=F("version") + 1, stage=F("stage") + 1
    )
    return groups


@transaction.atomic
def live_member_move(run: LiveRun, *, by: User, student_id: int, group_number: int) -> LiveMember:
    """Move a student to another group before the groups start (the teacher knows who works well together);
    once they have started, only put a student who joined late, and is in no group, into one (where the
    kind allows it: ``places_late``)."""
    _require_leader(run, by)
    run = LiveRun.objects.select_for_update().get(pk=run.pk)
    member = LiveMember.objects.filter(run=run, student_id=student_id).first()
    group = LiveGroup.objects.filter(run=run, number=group_number).first()
    late = run.state != GROUPING_STEP
    if late and not (places_late(run) and member is not None and member.group_id is None):
        raise ValidationError(_("The groups have started: students can no longer be moved."))
    if member is None or group is None:
        raise ValidationError(_("That student or group is not part of this activity."))
    member.group = group
    member.save(update_fields=["group"])
    if late:
        ON_PLACE_LATE[run.kind](run, member)
    bump(run, stage=True)
    return member
