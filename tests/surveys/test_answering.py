"""Answering a survey through the services: drafts, answers, submit once, scores, anonymity, closed windows."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from surveys import services
from surveys.models import AnonymousParticipation, Answer, Respondent, Response, Score
from surveys.services import SurveyRefused
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    classroom = f.ClassroomFactory(grade=4)
    students = [f.EnrollmentFactory(classroom=classroom).student for _ in range(4)]
    return classroom, students


def _window(classroom, *, anonymous=False, respondent=Respondent.STUDENT, **subscales):
    instrument = f.InstrumentFactory(
        respondent=respondent,
        grade_min=3,
        grade_max=8,
        subscales=subscales or {"pt": 3, "ec": 3},
        subscales__reverse=["ec3"],
    )
    cycle = f.SurveyCycleFactory(school=classroom.school, anonymous=anonymous)
    return f.SurveyWindowFactory(cycle=cycle, instruments=[instrument], classrooms=[classroom]), instrument


def test_a_draft_resumes_and_submitting_twice_records_one_response(room):
    classroom, (ana, *_) = room
    window, _ = _window(classroom)
    response = services.response_open(window, ana)
    services.answer_save(response, ana, "pt1", "4")
    services.answer_save(response, ana, "pt1", "5")  # changed their mind: one answer
    services.answer_save(response, ana, "pt2", services.PREFER_NOT)
    services.answer_save(response, ana, "pt3", "3")
    for key, value in (("ec1", "2"), ("ec2", "2"), ("ec3", "5")):
        services.answer_save(response, ana, key, value)
    again = services.response_open(window, ana)
    assert again.pk == response.pk
    assert Answer.objects.filter(response=response).count() == 6
    services.response_submit(response, ana)
    services.response_submit(response, ana)
    scores = {s.subscale.key: s.value for s in Score.objects.filter(response=response).select_related("subscale")}
    # pt: 5 and 3 (prefer not is not answered; 2 of 3 is enough); ec: 2, 2 and 5 turned round to 1
    assert scores == {"pt": 4.0, "ec": pytest.approx(5 / 3)}
    assert Response.objects.filter(window=window).count() == 1
    with pytest.raises(SurveyRefused):
        services.answer_save(response, ana, "pt1", "1")


def test_too_few_answers_give_no_score_and_bad_answers_are_refused(room):
    classroom, (ana, ben, *_) = room
    window, _ = _window(classroom)
    response = services.response_open(window, ana)
    services.answer_save(response, ana, "pt1", "4")
    for bad in ("0", "6", "x", None):
        with pytest.raises(SurveyRefused):
            services.answer_save(response, ana, "pt2", bad)
    with pytest.raises(SurveyRefused):
        services.answer_save(response, ana, "nope", "3")
    with pytest.raises(PermissionDenied):  # another student's response
        services.answer_save(response, ben, "pt2", "3")
    services.response_submit(response, ana)
    assert not Score.objects.filter(response=response).exists()  # 1 of 3 answered in each subscale
    assert Answer.objects.get(response=response).value == 4


def test_after_the_window_closes_nothing_changes(room):
    classroom, (ana, *_) = room
    window, _ = _window(classroom)
    response = services.response_open(window, ana)
    services.answer_save(response, ana, "pt1", "4")
    window.closes_at = timezone.now() - timedelta(minutes=1)
    window.save()
    with pytest.raises(SurveyRefused):
        services.answer_save(response, ana, "pt1", "2")
    with pytest.raises(SurveyRefused):
        services.response_submit(response, ana)
    assert Answer.objects.get(response=response).value == 4


def test_anonymous_responses_keep_no_link_once_submitted(room):
    classroom, (ana, ben, *_) = room
    window, _ = _window(classroom, anonymous=True, pt=1)
    response = services.response_open(window, ana)
    assert response.respondent_id is None and response.subject_id is None
    services.answer_save(response, ana, "pt1", "4")
    with pytest.raises(PermissionDenied):
        services.answer_save(response, ben, "pt1", "1")
    services.response_submit(response, ana)
    participation = AnonymousParticipation.objects.get(window=window, student=ana)
    assert participation.finished and participation.response_id is None
    response.refresh_from_db()
    assert response.submitted_at.hour == 0 and response.submitted_at.minute == 0
    score = Score.objects.get(response=response)
    assert score.student_id is None and score.value == 4.0
    with pytest.raises(SurveyRefused):
        services.response_open(window, ana)


def test_peer_nominations_score_the_share_of_classmates(room):
    classroom, students = room
    window, instrument = _window(classroom, respondent=Respondent.PEER, helps=1)
    a, b, c, d = students
    for nominator, named in ((a, [b, c]), (b, [c]), (c, [b])):
        response = services.response_open(window, nominator)
        services.nominations_save(response, nominator, "helps1", [s.pk for s in named])
        services.response_submit(response, nominator)
    with pytest.raises(SurveyRefused):
        services.nominations_save(services.response_open(window, d), d, "helps1", [d.pk])
    with pytest.raises(SurveyRefused):
        services.nominations_save(services.response_open(window, d), d, "helps1", [f.StudentFactory().pk])
    scores = {s.student_id: s for s in Score.objects.filter(window=window)}
    assert scores[b.pk].received == 2 and scores[b.pk].value == pytest.approx(
        2 / 2
    )  # a and c of b's 2 classmates who took part
    assert scores[c.pk].value == pytest.approx(2 / 2)
    assert scores[a.pk].value == 0 and scores[d.pk].value == 0
    assert scores[d.pk].received == 0 and scores[d.pk].z is not None


def test_teacher_report_rates_each_student(room):
    classroom, students = room
    teacher = f.TeacherFactory(school=classroom.school)
    classroom.teachers.add(teacher)
    window, instrument = _window(classroom, respondent=Respondent.TEACHER, helps=2)
    services.teacher_report_save(
        window, teacher, classroom, {students[0].pk: {"helps1": "4", "helps2": "5"}}, submit=True
    )
    assert Score.objects.get(student=students[0]).value == 4.5
    with pytest.raises(SurveyRefused):
        services.teacher_report_save(
            window, teacher, classroom, {f.StudentFactory(school=classroom.school).pk: {"helps1": "4"}}
        )
    with pytest.raises(PermissionDenied):
        services.teacher_report_save(
            window, f.TeacherFactory(school=classroom.school), classroom, {students[1].pk: {"helps1": "4"}}
        )
