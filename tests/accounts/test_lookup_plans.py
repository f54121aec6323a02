"""Every case-insensitive lookup of Heard is served by an index on PostgreSQL (EXPLAIN, with sequential scans
priced out, so a plan that can only read the whole table still says so on a small test table): the sign-in's
username (the unique index on lower(username)), a classroom's name in its school year, a duty period's name in
its school. ``username__iexact`` was UPPER(username) = UPPER(...), which no index serves: at 52,660 users one
sign-in lookup read every user (8.6 ms instead of 0.07 ms)."""

import pytest
from django.db import connection, transaction

from accounts.models import User
from classrooms.models import Classroom
from peer_counselors.models import DutyPeriod
from tests.factories import ClassroomFactory, StudentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's"),
]


def plan(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def test_the_sign_in_lookup_uses_the_index_on_lower_username_and_ignores_case_and_spaces():
    student = StudentFactory(username="maya.r")
    StudentFactory.create_batch(20)
    assert User.objects.get_by_natural_key("  Maya.R ") == student
    assert "username_unique_ignoring_case" in plan(User.objects.by_username("Maya.R"))
    assert "Seq Scan" in plan(User.objects.filter(username__iexact="Maya.R"))  # what it replaced


def test_the_other_case_insensitive_lookups_are_served_by_their_scope_s_index():
    classroom = ClassroomFactory()
    found = plan(
        Classroom.objects.filter(
            school_id=classroom.school_id, school_year=classroom.school_year, name__iexact="room 8"
        )
    )
    assert "Seq Scan" not in found, found
    found = plan(DutyPeriod.objects.filter(school_id=classroom.school_id, name__iexact="lunch"))
    assert "Seq Scan" not in found, found
