"""The assignments' reminders, made by the reminder dispatcher through the registered sources, each once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from classrooms.tasks import reminders_dispatch
from curriculum.assignments.reminders import assignment_reminders_due
from curriculum.models import Submission
from notifications.models import Notification
from notifications.reminders import reminder_sources
from tests.factories import AssignmentFactory, ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def classroom_with(n: int):
    students = StudentFactory.create_batch(n)
    classroom = ClassroomFactory(school=students[0].school, students=students)
    return classroom, students


def of(kind) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "subject_key"))


def test_each_app_registers_its_reminder_sources():
    names = {f"{s.__module__}.{s.__name__}" for s in reminder_sources()}
    assert names == {
        "classrooms.program.reminders.session_reminders_due",
        "curriculum.assignments.reminders.assignment_reminders_due",
        "surveys.windows.reminders.survey_reminders_due",
        "peer_counselors.escalation.reminders.duty_reminders_due",
        "peer_counselors.escalation.reminders.follow_up_reminders_due",
    }


def test_students_whose_work_is_due_tomorrow_and_not_turned_in_are_reminded_once(now, time_machine):
    classroom, (waiting, started, finished) = classroom_with(3)
    assignment = AssignmentFactory(classroom=classroom, due_at=now + timedelta(hours=20), students=[waiting, started, finished])
    assignment.submissions.filter(student=started).update(state=Submission.State.IN_PROGRESS)
    assignment.submissions.filter(student=finished).update(state=Submission.State.TURNED_IN, turned_in_at=now)
    AssignmentFactory(classroom=classroom, due_at=now + timedelta(days=3), students=[waiting])  # not tomorrow yet
    time_machine.move_to(now, tick=False)
    reminders_dispatch()
    reminders_dispatch()
    key = f"curriculum.assignment:{assignment.pk}"
    assert of(Kind.ASSIGNMENT_DUE_TOMORROW) == sorted([(waiting.pk, key), (started.pk, key)])
    notice = Notification.objects.filter(kind=Kind.ASSIGNMENT_DUE_TOMORROW, recipient=waiting).get()
    assert notice.title == f"Due tomorrow: {assignment.title}"
    assert notice.url == assignment.submissions.get(student=waiting).get_absolute_url()
    assert notice.email_status == Notification.EmailStatus.NOT_NEEDED  # children are not e-mailed


def test_the_teacher_hears_once_when_everyone_has_turned_in(now, time_machine):
    classroom, (first, second, away) = classroom_with(3)
    assignment = AssignmentFactory(classroom=classroom, students=[first, second, away])
    teacher = classroom.teachers.get()
    time_machine.move_to(now, tick=False)
    assignment.submissions.filter(student=first).update(state=Submission.State.TURNED_IN, turned_in_at=now)
    reminders_dispatch()
    assert of(Kind.ASSIGNMENT_ALL_TURNED_IN) == []
    assignment.submissions.filter(student=second).update(state=Submission.State.TURNED_IN, turned_in_at=now)
    assignment.submissions.filter(student=away).update(state=Submission.State.EXCUSED)
    reminders_dispatch()
    reminders_dispatch()
    assert of(Kind.ASSIGNMENT_ALL_TURNED_IN) == [(teacher.pk, f"curriculum.assignment:{assignment.pk}")]
    # A student who takes their work back and hands it in again does not make a second one.
    assignment.submissions.filter(student=first).update(state=Submission.State.IN_PROGRESS)
    reminders_dispatch()
    assignment.submissions.filter(student=first).update(state=Submission.State.TURNED_IN)
    reminders_dispatch()
    assert Notification.objects.filter(kind=Kind.ASSIGNMENT_ALL_TURNED_IN).count() == 1


def test_the_teacher_hears_once_when_the_due_date_passed_with_work_missing(now, time_machine):
    classroom, (done, missing) = classroom_with(2)
    assignment = AssignmentFactory(classroom=classroom, due_at=now + timedelta(hours=1), students=[done, missing])
    assignment.submissions.filter(student=done).update(state=Submission.State.TURNED_IN, turned_in_at=now)
    time_machine.move_to(now, tick=False)
    reminders_dispatch()
    assert of(Kind.ASSIGNMENT_DUE_PASSED) == []
    time_machine.move_to(now + timedelta(hours=2), tick=False)
    reminders_dispatch()
    reminders_dispatch()
    notices = Notification.objects.filter(kind=Kind.ASSIGNMENT_DUE_PASSED)
    assert [(n.recipient_id, n.title) for n in notices] == [
        (classroom.teachers.get().pk, f"“{assignment.title}” in {classroom.name} was due: 1 turned in, 1 missing.")
    ]
    assert notices.get().email_status == Notification.EmailStatus.PENDING  # teachers have an address


def test_no_due_date_reminder_when_nobody_is_missing(now, time_machine):
    classroom, (student,) = classroom_with(1)
    assignment = AssignmentFactory(classroom=classroom, due_at=now - timedelta(hours=1), students=[student])
    assignment.submissions.update(state=Submission.State.TURNED_IN, turned_in_at=now - timedelta(hours=2))
    time_machine.move_to(now, tick=False)
    reminders_dispatch()
    assert of(Kind.ASSIGNMENT_DUE_PASSED) == []
    assert len(of(Kind.ASSIGNMENT_ALL_TURNED_IN)) == 1


@pytest.mark.parametrize("size", [2, 20])
def test_the_assignments_reminders_cost_a_fixed_number_of_queries(now, size, django_assert_max_num_queries):
    for _ in range(size):
        classroom, students = classroom_with(2)
        AssignmentFactory(classroom=classroom, due_at=now + timedelta(hours=3), students=students)
        done = AssignmentFactory(classroom=classroom, students=students)
        done.submissions.update(state=Submission.State.TURNED_IN, turned_in_at=now)
        late = AssignmentFactory(classroom=classroom, due_at=now - timedelta(hours=3), students=students)
        assert late
    with django_assert_max_num_queries(6):
        drafts = assignment_reminders_due(now)
    assert len(drafts) == size * 4  # two students due tomorrow, a teacher for everyone in, a teacher for the due date
