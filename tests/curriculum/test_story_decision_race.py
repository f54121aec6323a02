"""Two teachers of a class decide on the same waiting story at once, on PostgreSQL: one decision lands, the
other is told the story is no longer waiting, and the story and its submission agree with the one that landed.

Each decision is a thread with its own connection, released together inside its transaction; the story's row
lock makes the second wait for the first and find it decided. SQLite serialises writers, so PostgreSQL only.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from curriculum.models import Story, Submission
from curriculum.stories import services
from tests.curriculum.test_story_wall import sent_story
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.services.conftest import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs PostgreSQL's row locks"),
]
ROUNDS = 4


def test_an_approval_and_a_send_back_at_once_leave_one_decision():
    author = StudentFactory()
    classroom = ClassroomFactory(school=author.school, grade=4, students=[author])
    first, second = classroom.teachers.get(), TeacherFactory(school=author.school)
    classroom.teachers.add(second)
    for round_ in range(ROUNDS):
        story = sent_story(classroom, author, text=f"Round {round_}: Ana listened.")
        decisions = iter([
            lambda pk=story.pk: services.story_approve(story=Story.objects.get(pk=pk), by=first),
            lambda pk=story.pk: services.story_send_back(story=Story.objects.get(pk=pk), by=second, note="Say who helped."),
        ])  # fmt: skip

        def decide(decisions=decisions):
            next(decisions)()

        errors = run_together(decide, threads=2)
        assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
        assert "Only a story waiting for you" in " ".join(errors[0].messages)
        story.refresh_from_db()
        submission = Submission.objects.get(pk=story.submission_id)
        assert story.state in (Story.State.APPROVED, Story.State.SENT_BACK)
        assert (story.decided_by == first) == (story.state == Story.State.APPROVED)
        assert (submission.state == Submission.State.RETURNED) == (story.state == Story.State.SENT_BACK)


def test_two_declines_at_once_are_one_decline():
    author = StudentFactory()
    classroom = ClassroomFactory(school=author.school, grade=4, students=[author])
    teacher = classroom.teachers.get()
    story = sent_story(classroom, author)

    def decline():
        services.story_decline(story=Story.objects.get(pk=story.pk), by=teacher, note="Not for the wall.")

    assert run_together(decline, threads=2) == []
    story.refresh_from_db()
    assert (story.state, story.note) == (Story.State.DECLINED, "Not for the wall.")
