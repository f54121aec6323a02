"""The library's dilemmas for grades 3-8, and who sees a live dilemma's votes and restatements: a student
their own (and the restatements of their reason), the class's teacher the run's, nobody else anything."""

import pytest

from curriculum.dilemmas import services
from curriculum.live import services as live_services
from curriculum.models import Activity, DilemmaVote, Restatement
from curriculum.permissions import dilemma_vote_scope, restatement_scope
from tests.factories import ActivityFactory, ClassroomFactory, SchoolAdminFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

DILEMMA = {"situation": "S", "options": ["A", "B", "C"], "reason_prompt": "Why?"}


def test_the_library_has_at_least_eight_dilemmas_for_grades_3_to_8():
    shipped = Activity.objects.filter(kind="dilemma", lesson__owner__isnull=True)
    assert shipped.filter(lesson__band__in=("3_5", "6_8")).count() >= 8
    assert {"3_5", "6_8"} <= set(shipped.values_list("lesson__band", flat=True))


def test_votes_and_restatements_are_seen_by_their_own_people_only():
    classroom = ClassroomFactory(grade=5)
    a, b, c = StudentFactory.create_batch(3, school=classroom.school)
    for kid in (a, b, c):
        classroom.enrollments.create(student=kid)
    teacher = classroom.teachers.get()
    run = live_services.live_start(
        classroom=classroom, activity=ActivityFactory(kind="dilemma", content=DILEMMA), by=teacher
    )
    run = live_services.live_advance(run, by=teacher, expected="open")
    for kid, option in ((a, 0), (b, 1), (c, 1)):
        services.dilemma_vote(run, by=kid, option=option, reason="Because.")
    run = live_services.live_advance(run, by=teacher, expected="voting")
    answers, order = services.selectors.first_answers(run)
    live_services.live_groups_form(run, by=teacher, size=3, answers=answers, order=order)
    run = live_services.live_advance(run, by=teacher, expected="grouped")
    pairs = services.selectors.assignments(run)
    written = services.restatement_write(run, by=a, author_id=pairs[a.pk], restatement="You think.", reply="Ok.")
    author = written.author

    def votes(user):
        return set(DilemmaVote.objects.filter(dilemma_vote_scope(user)).values_list("student_id", flat=True))

    def restatements(user):
        return set(Restatement.objects.filter(restatement_scope(user)).values_list("reader_id", flat=True))

    assert votes(a) == {a.pk} and votes(teacher) == {a.pk, b.pk, c.pk}
    assert a.pk in restatements(a) and a.pk in restatements(author)
    bystander = ({b, c} - {author}).pop()
    assert restatements(bystander) == {bystander.pk}  # only their own (still unwritten) assignment
    elsewhere = StudentFactory(school=classroom.school)
    for outsider in (elsewhere, TeacherFactory(school=classroom.school), TeacherFactory()):
        assert votes(outsider) == set() and restatements(outsider) == set()
    admin = SchoolAdminFactory(school=classroom.school)
    assert votes(admin) == votes(teacher)  # the school's admin may lead its runs, as the foundation's scope says
