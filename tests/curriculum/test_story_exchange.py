"""Story exchange: partners swap stories (one trio in an odd class), a story is shared to be retold, and
each student rates the retelling of their story before they may see how their own retelling was rated."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from classrooms.models import BabyObservation
from curriculum.exercises.selectors import inner_state_spread, story_exchange_view
from curriculum.exercises.services import (
    pair_cycles,
    pairs_make,
    retelling_rate,
    story_share,
    submission_scores_after_turn_in,
)
from curriculum.models import Assignment, Pairing, Submission
from tests.factories import ClassroomFactory, SessionFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def _assignment(kind, content, students, teacher):
    classroom = ClassroomFactory(school=teacher.school)
    classroom.teachers.add(teacher)
    assignment = Assignment.objects.create(
        classroom=classroom, kind=kind, title="Swap", activity_instructions={"en": "Go"}, content=content, band="3_5",
        created_by=teacher,
    )
    Submission.objects.bulk_create([Submission(assignment=assignment, student=s) for s in students])
    return assignment


def _work(assignment, student):
    return assignment.submissions.get(student=student)


@given(st.lists(st.integers(min_value=1, max_value=10_000), min_size=2, max_size=40, unique=True))
def test_every_student_tells_once_retells_once_and_never_their_own(ids):
    pairs = pair_cycles(ids)
    tellers = [t for t, _ in pairs]
    retellers = [r for _, r in pairs]
    assert sorted(tellers) == sorted(ids) == sorted(retellers)
    assert all(t != r for t, r in pairs)


def test_an_odd_class_has_one_group_of_three_and_the_rest_swap():
    pairs = dict(pair_cycles([1, 2, 3, 4, 5]))
    assert pairs[1] == 2 and pairs[2] == 1  # a swap
    assert {pairs[3], pairs[4], pairs[5]} == {3, 4, 5}  # the trio passes stories round
    assert pair_cycles([7]) == []


def test_rating_comes_before_seeing_ones_own_rating():
    teacher = TeacherFactory()
    ana, ben = StudentFactory(school=teacher.school), StudentFactory(school=teacher.school)
    assignment = _assignment("story_exchange", {"prompt": "p", "retell_prompt": "r"}, [ana, ben], teacher)
    pairs_make(assignment=assignment, by=teacher, groups=[[ana.pk, ben.pk]])

    ana_work, ben_work = _work(assignment, ana), _work(assignment, ben)
    ana_work.answer = {"story": "My cat hid <b>all</b> day.", "retelling": ""}
    ana_work.save()
    assert story_exchange_view(ben_work).to_retell == ""  # not shared yet: a draft stays private
    story_share(submission=ana_work, by=ana)
    assert story_exchange_view(ben_work).to_retell == "My cat hid <b>all</b> day."

    # Ben retells Ana's story and turns in; Ana cannot rate before that.
    mine = Pairing.objects.get(assignment=assignment, teller=ana)
    with pytest.raises(ValidationError):
        retelling_rate(retelling=mine, by=ana, faithful=3, feelings=2, no_judgement=3)
    Submission.objects.filter(pk=ben_work.pk).update(
        answer={"story": "I lost a tooth.", "retelling": "My cat hid all day, I was worried."}, state="turned_in"
    )
    Submission.objects.filter(pk=ana_work.pk).update(answer={"story": "x", "retelling": "I lost a tooth."}, state="turned_in")
    ben_mine = Pairing.objects.get(assignment=assignment, teller=ben)
    retelling_rate(retelling=ben_mine, by=ben, faithful=2, feelings=1, no_judgement=3)

    # Ben rated Ana's retelling, but Ana has not rated Ben's yet: she does not see her rating.
    ana_view = story_exchange_view(_work(assignment, ana))
    assert ana_view.retelling_of_mine == "My cat hid all day, I was worried."
    assert ana_view.rating_of_my_retelling is None and not ana_view.rated_by_me
    # Ben rated first, and Ana has not rated him: he does not see his yet either.
    assert story_exchange_view(_work(assignment, ben)).rating_of_my_retelling is None

    retelling_rate(retelling=mine, by=ana, faithful=3, feelings=2, no_judgement=3)
    seen = story_exchange_view(_work(assignment, ana)).rating_of_my_retelling
    assert (seen.faithful, seen.feelings, seen.no_judgement) == (2, 1, 3)
    seen_by_ben = story_exchange_view(_work(assignment, ben)).rating_of_my_retelling
    assert (seen_by_ben.faithful, seen_by_ben.feelings, seen_by_ben.no_judgement) == (3, 2, 3)


def test_a_rating_is_given_once_by_the_storyteller_with_points_one_to_three():
    teacher = TeacherFactory()
    ana, ben = StudentFactory(school=teacher.school), StudentFactory(school=teacher.school)
    assignment = _assignment("story_exchange", {"prompt": "p", "retell_prompt": "r"}, [ana, ben], teacher)
    pairs_make(assignment=assignment, by=teacher, seed=1)
    Submission.objects.filter(assignment=assignment).update(state="turned_in")
    mine = Pairing.objects.get(assignment=assignment, teller=ana)
    with pytest.raises(PermissionDenied):
        retelling_rate(retelling=mine, by=ben, faithful=3, feelings=3, no_judgement=3)
    with pytest.raises(ValidationError):
        retelling_rate(retelling=mine, by=ana, faithful=4, feelings=3, no_judgement=3)
    retelling_rate(retelling=mine, by=ana, faithful=1, feelings=1, no_judgement=1)
    with pytest.raises(ValidationError):
        retelling_rate(retelling=mine, by=ana, faithful=3, feelings=3, no_judgement=3)


def test_partners_stay_once_a_story_is_shared_and_groups_must_cover_everyone():
    teacher = TeacherFactory()
    students = [StudentFactory(school=teacher.school) for _ in range(3)]
    assignment = _assignment("story_exchange", {"prompt": "p", "retell_prompt": "r"}, students, teacher)
    with pytest.raises(ValidationError):
        pairs_make(assignment=assignment, by=teacher, groups=[[students[0].pk, students[1].pk]])
    pairs_make(assignment=assignment, by=teacher)
    assert Pairing.objects.filter(assignment=assignment).count() == 3  # one trio
    work = _work(assignment, students[0])
    with pytest.raises(ValidationError):
        story_share(submission=work, by=students[0])  # nothing written yet
    work.answer = {"story": "We built a fort."}
    work.save()
    with pytest.raises(PermissionDenied):
        story_share(submission=work, by=students[1])
    story_share(submission=work, by=students[0])
    with pytest.raises(ValidationError):
        pairs_make(assignment=assignment, by=teacher)


def test_the_class_spread_counts_lines_and_feelings_without_names():
    teacher = TeacherFactory()
    students = [StudentFactory(school=teacher.school, first_name=f"Kid{i}") for i in range(4)]
    content = {
        "title": "t", "lines": ["a.", "b.", "c."],
        "questions": [{"after_line": 2, "asks": "feels", "character": "Ana", "question": "How?"}],
    }
    assignment = _assignment("story_inner_state", content, students, teacher)
    picks = [(1, "sad", "turned_in"), (2, "sad", "returned"), (2, "lonely", "turned_in"), (3, "happy", "in_progress")]
    for student, (line, feeling, state) in zip(students, picks, strict=True):
        Submission.objects.filter(assignment=assignment, student=student).update(
            state=state, answer={"answers": [{"text": f"{feeling} because of line {line}", "line": line, "feeling": feeling}]}
        )
    (spread,) = inner_state_spread(assignment)
    assert spread.answered == 3  # the draft in progress is not counted
    assert spread.lines == [(1, 1), (2, 2), (3, 0)]
    assert spread.feelings == [("sad", 2), ("lonely", 1)]
    assert sorted(spread.answers) == sorted(["sad because of line 1", "sad because of line 2", "lonely because of line 2"])
    assert not any("Kid" in a for a in spread.answers)


def test_a_partner_guess_is_scored_against_the_partners_own_answer_once_they_turn_it_in():
    teacher = TeacherFactory()
    ana, ben = StudentFactory(school=teacher.school), StudentFactory(school=teacher.school)
    content = {"key_source": "partner", "scenario": "Your partner lost the game.", "why_prompt": "Why?"}
    assignment = _assignment("feelings_guess", content, [ana, ben], teacher)
    pairs_make(assignment=assignment, by=teacher, groups=[[ana.pk, ben.pk]])
    # Ana guesses Ben felt frustrated (4); Ben says he felt angry (5). Ben guesses Ana felt sad; she was sad.
    Submission.objects.filter(assignment=assignment, student=ana).update(
        state="turned_in", answer={"feelings": ["frustrated"], "intensity": 4, "why": "He frowned",
                                   "self_feelings": ["sad"], "self_intensity": 2})
    ana_work = _work(assignment, ana)
    submission_scores_after_turn_in(submission=ana_work)
    ana_work.refresh_from_db()
    assert ana_work.accuracy_max is None  # Ben has not said how he felt yet

    Submission.objects.filter(assignment=assignment, student=ben).update(
        state="turned_in", answer={"feelings": ["sad"], "intensity": 2, "why": "Quiet",
                                   "self_feelings": ["angry"], "self_intensity": 5})
    submission_scores_after_turn_in(submission=_work(assignment, ben))
    ana_work.refresh_from_db()
    ben_work = _work(assignment, ben)
    assert (ana_work.accuracy_points, ana_work.accuracy_max, ana_work.intensity_difference) == (1, 2, 1)
    assert (ben_work.accuracy_points, ben_work.accuracy_max, ben_work.intensity_difference) == (2, 2, 0)


def test_a_baby_visit_guess_is_scored_when_the_instructor_logs_what_the_baby_showed():
    teacher = TeacherFactory()
    ana = StudentFactory(school=teacher.school)
    assignment = _assignment("feelings_guess", {"key_source": "baby_visit", "scenario": "s", "why_prompt": "w"}, [ana], teacher)
    assignment.session = SessionFactory(classroom=assignment.classroom)
    assignment.save()
    Submission.objects.filter(assignment=assignment).update(state="turned_in", answer={"feelings": ["calm", "tired"], "intensity": 2, "why": "w"})
    BabyObservation.objects.create(session=assignment.session, feelings=["tired", "curious"])
    work = _work(assignment, ana)
    # tired: 2 (same); calm: 1 (calm family, like tired); most 2 x 2.
    assert (work.accuracy_points, work.accuracy_max, work.intensity_difference) == (3, 4, None)
