"""A submission's states, as Google Classroom has them: every change a student or teacher may make, every one
they may not, and the history each change leaves (who, when)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from curriculum.models import Submission, SubmissionEvent
from tests.factories import FEELINGS_CONTENT, ActivityFactory, AssignmentFactory, ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db
State = Submission.State


@pytest.fixture
def work():
    """A student's submission of a perspective-writing assignment in their classroom, and their teacher."""
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    assignment = AssignmentFactory(classroom=classroom, students=[student])
    return assignment.submissions.get(), classroom.teachers.get()


def url(name, submission) -> str:
    return reverse(f"curriculum:{name}", kwargs={"pk": submission.pk})


def post(client, name, submission, data=None, **headers):
    return client.post(url(name, submission), data or {}, **headers)


def answer(text):
    return {"answer_form": "1", "text": text}


def states(submission) -> list[tuple[str, int]]:
    return list(SubmissionEvent.objects.filter(submission=submission).order_by("at", "pk").values_list("state", "actor_id"))


def refreshed(submission) -> Submission:
    return Submission.objects.get(pk=submission.pk)


def test_the_first_draft_saved_starts_the_work_and_saving_again_does_not_add_to_the_history(client, work):
    submission, teacher = work
    client.force_login(submission.student)
    response = post(client, "submission_save", submission, answer("I wake up."), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="status"' in page and "Saved" in page
    now = refreshed(submission)
    assert now.state == State.IN_PROGRESS and now.answer == {"text": "I wake up."} and now.draft_saved_at
    post(client, "submission_save", submission, answer("I wake up. I cry."), HTTP_HX_REQUEST="true")
    assert refreshed(submission).answer == {"text": "I wake up. I cry."}
    assert states(submission) == [(State.IN_PROGRESS, submission.student.pk)]


def test_an_empty_form_saved_does_not_start_the_work(client, work):
    submission, _teacher = work
    client.force_login(submission.student)
    post(client, "submission_save", submission, answer(""), HTTP_HX_REQUEST="true")
    assert refreshed(submission).state == State.ASSIGNED
    assert states(submission) == []


def test_saving_without_javascript_redirects_back_with_a_message(client, work):
    submission, _teacher = work
    client.force_login(submission.student)
    response = post(client, "submission_save", submission, answer("Hello"))
    assert response.status_code == 302 and response["Location"] == submission.get_absolute_url()
    assert "Saved" in client.get(response["Location"]).content.decode()


def test_turning_in_locks_the_work_and_a_draft_after_it_is_refused_with_a_message(client, work):
    submission, _teacher = work
    client.force_login(submission.student)
    response = post(client, "submission_turn_in", submission, answer("My day as the baby."))
    assert response.status_code == 302
    now = refreshed(submission)
    assert (now.state, now.turn_ins, now.answer["text"]) == (State.TURNED_IN, 1, "My day as the baby.")
    assert now.turned_in_at is not None
    refused = post(client, "submission_save", submission, answer("Changed after"), HTTP_HX_REQUEST="true")
    assert "already turned this in" in refused.content.decode()
    assert refreshed(submission).answer["text"] == "My day as the baby."
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "You turned this in" in page and "Unsubmit" in page and 'name="text"' not in page


def test_turning_in_twice_is_one_turn_in(client, work):
    submission, _teacher = work
    client.force_login(submission.student)
    post(client, "submission_turn_in", submission, answer("Once"))
    post(client, "submission_turn_in", submission, answer("Twice"))
    now = refreshed(submission)
    assert now.turn_ins == 1 and now.answer["text"] == "Once"
    assert [state for state, _actor in states(submission)] == [State.TURNED_IN]


def test_turning_in_empty_work_is_refused_and_what_was_typed_stays_a_draft(client, work):
    submission, _teacher = work
    client.force_login(submission.student)
    response = post(client, "submission_turn_in", submission, answer(""))
    assert refreshed(submission).state == State.ASSIGNED
    assert "before you turn it in" in client.get(response["Location"]).content.decode()


def test_a_student_may_reclaim_turned_in_work_and_turn_it_in_again(client, work):
    submission, _teacher = work
    client.force_login(submission.student)
    post(client, "submission_turn_in", submission, answer("First"))
    post(client, "submission_reclaim", submission)
    assert refreshed(submission).state == State.IN_PROGRESS
    post(client, "submission_save", submission, answer("Better"), HTTP_HX_REQUEST="true")
    post(client, "submission_turn_in", submission, answer("Better"))
    now = refreshed(submission)
    assert (now.state, now.turn_ins, now.answer["text"]) == (State.TURNED_IN, 2, "Better")
    assert [s for s, _a in states(submission)] == [State.TURNED_IN, State.IN_PROGRESS, State.TURNED_IN]


def test_reclaiming_work_that_is_not_turned_in_is_refused(client, work):
    submission, _teacher = work
    client.force_login(submission.student)
    response = post(client, "submission_reclaim", submission)
    assert "nothing to take back" in client.get(response["Location"]).content.decode()
    assert refreshed(submission).state == State.ASSIGNED


def test_the_teacher_scores_and_returns_and_the_student_sees_the_feedback_and_may_revise(client, work):
    submission, teacher = work
    client.force_login(submission.student)
    post(client, "submission_turn_in", submission, answer("My day"))
    client.force_login(teacher)
    review = client.get(submission.get_absolute_url()).content.decode()
    assert "My day" in review and "Stays in the other person" in review and "History" in review
    response = post(
        client, "submission_review", submission,
        {"rubric_perspective_kept": "2", "rubric_inner_states": "1", "rubric_no_judgement": "2", "feedback": "Lovely details.", "action": "return"},
    )
    assert response.status_code == 302
    now = refreshed(submission)
    assert (now.state, now.rubric_points, now.rubric_max, now.feedback) == (State.RETURNED, 5, 6, "Lovely details.")
    assert states(submission)[-1] == (State.RETURNED, teacher.pk)
    client.force_login(submission.student)
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Lovely details." in page and "Turn in again" in page and 'name="text"' in page
    # Revising returned work keeps it returned until it is turned in again.
    post(client, "submission_save", submission, answer("My day, with more"), HTTP_HX_REQUEST="true")
    assert refreshed(submission).state == State.RETURNED
    post(client, "submission_turn_in", submission, answer("My day, with more"))
    assert refreshed(submission).state == State.TURNED_IN and refreshed(submission).turn_ins == 2


def test_reclaiming_returned_work_is_refused(client, work):
    submission, teacher = work
    client.force_login(submission.student)
    post(client, "submission_turn_in", submission, answer("Done"))
    client.force_login(teacher)
    post(client, "submission_review", submission, {"feedback": "", "action": "return"})
    client.force_login(submission.student)
    response = post(client, "submission_reclaim", submission)
    assert "already gave this back" in client.get(response["Location"]).content.decode()
    assert refreshed(submission).state == State.RETURNED


def test_work_not_turned_in_cannot_be_scored_or_returned(client, work):
    submission, teacher = work
    client.force_login(teacher)
    response = post(client, "submission_review", submission, {"feedback": "Too soon", "action": "return"})
    assert "once the student has turned it in" in client.get(response["Location"]).content.decode()
    assert refreshed(submission).state == State.ASSIGNED and refreshed(submission).feedback == ""


def test_a_rubric_score_above_the_criterions_points_is_refused(client, work):
    submission, teacher = work
    client.force_login(submission.student)
    post(client, "submission_turn_in", submission, answer("Done"))
    client.force_login(teacher)
    response = post(client, "submission_review", submission, {"rubric_perspective_kept": "7", "feedback": "", "action": "save"})
    assert response.status_code == 200  # the form again, with its error
    assert refreshed(submission).rubric_points is None


def test_saving_the_review_without_returning_keeps_it_turned_in(client, work):
    submission, teacher = work
    client.force_login(submission.student)
    post(client, "submission_turn_in", submission, answer("Done"))
    client.force_login(teacher)
    post(client, "submission_review", submission, {"rubric_inner_states": "2", "feedback": "Draft note", "action": "save"})
    now = refreshed(submission)
    assert (now.state, now.rubric_points, now.rubric_max) == (State.TURNED_IN, 2, 6)
    client.force_login(submission.student)
    assert "Draft note" not in client.get(submission.get_absolute_url()).content.decode()


def test_the_teacher_may_excuse_and_the_student_then_has_nothing_to_do(client, work):
    submission, teacher = work
    client.force_login(teacher)
    post(client, "submission_excuse", submission)
    post(client, "submission_excuse", submission)  # twice is once
    assert refreshed(submission).state == State.EXCUSED
    assert states(submission) == [(State.EXCUSED, teacher.pk)]
    client.force_login(submission.student)
    assert "excused you" in client.get(submission.get_absolute_url()).content.decode()
    post(client, "submission_save", submission, answer("Anyway"), HTTP_HX_REQUEST="true")
    post(client, "submission_turn_in", submission, answer("Anyway"))
    assert refreshed(submission).state == State.EXCUSED and refreshed(submission).answer == {}


def test_a_student_cannot_score_excuse_or_return_and_a_teacher_cannot_answer(client, work):
    submission, teacher = work
    client.force_login(submission.student)
    assert post(client, "submission_excuse", submission).status_code == 404
    assert post(client, "submission_review", submission, {"feedback": "x", "action": "return"}).status_code == 404
    client.force_login(teacher)
    for name in ("submission_save", "submission_turn_in", "submission_reclaim"):
        assert post(client, name, submission, answer("Teacher typing")).status_code == 404
    assert refreshed(submission).state == State.ASSIGNED


def test_late_and_missing_are_shown_beside_the_state_and_follow_the_due_date(client, work):
    submission, teacher = work
    assignment = submission.assignment
    assignment.due_at = timezone.now() - timedelta(hours=1)
    assignment.save()
    client.force_login(teacher)
    grid = reverse("curriculum:classroom_assignments", kwargs={"classroom_pk": assignment.classroom_id})
    assert "Missing" in client.get(grid).content.decode()
    client.force_login(submission.student)
    post(client, "submission_turn_in", submission, answer("Sorry it is late"))
    client.force_login(teacher)
    page = client.get(grid).content.decode()
    assert "Late" in page and "Missing" not in page
    # Moved later by the teacher, the same turn-in is on time: nothing is stored, everything is computed.
    assignment.due_at = timezone.now() + timedelta(days=1)
    assignment.save()
    assert "Late" not in client.get(grid).content.decode()


def test_a_feelings_guess_is_scored_against_the_authors_key_when_turned_in(client):
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    assignment = AssignmentFactory(classroom=classroom, activity=ActivityFactory(kind="feelings_guess", content=FEELINGS_CONTENT), students=[student])
    submission = assignment.submissions.get()
    client.force_login(student)
    post(client, "submission_turn_in", submission, {"answer_form": "1", "feelings": ["frustrated"], "intensity": "4", "why": "It fell."})
    now = refreshed(submission)
    assert now.state == State.TURNED_IN
    assert (now.accuracy_points, now.accuracy_max) == (2, 2)


def test_a_signed_out_autosave_sends_the_page_to_sign_in_and_back(client, work):
    submission, _teacher = work
    page = submission.get_absolute_url()
    response = post(client, "submission_save", submission, answer("Lost?"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login")) and "next=" in response["HX-Redirect"]
    assert "curriculum/work" in response["HX-Redirect"]
    plain = client.get(page)
    assert plain.status_code == 302 and "next=" in plain["Location"]
