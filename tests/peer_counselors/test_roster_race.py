"""Two counselors at once on PostgreSQL: the same student added twice is one profile and one clear refusal; the
same duty slot added twice is one slot (duty_slot_once) and one clear refusal. SQLite serialises writers by
itself, so the races run on PostgreSQL only."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from peer_counselors.models import CounselorProfile, DutySlot
from peer_counselors.roster import services
from tests.factories import CounselorFactory, CounselorProfileFactory, DutyPeriodFactory, SchoolFactory, StudentFactory
from tests.services.conftest import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs PostgreSQL's unique indexes"),
]


def test_the_same_student_added_by_two_counselors_at_once_is_one_profile():
    school = SchoolFactory()
    first, second = CounselorFactory(school=school), CounselorFactory(school=school)
    student = StudentFactory(school=school, first_name="Ada", last_name="Byron")
    who = iter([first, second])

    errors = run_together(lambda: services.counselor_profile_create(by=next(who), student=student))

    assert CounselorProfile.objects.filter(student=student).count() == 1
    assert [type(e) for e in errors] == [ValidationError]
    assert errors[0].message_dict == {"student": ["Ada Byron is already on the roster."]}


def test_the_same_slot_added_twice_at_once_is_one_slot():
    school = SchoolFactory()
    counselor = CounselorFactory(school=school)
    profile = CounselorProfileFactory(student=StudentFactory(school=school, first_name="Ada", last_name="Byron"))
    lunch = DutyPeriodFactory(school=school, name="Lunch recess")

    errors = run_together(lambda: services.duty_slot_add(profile=profile, by=counselor, weekday=1, period=lunch))

    assert DutySlot.objects.filter(profile=profile).count() == 1
    assert [e.message_dict for e in errors] == [{"weekday": ["Ada Byron is already on duty on Tuesday at Lunch recess."]}]
