"""The program-fidelity report: counts per classroom, who sees which classrooms, and its CSV."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classrooms.models import Enrollment, Session, SessionAttendance
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    DistrictFactory,
    SchoolAdminFactory,
    SchoolFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.pages import table

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)  # the 2026-27 school year
URL = reverse("classrooms:fidelity")
PLANNED, HELD, CANCELLED = Session.Status.PLANNED, Session.Status.HELD, Session.Status.CANCELLED


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def school():
    return SchoolFactory(name="Maple", time_zone="America/Chicago")


def sessions(classroom, *specs):
    """``(days from NOW, status)`` pairs, at whole days (and hours) from the frozen now."""
    for offset, status in specs:
        SessionFactory(classroom=classroom, starts_at=NOW + timedelta(days=offset), status=status)


def csv_rows(client, query="") -> list[list[str]]:
    response = client.get(URL + "?format=csv" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def by_classroom(rows) -> dict[str, list[str]]:
    header = rows[0]
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def test_counts_per_classroom_against_a_hand_made_year(client, school):
    room = ClassroomFactory(school=school, name="Room 1")
    sessions(
        room,
        (-60, HELD), (-30, HELD), (-20, CANCELLED),  # history
        (-10, PLANNED),  # past and never marked: overdue
        (10, PLANNED), (40, PLANNED), (50, CANCELLED),  # to come (a future cancellation is not "to come")
    )
    quiet = ClassroomFactory(school=school, name="Room 2")  # no program year yet
    sessions(quiet)
    client.force_login(SchoolAdminFactory(school=school))
    rows = by_classroom(csv_rows(client))
    r1 = rows["Room 1"]
    assert (r1["Planned (to come)"], r1["Held"], r1["Cancelled"], r1["Not marked (past, still planned)"]) == ("2", "2", "2", "1")
    assert r1["Share held (%)"] == "67"  # 2 held of 3 past (held + not marked); cancellations left out
    assert r1["Next session"] == (NOW + timedelta(days=10)).date().isoformat()
    assert r1["Last held"] == (NOW - timedelta(days=30)).date().isoformat()
    r2 = rows["Room 2"]
    assert (r2["Planned (to come)"], r2["Held"], r2["Share held (%)"], r2["Next session"], r2["Last held"]) == ("0", "0", "", "", "")
    totals = rows[""]  # the totals row has no classroom name
    assert totals["School"] == "All classrooms"
    assert (totals["Planned (to come)"], totals["Held"], totals["Cancelled"], totals["Not marked (past, still planned)"]) == ("2", "2", "2", "1")
    assert totals["Share held (%)"] == "67"


def test_the_page_shows_the_same_figures(client, school):
    room = ClassroomFactory(school=school, name="Room 1", teachers=[TeacherFactory(school=school, first_name="Ana", last_name="Diaz")])
    sessions(room, (-30, HELD), (-10, PLANNED), (10, PLANNED))
    ClassroomFactory(school=school, name="Room 2")
    client.force_login(SchoolAdminFactory(school=school))
    response = client.get(URL)
    assert response.status_code == 200
    rows, totals = table(response.text, caption="Sessions per classroom")
    shown = [(r["Classroom"], r["To come"], r["Held"], r["Not marked"], r["Share held"]) for r in rows]
    assert shown[0] == ("Room 1 Ana Diaz", "1", "1", "1", "50%")
    assert shown[1][0].startswith("Room 2") and shown[1][1:] == ("0", "0", "0", "none past yet")  # a dash, read aloud
    assert (totals[0]["To come"], totals[0]["Held"], totals[0]["Share held"]) == ("1", "1", "50%")
    html = response.content.decode()
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html


def test_a_session_becomes_overdue_the_moment_it_ends(client, school, frozen):
    """Overdue is relative to now, and means the same as on the sessions list: over and still planned.

    One second before it starts the session is to come; while it is under way it is neither to come
    nor overdue; the moment it ends unmarked it is overdue.
    """
    room = ClassroomFactory(school=school, name="Room 1")
    starts = NOW + timedelta(hours=2)
    SessionFactory(classroom=room, starts_at=starts, status=PLANNED, duration_minutes=45)
    client.force_login(SchoolAdminFactory(school=school))
    columns = ("Planned (to come)", "Not marked (past, still planned)", "Share held (%)")

    def row_at(moment):
        frozen.move_to(moment, tick=False)
        row = by_classroom(csv_rows(client))["Room 1"]
        return tuple(row[c] for c in columns)

    assert row_at(starts - timedelta(seconds=1)) == ("1", "0", "")
    assert row_at(starts) == ("0", "0", "")
    assert row_at(starts + timedelta(minutes=45, seconds=-1)) == ("0", "0", "")
    assert row_at(starts + timedelta(minutes=45)) == ("0", "1", "0")
    assert by_classroom(csv_rows(client))["Room 1"]["Next session"] == ""


def test_dates_are_the_schools_local_dates(client, school):
    """03:00 UTC on 1 December is still 30 November in Chicago."""
    room = ClassroomFactory(school=school, name="Room 1")
    SessionFactory(classroom=room, starts_at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    client.force_login(SchoolAdminFactory(school=school))
    assert by_classroom(csv_rows(client))["Room 1"]["Next session"] == "2026-11-30"


def test_a_school_admin_sees_only_their_school(client, school):
    ClassroomFactory(school=school, name="Ours")
    ClassroomFactory(school=SchoolFactory(district=school.district), name="Neighbours")
    ClassroomFactory(name="Far away")
    client.force_login(SchoolAdminFactory(school=school))
    assert set(by_classroom(csv_rows(client))) == {"Ours", ""}
    html = client.get(URL).content.decode()
    assert "Ours" in html and "Neighbours" not in html and "Far away" not in html
    assert 'id="fidelity-school"' not in html and ">School</th>" not in html  # one school: no filter, no column


def test_a_district_admin_sees_their_district_with_a_school_column(client, school):
    other = SchoolFactory(district=school.district, name="Cedar")
    ClassroomFactory(school=school, name="Maple room")
    ClassroomFactory(school=other, name="Cedar room")
    ClassroomFactory(name="Other district room")
    client.force_login(DistrictAdminFactory(district=school.district))
    rows = by_classroom(csv_rows(client))
    assert set(rows) == {"Maple room", "Cedar room", ""}
    assert rows["Cedar room"]["School"] == "Cedar"
    html = client.get(URL).content.decode()
    assert "Other district room" not in html
    assert '>School</th>' in html


def test_a_district_admin_can_filter_by_one_of_their_schools(client, school):
    other = SchoolFactory(district=school.district, name="Cedar")
    ClassroomFactory(school=school, name="Maple room")
    ClassroomFactory(school=other, name="Cedar room")
    client.force_login(DistrictAdminFactory(district=school.district))
    assert set(by_classroom(csv_rows(client, f"&school={other.pk}"))) == {"Cedar room", ""}
    rows, _totals = table(client.get(URL, {"school": other.pk}).text, caption="Sessions per classroom")
    assert [r["Classroom"].split()[:2] for r in rows] == [["Cedar", "room"]]


@pytest.mark.parametrize("value", ["elsewhere", "abc", "-1", "1.5"])
def test_a_school_outside_the_district_is_a_404(client, school, value):
    elsewhere = SchoolFactory(district=DistrictFactory())
    client.force_login(DistrictAdminFactory(district=school.district))
    assert client.get(URL, {"school": elsewhere.pk if value == "elsewhere" else value}).status_code == 404


def test_a_school_admin_cannot_pick_another_school(client, school):
    neighbour = SchoolFactory(district=school.district)
    client.force_login(SchoolAdminFactory(school=school))
    assert client.get(URL, {"school": neighbour.pk}).status_code == 404
    assert client.get(URL, {"school": school.pk}).status_code == 200


@pytest.mark.parametrize("factory", [TeacherFactory, StudentFactory, CounselorFactory])
def test_only_administrators_see_the_report(client, school, factory):
    ClassroomFactory(school=school)
    client.force_login(factory(school=school))
    assert client.get(URL).status_code == 404
    assert client.get(URL + "?format=csv").status_code == 404


def test_signing_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_report_defaults_to_this_school_year_and_can_show_another(client, school):
    ClassroomFactory(school=school, name="This year", school_year=2026)
    ClassroomFactory(school=school, name="Last year", school_year=2025)
    client.force_login(SchoolAdminFactory(school=school))
    assert set(by_classroom(csv_rows(client))) == {"This year", ""}
    assert set(by_classroom(csv_rows(client, "&year=2025"))) == {"Last year", ""}
    html = client.get(URL).content.decode()
    assert '<option value="2025">2025–26</option>' in html


def test_the_empty_state_explains_what_will_appear(client, school):
    client.force_login(SchoolAdminFactory(school=school))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No classrooms for 2026–27." in html
    assert "<table" not in html
    assert csv_rows(client) == [csv_rows(client)[0]]  # the CSV has its header and nothing else


def test_csv_cells_cannot_become_spreadsheet_formulas(client, school):
    for name in ('=HYPERLINK("http://evil.example","x")', "+1+2", "-3", "@SUM(A1)", "Plain"):
        ClassroomFactory(school=school, name=name, teachers=[TeacherFactory(school=school, first_name="=cmd", last_name="x")])
    client.force_login(SchoolAdminFactory(school=school))
    rows = csv_rows(client)
    names = {row[1] for row in rows[1:]}
    assert names == {"'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1+2", "'-3", "'@SUM(A1)", "Plain", ""}
    assert all(row[3].startswith("'=cmd") for row in rows[1:-1])


def test_classroom_names_are_escaped_on_the_page(client, school):
    ClassroomFactory(school=school, name="<script>alert(1)</script>")
    client.force_login(SchoolAdminFactory(school=school))
    html = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _make_classrooms(school, n):
    for i in range(n):
        room = ClassroomFactory(school=school, teachers=[TeacherFactory(school=school), TeacherFactory(school=school)])
        sessions(room, (-20 - i, HELD), (-5, PLANNED), (5 + i, PLANNED), (30, CANCELLED))
        take_register(Session.objects.get(classroom=room, status=HELD), present=2, away=1)


def take_register(session, *, present: int, away: int):
    """A register for ``session``: that many students of its class there and away."""
    for n in range(present + away):
        student = StudentFactory(school=session.classroom.school)
        Enrollment.objects.create(classroom=session.classroom, student=student)
        SessionAttendance.objects.create(session=session, student=student, present=n < present)


def test_the_share_present_is_pooled_over_the_registers_of_held_sessions(client, school):
    """24 there of 30 on two registers is 80%; a session held without a register is left out, not an absence."""
    room = ClassroomFactory(school=school, name="Room 1")
    sessions(room, (-30, HELD), (-20, HELD), (-10, HELD), (-5, PLANNED))
    first, second, unrecorded = Session.objects.filter(classroom=room, status=HELD).order_by("starts_at")
    take_register(first, present=19, away=1)
    take_register(second, present=5, away=5)
    take_register(SessionFactory(classroom=room, starts_at=NOW - timedelta(days=3), status=CANCELLED), present=0, away=4)
    ClassroomFactory(school=school, name="Room 2")
    client.force_login(SchoolAdminFactory(school=school))
    rows = by_classroom(csv_rows(client))
    assert rows["Room 1"]["Present at held sessions (%)"] == "80"  # (19 + 5) / 30, not the mean of 95% and 50%
    assert rows["Room 2"]["Present at held sessions (%)"] == ""
    assert rows[""]["Present at held sessions (%)"] == "80"
    shown, totals = table(client.get(URL).text, caption="Sessions per classroom")
    assert [r["Present"] for r in shown] == ["80%", "no register yet"]
    assert totals[0]["Present"] == "80%"


def _queries(client, query="") -> tuple[int, int]:
    with CaptureQueriesContext(connection) as page:
        assert client.get(URL + query).status_code == 200
    with CaptureQueriesContext(connection) as download:
        csv_rows(client, query.replace("?", "&"))
    return len(page), len(download)


def test_a_school_admins_report_costs_the_same_queries_for_2_or_20_classrooms(client, school, django_assert_max_num_queries):
    client.force_login(SchoolAdminFactory(school=school))
    _make_classrooms(school, 2)
    small = _queries(client)
    _make_classrooms(school, 18)
    assert len(table(client.get(URL).text, caption="Sessions per classroom")[0]) == 20
    assert _queries(client) == small
    with django_assert_max_num_queries(small[0]):
        client.get(URL)


def test_a_district_admins_report_costs_the_same_queries_for_2_or_20_classrooms(client, school):
    other = SchoolFactory(district=school.district)
    client.force_login(DistrictAdminFactory(district=school.district))
    _make_classrooms(school, 1)
    _make_classrooms(other, 1)
    small = _queries(client)
    small_filtered = _queries(client, f"?school={other.pk}")
    _make_classrooms(school, 9)
    _make_classrooms(other, 9)
    assert len(table(client.get(URL).text, caption="Sessions per classroom")[0]) == 20
    assert _queries(client) == small
    assert _queries(client, f"?school={other.pk}") == small_filtered


def test_the_admin_dashboards_link_to_the_report(client, school):
    client.force_login(SchoolAdminFactory(school=school))
    assert f'href="{URL}"' in client.get(reverse("dashboard")).content.decode()
    client.force_login(DistrictAdminFactory(district=school.district))
    assert f'href="{URL}"' in client.get(reverse("dashboard")).content.decode()
