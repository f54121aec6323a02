"""Every individual exercise type through the pages a class uses: the teacher assigns it, the student saves a
draft with the kind's own form, turns it in, the teacher returns it with feedback, and the student revises and
turns it in again. And a Spanish reader gets the activity's Spanish text, an English reader its English."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from curriculum.models import Assignment, Submission
from tests.curriculum.test_answers import ANSWERS, CONTENT, FormFields
from tests.factories import ActivityFactory, ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db


def form_data(kind: str, answer: dict) -> dict:
    """What the browser sends for ``answer``: the kind's own form, rendered and read back."""
    html = render_to_string(
        f"curriculum/exercises/{kind}_form.html",
        {"content": CONTENT[kind], "answer": answer, "language": "en", "partner_story": "Her story"},
    )
    fields = FormFields()
    fields.feed(html)
    data = {key: fields.data.getlist(key) for key in fields.data}
    return {**data, "answer_form": "1"}


def revised(kind: str) -> dict:
    answer = {**ANSWERS[kind]}
    if kind == "perspective_writing":
        answer["text"] += " Then I nap."
    elif kind == "story_exchange":
        answer["retelling"] = "I fed the dog. I was proud."
    elif kind == "feelings_guess":
        answer["why"] = "He looks down, and he is quiet."
    elif kind == "situational_attribution":
        answer["explanations"] = [{"text": "He forgot", "about": "situation"}, *answer["explanations"][1:]]
    else:
        answer["answers"] = [{"text": "Sad and cold", "line": 1, "feeling": "sad"}, answer["answers"][1]]
    return answer


@pytest.mark.parametrize("kind", sorted(CONTENT))
def test_assign_draft_turn_in_return_and_revise(client, kind):
    ana = StudentFactory()
    ben = StudentFactory(school=ana.school)  # a partner, for the kinds done in pairs
    classroom = ClassroomFactory(school=ana.school, students=[ana, ben])
    teacher = classroom.teachers.get()
    activity = ActivityFactory(kind=kind, content=CONTENT[kind])
    first = dict(ANSWERS[kind])
    if kind == "story_exchange":
        first["retelling"] = "I had a dog. It ran off."  # turning in needs the retelling too

    client.force_login(teacher)
    assign = reverse("curriculum:assignment_create", kwargs={"classroom_pk": classroom.pk}) + f"?activity={activity.pk}"
    assert client.post(assign, {"who": "class"}).status_code == 302
    work = Submission.objects.get(assignment=Assignment.objects.get(activity=activity), student=ana)

    client.force_login(ana)
    assert client.get(work.get_absolute_url()).status_code == 200
    client.post(reverse("curriculum:submission_save", args=[work.pk]), form_data(kind, first), HTTP_HX_REQUEST="true")
    work.refresh_from_db()
    assert (work.state, work.answer) == ("in_progress", first)
    client.post(reverse("curriculum:submission_turn_in", args=[work.pk]), form_data(kind, first))
    work.refresh_from_db()
    assert (work.state, work.turn_ins) == ("turned_in", 1)

    client.force_login(teacher)
    client.post(reverse("curriculum:submission_review", args=[work.pk]), {"action": "return", "feedback": "Look again at line 2."})
    work.refresh_from_db()
    assert work.state == "returned"

    client.force_login(ana)
    assert "Look again at line 2." in client.get(work.get_absolute_url()).content.decode()
    again = revised(kind)
    if kind == "story_exchange":
        again["story"] = first["story"]
    client.post(reverse("curriculum:submission_turn_in", args=[work.pk]), form_data(kind, again))
    work.refresh_from_db()
    assert (work.state, work.turn_ins, work.answer) == ("turned_in", 2, again)
    assert [e.state for e in work.events.order_by("at", "pk")] == ["assigned", "in_progress", "turned_in", "returned", "turned_in"]


def test_a_spanish_reader_gets_the_spanish_text_and_an_english_reader_the_english(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    activity = ActivityFactory(
        kind="perspective_writing",
        content={"prompt": {"en": "Be the baby for a day.", "es": "Sé el bebé por un día."}, "guiding_questions": ["What do you hear?"]},
    )
    client.force_login(classroom.teachers.get())
    client.post(reverse("curriculum:assignment_create", kwargs={"classroom_pk": classroom.pk}) + f"?activity={activity.pk}", {"who": "class"})
    work = Submission.objects.get(student=student)
    client.force_login(student)
    spanish = client.get(work.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    english = client.get(work.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sé el bebé por un día." in spanish and "Be the baby for a day." not in spanish
    assert "Be the baby for a day." in english
    assert "What do you hear?" in spanish  # no Spanish written for it: English, not nothing
