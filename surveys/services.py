"""Answering a survey and writing its scores.

A student's response is made with their first answer (``response_open``); each answer saves on its own
(``answer_save``, ``nominations_save``), or a whole page at once (``answers_save``, the form without JavaScript),
so leaving and coming back loses nothing. ``response_submit``
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


def classmates(response: Response, *, nominator: User | None = None) -> list[int]:
    """The students a nominator may name: the classroom's current students but themselves. An anonymous
    response does not know its nominator: ``nominator`` says who it is."""
    me = nominator.pk if nominator is not None else response.respondent_id
    enrolled = (
        Enrollment.objects.active()
        .filter(classroom_id=response.classroom_id)
        .order_by("student_id")
        .values_list("student_id", flat=True)
    )
    return [pk for pk in enrolled if pk != me]


def _nominees(item: Item, raw_ids: Iterable, allowed: Iterable[int], most: int) -> list[int]:
    """The classmates posted for one nomination item, checked: each once, all from ``allowed``, at most ``most``."""
    try:
        chosen = list(dict.fromkeys(int(pk) for pk in raw_ids))
    except (TypeError, ValueError):
        raise SurveyRefused(_("Please choose classmates from the list."), field=item.key) from None
    if set(chosen) - set(allowed):
        raise SurveyRefused(_("Please choose classmates from the list."), field=item.key)
    if len(chosen) > most:
        raise SurveyRefused(_("You can choose up to %(most)d classmates.") % {"most": most}, field=item.key)
    return chosen


@transaction.atomic
def nominations_save(response: Response, user: User, item_key: str, nominee_ids: Iterable) -> list[int]:
    """Replace the classmates named for one nomination item. Someone not in the class, oneself, or more
    than the instrument allows is refused; the earlier choice then stays."""
    response = _locked_draft(response, user)
    item = _item(response, item_key, Item.Kind.NOMINATION)
    chosen = _nominees(item, nominee_ids, classmates(response, nominator=user), response.instrument.nominations_max)
    Answer.objects.filter(response=response, item=item).delete()
    Answer.objects.bulk_create([Answer(response=response, item=item, nominee_id=pk) for pk in chosen])
    Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    return chosen


@transaction.atomic
def answers_save(
    response: Response,
    user: User,
    *,
    ratings: Mapping[str, object],
    nominations: Mapping[str, Iterable] | None = None,
    submit: bool = False,
) -> dict[str, str]:
    """Save a whole page of answers at once (the survey form sent without JavaScript): ``ratings`` by item
    key (a scale point or ``PREFER_NOT``; empty: not answered, left as it is) and ``nominations`` (the
    classmates named for each nomination item). Each answer stands on its own: a bad one is refused and the
    others are saved. With ``submit``, the response is then handed in, unless an answer was refused. Returns
    the refusals, by item key. A closed window or a handed-in response refuses all (``SurveyRefused``). A
    fixed number of queries, however many items the page has."""
    response = _locked_draft(response, user)
    instrument = response.instrument
    items = {item.key: item for item in instrument.items.all()}
    refused: dict[str, str] = {}
    values: dict[Item, int | None] = {}
    for key, raw in ratings.items():
        item = items.get(key)
        if item is None or item.kind != Item.Kind.RATING:
            refused[key] = _("That question is not part of this survey.")
        elif raw not in (None, ""):
            try:
                values[item] = rating_value(item, raw)
            except SurveyRefused as refusal:
                refused[key] = refusal.message
    named: dict[Item, list[int]] = {}
    if nominations:
        allowed = classmates(response, nominator=user)
        for key, raw_ids in nominations.items():
            item = items.get(key)
            if item is None or item.kind != Item.Kind.NOMINATION:
                refused[key] = _("That question is not part of this survey.")
                continue
            try:
                named[item] = _nominees(item, raw_ids, allowed, instrument.nominations_max)
            except SurveyRefused as refusal:
                refused[key] = refusal.message
    if values:
        existing = {
            a.item_id: a for a in Answer.objects.filter(response=response, item__in=values.keys(), nominee__isnull=True)
        }
        changed = []
        for item, value in values.items():
            answer = existing.get(item.pk)
            if answer is not None and answer.value != value:
                answer.value = value
                changed.append(answer)
        Answer.objects.bulk_update(changed, ["value"])
        Answer.objects.bulk_create(
            [
                Answer(response=response, item=item, value=value)
                for item, value in values.items()
                if item.pk not in existing
            ]
        )
    if named:
        Answer.objects.filter(response=response, item__in=named.keys()).delete()
        Answer.objects.bulk_create(
            [Answer(response=response, item=item, nominee_id=pk) for item, chosen in named.items() for pk in chosen]
        )
    if values or named:
        Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    if submit and not refused:
        response.instrument = instrument
        _hand_in(response, user)
    return refused


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
    return _subscale_values(items, subscales, answers)


def _subscale_values(
    items: list[scoring.Item], subscales: dict[str, Subscale], answers: Mapping[str, object]
) -> dict[str, float | None]:
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
    return _hand_in(_locked_draft(locked, user), user)


def _hand_in(locked: Response, user: User) -> Response:
    """Hand in a draft already locked by ``_locked_draft``: stamp it, cut an anonymous link, write the scores."""
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


def teacher_report_cell(student_pk, item_key: str) -> str:
    """The name of one cell of the teacher's grid (a refusal's ``field``): a student's rating on one item."""
    return f"{student_pk}:{item_key}"


