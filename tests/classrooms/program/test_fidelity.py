"""The program-fidelity report: counts per classroom, who sees which classrooms, and its CSV."""

import csv
import io
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify

from classrooms.models import Classroom, Enrollment, Session
from classrooms.program import fidelity
from classrooms.program import views as program_views
from classrooms.program.services import classroom_sessions_recount, session_mark_held
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
from tests.pages import parse, table

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
    assert isinstance(response, StreamingHttpResponse)  # written as it is read, never held whole
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


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


def test_the_figures_read_in_spanish_too(client, school):
    """The cells written in Python (classrooms.templatetags.fidelity_cells) are translated and their dates local."""
    room = ClassroomFactory(school=school, name="Room 1")
    sessions(room, (-30, HELD), (-10, PLANNED), (10, PLANNED))
    ClassroomFactory(school=school, name="Room 2")
    client.force_login(SchoolAdminFactory(school=school))
    html = client.get(URL, headers={"accept-language": "es"}).text
    rows, _totals = table(html)
    empty = list(rows[1].values())
    assert "todavía no hay sesiones pasadas" in empty and "todavía no hay lista de asistencia" in empty
    assert "ninguna planificada" in empty and "todavía no hay" in empty
    with translation.override("es"):
        next_day = date_format((NOW + timedelta(days=10)).astimezone(school.zone).date(), "DATE_FORMAT")
    assert "nov" in next_day and next_day in rows[0].values()  # the Spanish form of the date


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


def test_a_district_admin_sees_schools_first_each_adding_up_its_classrooms(client, school):
    """One row per school of the district (a school without classrooms too, at zero), each linking to its classrooms."""
    cedar = SchoolFactory(district=school.district, name="Cedar")
    birch = SchoolFactory(district=school.district, name="Birch")  # no classrooms this year
    sessions(ClassroomFactory(school=school, name="Maple room"), (-30, HELD), (-10, PLANNED), (10, PLANNED))
    sessions(ClassroomFactory(school=school, name="Maple annex"), (-20, HELD), (-15, CANCELLED), (20, PLANNED))
    sessions(ClassroomFactory(school=cedar, name="Cedar room"), (-5, PLANNED))
    ClassroomFactory(school=SchoolFactory(district=school.district, name="Last year's"), school_year=2025)
    ClassroomFactory(name="Other district room", school=SchoolFactory(name="Far away"))
    client.force_login(DistrictAdminFactory(district=school.district))
    response = client.get(URL)
    html = response.content.decode()
    assert "Other district room" not in html and "Far away" not in html
    assert "Maple room" not in html  # the classrooms are a school's page away
    assert ">School</th>" in html
    rows, totals = table(html, caption="Sessions per school")
    shown = {r["School"]: (r["Classrooms"], r["To come"], r["Held"], r["Cancelled"], r["Not marked"], r["Share held"]) for r in rows}
    assert shown == {
        "Birch": ("0", "0", "0", "0", "0", "none past yet"),
        "Cedar": ("1", "0", "0", "0", "1", "0%"),
        "Last year's": ("0", "0", "0", "0", "0", "none past yet"),
        "Maple": ("2", "2", "2", "1", "1", "67%"),
    }
    assert [r["School"] for r in rows] == ["Birch", "Cedar", "Last year's", "Maple"]  # by name
    assert [(t["School"], t["Classrooms"], t["Held"], t["Not marked"], t["Share held"]) for t in totals] == [
        ("All 4 schools", "3", "2", "2", "50%")
    ]
    links = {a.text: a.attrs["href"] for a in parse(html).find("table").find("tbody").find_all("a")}
    assert links == {s.name: f"?year=2026&school={s.pk}" for s in (school, cedar, birch, SchoolFactory._meta.model.objects.get(name="Last year's"))}
    maple = client.get(URL + links["Maple"])
    classrooms, maple_totals = table(maple.text, caption="Sessions per classroom")
    assert sorted(r["Classroom"].split(" ")[1] for r in classrooms) == ["annex", "room"]
    assert (maple_totals[0]["Classroom"], maple_totals[0]["Held"], maple_totals[0]["Share held"]) == ("All 2 classrooms", "2", "67%")
    assert "All schools" in maple.text and 'href="?year=2026"' in maple.text  # the way back to every school


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
    """A register for ``session``, taken by the service a teacher's form calls: a class of that many students there
    and away (the class's students before them leave it first, so each register is its own new class)."""
    classroom = session.classroom
    Enrollment.objects.filter(classroom=classroom, left_at__isnull=True).update(left_at=NOW - timedelta(days=365))
    students = StudentFactory.create_batch(present + away, school=classroom.school)
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=s) for s in students)
    by = SchoolAdminFactory(school=classroom.school)
    session_mark_held(session=session, by=by, note=session.note, absent_ids=[s.pk for s in students[present:]])


