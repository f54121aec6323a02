"""Answering a survey and writing its scores.

A student's response is made the first time they open the window (``response_open``); each answer saves on its
own (``answer_save``, ``nominations_save``), so leaving and coming back loses nothing. ``response_submit``
writes the response's scores, once: a second submit, or two at once, change nothing. After the window closes
nothing changes. A teacher's report on a student is a response about that student (``teacher_report_save``).

Every write checks the window is open and that the writer may answer it: a view that forgot to scope is still
refused (``SurveyRefused`` with a message for the person, or ``PermissionDenied``).
"""

import math
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import classroom_manage_scope
from surveys import scoring
from surveys.models import (
    AnonymousParticipation,
    Answer,
    Instrument,
    Item,
    Respondent,
    Response,
    Score,
    Subscale,
    SurveyWindow,
)

PREFER_NOT = scoring.PREFER_NOT


class SurveyRefused(Exception):
    """A write that cannot be done, with the reason a person reads (the window closed, an answer out of range)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def min_items(n_items: int, share=scoring.MIN_SHARE) -> int:
    """Answered items a subscale of ``n_items`` needs for a score: the share, rounded up (at least one)."""
    return max(1, math.ceil(n_items * share))


def _require_open(window: SurveyWindow) -> None:
    now = timezone.now()
    if now < window.opens_at:
        raise SurveyRefused(_("This survey has not opened yet."))
    if now >= window.closes_at:
        raise SurveyRefused(_("This survey has closed, so answers can no longer change."))


def student_classroom(window: SurveyWindow, student: User) -> Classroom | None:
    """The classroom through which ``student`` answers ``window``: one of its classrooms they are enrolled in now."""
    if student.role != User.Role.STUDENT or not student.school_id:
        return None
    enrolled = Enrollment.objects.active().filter(student=student).values("classroom_id")
    return window.classrooms.filter(pk__in=enrolled, school_id=student.school_id).order_by("pk").first()


def _form(window: SurveyWindow, classroom: Classroom, respondent: str) -> Instrument:
    instrument = window.form_for(classroom.grade, respondent)
    if instrument is None:
        raise SurveyRefused(_("This survey has no form for your grade."))
    return instrument


def student_forms(window: SurveyWindow, student: User) -> tuple[Classroom | None, list[Instrument]]:
    """The classroom ``student`` answers ``window`` through and the forms they answer there (self-report, peer)."""
    classroom = student_classroom(window, student)
    if classroom is None:
        return None, []
    return classroom, window.forms_for(classroom.grade)


@transaction.atomic
def response_open(window: SurveyWindow, student: User, instrument: Instrument | None = None) -> Response:
    """``student``'s response to one form of ``window`` (its first for their grade unless ``instrument`` says):
    their draft, made now if they have none. A submitted response is returned as it is (the page then shows it
    done). Anonymous: the draft is found through the participation row."""
    classroom, forms = student_forms(window, student)
    if classroom is None:
        raise PermissionDenied
    if instrument is None:
        if not forms:
            raise SurveyRefused(_("This survey has no form for your grade."))
        instrument = forms[0]
    elif instrument not in forms:
        raise PermissionDenied
    if window.anonymous:
        participation = (
            AnonymousParticipation.objects.select_for_update()
            .filter(window=window, instrument=instrument, student=student)
            .first()
        )
        if participation is not None:
            if participation.finished or participation.response is None:
                raise SurveyRefused(_("You have already answered this survey. Thank you!"))
            return participation.response
        _require_open(window)
        response = Response.objects.create(window=window, instrument=instrument, classroom=classroom)
        try:
            with transaction.atomic():
                AnonymousParticipation.objects.create(
                    window=window, instrument=instrument, student=student, classroom=classroom, response=response
                )
        except IntegrityError:  # the same student in another tab, at the same moment: theirs is the one that won
            response.delete()
            return AnonymousParticipation.objects.get(window=window, instrument=instrument, student=student).response
        return response
    existing = Response.objects.filter(window=window, instrument=instrument, subject=student).first()
    if existing is not None:
        return existing
    _require_open(window)
    try:
        with transaction.atomic():
            return Response.objects.create(
                window=window, instrument=instrument, classroom=classroom, respondent=student, subject=student
            )
    except IntegrityError:  # two first visits at once: one response
        return Response.objects.get(window=window, instrument=instrument, subject=student)


def _locked_draft(response: Response, user: User) -> Response:
    """``response`` locked for writing, if ``user`` may still write it."""
    response = Response.objects.select_for_update().select_related("window__cycle").get(pk=response.pk)
    mine = response.respondent_id == user.pk or (
        response.respondent_id is None
        and AnonymousParticipation.objects.filter(response_id=response.pk, student_id=user.pk, finished=False).exists()
    )
    if not mine:
        raise PermissionDenied
    _require_open(response.window)
    if response.submitted:
        raise SurveyRefused(_("This survey is already handed in, so its answers can no longer change."))
    return response


def _item(response: Response, item_key: str, kind: str) -> Item:
    item = Item.objects.filter(instrument_id=response.instrument_id, key=item_key, kind=kind).first()
    if item is None:
        raise SurveyRefused(_("That question is not part of this survey."))
    return item


def rating_value(item: Item, raw) -> int | None:
    """A posted answer as stored: a point of the item's scale, or None for "prefer not to answer"."""
    if raw == PREFER_NOT:
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= item.scale_points:
        raise SurveyRefused(_("Please choose one of the answers shown."), field=item.key)
    return value


