"""The program-year and session pages, through HTTP: set up the year, list it, move, cancel, mark held, title."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse

from classrooms.models import Enrollment, ProgramYear, Session, SessionAttendance
from classrooms.program.recurrence import Recurrence
from classrooms.program.services import program_year_set, session_registers_recount
from tests.factories import (
    ClassroomFactory,
    SchoolAdminFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
    ThemeFactory,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
FIRST_TUESDAYS = {
    "repeat": "weekday", "ordinal": "1", "weekday": "1", "day": "", "at": "10:00",
    "first_month": "2026-10", "last_month": "2027-06", "skipped_dates": "2026-11-03",
    "duration_minutes": "45", "format": "lessons", "pre_visit_days": "7", "post_visit_days": "7",
}


@pytest.fixture
def classroom():
    return ClassroomFactory(school__time_zone="America/Chicago", name="Room Maple")


@pytest.fixture
def teacher(classroom, client):
    teacher = classroom.teachers.get()
    client.force_login(teacher)
    return teacher


@pytest.fixture
def september(time_machine):
    time_machine.move_to(SEPTEMBER, tick=False)
    return time_machine


def url(name, classroom, session=None):
    kwargs = {"pk": classroom.pk}
    if session is not None:
        kwargs["session_pk"] = session.pk
    return reverse(f"classrooms:{name}", kwargs=kwargs)


def set_up_year(classroom, by, **overrides):
    fields = {"first_month": date(2026, 10, 1), "last_month": date(2027, 6, 1), "at": time(10, 0),
              "time_zone": classroom.school.time_zone, "ordinal": 1, "weekday": 1}
    return program_year_set(classroom=classroom, recurrence=Recurrence(**{**fields, **overrides}), by=by)


def travel(client, time_machine, user, moment):
    """Move the clock; sign in again, as a sign-in from months earlier would have expired."""
    time_machine.move_to(moment, tick=False)
    client.force_login(user)


def sessions(classroom):
    return list(Session.objects.filter(classroom=classroom).order_by("starts_at"))


# --- Setting up the program year ------------------------------------------------------------------------


def test_a_teacher_sets_up_the_year_and_the_list_shows_every_session(client, classroom, teacher, september):
    response = client.post(url("program_year", classroom), FIRST_TUESDAYS, follow=True)
    assert response.redirect_chain == [(url("sessions", classroom), 302)]
    planned = sessions(classroom)
    assert len(planned) == 8  # October to June is nine first Tuesdays; 3 November is skipped
    assert planned[0].starts_at == datetime(2026, 10, 6, 15, 0, tzinfo=UTC)  # 10:00 in Chicago (CDT)
    assert date(2026, 11, 3) not in [s.starts_at.date() for s in planned]
    assert (
        "Saved. Room Maple has 8 sessions: First Tuesday of each month at 10:00, October 2026 to June 2027, "
        "skipping 1 date." in response.text
    )
    page = response.text
    assert page.count('class="list-group-item session') == 8
    assert "Tue 6 Oct" in page and "10:00" in page
    assert "October 2026" in page and "June 2027" in page  # grouped by month
    program_year = ProgramYear.objects.get(classroom=classroom)
    assert program_year.skipped_dates == ["2026-11-03"]
    assert program_year.duration_minutes == 45


def test_a_new_year_is_prefilled_with_a_typical_schedule(client, classroom, teacher):
    page = client.get(url("program_year", classroom)).text
    assert 'type="month" name="first_month" value="2026-10"' in page
    assert 'type="month" name="last_month" value="2027-06"' in page
    assert 'type="time" name="at" value="10:00"' in page
    assert 'name="duration_minutes" value="45"' in page
    assert '<option value="1" selected>first</option>' in page
    assert '<option value="1" selected>Tuesday</option>' in page
    assert "the last day of the month in months that are shorter" in page


def test_editing_prefills_the_form_with_the_saved_year(client, classroom, teacher, september):
    set_up_year(classroom, teacher, ordinal=None, weekday=None, day=31, skipped=[date(2026, 12, 31)])
    page = client.get(url("program_year", classroom)).text
    assert 'name="day" value="31"' in page
    assert 'value="day" checked' in page
    assert "2026-12-31</textarea>" in page
    assert "Day 31 of each month (the last day in shorter months)" in page  # the rule as it is now


def test_a_day_of_the_month_year_saves(client, classroom, teacher, september):
    data = {**FIRST_TUESDAYS, "repeat": "day", "day": "15", "skipped_dates": ""}
    assert client.post(url("program_year", classroom), data).status_code == 302
    assert {s.starts_at.day for s in sessions(classroom)} == {15}
    program_year = ProgramYear.objects.get(classroom=classroom)
    assert (program_year.day, program_year.ordinal, program_year.weekday) == (15, None, None)


def test_a_year_of_family_visits_plans_lessons_around_each_visit(client, classroom, teacher, september):
    data = {**FIRST_TUESDAYS, "format": "visits", "pre_visit_days": "5", "post_visit_days": "9", "skipped_dates": ""}
    assert client.post(url("program_year", classroom), data).status_code == 302
    kinds = [s.kind for s in sessions(classroom)]
    assert kinds.count("family_visit") == 9 and kinds.count("pre_visit") == 9 and kinds.count("post_visit") == 9
    page = client.get(url("sessions", classroom)).text
    assert "Theme 1 · Pre-visit lesson" in page and "Theme 1 · Family visit" in page
    assert "pre-visit lesson 5 days before and a post-visit lesson 9 days after" in page


@pytest.mark.parametrize(
    ("changes", "message", "kept"),
    [
        ({"skipped_dates": "2026-11-03, 2026-13-01\nThanksgiving"}, "“2026-13-01”, “Thanksgiving”", "Thanksgiving</textarea>"),
        ({"first_month": "2026-10", "last_month": "2026-05"}, "The last month is before the first month.", 'value="2026-05"'),
        ({"repeat": "", "day": "12"}, "not both", 'name="day" value="12"'),
        ({"repeat": "", "ordinal": "", "weekday": "", "day": ""}, "Choose either a weekday of the month", 'value="10:00"'),
        ({"repeat": "day", "day": ""}, "Give the day of the month", 'value="day" checked'),
        ({"repeat": "day", "day": "32"}, "less than or equal to 31", 'name="day" value="32"'),
        ({"last_month": "June"}, "Enter a month as MM/YYYY or YYYY-MM", 'value="June"'),
        ({"duration_minutes": "0"}, "greater than or equal to 10", 'name="duration_minutes" value="0"'),
        ({"format": "visits", "pre_visit_days": "30"}, "less than or equal to 14", 'value="30"'),
        ({"first_month": "2026-01", "last_month": "2028-06"}, "at most 24 months", 'value="2028-06"'),
    ],
)
def test_bad_input_is_explained_keeps_what_was_typed_and_writes_nothing(client, classroom, teacher, september, changes, message, kept):
    response = client.post(url("program_year", classroom), {**FIRST_TUESDAYS, **changes})
    assert response.status_code == 200
    assert message in response.text
    assert kept in response.text
    assert not ProgramYear.objects.exists()
    assert not Session.objects.exists()


def test_an_empty_post_does_not_crash(client, classroom, teacher):
    response = client.post(url("program_year", classroom), {})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not ProgramYear.objects.exists()


def test_editing_the_rule_mid_year_keeps_the_sessions_already_held(client, classroom, teacher, time_machine):
    time_machine.move_to(SEPTEMBER, tick=False)
    assert client.post(url("program_year", classroom), {**FIRST_TUESDAYS, "skipped_dates": ""}).status_code == 302
    october = sessions(classroom)[0]
    travel(client, time_machine, teacher, datetime(2026, 10, 6, 16, 0, tzinfo=UTC))
    client.post(url("session_held", classroom, october), {"note": "Talked about sharing."})

    travel(client, time_machine, teacher, datetime(2027, 1, 10, 12, 0, tzinfo=UTC))
    response = client.post(url("program_year", classroom), {**FIRST_TUESDAYS, "weekday": "3", "skipped_dates": ""})
    assert response.status_code == 302
    after = sessions(classroom)
    assert len(after) == 9
    october.refresh_from_db()
    assert october.status == Session.Status.HELD and october.note == "Talked about sharing."
    past = [s for s in after if s.starts_at < datetime(2027, 1, 10, tzinfo=UTC)]
    assert [s.starts_at.weekday() for s in past] == [1, 1, 1, 1]  # Oct-Jan stay on Tuesdays
    assert [s.starts_at.weekday() for s in after if s not in past] == [3] * 5  # Feb-Jun move to Thursdays
    page = client.get(url("sessions", classroom)).text
    assert "First Thursday of each month" in page
    assert page.count("session-status--overdue") == 3  # Nov, Dec, Jan: over and never marked


# --- The list -------------------------------------------------------------------------------------------


def test_overdue_sessions_are_named_not_just_coloured(client, classroom, teacher, time_machine):
    time_machine.move_to(datetime(2026, 10, 1, tzinfo=UTC), tick=False)
    over = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 2, 15, 0, tzinfo=UTC))
    SessionFactory(classroom=classroom, starts_at=datetime(2026, 11, 2, 15, 0, tzinfo=UTC))
    time_machine.move_to(datetime(2026, 10, 5, tzinfo=UTC), tick=False)
    page = client.get(url("sessions", classroom)).text
    assert page.count(">Overdue</span>") == 1
    assert "1 session is over but not marked held or cancelled." in page
    assert f'href="#session-{over.pk}"' in page
    assert page.count(">Planned</span>") == 1
    assert url("session_held", classroom, over) in page  # only the started session offers "Mark held"
    assert page.count("/held/") == 1


def test_a_student_sees_the_list_without_notes_or_actions(client, classroom, time_machine):
    student = StudentFactory(school=classroom.school)
    Enrollment.objects.create(classroom=classroom, student=student)
    time_machine.move_to(datetime(2026, 10, 1, tzinfo=UTC), tick=False)
    SessionFactory(classroom=classroom, starts_at=datetime(2026, 9, 20, 15, 0, tzinfo=UTC), title="Feelings wheel",
                   status=Session.Status.HELD, note="Sam was upset; call home")
    SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 20, 15, 0, tzinfo=UTC), title="Kindness")
    SessionFactory(classroom=classroom, starts_at=datetime(2026, 9, 27, 15, 0, tzinfo=UTC), title="Never marked")
    client.force_login(student)
    response = client.get(url("sessions", classroom))
    assert response.status_code == 200
    page = response.text
    assert "Feelings wheel" in page and "Kindness" in page and ">Held</span>" in page
    assert "call home" not in page
    assert list(parse(page).find("main").find_all("form")) == []  # no actions (sign-out and language are outside main)
    assert "Reschedule" not in page and "Change the schedule" not in page
    assert "Never marked" in page and "Overdue" not in page and "overdue" not in page  # the teachers' business


def test_a_student_who_left_or_never_joined_gets_404(client, classroom):
    student = StudentFactory(school=classroom.school)
    client.force_login(student)
    assert client.get(url("sessions", classroom)).status_code == 404
    Enrollment.objects.create(classroom=classroom, student=student, left_at=datetime(2026, 9, 1, tzinfo=UTC))
    assert client.get(url("sessions", classroom)).status_code == 404


def test_an_empty_list_says_how_to_start(client, classroom, teacher):
    page = client.get(url("sessions", classroom)).text
    assert "No sessions yet." in page
    assert url("program_year", classroom) in page


def test_titles_and_notes_are_escaped(client, classroom, teacher, time_machine):
    time_machine.move_to(datetime(2026, 10, 1, tzinfo=UTC), tick=False)
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 9, 30, 15, 0, tzinfo=UTC))
    client.post(url("session_title", classroom, session), {"title": "<script>alert(1)</script>"})
    client.post(url("session_held", classroom, session), {"note": "<img src=x onerror=alert(2)>"})
    for page in (client.get(url("sessions", classroom)).text, client.get(classroom.get_absolute_url()).text,
                 client.get(url("session_held", classroom, session)).text):
        assert "<script>alert(1)" not in page and "<img src=x" not in page
    page = client.get(url("sessions", classroom)).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def add_sessions(classroom, count, start):
    """Sessions of every status, half of them family visits with a theme (so a missing join would show);
    the held ones with a register of the class, one student away."""
    students = [e.student for e in Enrollment.objects.filter(classroom=classroom).select_related("student")]
    for n in range(count):
        visit = n % 2 == 0
        session = SessionFactory(
            classroom=classroom, starts_at=start + timedelta(days=7 * n), title=f"Lesson {n}", note="n",
            status=Session.Status.HELD if n % 3 == 0 else Session.Status.PLANNED,
            kind=Session.Kind.FAMILY_VISIT if visit else Session.Kind.LESSON,
            theme=ThemeFactory(classroom=classroom) if visit else None,
        )
        if session.status == Session.Status.HELD:
            SessionAttendance.objects.bulk_create(
                SessionAttendance(session=session, student=s, present=i > 0) for i, s in enumerate(students)
            )
            session_registers_recount(sessions=Session.objects.filter(pk=session.pk))  # the rows written in bulk


@pytest.mark.parametrize("viewer", ["teacher", "student"])
def test_the_list_costs_the_same_queries_for_2_or_20_sessions(client, classroom, viewer, django_assert_max_num_queries, september):
    student = StudentFactory(school=classroom.school)
    Enrollment.objects.create(classroom=classroom, student=student)
    client.force_login(classroom.teachers.get() if viewer == "teacher" else student)
    set_up_year(classroom, classroom.teachers.get())
    Session.objects.all().delete()
    counts = []
    for size, start in ((2, datetime(2026, 8, 3, 15, tzinfo=UTC)), (18, datetime(2026, 10, 3, 15, tzinfo=UTC))):
        add_sessions(classroom, size, start)
        # 11: the page's own ten, and one for the lessons planned for every row (curriculum's session part).
        with django_assert_max_num_queries(11) as captured:
            assert client.get(url("sessions", classroom)).status_code == 200
        counts.append(len(captured))
    assert Session.objects.count() == 20
    assert counts[0] == counts[1]


@pytest.mark.parametrize("viewer", ["teacher", "student"])
def test_the_classroom_page_costs_the_same_queries_for_2_or_20_sessions(client, classroom, viewer, django_assert_max_num_queries, september):
    student = StudentFactory(school=classroom.school)
    Enrollment.objects.create(classroom=classroom, student=student)
    client.force_login(classroom.teachers.get() if viewer == "teacher" else student)
    set_up_year(classroom, classroom.teachers.get())
    Session.objects.all().delete()
    counts = []
    for size, start in ((2, datetime(2026, 8, 3, 15, tzinfo=UTC)), (18, datetime(2026, 10, 3, 15, tzinfo=UTC))):
        add_sessions(classroom, size, start)
        with django_assert_max_num_queries(17) as captured:
            assert client.get(classroom.get_absolute_url()).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- The classroom page's card ---------------------------------------------------------------------------


def test_the_classroom_page_invites_a_teacher_to_set_up_the_year(client, classroom, teacher):
    page = client.get(classroom.get_absolute_url()).text
    assert "No program year yet." in page
    assert url("program_year", classroom) in page


def test_the_classroom_page_shows_the_rule_counts_and_next_sessions(client, classroom, teacher, time_machine):
    time_machine.move_to(SEPTEMBER, tick=False)
    set_up_year(classroom, teacher)
    first = sessions(classroom)[0]
    travel(client, time_machine, teacher, datetime(2026, 12, 2, tzinfo=UTC))  # October held, the rest forgotten
    client.post(url("session_held", classroom, first), {"note": ""})
    page = client.get(classroom.get_absolute_url()).text
    assert "First Tuesday of each month at 10:00, October 2026 to June 2027." in page
    assert "9 sessions" in page and "1 held" in page and "2 overdue" in page  # November and 1 December
    assert "Tue 1 Dec" not in page  # started already: not "next"
    assert "Tue 5 Jan" in page and "Tue 2 Feb" in page and "Tue 2 Mar" in page and "Tue 6 Apr" not in page
    assert url("sessions", classroom) in page and "Change the schedule" in page


def test_a_student_sees_what_is_coming_up_on_the_classroom_page(client, classroom, time_machine):
    time_machine.move_to(datetime(2026, 10, 1, tzinfo=UTC), tick=False)
    student = StudentFactory(school=classroom.school)
    Enrollment.objects.create(classroom=classroom, student=student)
    SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC), title="Kindness", note="secret")
    SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 13, 15, 0, tzinfo=UTC), status=Session.Status.CANCELLED)
    client.force_login(student)
    page = client.get(classroom.get_absolute_url()).text
    assert "Coming up" in page and "Next time: Tuesday 6 October at 10:00" in page and "Kindness" in page
    assert "Tue 13 Oct" not in page and "secret" not in page


# --- Reschedule -----------------------------------------------------------------------------------------


def test_rescheduling_reads_the_time_in_the_schools_zone(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC))
    form = client.get(url("session_reschedule", classroom, session)).text
    assert 'name="date" value="2026-10-06"' in form and 'name="time" value="10:00"' in form
    response = client.post(url("session_reschedule", classroom, session), {"date": "2026-10-08", "time": "14:30"}, follow=True)
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 10, 8, 19, 30, tzinfo=UTC)  # 14:30 CDT
    assert not session.follows_recurrence
    assert "is now on Thu 8 Oct 2026, 14:30" in response.text


def test_rescheduling_into_the_past_is_refused_and_keeps_what_was_typed(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC))
    response = client.post(url("session_reschedule", classroom, session), {"date": "2026-08-31", "time": "09:15"})
    assert response.status_code == 200
    assert "That time has already passed" in response.text
    assert 'value="2026-08-31"' in response.text and 'value="09:15"' in response.text
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 10, 6, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("data", [{}, {"date": "tomorrow", "time": "25:00"}])
def test_rescheduling_with_bad_input_explains(client, classroom, teacher, september, data):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC))
    response = client.post(url("session_reschedule", classroom, session), data)
    assert response.status_code == 200
    assert "is-invalid" in response.text
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 10, 6, 15, 0, tzinfo=UTC)


def test_rescheduling_onto_another_session_is_refused(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC))
    SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 8, 15, 0, tzinfo=UTC))
    response = client.post(url("session_reschedule", classroom, session), {"date": "2026-10-08", "time": "10:00"})
    assert response.status_code == 200
    assert "already has a session at that time" in response.text


def test_a_family_visits_page_says_its_lessons_move_with_it(client, classroom, teacher, september):
    program_year_set(
        classroom=classroom, by=teacher, format="visits",
        recurrence=Recurrence(first_month=date(2026, 10, 1), last_month=date(2026, 11, 1), at=time(10, 0),
                              time_zone="America/Chicago", ordinal=1, weekday=1),
    )
    visit = Session.objects.filter(kind="family_visit").earliest("starts_at")
    assert "pre-visit and post-visit lessons move with it" in client.get(url("session_reschedule", classroom, visit)).text
    response = client.post(url("session_reschedule", classroom, visit), {"date": "2026-10-07", "time": "10:00"}, follow=True)
    assert "its pre- and post-visit lessons moved with it" in response.text
    lesson = Session.objects.get(kind="pre_visit", theme=visit.theme)
    assert lesson.starts_at == datetime(2026, 9, 30, 15, 0, tzinfo=UTC)


def test_a_held_session_cannot_be_rescheduled(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC), status="held")
    assert "A held session cannot be moved" in client.get(url("session_reschedule", classroom, session)).text
    response = client.post(url("session_reschedule", classroom, session), {"date": "2026-10-08", "time": "10:00"})
    assert "A held session cannot be moved" in response.text
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 10, 6, 15, 0, tzinfo=UTC)


# --- Cancel, held, title -------------------------------------------------------------------------------


def test_cancelling_with_a_note(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC))
    response = client.post(url("session_cancel", classroom, session), {"note": "Snow day"}, follow=True)
    session.refresh_from_db()
    assert (session.status, session.note) == (Session.Status.CANCELLED, "Snow day")
    assert "is cancelled" in response.text and ">Cancelled</span>" in response.text and "Snow day" in response.text


def test_cancel_is_post_only_and_a_held_session_cannot_be_cancelled(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 8, 6, 15, 0, tzinfo=UTC), status="held")
    assert client.get(url("session_cancel", classroom, session)).status_code == 405
    response = client.post(url("session_cancel", classroom, session), {"note": ""}, follow=True)
    assert "it cannot be cancelled" in response.text
    session.refresh_from_db()
    assert session.status == Session.Status.HELD


def test_a_session_cannot_be_marked_held_before_it_starts(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC))
    assert "has not started yet" in client.get(url("session_held", classroom, session)).text
    response = client.post(url("session_held", classroom, session), {"note": "early"})
    assert response.status_code == 200
    assert "has not started yet" in response.text
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED and session.note == ""


def test_marking_held_with_a_note_and_editing_the_note(client, classroom, teacher, time_machine):
    time_machine.move_to(datetime(2026, 10, 6, 16, 0, tzinfo=UTC), tick=False)
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC))
    response = client.post(url("session_held", classroom, session), {"note": "Read “The Invisible String”."}, follow=True)
    assert response.redirect_chain[-1][0].startswith(url("sessions", classroom))
    assert "is marked held" in response.text and ">Held</span>" in response.text
    session.refresh_from_db()
    assert (session.status, session.note) == (Session.Status.HELD, "Read “The Invisible String”.")
    assert "The Invisible String" in client.get(url("session_held", classroom, session)).text  # prefilled
    client.post(url("session_held", classroom, session), {"note": "Read it twice."})
    session.refresh_from_db()
    assert session.note == "Read it twice."


def test_a_too_long_note_is_refused_and_kept(client, classroom, teacher, time_machine):
    time_machine.move_to(datetime(2026, 10, 6, 16, 0, tzinfo=UTC), tick=False)
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 10, 6, 15, 0, tzinfo=UTC))
    response = client.post(url("session_held", classroom, session), {"note": "x" * 1001})
    assert response.status_code == 200
    assert "keep it to 1000 characters at most" in response.text and "x" * 1001 in response.text
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


def test_setting_a_title_with_a_plain_post(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom)
    response = client.post(url("session_title", classroom, session), {"title": "  Naming   feelings "})
    assert response.status_code == 302 and response.url == url("sessions", classroom) + f"#session-{session.pk}"
    session.refresh_from_db()
    assert session.title == "Naming feelings"
    too_long = client.post(url("session_title", classroom, session), {"title": "y" * 201}, follow=True)
    assert "keep it to 200 characters at most" in too_long.text
    session.refresh_from_db()
    assert session.title == "Naming feelings"


def test_setting_a_title_with_htmx_returns_the_row(client, classroom, teacher, september):
    session = SessionFactory(classroom=classroom)
    response = client.post(url("session_title", classroom, session), {"title": "Baby's first smile"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.text
    assert text.strip().startswith(f'<li class="list-group-item session" id="session-{session.pk}">')
    assert "Baby&#x27;s first smile" in text and "Title saved." in text
    assert "<html" not in text
    error = client.post(url("session_title", classroom, session), {"title": "z" * 201}, headers={"HX-Request": "true"})
    assert 'aria-invalid="true"' in error.text and "z" * 201 in error.text and "<details class=\"session__action\" open>" in error.text


# --- Who may do what --------------------------------------------------------------------------------------


MANAGER_PAGES = [
    ("program_year", "get"), ("session_reschedule", "get"), ("session_reschedule", "post"),
    ("session_cancel", "post"), ("session_restore", "post"), ("session_held", "get"), ("session_held", "post"),
    ("session_title", "post"),
]


def request(client, name, method, classroom, session):
    target = url(name, classroom, session if name != "program_year" else None)
    return getattr(client, method)(target, {"date": "2026-10-08", "time": "10:00", "note": "x", "title": "x"} if method == "post" else None)


@pytest.mark.parametrize(("name", "method"), [p for p in MANAGER_PAGES if p[0] != "program_year"])
def test_another_classrooms_session_under_this_classrooms_url_is_404(client, classroom, teacher, name, method, september):
    mine_too = ClassroomFactory(school=classroom.school, teachers=[teacher])
    theirs = SessionFactory(classroom=mine_too, starts_at=datetime(2026, 8, 20, 15, tzinfo=UTC))
    assert request(client, name, method, classroom, theirs).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.title, theirs.note) == ("planned", "", "")


@pytest.mark.parametrize(("name", "method"), [*MANAGER_PAGES, ("sessions", "get")])
def test_another_schools_teacher_gets_404(client, classroom, name, method, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 8, 20, 15, tzinfo=UTC))
    client.force_login(TeacherFactory())
    target = url(name, classroom, session if name not in ("program_year", "sessions") else None)
    assert getattr(client, method)(target, {"note": "x", "title": "x"} if method == "post" else None).status_code == 404


@pytest.mark.parametrize(("name", "method"), MANAGER_PAGES)
def test_a_student_of_the_classroom_gets_404_on_manager_pages(client, classroom, name, method, september):
    session = SessionFactory(classroom=classroom, starts_at=datetime(2026, 8, 20, 15, tzinfo=UTC))
    student = StudentFactory(school=classroom.school)
    Enrollment.objects.create(classroom=classroom, student=student)
    client.force_login(student)
    assert request(client, name, method, classroom, session).status_code == 404
    session.refresh_from_db()
    assert (session.status, session.title, session.note) == ("planned", "", "")


def test_a_colleague_teacher_of_the_same_school_gets_404(client, classroom, september):
    client.force_login(TeacherFactory(school=classroom.school))
    assert client.get(url("program_year", classroom)).status_code == 404
    assert client.get(url("sessions", classroom)).status_code == 404


def test_the_school_admin_manages_the_year(client, classroom, september):
    client.force_login(SchoolAdminFactory(school=classroom.school))
    assert client.post(url("program_year", classroom), FIRST_TUESDAYS).status_code == 302
    assert len(sessions(classroom)) == 8


def test_signed_out_visitors_are_sent_to_sign_in(client, classroom):
    response = client.get(url("sessions", classroom))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