def test_the_share_present_is_pooled_over_the_registers_of_held_sessions(client, school):
    """24 there of 30 on two registers is 80%; a session held without a register is left out, not an absence."""
    room = ClassroomFactory(school=school, name="Room 1")
    sessions(room, (-30, HELD), (-20, HELD), (-10, HELD), (-5, PLANNED))
    first, second, unrecorded = Session.objects.filter(classroom=room, status=HELD).order_by("starts_at")
    take_register(first, present=19, away=1)
    take_register(second, present=5, away=5)
    called_off = SessionFactory(classroom=room, starts_at=NOW - timedelta(days=3), status=HELD)
    take_register(called_off, present=0, away=4)
    Session.objects.filter(pk=called_off.pk).update(status=CANCELLED)  # as staff can, in the admin,
    classroom_sessions_recount(classroom_ids=[room.pk])  # whose save counts the classroom's sessions again
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


def _grow(district, n_schools: int, per_school: int) -> list:
    """The district's schools (by name) up to ``n_schools``, each with ``per_school`` classrooms of this year."""
    schools = list(SchoolFactory._meta.model.objects.filter(district=district).order_by("name"))
    while len(schools) < n_schools:
        schools.append(SchoolFactory(district=district, name=f"School {len(schools):02d}"))
    for s in schools:
        _make_classrooms(s, per_school - s.classrooms.count())
    return schools


def test_the_report_costs_the_same_queries_for_3_schools_of_2_classrooms_or_6_of_5(client, school):
    """The district's schools, one school's classrooms, a school admin's report and the CSV, at two sizes."""
    district_admin, school_admin = DistrictAdminFactory(district=school.district), SchoolAdminFactory(school=school)

    def measured() -> dict:
        counts = {}
        for who, label, query in (
            (district_admin, "district", ""),
            (district_admin, "one school", f"?school={school.pk}"),
            (school_admin, "school admin", ""),
        ):
            client.force_login(who)
            counts[label] = _queries(client, query)
        return counts

    _grow(school.district, 3, 2)
    small = measured()
    _grow(school.district, 6, 5)
    assert measured() == small
    client.force_login(district_admin)
    assert len(table(client.get(URL).text, caption="Sessions per school")[0]) == 6
    assert len(table(client.get(URL, {"school": school.pk}).text, caption="Sessions per classroom")[0]) == 5
    assert len(csv_rows(client)) == 1 + 30 + 1  # header, every classroom, totals


def test_the_pages_size_is_bounded_by_the_page_not_the_district(client, school, monkeypatch):
    """With two rows a page, a district of 48 classrooms sends about what one of 9 sends (the old report sent every row)."""
    monkeypatch.setattr(program_views, "FIDELITY_PAGE_SIZE", 2)
    client.force_login(DistrictAdminFactory(district=school.district))

    def sizes() -> dict:
        pages = {"district": client.get(URL), "one school": client.get(URL, {"school": school.pk})}
        for label, caption in (("district", "Sessions per school"), ("one school", "Sessions per classroom")):
            assert len(table(pages[label].text, caption=caption)[0]) == 2
        return {label: len(page.content) for label, page in pages.items()}

    _grow(school.district, 3, 3)
    small = sizes()
    _grow(school.district, 6, 8)
    large = sizes()
    # What grows: the schools in the filter's menu and a page link or two; each row more would be about 600 bytes.
    assert large["district"] - small["district"] < 800, (small, large)
    assert large["one school"] - small["one school"] < 800, (small, large)


def test_one_schools_classrooms_are_paged_and_the_pager_keeps_the_filters(client, school, monkeypatch):
    """Three a page: page 2 holds the 4th to 6th; every link keeps the year and the school; the totals are the school's."""
    monkeypatch.setattr(program_views, "FIDELITY_PAGE_SIZE", 3)
    for n in range(1, 8):
        sessions(ClassroomFactory(school=school, name=f"Room {n}"), (-10 * n, HELD), (n, PLANNED))
    client.force_login(DistrictAdminFactory(district=school.district))
    response = client.get(URL, {"school": school.pk, "year": 2026, "page": 2})
    rows, totals = table(response.text, caption="Sessions per classroom")
    assert [r["Classroom"].split()[:2] for r in rows] == [["Room", "4"], ["Room", "5"], ["Room", "6"]]
    assert (totals[0]["Classroom"], totals[0]["Held"], totals[0]["To come"]) == ("All 7 classrooms", "7", "7")
    pager = parse(response.text).find("nav", aria_label="Pages of classrooms")
    links = {a.text: a.attrs for a in pager.find_all("a")}
    assert set(links) == {"Previous page", "Page 1", "Page 2", "Page 3", "Next page"}
    assert all(a["href"].startswith(f"?year=2026&school={school.pk}&page=") for a in links.values())
    assert links["Page 2"].get("aria-current") == "page" and "aria-current" not in links["Page 3"]
    assert links["Next page"]["href"].endswith("page=3") and links["Previous page"]["href"].endswith("page=1")
    assert "Sessions per classroom, 2026–27 · page 2 of 3" in parse(response.text).find("caption").text
    last = table(client.get(URL, {"school": school.pk, "page": 99}).text, caption="Sessions per classroom")[0]
    assert [r["Classroom"].split()[:2] for r in last] == [["Room", "7"]]  # past the end: the last page
    first = table(client.get(URL, {"school": school.pk, "page": "x"}).text, caption="Sessions per classroom")[0]
    assert [r["Classroom"].split()[:2] for r in first][0] == ["Room", "1"]
    assert len(by_classroom(csv_rows(client, f"&school={school.pk}"))) == 7 + 1  # the CSV has every classroom


