"""Response rates per classroom on the cycle page: students enrolled now, started, handed in and the rate;
counting only the window's classrooms' current students (Moodle's questionnaire counts leavers), anonymous
windows through their participations; a teacher's own classrooms only; never anyone's answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classrooms.models import Classroom
from surveys import services as answering
from surveys.models import Phase, Respondent
from surveys.windows import selectors
from tests import factories as f
from tests.pages import table

pytestmark = pytest.mark.django_db


def enrol(classroom, n):
    return [f.EnrollmentFactory(classroom=classroom).student for _ in range(n)]


def hand_in(window, student, instrument=None):
    response = answering.response_open(window, student, instrument)
    answering.answer_save(response, student, "pt1", "4")
    return answering.response_submit(response, student)


def begin(window, student, instrument=None):
    response = answering.response_open(window, student, instrument)
    answering.answer_save(response, student, "pt1", "2")
    return response


def rates_of(client, cycle, phase="Pre"):
    """The cycle page's rate table for one window, by classroom name (the "All" footer as "All")."""
    page = client.get(reverse("surveys:cycle", kwargs={"pk": cycle.pk}))
    assert page.status_code == 200
    body, foot = table(page.content.decode(), caption=f"{phase} window")
    rows = {row["Classroom"].split(" Grade ")[0]: row for row in body}
    if foot:
        (rows["All"],) = foot
    return rows


@pytest.fixture
def school():
    return f.SchoolFactory()


def survey(school, rooms, *forms, anonymous=False):
    forms = forms or (f.InstrumentFactory(grade_min=3, grade_max=8),)
    cycle = f.SurveyCycleFactory(school=school, anonymous=anonymous)
    return cycle, f.SurveyWindowFactory(cycle=cycle, instruments=list(forms), classrooms=rooms)


def test_each_classroom_counts_its_current_students_only(client, school):
    teacher = f.TeacherFactory(school=school)
    room_a = f.ClassroomFactory(school=school, grade=4, name="Room A", teachers=[teacher])
    room_b = f.ClassroomFactory(school=school, grade=4, name="Room B")
    dropped = f.ClassroomFactory(school=school, grade=4, name="Room Dropped")
    cycle, window = survey(school, [room_a, room_b, dropped])
    done_1, done_2, drafting, silent = enrol(room_a, 4)
    hand_in(window, done_1), hand_in(window, done_2), begin(window, drafting)
    # A leaver handed it in, then left: counted nowhere.
    leaver = enrol(room_a, 1)[0]
    hand_in(window, leaver)
    room_a.enrollments.filter(student=leaver).update(left_at=timezone.now())
    # Someone answered through a classroom that was later taken out of the window, then moved to Room A.
    mover = enrol(dropped, 1)[0]
    hand_in(window, mover)
    window.classrooms.remove(dropped)
    dropped.enrollments.filter(student=mover).update(left_at=timezone.now())
    room_a.enrollments.create(student=mover)
    (b_done,) = enrol(room_b, 1)
    hand_in(window, b_done)
    enrol(room_b, 1)
    client.force_login(f.SchoolAdminFactory(school=school))
    rows = rates_of(client, cycle)
    assert set(rows) == {"Room A", "Room B", "All"}
    a = rows["Room A"]
    assert (a["Enrolled now"], a["Started"], a["Handed in"]) == ("5", "3", "2 (40%)")
    assert rows["Room B"]["Handed in"] == "1 (50%)"
    assert (rows["All"]["Enrolled now"], rows["All"]["Handed in"]) == ("7", "3 (43%)")


def test_a_student_has_handed_in_once_every_form_of_their_grade_is_in(client, school):
    room = f.ClassroomFactory(school=school, grade=5, name="Room 5")
    self_report = f.InstrumentFactory(grade_min=3, grade_max=8)
    nomination = f.InstrumentFactory(grade_min=3, grade_max=8, respondent=Respondent.PEER)
    younger = f.InstrumentFactory(grade_min=0, grade_max=2)  # not for grade 5
    cycle, window = survey(school, [room], self_report, nomination, younger)
    both, one = enrol(room, 2)
    hand_in(window, both, self_report)
    nominations = answering.response_open(window, both, nomination)
    answering.response_submit(nominations, both)
    hand_in(window, one, self_report)
    client.force_login(f.SchoolAdminFactory(school=school))
    row = rates_of(client, cycle)["Room 5"]
    assert (row["Enrolled now"], row["Started"], row["Handed in"]) == ("2", "2", "1 (50%)")


