"""The survey windows' reminders, made by the reminder dispatcher through the registered source, each once:
students who have not finished two days before a window closes, the opener and the school's admins when it closed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from notifications.reminders import reminder_sources
from surveys import services as answering
from surveys.models import Respondent
from surveys.windows.reminders import survey_reminders_due
from tests import factories as f

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def now(time_machine):
    moment = timezone.now().replace(microsecond=0)
    time_machine.move_to(moment, tick=False)
    return moment


def of(kind) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "subject_key"))


def enrol(classroom, n):
    return [f.EnrollmentFactory(classroom=classroom).student for _ in range(n)]


def hand_in(window, student, instrument=None):
    response = answering.response_open(window, student, instrument)
    answering.answer_save(response, student, "pt1", "4")
    return answering.response_submit(response, student)


def window_of(classrooms, *, opens, closes, anonymous=False, forms=None, by=None):
    school = classrooms[0].school
    cycle = f.SurveyCycleFactory(school=school, anonymous=anonymous, created_by=by, title="Kindness check")
    return f.SurveyWindowFactory(
        cycle=cycle,
        instruments=forms or [f.InstrumentFactory(grade_min=0, grade_max=8)],
        classrooms=classrooms,
        opens_at=opens,
        closes_at=closes,
        created_by=by,
    )


def test_the_surveys_reminder_source_is_registered():
    names = {f"{s.__module__}.{s.__name__}" for s in reminder_sources()}
    assert "surveys.windows.reminders.survey_reminders_due" in names


def test_students_who_have_not_finished_hear_once_two_days_before_the_window_closes(now, time_machine):
    room = f.ClassroomFactory(grade=4)
    elsewhere = f.ClassroomFactory(school=room.school, grade=4)
    self_report = f.InstrumentFactory(grade_min=3, grade_max=8)
    nomination = f.InstrumentFactory(grade_min=3, grade_max=8, respondent=Respondent.PEER)
    window = window_of(
        [room], opens=now - timedelta(days=5), closes=now + timedelta(days=3), forms=[self_report, nomination]
    )
    silent, halfway, finished, leaver = enrol(room, 4)
    (not_given,) = enrol(elsewhere, 1)
    hand_in(window, halfway, self_report)  # the peer nomination still to do
    hand_in(window, finished, self_report)
    answering.response_submit(answering.response_open(window, finished, nomination), finished)
    room.enrollments.filter(student=leaver).update(left_at=now)
    reminders_dispatch()
    assert of(Kind.SURVEY_CLOSING_SOON) == []  # three days to go
    time_machine.move_to(now + timedelta(days=1, minutes=1), tick=False)
    reminders_dispatch()
    reminders_dispatch()
    key = f"surveys.surveywindow:{window.pk}"
    assert of(Kind.SURVEY_CLOSING_SOON) == sorted([(silent.pk, key), (halfway.pk, key)])
    notice = Notification.objects.filter(kind=Kind.SURVEY_CLOSING_SOON, recipient=silent).get()
    assert notice.title == "“Kindness check” closes soon. There is still time to answer it!"
    assert notice.url == reverse("dashboard") and notice.due_at == window.closes_at
    assert notice.email_status == Notification.EmailStatus.NOT_NEEDED  # children are not e-mailed
    assert not Notification.objects.filter(recipient__in=[finished, leaver, not_given]).exists()
    # Extended: a new closing moment, a new reminder when it comes near.
    window.closes_at = now + timedelta(days=10)
    window.save(update_fields=["closes_at"])
    reminders_dispatch()
    assert Notification.objects.filter(kind=Kind.SURVEY_CLOSING_SOON).count() == 2
    time_machine.move_to(now + timedelta(days=9), tick=False)
    reminders_dispatch()
    assert Notification.objects.filter(kind=Kind.SURVEY_CLOSING_SOON, recipient=silent).count() == 2


def test_nobody_hears_of_a_closed_window_or_an_anonymous_one_they_finished(now):
    room = f.ClassroomFactory(grade=4)
    closed = window_of([room], opens=now - timedelta(days=9), closes=now - timedelta(minutes=1))
    anonymous = window_of([room], opens=now - timedelta(days=5), closes=now + timedelta(days=1), anonymous=True)
    finished, drafting = enrol(room, 2)
    hand_in(anonymous, finished)
    answering.response_open(anonymous, drafting)
    reminders_dispatch()
    assert of(Kind.SURVEY_CLOSING_SOON) == [(drafting.pk, f"surveys.surveywindow:{anonymous.pk}")]
    assert not Notification.objects.filter(
        kind=Kind.SURVEY_CLOSING_SOON, subject_key__endswith=f":{closed.pk}"
    ).exists()


def test_the_opener_and_the_schools_admins_hear_once_when_a_window_closes_with_its_rate(now, time_machine):
    teacher = f.TeacherFactory()
    school = teacher.school
    room = f.ClassroomFactory(school=school, grade=4, teachers=[teacher])
    admin, away_admin = f.SchoolAdminFactory(school=school), f.SchoolAdminFactory(school=school, is_active=False)
    other_school_admin = f.SchoolAdminFactory()
    window = window_of([room], opens=now - timedelta(days=5), closes=now + timedelta(hours=2), by=teacher)
    done, _silent, _also = enrol(room, 3)
    hand_in(window, done)
    leaver = enrol(room, 1)[0]
    hand_in(window, leaver)
    room.enrollments.filter(student=leaver).update(left_at=now)
    reminders_dispatch()
    assert of(Kind.SURVEY_CLOSED) == []  # still open
    time_machine.move_to(now + timedelta(hours=3), tick=False)
    reminders_dispatch()
    reminders_dispatch()
    key = f"surveys.surveywindow:{window.pk}"
    assert of(Kind.SURVEY_CLOSED) == sorted([(teacher.pk, key), (admin.pk, key)])
    notice = Notification.objects.get(kind=Kind.SURVEY_CLOSED, recipient=admin)
    assert notice.title == "The pre window of “Kindness check” has closed: 1 of 3 students handed it in (33%)."
    assert notice.url == reverse("surveys:cycle", kwargs={"pk": window.cycle_id})
    assert not Notification.objects.filter(recipient__in=[away_admin, other_school_admin]).exists()


def test_a_window_closed_long_ago_is_not_reported(now):
    room = f.ClassroomFactory(grade=4)
    f.SchoolAdminFactory(school=room.school)
    window_of([room], opens=now - timedelta(days=30), closes=now - timedelta(days=8))
    reminders_dispatch()
    assert of(Kind.SURVEY_CLOSED) == []


@pytest.mark.parametrize("size", [2, 8])
def test_the_survey_reminders_cost_a_fixed_number_of_queries(now, size, django_assert_max_num_queries):
    rooms = [f.ClassroomFactory(grade=4) for _ in range(size)]
    for room in rooms:
        f.SchoolAdminFactory(school=room.school)
        enrol(room, 2)
        window_of([room], opens=now - timedelta(days=5), closes=now + timedelta(days=1))
        window_of([room], opens=now - timedelta(days=5), closes=now - timedelta(hours=1), by=room.teachers.get())
    with django_assert_max_num_queries(9):
        drafts = survey_reminders_due(now)
    assert len(drafts) == size * 2 + size * 2  # two students each; the opener and the admin each
