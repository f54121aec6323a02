"""Two "Turn in" requests at once (a double tap, two tabs) on PostgreSQL: one turn-in, one event.

Each request is a thread with its own connection, released together by a barrier inside its
transaction; the submission's row lock makes the second wait for the first and find it turned in.
SQLite serialises writers by itself (IMMEDIATE transactions), so the test runs on PostgreSQL only.
"""

import pytest
from django.db import connection

from curriculum.assignments.services import submission_turn_in
from curriculum.models import Submission, SubmissionEvent
from tests.factories import AssignmentFactory, ClassroomFactory, StudentFactory
from tests.services.conftest import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs PostgreSQL's row locks"),
]
ROUNDS = 5


def test_two_turn_ins_at_once_are_one_turn_in():
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school, students=[student])
    for round_ in range(ROUNDS):
        submission = AssignmentFactory(classroom=classroom, students=[student]).submissions.get()

        def turn_in(submission=submission, round_=round_):
            submission_turn_in(submission=Submission.objects.get(pk=submission.pk), by=student, answer={"text": f"Round {round_}"})

        errors = run_together(turn_in, threads=2)
        assert errors == []
        submission.refresh_from_db()
        assert (submission.state, submission.turn_ins) == (Submission.State.TURNED_IN, 1)
        assert SubmissionEvent.objects.filter(submission=submission).count() == 1