def test_a_district_admins_schools_are_paged_too(client, school, monkeypatch):
    monkeypatch.setattr(program_views, "FIDELITY_PAGE_SIZE", 2)
    for name in ("Ash", "Birch", "Cedar", "Elm"):
        ClassroomFactory(school=SchoolFactory(district=school.district, name=name))
    client.force_login(DistrictAdminFactory(district=school.district))
    response = client.get(URL, {"page": 3})
    rows, totals = table(response.text, caption="Sessions per school")
    assert [r["School"] for r in rows] == ["Maple"]
    assert (totals[0]["School"], totals[0]["Classrooms"]) == ("All 5 schools", "4")
    pager = parse(response.text).find("nav", aria_label="Pages of schools")
    assert {a.text: a.attrs["href"] for a in pager.find_all("a")}["Previous page"] == "?year=2026&page=2"


def test_a_school_admin_sees_their_schools_classrooms_paged(client, school, monkeypatch):
    monkeypatch.setattr(program_views, "FIDELITY_PAGE_SIZE", 2)
    for n in range(1, 4):
        ClassroomFactory(school=school, name=f"Room {n}")
    ClassroomFactory(school=SchoolFactory(district=school.district), name="Room 9")
    client.force_login(SchoolAdminFactory(school=school))
    rows, totals = table(client.get(URL, {"page": 2}).text, caption="Sessions per classroom")
    assert [r["Classroom"].split()[:2] for r in rows] == [["Room", "3"]]
    assert totals[0]["Classroom"] == "All 3 classrooms"


ZONES = ["America/Chicago", "America/New_York", "Pacific/Honolulu"]


def _generated_district(district, rng: random.Random) -> dict[str, tuple[int, int]]:
    """Schools in three zones, 1 to 6 classrooms each, sessions of every kind (some under way, some ended a
    minute ago) and registers; per school, the students on the registers of held sessions and those present."""
    registers = {}
    for i, zone in enumerate(ZONES):
        school = SchoolFactory(district=district, name=f"Gen {i}", time_zone=zone)
        register = present = 0
        for n in range(rng.randint(1, 6)):
            room = ClassroomFactory(school=school, name=f"Gen {i} room {n}", teachers=[])
            for _ in range(rng.randint(0, 7)):
                when = NOW + timedelta(days=rng.randint(-120, 120), hours=rng.randint(-12, 12))
                status = rng.choice([PLANNED, PLANNED, CANCELLED] if when > NOW else [PLANNED, HELD, HELD, CANCELLED])
                session = SessionFactory(classroom=room, starts_at=when, status=status, duration_minutes=rng.choice([30, 45, 60]))
                if status == HELD and rng.random() < 0.7:
                    here, away = rng.randint(0, 3), rng.randint(0, 2)
                    take_register(session, present=here, away=away)
                    register, present = register + here + away, present + here
            if rng.random() < 0.4:  # under way now: neither to come nor overdue
                SessionFactory(classroom=room, starts_at=NOW - timedelta(minutes=10), duration_minutes=45)
            if rng.random() < 0.4:  # ended a minute ago, unmarked: overdue
                SessionFactory(classroom=room, starts_at=NOW - timedelta(minutes=46), duration_minutes=45)
        registers[school.name] = (register, present)
    return registers


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_schools_row_is_the_sum_of_its_classrooms_rows(client, seed):
    """On a generated district, the schools' rows (counted by school in the database) against the per-classroom
    rows of the CSV added up, and the share present against the registers taken."""
    district = DistrictFactory()
    registers = _generated_district(district, random.Random(seed))
    client.force_login(DistrictAdminFactory(district=district))
    classrooms = by_classroom(csv_rows(client))
    csv_totals = classrooms.pop("")
    schools, totals = table(client.get(URL).text, caption="Sessions per school")
    columns = {"To come": "Planned (to come)", "Held": "Held", "Cancelled": "Cancelled", "Not marked": "Not marked (past, still planned)"}

    def expected(rows: list[dict], register: int, present: int) -> dict:
        sums = {shown: sum(int(r[column]) for r in rows) for shown, column in columns.items()}
        past = sums["Held"] + sums["Not marked"]
        nexts = [date.fromisoformat(r["Next session"]) for r in rows if r["Next session"]]
        lasts = [date.fromisoformat(r["Last held"]) for r in rows if r["Last held"]]
        return {
            **{k: str(v) for k, v in sums.items()},
            "Share held": f"{round(sums['Held'] * 100 / past)}%" if past else "none past yet",
            "Present": f"{round(present * 100 / register)}%" if register else "no register yet",
            "Next session": date_format(min(nexts), "DATE_FORMAT") if nexts else "none planned",
            "Last held": date_format(max(lasts), "DATE_FORMAT") if lasts else "none yet",
        }

    assert [s["School"] for s in schools] == ["Gen 0", "Gen 1", "Gen 2"]
    for shown in schools:
        of_school = [r for r in classrooms.values() if r["School"] == shown["School"]]
        assert shown["Classrooms"] == str(len(of_school))
        assert {k: v for k, v in shown.items() if k not in ("School", "Classrooms")} == expected(of_school, *registers[shown["School"]])
    everything = expected(list(classrooms.values()), *map(sum, zip(*registers.values(), strict=True)))
    assert {k: v for k, v in totals[0].items() if k not in ("School", "Classrooms")} == everything
    assert totals[0]["Classrooms"] == str(len(classrooms))
    assert {shown: csv_totals[column] for shown, column in columns.items()} == {k: everything[k] for k in columns}


