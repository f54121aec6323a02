"""Answering a survey through the pages: the survey page, saving as one goes (htmx) and without JavaScript,
resuming, handing in once, closed windows, anonymous windows, peer nominations, K-2 read aloud, the teacher's
grid, the home pages, and bad input (no 500, nothing already answered lost)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from surveys import scoring, services
from surveys.models import AnonymousParticipation, Answer, Item, Respondent, Response, Score
from tests import factories as f
from tests.pages import parse
from tests.services.conftest import run_together

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
THREE_FACES = [
    {"value": v, "label": {"en": en, "es": es}}
    for v, en, es in ((1, "No", "No"), (2, "Sometimes", "A veces"), (3, "Yes", "Sí"))
]


@pytest.fixture
def room():
    """A grade 4 classroom with four students."""
    classroom = f.ClassroomFactory(grade=4)
    students = [f.EnrollmentFactory(classroom=classroom).student for _ in range(4)]
    return classroom, students


def open_window(classroom, *instruments, anonymous=False, **fields):
    cycle = f.SurveyCycleFactory(school=classroom.school, anonymous=anonymous)
    return f.SurveyWindowFactory(cycle=cycle, instruments=list(instruments), classrooms=[classroom], **fields)


def self_report(**subscales):
    return f.InstrumentFactory(grade_min=3, grade_max=8, subscales=subscales or {"pt": 3, "ec": 3})


def take(window, instrument, name="take"):
    return reverse(f"surveys:{name}", args=[window.pk, instrument.pk])


def save(client, window, instrument, key, value):
    """One answer as the page's autosave sends it: the item's key and the whole form (here, just that answer)."""
    return client.post(take(window, instrument, "answer"), {"item": key, f"item-{key}": value}, **HTMX)


def checked(page_html: str) -> dict[str, str]:
    """The answers a page shows chosen: {input name: value} of every checked radio button."""
    return {
        i.attrs["name"]: i.attrs["value"]
        for i in parse(page_html).find_all("input", type="radio")
        if "checked" in i.attrs
    }


def status_of(html: str, key: str) -> str:
    return parse(html).find("p", id=f"status-{key}").text


# --- The page -------------------------------------------------------------------------------------------------


def test_the_page_shows_each_item_as_a_radio_group_with_the_question_as_its_legend(client, room):
    classroom, (ana, *_) = room
    form = self_report(pt=2)
    window = open_window(classroom, form)
    client.force_login(ana)
    page = parse(client.get(take(window, form)).text)
    groups = list(page.find("main").find_all("fieldset"))
    assert [g.find("legend").text for g in groups] == ["1. Item pt1", "2. Item pt2"]
    labels = [label.text for label in groups[0].find_all("label")]
    assert labels == [
        "Not at all like me",
        "A little like me",
        "Sometimes like me",
        "Mostly like me",
        "Very much like me",
        "Prefer not to say",
    ]
    radios = list(groups[0].find_all("input", type="radio"))
    assert {r.attrs["name"] for r in radios} == {"item-pt1"}
    assert [r.attrs["value"] for r in radios][-1] == scoring.PREFER_NOT
    assert all(page.find("label", **{"for": r.attrs["id"]}) for r in radios)  # every choice has its label
    status = groups[0].find("p", id="status-pt1")
    assert status.attrs["role"] == "status"  # the autosave's "Saved" is announced
    assert groups[0].attrs["hx-post"] == take(window, form, "answer")
    assert "You have answered 0 of 2" in page.find("main").text


def test_a_page_view_writes_nothing(client, room):
    """The draft is made by the first answer, not by looking at the page."""
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    assert client.get(take(window, form)).status_code == 200
    assert not Response.objects.exists()


def test_items_are_worded_for_the_classrooms_band_and_in_the_readers_language(client):
    classroom = f.ClassroomFactory(grade=7)
    ana = f.EnrollmentFactory(classroom=classroom).student
    form = f.InstrumentFactory(grade_min=6, grade_max=8, subscales={"pt": 3})
    items = {i.key: i for i in form.items.all()}
    Item.objects.filter(pk=items["pt1"].pk).update(
        band_text={"6_8": {"en": "Older wording", "es": "Texto para mayores"}, "3_5": {"en": "Younger wording"}}
    )
    Item.objects.filter(pk=items["pt2"].pk).update(text={"en": "Only in English"})
    window = open_window(classroom, form)
    client.force_login(ana)
    english = parse(client.get(take(window, form)).text)
    assert [g.find("legend").text for g in english.find_all("fieldset")] == [
        "1. Older wording",
        "2. Only in English",
        "3. Item pt3",
    ]
    client.cookies["django_language"] = "es"
    spanish = parse(client.get(take(window, form)).text)
    legends = [g.find("legend") for g in spanish.find_all("fieldset")]
    assert [legend.text for legend in legends] == ["1. Texto para mayores", "2. Only in English", "3. Pregunta pt3"]
    # The English fallback is marked as English, so a screen reader (and the read-aloud) says it in English.
    assert [legend.find("span", class_="survey-item__text").attrs["lang"] for legend in legends] == ["es", "en", "es"]
    assert "Nada como yo" in spanish.find("main").text


# --- Saving as one goes, and coming back ------------------------------------------------------------------------


def test_each_answer_saves_as_it_goes_and_the_page_resumes_with_it(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    saved = save(client, window, form, "pt1", "4")
    assert saved.status_code == 200
    assert "Saved" in parse(saved.text).text
    assert "You have answered 1 of 6" in saved.text  # the progress bar, out of band,
    left = parse(saved.text).find("p", id="left-to-answer")  # and what is left to answer
    assert (
        left.attrs["hx-swap-oob"] == "true" and "You have not answered 5 questions yet: 2 , 3 , 4 , 5 , 6" in left.text
    )
    save(client, window, form, "pt2", scoring.PREFER_NOT)
    save(client, window, form, "pt1", "5")  # changed their mind
    page = client.get(take(window, form)).text  # they left and came back
    assert checked(page) == {"item-pt1": "5", "item-pt2": scoring.PREFER_NOT}
    assert "You have answered 2 of 6" in parse(page).find("div", id="survey-progress").text
    assert Answer.objects.filter(response__respondent=ana).count() == 2


def test_the_home_page_says_start_then_keep_going_then_done(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)

    def card():
        return parse(client.get(reverse("dashboard")).text).find("section", aria_labelledby="surveys-heading")

    assert card().find("a").text == f"Start : {form.name['en']}"
    assert card().find("a").attrs["href"] == take(window, form)
    save(client, window, form, "pt1", "4")
    assert card().find("a").text == f"Keep going : {form.name['en']}"
    assert "1 answer saved" in card().text
    client.post(take(window, form, "submit"))
    assert "Done" in card().text and not list(card().find_all("a"))


def test_the_home_page_shows_when_the_survey_closes_in_the_schools_time(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    closes = timezone.now().replace(microsecond=0) + timedelta(days=3)
    open_window(classroom, form, closes_at=closes)
    open_window(classroom, self_report(), opens_at=timezone.now() + timedelta(days=1))  # not open yet: not shown
    client.force_login(ana)
    section = parse(client.get(reverse("dashboard")).text).find("section", aria_labelledby="surveys-heading")
    local = timezone.localtime(closes, classroom.school.zone)
    assert len(list(section.find_all("li"))) == 1
    assert f"Open until {local:%a} {local.day} {local:%b}" in section.text


def test_a_student_with_no_open_survey_sees_no_survey_section(client, room):
    classroom, (ana, *_) = room
    open_window(
        classroom,
        self_report(),
        closes_at=timezone.now() - timedelta(hours=1),
        opens_at=timezone.now() - timedelta(days=3),
    )
    client.force_login(ana)
    assert "surveys-heading" not in client.get(reverse("dashboard")).text


# --- Without JavaScript -----------------------------------------------------------------------------------------


def test_the_form_without_javascript_saves_every_answer_then_lists_what_is_left(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    response = client.post(
        take(window, form), {"item-pt1": "2", "item-pt2": "3", "item-ec1": scoring.PREFER_NOT, "item-ec2": ""}
    )
    assert response.status_code == 302
    page = client.get(response.url).text
    assert checked(page) == {"item-pt1": "2", "item-pt2": "3", "item-ec1": scoring.PREFER_NOT}
    finish = parse(page).find("section", aria_labelledby="finish-heading")
    assert "You have not answered 3 questions yet: 3 , 5 , 6" in finish.text
    assert "Your answers are saved." in page


def test_a_bad_answer_in_the_whole_form_is_refused_beside_its_item_and_the_others_are_saved(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    response = client.post(take(window, form), {"item-pt1": "2", "item-pt2": "9"})
    assert response.status_code == 200
    assert "Please choose one of the answers shown." in status_of(response.text, "pt2")
    assert checked(response.text) == {"item-pt1": "2"}
    assert dict(Answer.objects.values_list("item__key", "value")) == {"pt1": 2}


def test_handing_in_without_javascript_saves_the_answers_first(client, room):
    classroom, (ana, *_) = room
    form = self_report(pt=2)
    window = open_window(classroom, form)
    client.force_login(ana)
    response = client.post(take(window, form, "submit"), {"item-pt1": "4", "item-pt2": "5"})
    assert response.status_code == 302 and response.url == take(window, form, "thanks")
    submitted = Response.objects.get(respondent=ana)
    assert submitted.submitted
    assert Score.objects.get(response=submitted).value == 4.5
    thanks = client.get(response.url)
    assert "Thank you!" in parse(thanks.text).find("h1").text


def test_handing_in_with_a_bad_answer_hands_nothing_in_and_keeps_the_good_ones(client, room):
    classroom, (ana, *_) = room
    form = self_report(pt=2)
    window = open_window(classroom, form)
    client.force_login(ana)
    response = client.post(take(window, form, "submit"), {"item-pt1": "4", "item-pt2": "0"})
    assert response.status_code == 200
    assert "not handed in yet" in response.text
    assert not Response.objects.get(respondent=ana).submitted
    assert dict(Answer.objects.values_list("item__key", "value")) == {"pt1": 4}


# --- Handing in -------------------------------------------------------------------------------------------------


def test_handing_in_twice_records_one_response(client, room):
    classroom, (ana, *_) = room
    form = self_report(pt=1)
    window = open_window(classroom, form)
    client.force_login(ana)
    save(client, window, form, "pt1", "3")
    first = client.post(take(window, form, "submit"))
    second = client.post(take(window, form, "submit"))
    assert first.url == second.url == take(window, form, "thanks")
    assert Response.objects.filter(window=window).count() == 1
    assert Score.objects.filter(window=window).count() == 1
    # Once handed in, the page has nothing to change, and an answer is refused.
    page = client.get(take(window, form)).text
    assert "You have already handed this in" in page and '<form method="post" action="/surveys' not in page
    refused = save(client, window, form, "pt1", "1")
    assert "already handed in" in status_of(f"<p id='status-pt1'>{refused.text}</p>", "pt1")
    assert Answer.objects.get().value == 3


def test_the_thank_you_page_offers_the_next_form_of_the_window(client, room):
    classroom, (ana, *_) = room
    form, peer = (
        self_report(pt=1),
        f.InstrumentFactory(respondent=Respondent.PEER, grade_min=3, grade_max=8, subscales={"helps": 1}),
    )
    window = open_window(classroom, form, peer)
    client.force_login(ana)
    save(client, window, form, "pt1", "3")
    thanks = client.get(client.post(take(window, form, "submit")).url).text
    links = [a.attrs["href"] for a in parse(thanks).find("section", aria_labelledby="next-heading").find_all("a")]
    assert links == [take(window, peer)]


def test_the_thank_you_page_before_handing_in_goes_back_to_the_survey(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    assert client.get(take(window, form, "thanks")).url == take(window, form)


# --- Closed windows ---------------------------------------------------------------------------------------------


def test_after_the_window_closes_the_page_says_so_and_nothing_changes(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    save(client, window, form, "pt1", "4")
    window.closes_at = timezone.now() - timedelta(minutes=1)
    window.save()
    page = parse(client.get(take(window, form)).text).find("main")
    assert "This survey closed" in page.text
    assert not list(page.find_all("input", type="radio")) and not list(page.find_all("button"))
    assert "You have answered 1 of 6" in page.text
    assert "has closed" in save(client, window, form, "pt1", "2").text
    assert client.post(take(window, form), {"item-pt1": "2"}).status_code == 302
    assert client.post(take(window, form, "submit"), {"item-pt1": "2"}).status_code == 302
    assert Answer.objects.get().value == 4
    assert not Response.objects.get().submitted


def test_a_window_not_open_yet_says_when_it_opens_and_takes_no_answer(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(
        classroom, form, opens_at=timezone.now() + timedelta(days=2), closes_at=timezone.now() + timedelta(days=9)
    )
    client.force_login(ana)
    page = parse(client.get(take(window, form)).text).find("main")
    assert "This survey opens on" in page.text and not list(page.find_all("input", type="radio"))
    assert "not opened yet" in save(client, window, form, "pt1", "2").text
    assert not Response.objects.exists()


# --- Bad input ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "6", "-1", "3.5", "x", "", "99999999999999999999999"])
def test_an_answer_out_of_range_is_refused_beside_the_item_and_the_earlier_one_stays(client, room, value):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    save(client, window, form, "pt1", "4")
    refused = save(client, window, form, "pt1", value)
    assert refused.status_code == 200
    assert "Please choose one of the answers shown." in refused.text
    assert "Saved" not in refused.text
    assert Answer.objects.get().value == 4


def test_an_answer_to_an_item_not_in_the_form_is_refused(client, room):
    classroom, (ana, *_) = room
    form, other = self_report(), self_report(zz=1)
    window = open_window(classroom, form)
    client.force_login(ana)
    for key in ("zz1", "nope", ""):  # zz1 is another form's item
        assert "not part of this survey" in save(client, window, form, key, "3").text
    # The whole form too: the good answer is saved, the stray one is said at the top.
    response = client.post(take(window, form), {"item-pt1": "3", "item-zz1": "3"})
    assert response.status_code == 200 and "not part of this survey" in parse(response.text).find("main").text
    assert list(Answer.objects.values_list("item__key", flat=True)) == ["pt1"]
    assert not Answer.objects.filter(item__instrument=other).exists()


def test_a_form_or_window_that_is_not_the_students_is_a_404(client, room):
    classroom, (ana, ben, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    elsewhere = open_window(f.ClassroomFactory(school=classroom.school, grade=4), form)
    younger = f.InstrumentFactory(grade_min=0, grade_max=2)
    window.instruments.add(younger)  # in the window, but not for grade 4
    client.force_login(ana)
    for w, i in ((elsewhere, form), (window, younger), (window.pk + 1000, form)):
        w_pk = getattr(w, "pk", w)
        assert client.get(reverse("surveys:take", args=[w_pk, i.pk])).status_code == 404
        assert (
            client.post(
                reverse("surveys:answer", args=[w_pk, i.pk]), {"item": "pt1", "item-pt1": "3"}, **HTMX
            ).status_code
            == 404
        )
        assert client.post(reverse("surveys:submit", args=[w_pk, i.pk])).status_code == 404
    teacher = classroom.teachers.first()
    client.force_login(teacher)
    assert client.get(take(window, form)).status_code == 404
    assert not Response.objects.exists()


def test_nobody_else_sees_or_changes_a_students_answers(client, room):
    """Ben answers the same form on the same page address: his answers are his own, and Ana's page shows hers."""
    classroom, (ana, ben, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    save(client, window, form, "pt1", "5")
    client.force_login(ben)
    assert checked(client.get(take(window, form)).text) == {}
    save(client, window, form, "pt1", "1")
    client.post(take(window, form, "submit"))
    assert Response.objects.get(respondent=ana).answers.get().value == 5
    assert not Response.objects.get(respondent=ana).submitted
    client.force_login(ana)
    assert checked(client.get(take(window, form)).text) == {"item-pt1": "5"}


def test_the_same_answer_sent_twice_in_a_row_is_one_answer(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    for _ in range(2):
        assert "Saved" in save(client, window, form, "pt1", "4").text
        client.post(take(window, form), {"item-pt1": "4"})
    assert Response.objects.count() == 1 and Answer.objects.get().value == 4


@pytest.mark.django_db(transaction=True)
def test_two_first_answers_at_the_same_moment_make_one_draft_with_both():
    """Two tabs (or two quick taps) send the first answers at once: one response, both answers (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    classroom = f.ClassroomFactory(grade=4)
    ana = f.EnrollmentFactory(classroom=classroom).student
    form = self_report()
    window = open_window(classroom, form)
    keys = iter(["pt1", "pt2"])

    def first_answer():
        response = services.response_open(window, ana, form)
        services.answer_save(response, ana, next(keys), "3")

    assert run_together(first_answer) == []
    assert Response.objects.count() == 1
    assert sorted(Answer.objects.values_list("item__key", flat=True)) == ["pt1", "pt2"]


# --- Anonymous windows ------------------------------------------------------------------------------------------


def test_an_anonymous_form_resumes_and_once_handed_in_keeps_no_link_to_the_student(client, room):
    classroom, (ana, ben, *_) = room
    form = self_report(pt=2)
    window = open_window(classroom, form, anonymous=True)
    client.force_login(ana)
    assert "Saved" in save(client, window, form, "pt1", "4").text
    response = Response.objects.get()
    assert response.respondent_id is None and response.subject_id is None
    assert checked(client.get(take(window, form)).text) == {"item-pt1": "4"}  # she came back: her draft
    client.force_login(ben)  # the same page for Ben: a draft of his own, nothing of hers
    assert checked(client.get(take(window, form)).text) == {}
    client.force_login(ana)
    assert client.post(take(window, form, "submit")).url == take(window, form, "thanks")
    assert client.post(take(window, form, "submit")).url == take(window, form, "thanks")  # twice is once
    participation = AnonymousParticipation.objects.get(student=ana)
    assert participation.finished and participation.response_id is None
    assert Response.objects.filter(window=window).count() == 1
    page = client.get(take(window, form)).text
    assert "You have already handed this in" in page and checked(page) == {}
    assert "not part" not in save(client, window, form, "pt1", "1").text
    assert Answer.objects.get().value == 4
    card = parse(client.get(reverse("dashboard")).text).find("section", aria_labelledby="surveys-heading")
    assert "Done" in card.text and not list(card.find_all("a"))


# --- Peer nominations -------------------------------------------------------------------------------------------


@pytest.fixture
def peer_room():
    classroom = f.ClassroomFactory(grade=5)
    names = [("Ana", "Gomez"), ("Ben", "Ito"), ("Cleo", "Park"), ("Dev", "Shah"), ("Eli", "Stone"), ("Eli", "Sousa")]
    students = [
        f.EnrollmentFactory(classroom=classroom, student__first_name=first, student__last_name=last).student
        for first, last in names
    ]
    form = f.InstrumentFactory(
        respondent=Respondent.PEER, grade_min=3, grade_max=8, subscales={"helps": 1, "listens": 1}, nominations_max=2
    )
    return classroom, students, form, open_window(classroom, form)


def nominees_shown(html: str, key: str) -> list[tuple[str, str]]:
    page = parse(html)
    return [
        (box.attrs["value"], page.find("label", **{"for": box.attrs["id"]}).text)
        for box in page.find("fieldset", id=f"item-{key}").find_all("input", type="checkbox")
    ]


def test_nominations_list_the_classmates_in_the_students_own_order_by_first_name_and_initial(client, peer_room):
    classroom, students, form, window = peer_room
    ana = students[0]
    client.force_login(ana)
    page = client.get(take(window, form)).text
    shown = nominees_shown(page, "helps1")
    others = [s.pk for s in students[1:]]
    assert [int(pk) for pk, _name in shown] == scoring.roster_order(others, nominator=ana.pk, window=window.pk)
    names = {int(pk): name for pk, name in shown}
    assert names[students[1].pk] == "Ben I."
    # Two classmates who would both be "Eli S.": their whole names.
    assert {names[students[4].pk], names[students[5].pk]} == {"Eli Stone", "Eli Sousa"}
    assert ana.pk not in names
    assert nominees_shown(client.get(take(window, form)).text, "helps1") == shown  # stable when she comes back
    client.force_login(students[1])
    theirs = [int(pk) for pk, _ in nominees_shown(client.get(take(window, form)).text, "helps1")]
    assert theirs == scoring.roster_order(
        [s.pk for s in students if s != students[1]], nominator=students[1].pk, window=window.pk
    )
    fieldset = parse(page).find("fieldset", id="item-helps1")
    assert fieldset.attrs["data-nominations-max"] == "2" and "Choose up to 2 classmates" in fieldset.text


def nominate(client, window, form, key, pks):
    return client.post(
        take(window, form, "answer"),
        {"item": key, "nominations": [key], f"nominee-{key}": [str(pk) for pk in pks]},
        **HTMX,
    )


def test_nominations_save_as_they_go_and_come_back_ticked(client, peer_room):
    classroom, students, form, window = peer_room
    ana, ben, cleo, *_ = students
    client.force_login(ana)
    assert "Saved" in nominate(client, window, form, "helps1", [ben.pk, cleo.pk]).text
    assert "Saved" in nominate(client, window, form, "helps1", [cleo.pk]).text  # changed her mind
    page = parse(client.get(take(window, form)).text)
    ticked = [
        b.attrs["value"]
        for b in page.find("fieldset", id="item-helps1").find_all("input", type="checkbox")
        if "checked" in b.attrs
    ]
    assert ticked == [str(cleo.pk)]
    assert "1 of 2 chosen" in page.find("fieldset", id="item-helps1").text
    assert "You have answered 1 of 2" in page.find("div", id="survey-progress").text
    client.post(take(window, form, "submit"))
    assert Score.objects.get(student=cleo, subscale__key="helps").received == 1


@pytest.mark.parametrize("tampered", ["self", "outsider", "letters", "too_many"])
def test_a_tampered_nomination_is_refused_and_the_earlier_one_stays(client, peer_room, tampered):
    classroom, students, form, window = peer_room
    ana, ben, cleo, dev, *_ = students
    outsider = f.StudentFactory(school=classroom.school)
    client.force_login(ana)
    nominate(client, window, form, "helps1", [ben.pk])
    sent = {"self": [ana.pk], "outsider": [outsider.pk], "letters": ["x1"], "too_many": [ben.pk, cleo.pk, dev.pk]}[
        tampered
    ]
    refused = nominate(client, window, form, "helps1", sent)
    assert refused.status_code == 200 and "Saved" not in refused.text
    assert ("up to 2" if tampered == "too_many" else "from the list") in refused.text
    assert list(Answer.objects.values_list("nominee_id", flat=True)) == [ben.pk]
    # And the whole form without JavaScript: the bad item is refused, the other item is saved.
    response = client.post(
        take(window, form),
        {
            "nominations": ["helps1", "listens1"],
            "nominee-helps1": [str(pk) for pk in sent],
            "nominee-listens1": [str(cleo.pk)],
        },
    )
    assert response.status_code == 200
    assert sorted(Answer.objects.values_list("item__key", "nominee_id")) == sorted(
        [("helps1", ben.pk), ("listens1", cleo.pk)]
    )


def test_naming_nobody_without_javascript_clears_the_item(client, peer_room):
    classroom, students, form, window = peer_room
    ana, ben, *_ = students
    client.force_login(ana)
    nominate(client, window, form, "helps1", [ben.pk])
    client.post(take(window, form), {"nominations": ["helps1"]})
    assert not Answer.objects.exists()


def test_an_anonymous_nominator_cannot_name_themselves(peer_room):
    """services.classmates knows the nominator of an anonymous response from who is answering."""
    classroom, students, form, _window = peer_room
    window = open_window(classroom, form, anonymous=True)
    ana = students[0]
    response = services.response_open(window, ana, form)
    assert ana.pk not in services.classmates(response, nominator=ana)
    with pytest.raises(services.SurveyRefused):
        services.nominations_save(response, ana, "helps1", [ana.pk])


# --- K-2: read aloud, faces -------------------------------------------------------------------------------------


def test_a_k2_form_has_a_listen_button_per_item_and_three_faces_with_words(client):
    classroom = f.ClassroomFactory(grade=1)
    kid = f.EnrollmentFactory(classroom=classroom).student
    form = f.InstrumentFactory(grade_min=0, grade_max=2, read_aloud=True, scale=THREE_FACES, subscales={"ec": 2})
    window = open_window(classroom, form)
    client.force_login(kid)
    html = client.get(take(window, form)).text
    page = parse(html)
    for fieldset in page.find("main").find_all("fieldset"):
        button = fieldset.find("button", type="button")
        assert button.attrs["data-speak"] == fieldset.attrs["id"]
        assert "hidden" in button.attrs  # shown by static/js/survey.js where the browser can speak
        assert button.text.startswith("Listen to question")
        faces = list(fieldset.find_all("svg", class_="survey-face"))
        assert [svg.attrs["class"].split()[-1] for svg in faces] == [
            "survey-face--sad",
            "survey-face--meh",
            "survey-face--happy",
        ]
        assert all(svg.attrs["aria-hidden"] == "true" for svg in faces)
        # A screen reader reads the words, not the drawing.
        assert [label.text for label in fieldset.find_all("label")] == ["No", "Sometimes", "Yes", "Prefer not to say"]
    assert "/static/js/survey.js" in html
    assert "survey--read-aloud" in page.find("div", class_="survey").attrs["class"]


def test_a_form_that_is_not_read_aloud_has_no_listen_buttons_or_faces(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    client.force_login(ana)
    page = parse(client.get(take(window, form)).text).find("main")
    assert not list(page.find_all("svg")) and not list(page.find_all("button", type="button"))


def test_an_item_without_its_own_scale_uses_the_instruments(client, room):
    classroom, (ana, *_) = room
    form = self_report(pt=1)
    form.items.update(scale=[])
    window = open_window(classroom, form)
    client.force_login(ana)
    labels = [label.text for label in parse(client.get(take(window, form)).text).find("fieldset").find_all("label")]
    assert labels[0] == "Not at all like me" and len(labels) == 6
    assert "Saved" in save(client, window, form, "pt1", "5").text
    assert "Please choose" in save(client, window, form, "pt1", "6").text


# --- Query counts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("items", [2, 30])
def test_the_survey_page_costs_the_same_queries_for_2_items_or_30(client, django_assert_max_num_queries, room, items):
    classroom, (ana, *_) = room
    form = self_report(pt=items)
    window = open_window(classroom, form)
    client.force_login(ana)
    for i in range(1, items + 1):
        save(client, window, form, f"pt{i}", "3")
    with django_assert_max_num_queries(10):
        response = client.get(take(window, form))
    assert f"You have answered {items} of {items}" in response.text


@pytest.mark.parametrize("classmates", [3, 25])
def test_the_nomination_page_costs_the_same_queries_for_3_classmates_or_25(
    client, django_assert_max_num_queries, classmates
):
    classroom = f.ClassroomFactory(grade=5)
    students = [f.EnrollmentFactory(classroom=classroom).student for _ in range(classmates + 1)]
    form = f.InstrumentFactory(respondent=Respondent.PEER, grade_min=3, grade_max=8, subscales={"helps": 3})
    window = open_window(classroom, form)
    client.force_login(students[0])
    nominate(client, window, form, "helps1", [students[1].pk])
    with django_assert_max_num_queries(12):
        response = client.get(take(window, form))
    assert len(nominees_shown(response.text, "helps2")) == classmates


@pytest.mark.parametrize("items", [2, 30])
def test_an_answer_save_costs_the_same_queries_for_2_items_or_30(client, django_assert_max_num_queries, room, items):
    classroom, (ana, *_) = room
    form = self_report(pt=items)
    window = open_window(classroom, form)
    client.force_login(ana)
    for i in range(1, items):
        save(client, window, form, f"pt{i}", "3")
    with django_assert_max_num_queries(24):  # 16 queries and the savepoints of the services' transactions
        assert "Saved" in save(client, window, form, f"pt{items}", "4").text


@pytest.mark.parametrize("items", [2, 30])
def test_the_whole_form_saves_in_the_same_queries_for_2_items_or_30(client, django_assert_max_num_queries, room, items):
    classroom, (ana, *_) = room
    form = self_report(pt=items)
    window = open_window(classroom, form)
    client.force_login(ana)
    save(client, window, form, "pt1", "1")
    with django_assert_max_num_queries(18):
        client.post(take(window, form), {f"item-pt{i}": "3" for i in range(1, items + 1)})
    assert Answer.objects.filter(value=3).count() == items


@pytest.mark.parametrize("windows", [1, 6])
def test_the_students_home_page_costs_the_same_queries_for_1_open_survey_or_6(
    client, django_assert_max_num_queries, room, windows
):
    classroom, (ana, *_) = room
    client.force_login(ana)
    for _ in range(windows):
        form, peer = self_report(), f.InstrumentFactory(respondent=Respondent.PEER, grade_min=3, grade_max=8)
        window = open_window(classroom, form, peer)
        save(client, window, form, "pt1", "3")
    with django_assert_max_num_queries(12):  # the survey cards are two of them: the open forms, how far the student is
        response = client.get(reverse("dashboard"))
    assert (
        len(list(parse(response.text).find("section", aria_labelledby="surveys-heading").find_all("li"))) == 2 * windows
    )


# --- The teacher's grid -----------------------------------------------------------------------------------------

FOUR_POINTS = [
    {"value": v, "label": {"en": en, "es": es}}
    for v, en, es in (
        (1, "Never", "Nunca"),
        (2, "Sometimes", "A veces"),
        (3, "Often", "A menudo"),
        (4, "Almost always", "Casi siempre"),
    )
]


@pytest.fixture
def report_room():
    """A grade 4 classroom of three students, its teacher, and an open window with a teacher report of two items."""
    teacher = f.TeacherFactory()
    classroom = f.ClassroomFactory(grade=4, school=teacher.school, teachers=[teacher])
    students = [
        f.EnrollmentFactory(classroom=classroom, student__last_name=last).student for last in ("Adams", "Brown", "Cruz")
    ]
    form = f.InstrumentFactory(
        respondent=Respondent.TEACHER, grade_min=0, grade_max=8, scale=FOUR_POINTS, subscales={"helps": 2}
    )
    return teacher, classroom, students, form, open_window(classroom, form, self_report())


def report_url(window, classroom):
    return reverse("surveys:teacher_report", args=[window.pk, classroom.pk])


def grid_values(html: str) -> dict[str, str]:
    """{field name: selected value} of every select in the grid."""
    found = {}
    for select in parse(html).find("table").find_all("select"):
        chosen = [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs]
        found[select.attrs["name"]] = chosen[0] if chosen else ""
    return found


def test_the_grid_has_a_row_per_student_and_a_labelled_select_per_item(client, report_room):
    teacher, classroom, (adams, brown, cruz), form, window = report_room
    client.force_login(teacher)
    page = parse(client.get(report_url(window, classroom)).text)
    headers = [th.text for th in page.find("thead").find_all("th")]
    assert headers == ["Student", "Item helps1", "Item helps2", "Status"]
    rows = list(page.find("tbody").find_all("tr"))
    assert [row.find("th").text for row in rows] == [s.display_name for s in (adams, brown, cruz)]
    select = page.find("select", name=f"r-{adams.pk}-helps1")
    label = page.find("label", **{"for": select.attrs["id"]})
    assert label.text == f"{adams.display_name}: Item helps1"
    assert [o.text for o in select.find_all("option")] == [
        "–",
        "Never",
        "Sometimes",
        "Often",
        "Almost always",
        "Not sure",
    ]
    assert "You have rated 0 of 3 students" in page.find("main").text


def test_the_teacher_saves_then_hands_in_and_sees_whom_they_rated(client, report_room):
    teacher, classroom, (adams, brown, cruz), form, window = report_room
    client.force_login(teacher)
    sent = {
        f"r-{adams.pk}-helps1": "3",
        f"r-{adams.pk}-helps2": "4",
        f"r-{brown.pk}-helps1": scoring.PREFER_NOT,
        f"r-{brown.pk}-helps2": "",
        f"r-{cruz.pk}-helps1": "",
        f"r-{cruz.pk}-helps2": "",
        "save": "1",
    }
    assert client.post(report_url(window, classroom), sent).status_code == 302
    page = client.get(report_url(window, classroom)).text
    assert grid_values(page)[f"r-{adams.pk}-helps2"] == "4"
    assert grid_values(page)[f"r-{brown.pk}-helps1"] == scoring.PREFER_NOT
    assert "You have rated 2 of 3 students" in page
    assert Response.objects.filter(respondent=teacher).count() == 2  # Cruz, given no rating, has no report
    assert not Score.objects.exists()
    client.post(report_url(window, classroom), {**sent, "hand_in": "1"})
    assert Response.objects.filter(respondent=teacher, submitted_at__isnull=False).count() == 2
    assert Score.objects.get(student=adams).value == 3.5
    assert not Score.objects.filter(student=brown).exists()  # "Not sure" is not an answer
    page = parse(client.get(report_url(window, classroom)).text)
    states = {
        row.find("th").text: row.find("td", class_="report-grid__state").text
        for row in page.find("tbody").find_all("tr")
    }
    assert states == {
        adams.display_name: "Handed in",
        brown.display_name: "Handed in",
        cruz.display_name: "Not rated yet",
    }
    assert "disabled" in page.find("select", name=f"r-{adams.pk}-helps1").attrs
    assert "disabled" not in page.find("select", name=f"r-{cruz.pk}-helps1").attrs


@pytest.mark.parametrize("bad", ["out_of_range", "not_a_student", "not_an_item", "letters"])
def test_a_bad_cell_keeps_everything_typed_and_writes_nothing(client, report_room, bad):
    teacher, classroom, (adams, brown, cruz), form, window = report_room
    client.force_login(teacher)
    stranger = f.StudentFactory(school=classroom.school)
    typed = {f"r-{adams.pk}-helps1": "3", f"r-{brown.pk}-helps2": "2"}
    extra = {
        "out_of_range": {f"r-{cruz.pk}-helps1": "7"},
        "not_a_student": {f"r-{stranger.pk}-helps1": "2"},
        "not_an_item": {f"r-{cruz.pk}-zz9": "2"},
        "letters": {"r-abc-helps1": "2"},
    }[bad]
    response = client.post(report_url(window, classroom), {**typed, **extra, "save": "1"})
    assert response.status_code == 200
    assert "Nothing was saved" in response.text
    values = grid_values(response.text)
    assert values[f"r-{adams.pk}-helps1"] == "3" and values[f"r-{brown.pk}-helps2"] == "2"
    if bad == "out_of_range":
        assert "is-invalid" in parse(response.text).find("select", name=f"r-{cruz.pk}-helps1").attrs["class"]
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_student_a_co_teacher_rated_stays_theirs(client, report_room):
    teacher, classroom, (adams, *_), form, window = report_room
    colleague = f.TeacherFactory(school=classroom.school)
    classroom.teachers.add(colleague)
    services.teacher_report_save(window, colleague, classroom, {adams.pk: {"helps1": "1"}})
    client.force_login(teacher)
    page = parse(client.get(report_url(window, classroom)).text)
    row = next(r for r in page.find("tbody").find_all("tr") if r.find("th").text == adams.display_name)
    assert "Rated by a co-teacher" in row.text
    assert all("selected" not in o.attrs or o.attrs["value"] == "" for o in row.find_all("option"))  # not their ratings
    client.post(report_url(window, classroom), {f"r-{adams.pk}-helps1": "4", "hand_in": "1"})
    assert Answer.objects.get().value == 1 and not Response.objects.get().submitted


def test_the_grid_is_for_the_classrooms_teachers_only(client, report_room):
    teacher, classroom, students, form, window = report_room
    other = f.ClassroomFactory(school=classroom.school, grade=4)
    window.classrooms.add(other)
    for user, url in (
        (teacher, report_url(window, other)),  # a classroom they do not teach
        (f.SchoolAdminFactory(school=classroom.school), report_url(window, classroom)),
        (students[0], report_url(window, classroom)),
        (f.TeacherFactory(), report_url(window, classroom)),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {f"r-{students[0].pk}-helps1": "2"}).status_code == 404
    assert not Response.objects.exists()


def test_after_the_window_closes_the_grid_is_read_only(client, report_room):
    teacher, classroom, (adams, *_), form, window = report_room
    client.force_login(teacher)
    client.post(report_url(window, classroom), {f"r-{adams.pk}-helps1": "2"})
    window.closes_at = timezone.now() - timedelta(minutes=1)
    window.save()
    page = parse(client.get(report_url(window, classroom)).text).find("main")
    assert "has closed" in page.text and not list(page.find_all("button"))
    response = client.post(report_url(window, classroom), {f"r-{adams.pk}-helps1": "4"})
    assert response.status_code == 200 and "has closed" in response.text
    assert Answer.objects.get().value == 2


def test_the_teachers_home_page_links_to_the_reports_still_to_hand_in(client, report_room):
    teacher, classroom, (adams, brown, cruz), form, window = report_room
    client.force_login(teacher)
    section = parse(client.get(reverse("dashboard")).text).find("section", aria_labelledby="reports-heading")
    assert section.find("a").attrs["href"] == report_url(window, classroom)
    assert "0 of 3 students rated" in section.text
    client.post(
        report_url(window, classroom), {f"r-{s.pk}-helps1": "2" for s in (adams, brown, cruz)} | {"hand_in": "1"}
    )
    assert "reports-heading" not in client.get(reverse("dashboard")).text  # all handed in


@pytest.mark.parametrize("students", [2, 25])
def test_the_grid_costs_the_same_queries_for_2_students_or_25(client, django_assert_max_num_queries, students):
    teacher = f.TeacherFactory()
    classroom = f.ClassroomFactory(grade=4, school=teacher.school, teachers=[teacher])
    pupils = [f.EnrollmentFactory(classroom=classroom).student for _ in range(students)]
    form = f.InstrumentFactory(
        respondent=Respondent.TEACHER, grade_min=0, grade_max=8, scale=FOUR_POINTS, subscales={"helps": 4}
    )
    window = open_window(classroom, form)
    client.force_login(teacher)
    ratings = {f"r-{p.pk}-helps{i}": "3" for p in pupils for i in range(1, 5)}
    with django_assert_max_num_queries(30):
        client.post(report_url(window, classroom), ratings | {"hand_in": "1"})
    assert Score.objects.count() == students
    with django_assert_max_num_queries(11):
        client.get(report_url(window, classroom))


@pytest.mark.parametrize("classrooms", [1, 5])
def test_the_teachers_home_page_costs_the_same_queries_for_1_report_or_5(
    client, django_assert_max_num_queries, classrooms
):
    teacher = f.TeacherFactory()
    form = f.InstrumentFactory(respondent=Respondent.TEACHER, grade_min=0, grade_max=8, scale=FOUR_POINTS)
    rooms = [
        f.ClassroomFactory(
            grade=4, school=teacher.school, teachers=[teacher], students=[f.StudentFactory(school=teacher.school)]
        )
        for _ in range(classrooms)
    ]
    for room in rooms:
        open_window(room, form)
    client.force_login(teacher)
    with django_assert_max_num_queries(12):  # the reports due are two of them: the classrooms to rate, what is rated
        response = client.get(reverse("dashboard"))
    assert (
        len(list(parse(response.text).find("section", aria_labelledby="reports-heading").find_all("li"))) == classrooms
    )


# --- The services' own checks -------------------------------------------------------------------------------------


def test_teacher_report_save_refuses_a_student_id_that_is_not_a_number(report_room):
    teacher, classroom, (adams, *_), form, window = report_room
    for bad in ("x", "1.5", "", "١"):  # the last is an Arabic-Indic one: a digit to Python, not an id
        with pytest.raises(services.SurveyRefused):
            services.teacher_report_save(window, teacher, classroom, {bad: {"helps1": "2"}})
    assert not Response.objects.exists()


def test_a_value_refused_in_the_grid_names_its_cell(report_room):
    teacher, classroom, (adams, *_), form, window = report_room
    with pytest.raises(services.SurveyRefused) as refused:
        services.teacher_report_save(window, teacher, classroom, {adams.pk: {"helps1": "2", "helps2": "9"}})
    assert refused.value.field == services.teacher_report_cell(adams.pk, "helps2")


def test_an_autosave_after_signing_out_sends_the_page_to_sign_in_and_back(client, room):
    classroom, (ana, *_) = room
    form = self_report()
    window = open_window(classroom, form)
    response = client.post(
        take(window, form, "answer"), {"item": "pt1", "item-pt1": "3"}, HTTP_HX_CURRENT_URL=take(window, form), **HTMX
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login")) and "take" in response["HX-Redirect"]
    assert not Response.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_hand_ins_at_the_same_moment_record_one_response_and_one_score():
    """Two tabs press "Hand it in" at once (PostgreSQL): one response handed in, its scores written once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    classroom = f.ClassroomFactory(grade=4)
    ana = f.EnrollmentFactory(classroom=classroom).student
    form = self_report(pt=1)
    window = open_window(classroom, form)
    draft = services.response_open(window, ana, form)
    services.answer_save(draft, ana, "pt1", "4")

    assert run_together(lambda: services.response_submit(draft, ana)) == []
    assert Response.objects.filter(submitted_at__isnull=False).count() == 1
    assert Score.objects.count() == 1