@transaction.atomic
def answer_save(response: Response, user: User, item_key: str, raw) -> Answer:
    """Save one answer (a scale point, or ``PREFER_NOT``), replacing the earlier answer to the item."""
    response = _locked_draft(response, user)
    item = _item(response, item_key, Item.Kind.RATING)
    value = rating_value(item, raw)
    answer, _created = Answer.objects.update_or_create(
        response=response, item=item, nominee=None, defaults={"value": value}
    )
    Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    return answer


def classmates(response: Response) -> list[int]:
    """The students a nominator may name: the classroom's current students but themselves."""
    enrolled = (
        Enrollment.objects.active().filter(classroom_id=response.classroom_id).values_list("student_id", flat=True)
    )
    return [pk for pk in enrolled if pk != response.respondent_id]


@transaction.atomic
def nominations_save(response: Response, user: User, item_key: str, nominee_ids: Iterable) -> list[int]:
    """Replace the classmates named for one nomination item. Someone not in the class, oneself, or more
    than the instrument allows is refused; the earlier choice then stays."""
    response = _locked_draft(response, user)
    item = _item(response, item_key, Item.Kind.NOMINATION)
    try:
        chosen = list(dict.fromkeys(int(pk) for pk in nominee_ids))
    except (TypeError, ValueError):
        raise SurveyRefused(_("Please choose classmates from the list."), field=item.key) from None
    if set(chosen) - set(classmates(response)):
        raise SurveyRefused(_("Please choose classmates from the list."), field=item.key)
    most = response.instrument.nominations_max
    if len(chosen) > most:
        raise SurveyRefused(_("You can choose up to %(most)d classmates.") % {"most": most}, field=item.key)
    Answer.objects.filter(response=response, item=item).delete()
    Answer.objects.bulk_create([Answer(response=response, item=item, nominee_id=pk) for pk in chosen])
    Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    return chosen


def _scoring_items(instrument: Instrument) -> tuple[list[scoring.Item], dict[str, Subscale]]:
    subscales = {s.key: s for s in instrument.subscales.all()}
    items = [
        scoring.Item(item.key, item.subscale.key, item.scale_points, item.reverse)
        for item in instrument.items.select_related("subscale").filter(kind=Item.Kind.RATING)
    ]
    return items, subscales


def rating_scores(response: Response) -> dict[str, float | None]:
    """The response's subscale scores from its answers (scoring.subscale_scores, with each subscale's own share)."""
    items, subscales = _scoring_items(response.instrument)
    answers = {
        a.item.key: (PREFER_NOT if a.value is None else a.value)
        for a in response.answers.select_related("item").filter(nominee__isnull=True)
    }
    scores = {}
    for key, subscale in subscales.items():
        members = [i for i in items if i.subscale == key]
        if not members:
            continue
        values = [v for v in (scoring.item_value(i, answers.get(i.key)) for i in members) if v is not None]
        scores[key] = sum(values) / len(values) if values and len(values) >= subscale.min_items else None
    return scores


def _score_row(source: Response, subscale: Subscale, value: float, student_id, **extra) -> Score:
    window, classroom, response = source.window, source.classroom, source
    return Score(
        window=window,
        cycle_id=window.cycle_id,
        phase=window.phase,
        instrument_id=response.instrument_id,
        subscale=subscale,
        respondent=response.instrument.respondent,
        school_id=classroom.school_id,
        classroom=classroom,
        grade=classroom.grade,
        student_id=student_id,
        value=value,
        **extra,
    )


def scores_write(response: Response) -> list[Score]:
    """Write the submitted ``response``'s rating scores (a subscale with too few answers gets none)."""
    subscales = {s.key: s for s in response.instrument.subscales.all()}
    Score.objects.filter(response=response).delete()
    rows = [
        _score_row(response, subscales[key], value, response.subject_id, response=response)
        for key, value in rating_scores(response).items()
        if value is not None
    ]
    return Score.objects.bulk_create(rows)