def test_a_csv_of_many_classrooms_has_every_row_streamed_in_pieces(client, school):
    """1,100 classrooms (more than two of the CSV's chunks of 500): every one once, in order, and their totals."""
    cedar = SchoolFactory(district=school.district, name="Cedar")
    rooms = Classroom.objects.bulk_create(
        Classroom(school=(school, cedar)[n % 2], name=f"Bulk {n:04d}", grade=3, school_year=2026, join_code=f"BULK{n:04d}",
                  join_code_expires_at=NOW + timedelta(days=30))
        for n in range(1100)
    )  # fmt: skip
    Session.objects.bulk_create(
        [Session(classroom=r, starts_at=NOW - timedelta(days=3), status=HELD) for r in rooms]
        + [Session(classroom=r, starts_at=NOW + timedelta(days=3)) for r in rooms[::2]]
    )
    classroom_sessions_recount(classroom_ids=[r.pk for r in rooms])  # as every write of sessions does
    client.force_login(DistrictAdminFactory(district=school.district))
    response = client.get(URL, {"format": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == f'attachment; filename="heard-fidelity-{slugify(school.district.name)}-2026.csv"'
    pieces = list(response.streaming_content)
    assert len(pieces) > 2
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:-1]]
    expected = sorted(rooms, key=lambda r: (r.school.name, r.name))
    assert names == [r.name for r in expected]
    assert [row[0] for row in rows[1:3]] == ["Cedar", "Cedar"]  # by school, then grade and name
    header, totals = rows[0], dict(zip(rows[0], rows[-1], strict=True))
    assert header[:4] == ["School", "Classroom", "Grade", "Teachers"]
    assert (totals["School"], totals["Held"], totals["Planned (to come)"], totals["Share held (%)"]) == ("All classrooms", "1100", "550", "100")


def test_every_chunk_of_the_csv_keeps_its_own_teachers(client, school, monkeypatch):
    monkeypatch.setattr(fidelity, "CSV_CHUNK", 3)
    monkeypatch.setattr(program_views, "CSV_FLUSH_ROWS", 2)
    for n in range(8):
        ClassroomFactory(school=school, name=f"Room {n}", teachers=[TeacherFactory(school=school, first_name="Teacher", last_name=f"of {n}")])
    client.force_login(SchoolAdminFactory(school=school))
    rows = by_classroom(csv_rows(client))
    assert {name: row["Teachers"] for name, row in rows.items() if name} == {f"Room {n}": f"Teacher of {n}" for n in range(8)}


def test_the_admin_dashboards_link_to_the_report(client, school):
    client.force_login(SchoolAdminFactory(school=school))
    assert f'href="{URL}"' in client.get(reverse("dashboard")).content.decode()
    client.force_login(DistrictAdminFactory(district=school.district))
    assert f'href="{URL}"' in client.get(reverse("dashboard")).content.decode()
