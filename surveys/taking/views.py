"""The pages where people answer: a student's survey (each answer saved as it is chosen, with htmx, or the
whole page at once without it), handing it in and the thank-you page; a teacher's grid of ratings.

A survey page is addressed by its window and form, not by a response: the link on the home page exists
before any response does, a page view writes nothing (the draft is made with the first answer), and the
address of an anonymous form never names the response that holds the student's answers.

Thin: fetch through the scoped selectors (a window not given to the student's classroom, a form not for
their grade, another school's classroom: 404), call a service, render. A refusal (the window closed, the
form already handed in, an answer not on the scale) is shown to the person; what they chose is kept.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.data_versions import kept_page
from accounts.decorators import login_required_htmx
from surveys import scoring, services
from surveys.models import Respondent, Response
from surveys.services import SurveyRefused
from surveys.taking import forms, selectors


def _language() -> str:
    return get_language() or "en"


def _student_form(request, window_pk: int, instrument_pk: int):
    """The window (given to a classroom the student is in now), the form (one of theirs in it) and the
    classroom they answer through; anything else is a 404."""
    window = get_object_or_404(selectors.windows_for(request.user), pk=window_pk)
    classroom, forms_of_window = services.student_forms(window, request.user)
    instrument = next((i for i in forms_of_window if i.pk == instrument_pk), None)
    if instrument is None:
        raise Http404
    return window, instrument, classroom


def _urls(window, instrument) -> dict:
    args = [window.pk, instrument.pk]
    return {
        "take_url": reverse("surveys:take", args=args),
        "answer_url": reverse("surveys:answer", args=args),
        "submit_url": reverse("surveys:submit", args=args),
    }


def _classmates(request, window, instrument, classroom, response) -> list[int]:
    """A nominator's classmates in their own order (scoring.roster_order): shuffled for them and this window,
    the same each time they come back."""
    if instrument.respondent != Respondent.PEER:
        return []
    # Before the first answer there is no draft yet: the classroom is what the classmates come from.
    source = response or Response(classroom=classroom, respondent=request.user)
    ids = services.classmates(source, nominator=request.user)
    return scoring.roster_order(ids, nominator=request.user.pk, window=window.pk)


def _page(request, window, instrument, classroom, *, response, finished, posted=None, errors=None, status=200):
    if finished:
        return render(
            request,
            "surveys/taking/done.html",
            {"window": window, "name": selectors.in_language(instrument.name, _language())},
            status=status,
        )
    page = selectors.form_page(
        window,
        instrument,
        classroom,
        response,
        language=_language(),
        classmates=_classmates(request, window, instrument, classroom, response),
        posted=posted,
        errors=errors,
    )
    keys = {row.key for row in page.rows}
    stray = sorted({message for key, message in (errors or {}).items() if key not in keys})
    context = {
        "page": page,
        "window": window,
        "editable": window.is_open(),
        "not_yet": timezone.now() < window.opens_at,
        "stray_errors": stray,
        "prefer_not": scoring.PREFER_NOT,
        **_urls(window, instrument),
    }
    return render(request, "surveys/taking/take.html", context, status=status)


@login_required
@kept_page
@require_http_methods(["GET", "HEAD", "POST"])
def take(request, window_pk, instrument_pk):
    """The survey page. A POST (the page without JavaScript) saves every answer on it, then shows what is left."""
    window, instrument, classroom = _student_form(request, window_pk, instrument_pk)
    response, finished = selectors.answering_state(window, instrument, request.user)
    if request.method == "POST" and not finished:
        posted = forms.posted_answers(request.POST)
        if forms.has_answers(posted):
            try:
                response = response or services.response_open(window, request.user, instrument)
                errors = services.answers_save(
                    response, request.user, ratings=posted["ratings"], nominations=posted["nominations"]
                )
            except SurveyRefused as refusal:
                messages.error(request, refusal.message)
                return redirect("surveys:take", window.pk, instrument.pk)
            if errors:
                return _page(
                    request,
                    window,
                    instrument,
                    classroom,
                    response=response,
                    finished=False,
                    posted=posted,
                    errors=errors,
                )
            messages.success(request, _("Your answers are saved."))
        return redirect("surveys:take", window.pk, instrument.pk)
    if request.method == "POST":
        return redirect("surveys:take", window.pk, instrument.pk)
    return _page(request, window, instrument, classroom, response=response, finished=finished)


@login_required_htmx
@require_POST
def answer(request, window_pk, instrument_pk):
    """One answer, saved as it is chosen (htmx): answered with "Saved", or why not, beside the item."""
    window, instrument, _classroom = _student_form(request, window_pk, instrument_pk)
    key, nomination, value = forms.posted_one(request.POST)
    error, response = "", None
    try:
        response = services.response_open(window, request.user, instrument)
        if nomination:
            services.nominations_save(response, request.user, key, value)
        else:
            services.answer_save(response, request.user, key, value)
    except SurveyRefused as refusal:
        error = refusal.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("surveys:take", window.pk, instrument.pk)
    context = {"key": key, "error": error}
    if response is not None:
        context["progress"] = selectors.progress_of(response, instrument)
    return render(request, "surveys/taking/_saved.html", context)


@login_required
@require_POST
def submit(request, window_pk, instrument_pk):
    """Hand the form in (with the page's answers, when it was sent without JavaScript). Twice is once."""
    window, instrument, classroom = _student_form(request, window_pk, instrument_pk)
    response, finished = selectors.answering_state(window, instrument, request.user)
    if finished:
        return redirect("surveys:thanks", window.pk, instrument.pk)
    posted = forms.posted_answers(request.POST)
    try:
        response = response or services.response_open(window, request.user, instrument)
        if forms.has_answers(posted):
            errors = services.answers_save(
                response, request.user, ratings=posted["ratings"], nominations=posted["nominations"], submit=True
            )
            if errors:
                messages.error(request, _("Some answers could not be saved, so it is not handed in yet."))
                return _page(
                    request,
                    window,
                    instrument,
                    classroom,
                    response=response,
                    finished=False,
                    posted=posted,
                    errors=errors,
                )
        else:
            services.response_submit(response, request.user)
    except SurveyRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("surveys:take", window.pk, instrument.pk)
    return redirect("surveys:thanks", window.pk, instrument.pk)


@login_required
@require_safe
def thanks(request, window_pk, instrument_pk):
    """Thank you; and the next form of the window, if the student has one left."""
    window, instrument, _classroom = _student_form(request, window_pk, instrument_pk)
    _response, finished = selectors.answering_state(window, instrument, request.user)
    if not finished:
        return redirect("surveys:take", window.pk, instrument.pk)
    language = _language()
    left = [
        card
        for card in selectors.survey_cards_for(request.user, language=language)
        if card.window.pk == window.pk and card.state != "done"
    ]
    context = {"window": window, "name": selectors.in_language(instrument.name, language), "next_forms": left}
    return render(request, "surveys/taking/thanks.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def teacher_report(request, window_pk, classroom_pk):
    """A teacher's grid: one row per student of the class, one column per behaviour. Save keeps a draft; Hand
    in gives the rated students' reports in. A refusal keeps everything typed and marks the cell."""
    classroom = get_object_or_404(selectors.classrooms_rated_by(request.user), pk=classroom_pk)
    window = get_object_or_404(selectors.windows_for(request.user).filter(classrooms=classroom), pk=window_pk)
    instrument = window.form_for(classroom.grade, Respondent.TEACHER)
    if instrument is None:
        raise Http404
    posted, error, invalid = None, "", ""
    if request.method == "POST":
        ratings, posted = forms.posted_grid(request.POST)
        hand_in = "hand_in" in request.POST
        try:
            services.teacher_report_save(window, request.user, classroom, ratings, submit=hand_in)
        except SurveyRefused as refusal:
            error = refusal.message
            student, _sep, key = (refusal.field or "").partition(":")
            invalid = selectors.grid_field(student, key) if key else ""
        else:
            messages.success(
                request, _("Handed in. Thank you!") if hand_in else _("Saved. You can come back to it later.")
            )
            return redirect("surveys:teacher_report", window.pk, classroom.pk)
    language = _language()
    grid = selectors.teacher_grid(
        window, classroom, instrument, request.user, language=language, posted=posted, invalid=invalid
    )
    context = {
        "window": window,
        "classroom": classroom,
        "instrument": instrument,
        "name": selectors.in_language(instrument.name, language),
        "grid": grid,
        "editable": window.is_open() and grid.editable,
        "error": error,
        "prefer_not": scoring.PREFER_NOT,
    }
    return render(request, "surveys/taking/teacher_report.html", context, status=200)
