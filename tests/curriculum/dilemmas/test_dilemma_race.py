"""Thirty students voting at once, then restating and rating at once, on PostgreSQL: every write counted
once, none lost, and the teacher's step change waits for the votes under way."""

import threading

import pytest
from django.core.exceptions import ValidationError

from curriculum.dilemmas import selectors, services
from curriculum.live import services as live_services
from curriculum.models import DilemmaVote, LiveRun, Restatement
from tests.factories import ActivityFactory, ClassroomFactory, StudentFactory
from tests.services.conftest import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CLASS = 30
DILEMMA = {
    "situation": {"en": "A new child sits alone at lunch."},
    "options": [{"en": "Sit with them"}, {"en": "Wait and see"}, {"en": "Tell a teacher"}, {"en": "Ask a friend"}],
    "reason_prompt": {"en": "Why?"},
}


def each_once(students):
    """A function for run_together that hands each thread the next student."""
    queue, taking = iter(students), threading.Lock()

    def next_student():
        with taking:
            return next(queue)

    return next_student


@pytest.fixture
def voting():
    classroom = ClassroomFactory(grade=5)
    students = StudentFactory.create_batch(CLASS, school=classroom.school)
    for student in students:
        classroom.enrollments.create(student=student)
    teacher = classroom.teachers.get()
    run = live_services.live_start(
        classroom=classroom, activity=ActivityFactory(kind="dilemma", content=DILEMMA), by=teacher
    )
    run = live_services.live_advance(run, by=teacher, expected="open")
    return run, teacher, students


def test_thirty_students_voting_at_once_are_each_counted_once_and_a_double_click_is_refused(voting):
    run, _teacher, students = voting
    before = run.version
    student_for = each_once(students + students[:5])  # five of them click twice

    def vote():
        student = student_for()
        services.dilemma_vote(run, by=student, option=student.pk % 4, reason=f"Reason of {student.pk}")

    errors = run_together(vote, threads=CLASS + 5)

    assert len(errors) == 5 and all(isinstance(e, ValidationError) and "already voted" in e.messages[0] for e in errors)
    votes = DilemmaVote.objects.filter(run=run, round=1)
    assert votes.count() == CLASS and votes.values("student").distinct().count() == CLASS
    assert all(v.reason == f"Reason of {v.student_id}" and v.option == v.student_id % 4 for v in votes)
    run = LiveRun.objects.get(pk=run.pk)
    assert run.version == before + CLASS + CLASS  # each join and each vote moved the projector's version once
    assert sum(c.first for c in selectors.split(run)) == CLASS


def test_a_vote_and_the_teacher_closing_the_vote_at_once_either_count_or_refuse(voting):
    run, teacher, students = voting
    turn = each_once(["teacher"] + students[: CLASS - 1])

    def act():
        who = turn()
        if who == "teacher":
            live_services.live_advance(run, by=teacher, expected="voting")
        else:
            services.dilemma_vote(run, by=who, option=0, reason="Because.")

    errors = run_together(act, threads=CLASS)

    assert all("Voting has closed" in e.messages[0] for e in errors)
    assert DilemmaVote.objects.filter(run=run).count() == CLASS - 1 - len(errors)
    assert LiveRun.objects.get(pk=run.pk).state == "grouped"


def test_thirty_students_restating_and_rating_at_once_lose_nothing_and_double_nothing(voting):
    run, teacher, students = voting
    for student in students:
        services.dilemma_vote(run, by=student, option=student.pk % 4, reason="Because.")
    run = live_services.live_advance(run, by=teacher, expected="voting")
    answers, order = selectors.first_answers(run)
    live_services.live_groups_form(run, by=teacher, size=4, mode="mixed", answers=answers, order=order)
    run = live_services.live_advance(run, by=teacher, expected="grouped")
    pairs = selectors.assignments(run)
    reader_for = each_once(students)

    def restate():
        reader = reader_for()
        services.restatement_write(
            run, by=reader, author_id=pairs[reader.pk], restatement=f"You think {reader.pk}", reply=f"Reply {reader.pk}"
        )

    assert run_together(restate, threads=CLASS) == []
    rows = Restatement.objects.filter(run=run)
    assert rows.count() == CLASS and rows.filter(restated_at__isnull=False).count() == CLASS
    assert all(r.restatement == f"You think {r.reader_id}" and r.author_id == pairs[r.reader_id] for r in rows)

    written = list(rows.select_related("run", "author"))
    row_for = each_once(written)

    def rate():
        row = row_for()
        services.restatement_rate(row, by=row.author, rating="yes")

    assert run_together(rate, threads=CLASS) == []
    assert selectors.rating_counts(run)["yes"] == CLASS
