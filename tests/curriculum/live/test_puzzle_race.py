"""Members of a group saving at once on PostgreSQL: no answer and no contribution is lost silently."""

import threading

import pytest

from curriculum.live import services as live
from curriculum.models import LiveMember, PuzzleAnswer, PuzzlePart
from curriculum.puzzles import services
from tests.factories import ActivityFactory, ClassroomFactory, StudentFactory
from tests.services.conftest import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PUZZLE = {
    "problem": {"en": "Find the lost lunch box."},
    "parts": [{"en": "It is blue."}, {"en": "It was by the door."}, {"en": "Sam saw it at recess."}],
    "question": {"en": "Where is it?"},
    "answer_for_teacher": "In the office.",
}


def a_running_group(size: int):
    classroom = ClassroomFactory(grade=5)
    students = StudentFactory.create_batch(size, school=classroom.school)
    for student in students:
        classroom.enrollments.create(student=student)
    teacher = classroom.teachers.get()
    run = live.live_start(classroom=classroom, activity=ActivityFactory(kind="team_puzzle", content=PUZZLE), by=teacher)
    for student in students:
        live.live_join(run, student)
    run = live.live_advance(run, by=teacher, expected="open")
    live.live_groups_form(run, by=teacher, size=size)
    return live.live_advance(run, by=teacher, expected="grouped"), students


def test_members_saving_the_answer_at_once_from_the_same_version_one_saves_the_others_are_told():
    run, students = a_running_group(5)
    answer = PuzzleAnswer.objects.get(run=run)
    writers = iter(students)
    taking = threading.Lock()

    def save():
        with taking:
            me = next(writers)
        services.puzzle_answer_save(answer=answer, by=me, text=f"Answer by {me.pk}", seen_version=0)

    errors = run_together(save, threads=5)

    assert len(errors) == 4 and all(isinstance(e, services.AnswerConflict) for e in errors)
    answer.refresh_from_db()
    assert answer.version == 1 and answer.text == f"Answer by {answer.saved_by_id}"
    assert {e.answer.text for e in errors} == {answer.text}  # each refused member was shown the saved answer


def test_members_sharing_their_parts_at_once_all_land():
    run, students = a_running_group(5)
    parts = iter(PuzzlePart.objects.filter(run=run).select_related("run"))
    taking = threading.Lock()

    def share():
        with taking:
            part = next(parts)
        services.puzzle_contribution_save(part=part, by=part.student, text=f"Piece {part.index} by {part.student_id}")

    assert run_together(share, threads=5) == []
    saved = {(p.index, p.student_id): p.contribution for p in PuzzlePart.objects.filter(run=run)}
    assert len(saved) == 5 and all(text == f"Piece {i} by {s}" for (i, s), text in saved.items())
    assert LiveMember.objects.filter(run=run).count() == 5
