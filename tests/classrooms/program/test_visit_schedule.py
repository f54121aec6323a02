"""A family-visits year: each date of the rule is a visit with a pre-visit and a post-visit lesson around it."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from classrooms.models import ProgramYear, Session, Theme
from classrooms.program.recurrence import Recurrence
from classrooms.program.services import program_year_set, session_cancel, session_mark_held, session_reschedule
from tests.factories import CounselorFactory, VisitingFamilyFactory

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
VISITS = ProgramYear.Format.VISITS


def second_wednesdays(**overrides):
    fields = {"first_month": date(2026, 10, 1), "last_month": date(2027, 6, 1), "at": time(10, 0),
              "time_zone": "America/New_York", "ordinal": 2, "weekday": 2}
    return Recurrence(**{**fields, **overrides})


@pytest.fixture
def year(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    return program_year_set(classroom=classroom, recurrence=second_wednesdays(), by=teacher, format=VISITS)


def local(moment):
    return moment.astimezone(NEW_YORK)


def triplets(classroom):
    return {
        theme.number: {s.kind: s for s in theme.sessions.all()}
        for theme in Theme.objects.filter(classroom=classroom).prefetch_related("sessions")
    }


def test_each_visit_gets_a_theme_with_lessons_a_week_either_side(classroom, year):
    themes = triplets(classroom)
    assert sorted(themes) == list(range(1, 10))  # October to June, numbered in order
    assert Session.objects.filter(classroom=classroom).count() == 27
    first = themes[1]
    assert local(first[Session.Kind.FAMILY_VISIT].starts_at) == datetime(2026, 10, 14, 10, 0, tzinfo=NEW_YORK)
    assert local(first[Session.Kind.PRE_VISIT].starts_at) == datetime(2026, 10, 7, 10, 0, tzinfo=NEW_YORK)
    assert local(first[Session.Kind.POST_VISIT].starts_at) == datetime(2026, 10, 21, 10, 0, tzinfo=NEW_YORK)


def test_lessons_stay_at_ten_local_across_daylight_saving(classroom, year):
    # November's visit is on the 11th; its pre-visit lesson on 4 November comes after the change on the 1st,
    # March's pre-visit lesson (3 March) is before the change on the 14th and its post-visit lesson after.
    for theme in triplets(classroom).values():
        for session in theme.values():
            assert local(session.starts_at).time() == time(10, 0)


def test_setting_the_same_year_twice_changes_nothing(classroom, teacher, year):
    before = sorted(Session.objects.values_list("pk", "starts_at", "kind", "theme__number"))
    program_year_set(classroom=classroom, recurrence=second_wednesdays(), by=teacher, format=VISITS)
    assert sorted(Session.objects.values_list("pk", "starts_at", "kind", "theme__number")) == before


def test_moving_a_family_visit_moves_its_lessons_with_it(classroom, teacher, year):
    theme = triplets(classroom)[3]  # December: visit on the 9th
    visit = theme[Session.Kind.FAMILY_VISIT]
    new_time = datetime(2026, 12, 16, 13, 30, tzinfo=NEW_YORK)  # a week later, after lunch
    session_reschedule(session=visit, starts_at=new_time, by=teacher)
    moved = triplets(classroom)[3]
    assert local(moved[Session.Kind.FAMILY_VISIT].starts_at) == new_time
    assert local(moved[Session.Kind.PRE_VISIT].starts_at) == datetime(2026, 12, 9, 13, 30, tzinfo=NEW_YORK)
    assert local(moved[Session.Kind.POST_VISIT].starts_at) == datetime(2026, 12, 23, 13, 30, tzinfo=NEW_YORK)
    # and the rule no longer owns them: editing the year leaves the moved theme where the teacher put it
    program_year_set(classroom=classroom, recurrence=second_wednesdays(at=time(9, 0)), by=teacher, format=VISITS)
    assert local(triplets(classroom)[3][Session.Kind.FAMILY_VISIT].starts_at) == new_time
    assert local(triplets(classroom)[4][Session.Kind.FAMILY_VISIT].starts_at).time() == time(9, 0)


def test_a_lesson_already_held_stays_when_its_visit_moves(classroom, teacher, year, time_machine):
    theme = triplets(classroom)[2]  # November: pre-visit 4th, visit 11th
    time_machine.move_to(datetime(2026, 11, 5, 12, 0, tzinfo=UTC), tick=False)
    pre = theme[Session.Kind.PRE_VISIT]
    session_mark_held(session=pre, by=teacher, note="Talked about crying")
    session_reschedule(session=theme[Session.Kind.FAMILY_VISIT], starts_at=datetime(2026, 11, 18, 10, 0, tzinfo=NEW_YORK), by=teacher)
    after = triplets(classroom)[2]
    assert after[Session.Kind.PRE_VISIT].starts_at == pre.starts_at
    assert local(after[Session.Kind.POST_VISIT].starts_at) == datetime(2026, 11, 25, 10, 0, tzinfo=NEW_YORK)


def test_moving_a_visit_onto_another_session_is_refused_and_changes_nothing(classroom, teacher, year):
    before = sorted(Session.objects.values_list("pk", "starts_at"))
    october = triplets(classroom)[1]
    # Two weeks later, the visit's post-visit lesson would land on November's pre-visit lesson (4 November).
    with pytest.raises(ValidationError) as error:
        session_reschedule(
            session=october[Session.Kind.FAMILY_VISIT], starts_at=datetime(2026, 10, 28, 10, 0, tzinfo=NEW_YORK), by=teacher
        )
    assert "already has a session" in str(error.value)
    assert sorted(Session.objects.values_list("pk", "starts_at")) == before


def test_shortening_the_year_removes_whole_themes_but_keeps_history(classroom, teacher, year, time_machine):
    session_cancel(session=triplets(classroom)[9][Session.Kind.PRE_VISIT], by=teacher, note="Field trip")
    program_year_set(
        classroom=classroom, recurrence=second_wednesdays(last_month=date(2027, 5, 1)), by=teacher, format=VISITS
    )
    themes = triplets(classroom)
    assert len([t for t in themes.values() if Session.Kind.FAMILY_VISIT in t]) == 8
    # June's cancelled lesson is kept (it happened: it was cancelled), its planned ones are gone
    june = [t for t in themes.values() if Session.Kind.FAMILY_VISIT not in t]
    assert [list(t) for t in june] == [[Session.Kind.PRE_VISIT]]


def test_switching_a_lessons_year_to_visits_replaces_future_planned_lessons(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    program_year_set(classroom=classroom, recurrence=second_wednesdays(), by=teacher)
    assert set(Session.objects.values_list("kind", flat=True)) == {Session.Kind.LESSON}
    program_year_set(classroom=classroom, recurrence=second_wednesdays(), by=teacher, format=VISITS)
    kinds = list(Session.objects.values_list("kind", flat=True))
    assert Session.Kind.LESSON not in kinds and len(kinds) == 27
    program_year_set(classroom=classroom, recurrence=second_wednesdays(), by=teacher)
    assert list(Session.objects.values_list("kind", flat=True)) == [Session.Kind.LESSON] * 9
    assert not Theme.objects.exists()


def test_setting_up_mid_year_does_not_plan_lessons_in_the_past(classroom, teacher, time_machine):
    time_machine.move_to(datetime(2026, 10, 10, 12, 0, tzinfo=UTC), tick=False)  # after 7 Oct, before the 14 Oct visit
    program_year_set(classroom=classroom, recurrence=second_wednesdays(), by=teacher, format=VISITS)
    first = triplets(classroom)[1]
    assert set(first) == {Session.Kind.FAMILY_VISIT, Session.Kind.POST_VISIT}


def test_offsets_are_checked(classroom, teacher):
    with pytest.raises(ValidationError) as error:
        program_year_set(
            classroom=classroom, recurrence=second_wednesdays(), by=teacher, format=VISITS, pre_visit_days=0
        )
    assert "pre_visit_days" in error.value.message_dict
    assert not Session.objects.exists()


def test_themes_added_later_keep_the_family_and_instructor(classroom, teacher, time_machine):
    time_machine.move_to("2026-09-01 12:00:00+00:00", tick=False)
    family = VisitingFamilyFactory(classroom=classroom)  # the only family: new themes get it
    program_year_set(
        classroom=classroom, recurrence=second_wednesdays(last_month=date(2027, 1, 1)), by=teacher, format=VISITS
    )
    assert set(Theme.objects.values_list("family", flat=True)) == {family.pk}
    instructor = CounselorFactory(school=classroom.school)
    Theme.objects.update(instructor=instructor)
    program_year_set(classroom=classroom, recurrence=second_wednesdays(), by=teacher, format=VISITS)  # to June
    assert Theme.objects.count() == 9
    assert set(Theme.objects.values_list("family", "instructor")) == {(family.pk, instructor.pk)}