@transaction.atomic
def teacher_report_save(
    window: SurveyWindow,
    teacher: User,
    classroom: Classroom,
    ratings: Mapping[object, Mapping[str, object]],
    *,
    submit: bool = False,
) -> list[Response]:
    """Save a teacher's ratings of their students (``{student_pk: {item_key: raw}}``, an empty value left as
    it is); with ``submit``, hand in every report they have begun and write the scores. A student not in the
    class now, a question not on the form or a bad value is refused with nothing written (``SurveyRefused``,
    whose ``field`` names the cell: ``teacher_report_cell``). A student given no rating gets no report. A
    student a co-teacher rated already keeps that teacher's report. A fixed number of queries per saved
    report, none per rating."""
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
        text = str(student_pk)
        if not (text.isascii() and text.isdigit() and int(text) in enrolled):
            raise SurveyRefused(_("That student is not in this class."))
        row = {}
        for key, raw in answers.items():
            if key not in items:
                raise SurveyRefused(_("That question is not part of this survey."))
            if raw in (None, ""):
                continue
            try:
                row[items[key]] = rating_value(items[key], raw)
            except SurveyRefused as refusal:
                raise SurveyRefused(refusal.message, field=teacher_report_cell(text, key)) from None
        clean[int(text)] = row
    reports = {
        r.subject_id: r
        for r in Response.objects.select_for_update().filter(
            window=window, instrument=instrument, subject_id__in=clean.keys()
        )
    }
    now = timezone.now()
    new = [
        Response(window=window, instrument=instrument, classroom=classroom, respondent=teacher, subject_id=pk)
        for pk, row in clean.items()
        if row and pk not in reports
    ]
    try:
        with transaction.atomic():
            created = Response.objects.bulk_create(new)
    except IntegrityError:  # a co-teacher saved a first rating of one of them at the same moment: try again
        raise SurveyRefused(_("Someone else saved ratings at the same moment. Please press Save again.")) from None
    reports.update({r.subject_id: r for r in created})
    # A co-teacher's report stays theirs, and one handed in no longer changes.
    mine = [r for r in reports.values() if r.respondent_id == teacher.pk and not r.submitted]
    if not mine:
        return []
    existing = {(a.response_id, a.item_id): a for a in Answer.objects.filter(response__in=mine, nominee__isnull=True)}
    changed, added = [], []
    for response in mine:
        for item, value in clean.get(response.subject_id, {}).items():
            answer = existing.get((response.pk, item.pk))
            if answer is None:
                added.append(Answer(response=response, item=item, value=value))
            elif answer.value != value:
                answer.value = value
                changed.append(answer)
    Answer.objects.bulk_update(changed, ["value"])
    Answer.objects.bulk_create(added)
    answered = {response_id for response_id, _item in existing} | {a.response_id for a in added}
    handed = []
    for response in mine:
        response.updated_at = now
        if submit and response.pk in answered:
            response.submitted_at = now
            handed.append(response)
    Response.objects.bulk_update(mine, ["updated_at", "submitted_at"])
    if handed:
        _reports_scores_write(handed, window, classroom, instrument)
    return mine


def _reports_scores_write(
    responses: list[Response], window: SurveyWindow, classroom: Classroom, instrument: Instrument
) -> list[Score]:
    """``scores_write`` for many handed-in reports of one form and classroom at once."""
    items, subscales = _scoring_items(instrument)
    answers: dict[int, dict[str, object]] = {r.pk: {} for r in responses}
    for response_id, key, value in Answer.objects.filter(response__in=responses, nominee__isnull=True).values_list(
        "response_id", "item__key", "value"
    ):
        answers[response_id][key] = PREFER_NOT if value is None else value
    Score.objects.filter(response__in=responses).delete()
    rows = []
    for response in responses:
        response.window, response.classroom, response.instrument = window, classroom, instrument
        for key, value in _subscale_values(items, subscales, answers[response.pk]).items():
            if value is not None:
                rows.append(_score_row(response, subscales[key], value, response.subject_id, response=response))
    return Score.objects.bulk_create(rows)
