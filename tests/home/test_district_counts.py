"""The admin dashboards' head counts per school: active students and teachers only, counted on PostgreSQL
from the partial index on (school, role) of active users without reading the users' rows."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.pages import table

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("dashboard")


def district_with_people():
    admin = DistrictAdminFactory()
    maple = SchoolFactory(district=admin.district, name="Maple")
    cedar = SchoolFactory(district=admin.district, name="Cedar")
    ClassroomFactory(school=maple, students=StudentFactory.create_batch(3, school=maple))  # and its teacher
    ClassroomFactory(school=maple, teachers=[TeacherFactory(school=maple)])
    StudentFactory(school=cedar)
    # Counted nowhere: people who are neither a student nor a teacher, and accounts switched off.
    CounselorFactory(school=maple)
    SchoolAdminFactory(school=maple)
    StudentFactory(school=maple, is_active=False)
    TeacherFactory(school=cedar, is_active=False)
    return admin


def test_the_district_counts_active_students_and_teachers_of_each_school(client):
    client.force_login(district_with_people())
    rows, totals = table(client.get(DASHBOARD).text, caption="per school")
    by_school = {row["School"]: (row["Classrooms"], row["Teachers"], row["Students"]) for row in rows}
    assert by_school == {"Maple": ("2", "2", "3"), "Cedar": ("0", "0", "1")}
    assert [(t["Classrooms"], t["Teachers"], t["Students"]) for t in totals] == [("2", "2", "4")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_district_dashboard_counts_people_from_the_index_alone(client):
    """EXPLAIN of the count the page runs, with sequential scans priced out (so a plan that must read the table
    says so on a small test table): an index-only scan of user_active_by_school_role."""
    client.force_login(district_with_people())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD).status_code == 200
    counts = [q["sql"] for q in captured.captured_queries
              if 'COUNT(*) AS "n" FROM "accounts_user"' in q["sql"]]  # fmt: skip
    assert len(counts) == 1, [q["sql"] for q in captured.captured_queries]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {counts[0]}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using user_active_by_school_role on accounts_user" in plan, plan