def nomination_scores_write(window: SurveyWindow, classroom: Classroom, instrument: Instrument) -> list[Score]:
    """Recompute a classroom's peer-nomination scores for ``window`` from its submitted responses: per
    subscale, each current student's share of the classmates who took part who named them (and the z of the
    nominations received, within the class)."""
    students = list(
        Enrollment.objects.active()
        .filter(classroom=classroom)
        .order_by("student_id")
        .values_list("student_id", flat=True)
    )
    submitted = Response.objects.filter(
        window=window, classroom=classroom, instrument=instrument, submitted_at__isnull=False
    )
    subscales = list(instrument.subscales.all())
    answers = Answer.objects.filter(response__in=submitted, nominee__isnull=False).values_list(
        "response__respondent_id", "item__subscale_id", "nominee_id"
    )
    nominators = set(submitted.values_list("respondent_id", flat=True))
    by_subscale: dict[int, dict[int, set[int]]] = {s.pk: {n: set() for n in nominators} for s in subscales}
    for nominator, subscale_id, nominee in answers:
        by_subscale[subscale_id][nominator].add(nominee)
    Score.objects.filter(window=window, classroom=classroom, instrument=instrument).delete()
    rows = []
    template = Response(window=window, classroom=classroom, instrument=instrument)
    for subscale in subscales:
        if not nominators:
            continue
        for s in scoring.nomination_scores(students, by_subscale[subscale.pk]):
            rows.append(_score_row(template, subscale, s.share_of_classmates, s.student, received=s.received, z=s.z))
    return Score.objects.bulk_create(rows)


@transaction.atomic
def response_submit(response: Response, user: User) -> Response:
    """Hand the response in and write its scores. Submitting twice (or in two tabs at once) records one response."""
    locked = (
        Response.objects.select_for_update()
        .select_related("window__cycle", "instrument", "classroom")
        .get(pk=response.pk)
    )
    if locked.submitted and (
        locked.respondent_id == user.pk
        or (
            locked.respondent_id is None
            and AnonymousParticipation.objects.filter(
                window_id=locked.window_id, instrument_id=locked.instrument_id, student_id=user.pk, finished=True
            ).exists()
        )
    ):
        return locked
    locked = _locked_draft(locked, user)
    now = timezone.now()
    anonymous = locked.window.anonymous
    locked.submitted_at = now.replace(hour=0, minute=0, second=0, microsecond=0) if anonymous else now
    locked.updated_at = locked.submitted_at if anonymous else now
    locked.save(update_fields=["submitted_at", "updated_at"])
    if anonymous:  # the last link between the student and their answers goes now
        AnonymousParticipation.objects.filter(response_id=locked.pk).update(response=None, finished=True)
    if locked.instrument.respondent == Respondent.PEER:
        nomination_scores_write(locked.window, locked.classroom, locked.instrument)
    else:
        scores_write(locked)
    return locked


@transaction.atomic
def teacher_report_save(
    window: SurveyWindow,
    teacher: User,
    classroom: Classroom,
    ratings: Mapping[int, Mapping[str, object]],
    *,
    submit: bool = False,
) -> list[Response]:
    """Save a teacher's ratings of their students (``{student_pk: {item_key: raw}}``); with ``submit``, hand in
    every rated student's report and write the scores. A student not in the class now, or a bad value, is refused
    with nothing written."""
    if (
        not Classroom.objects.filter(classroom_manage_scope(teacher), pk=classroom.pk).exists()
        or teacher.role != User.Role.TEACHER
    ):
        raise PermissionDenied
    if not window.classrooms.filter(pk=classroom.pk).exists():
        raise PermissionDenied
    _require_open(window)
    instrument = _form(window, classroom, Respondent.TEACHER)
    items = {i.key: i for i in instrument.items.filter(kind=Item.Kind.RATING)}
    enrolled = set(Enrollment.objects.active().filter(classroom=classroom).values_list("student_id", flat=True))
    clean: dict[int, dict[Item, int | None]] = {}
    for student_pk, answers in ratings.items():
        if int(student_pk) not in enrolled:
            raise SurveyRefused(_("That student is not in this class."))
        row = {}
        for key, raw in answers.items():
            if key not in items:
                raise SurveyRefused(_("That question is not part of this survey."))
            if raw in (None, ""):
                continue
            row[items[key]] = rating_value(items[key], raw)
        clean[int(student_pk)] = row
    responses = []
    for student_pk, row in clean.items():
        response = (
            Response.objects.select_for_update()
            .filter(window=window, instrument=instrument, subject_id=student_pk)
            .first()
        )
        if response is None:
            response = Response.objects.create(
                window=window, instrument=instrument, classroom=classroom, respondent=teacher, subject_id=student_pk
            )
        elif response.respondent_id != teacher.pk:  # a co-teacher rated this student already: theirs stays
            continue
        if response.submitted:
            continue
        for item, value in row.items():
            Answer.objects.update_or_create(response=response, item=item, nominee=None, defaults={"value": value})
        response.updated_at = timezone.now()
        if submit:
            response.submitted_at = response.updated_at
        response.save(update_fields=["updated_at", "submitted_at"])
        if submit:
            response.instrument = instrument
            scores_write(response)
        responses.append(response)
    return responses