def test_an_anonymous_window_counts_finished_participations(client, school):
    room = f.ClassroomFactory(school=school, grade=4, name="Room 4")
    cycle, window = survey(school, [room], anonymous=True)
    finished, drafting, _silent = enrol(room, 3)
    hand_in(window, finished)
    begin(window, drafting)
    client.force_login(f.SchoolAdminFactory(school=school))
    row = rates_of(client, cycle)["Room 4"]
    assert (row["Enrolled now"], row["Started"], row["Handed in"]) == ("3", "2", "1 (33%)")


def test_a_teacher_sees_their_own_classrooms_rows_and_nobodys_answers(client, school):
    teacher = f.TeacherFactory(school=school)
    mine = f.ClassroomFactory(school=school, grade=4, name="Mine", teachers=[teacher])
    theirs = f.ClassroomFactory(school=school, grade=4, name="Theirs")
    cycle, window = survey(school, [mine, theirs])
    (student,) = enrol(mine, 1)
    enrol(theirs, 2)
    hand_in(window, student)
    client.force_login(teacher)
    rows = rates_of(client, cycle)
    assert set(rows) == {"Mine"}  # one row: no "All" footer either
    page = client.get(reverse("surveys:cycle", kwargs={"pk": cycle.pk})).content.decode()
    assert student.first_name not in page and student.username not in page and "Theirs" not in page
    client.force_login(f.DistrictAdminFactory(district=school.district))
    assert set(rates_of(client, cycle)) == {"Mine", "Theirs", "All"}
    client.force_login(f.SchoolAdminFactory())
    assert client.get(reverse("surveys:cycle", kwargs={"pk": cycle.pk})).status_code == 404


def test_a_window_with_a_teacher_report_shows_how_many_students_are_rated(client, school):
    teacher = f.TeacherFactory(school=school)
    room = f.ClassroomFactory(school=school, grade=4, name="Room 4", teachers=[teacher])
    report = f.InstrumentFactory(grade_min=0, grade_max=8, respondent=Respondent.TEACHER, subscales={"helps": 2})
    cycle, window = survey(school, [room], f.InstrumentFactory(grade_min=3, grade_max=8), report)
    rated, unrated, drafted = enrol(room, 3)
    answering.teacher_report_save(window, teacher, room, {rated.pk: {"helps1": "3"}}, submit=True)
    answering.teacher_report_save(window, teacher, room, {drafted.pk: {"helps1": "2"}})
    client.force_login(teacher)
    page = client.get(reverse("surveys:cycle", kwargs={"pk": cycle.pk})).content.decode()
    body, _foot = table(page, caption="Teacher reports, Pre window")
    assert body == [{"Classroom": "Room 4", "Students rated": "1 of 3 (33%)"}]


def test_the_rates_are_one_query_for_2_or_8_classrooms(django_assert_num_queries, school):
    form = f.InstrumentFactory(grade_min=0, grade_max=8)
    cycle = f.SurveyCycleFactory(school=school)
    pre = f.SurveyWindowFactory(cycle=cycle, instruments=[form])
    post = f.SurveyWindowFactory(cycle=cycle, phase=Phase.POST, instruments=[form])
    for size in (2, 8):
        while pre.classrooms.count() < size:
            room = f.ClassroomFactory(school=school, grade=pre.classrooms.count() % 9)
            pre.classrooms.add(room), post.classrooms.add(room)
            for student in enrol(room, 3)[:2]:
                hand_in(pre, student)
        windows = list(selectors.cycles_for(f.SchoolAdminFactory(school=school)).get(pk=cycle.pk).windows.all())
        with django_assert_num_queries(1):
            rates = selectors.window_rates(windows, Classroom.objects.filter(school=school))
        pre_rates = rates[pre.pk]
        assert len(pre_rates) == size
        assert [(r.enrolled, r.submitted) for r in pre_rates] == [(3, 2)] * size
        assert selectors.total(rates[post.pk]).submitted == 0


def test_the_cycle_page_costs_the_same_queries_for_2_or_8_classrooms(client, school):
    admin = f.SchoolAdminFactory(school=school)
    client.force_login(admin)
    cycle, window = survey(school, [])
    f.SurveyWindowFactory(
        cycle=cycle,
        phase=Phase.POST,
        instruments=list(window.instruments.all()),
        opens_at=timezone.now() + timedelta(days=30),
        closes_at=timezone.now() + timedelta(days=40),
    )
    counts = []
    for size in (2, 8):
        while window.classrooms.count() < size:
            room = f.ClassroomFactory(school=school, grade=4)
            window.classrooms.add(room)
            hand_in(window, enrol(room, 2)[0])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("surveys:cycle", kwargs={"pk": cycle.pk})).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
