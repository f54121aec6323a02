"""The outcomes page, its printable view, charts and CSV files, through the doors people use.

Most tests seed real scores and go through the whole computation. Those about how a cell is shown (hidden cells,
formula escaping of exact figures) hand the page an ``Outcomes`` built here instead, so that they test the page
whatever the computation decides to hide.
"""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from scipy import stats as scipy_stats

from accounts.models import AuditEvent
from classrooms.models import Session
from surveys import scoring, services
from surveys.models import Phase, Respondent, Score, SurveyCycle
from surveys.outcomes import views as outcome_views
from surveys.outcomes.cells import Attrition, Cell, Hidden, Level, Measure, Outcomes
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- A school's cycle with real scores --------------------------------------------------------------------------


class School:
    """A school with a pre and a post window over one self-report (subscales "pt" and "ec") and its classrooms."""

    def __init__(self, *, name="Lincoln Elementary", anonymous=False, district=None):
        self.school = f.SchoolFactory(name=name, **({"district": district} if district else {}))
        self.admin = f.SchoolAdminFactory(school=self.school)
        self.instrument = f.InstrumentFactory(
            subscales={"pt": 2, "ec": 2}, name={"en": "Heard self-report", "es": "Autoinforme"}
        )
        self.subscales = {s.key: s for s in self.instrument.subscales.all()}
        self.cycle = f.SurveyCycleFactory(school=self.school, anonymous=anonymous, title="Empathy 2026")
        self.pre = f.SurveyWindowFactory(cycle=self.cycle, phase=Phase.PRE, instruments=[self.instrument])
        self.post = f.SurveyWindowFactory(cycle=self.cycle, phase=Phase.POST, instruments=[self.instrument])
        self.rooms = {}

    def room(self, name, *, grade=4, students=12, pre=3.0, gain=0.5, spread=0.25, post_missing=0, teacher=None):
        """A classroom of ``students``, each with a pre and a post score on both subscales (post = pre + a gain
        that varies around ``gain``); the last ``post_missing`` have no post score."""
        teacher = teacher or f.TeacherFactory(school=self.school)
        classroom = f.ClassroomFactory(school=self.school, grade=grade, name=name, teachers=[teacher])
        self.pre.classrooms.add(classroom)
        self.post.classrooms.add(classroom)
        kids = [f.EnrollmentFactory(classroom=classroom).student for _ in range(students)]
        rows = []
        for i, kid in enumerate(kids):
            change = gain + spread * ((i % 5) - 2)
            for subscale in self.subscales.values():
                value = pre + 0.1 * (i % 7)
                rows.append(self._score(self.pre, subscale, classroom, kid, value))
                if i < students - post_missing:
                    rows.append(self._score(self.post, subscale, classroom, kid, value + change))
        Score.objects.bulk_create(rows)
        self.rooms[name] = (classroom, teacher, kids)
        return classroom

    def _score(self, window, subscale, classroom, kid, value):
        return Score(
            window=window,
            cycle=self.cycle,
            phase=window.phase,
            instrument=self.instrument,
            subscale=subscale,
            respondent=self.instrument.respondent,
            school=self.school,
            classroom=classroom,
            grade=classroom.grade,
            student=None if self.cycle.anonymous else kid,
            value=value,
        )

    def url(self, name="surveys:outcomes", **query):
        path = reverse(name, args=[self.cycle.pk])
        return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def lincoln():
    school = School()
    school.room("Room 4A", grade=4, students=12, gain=0.5)
    school.room("Room 4B", grade=4, students=12, gain=0.3)
    school.room("Room 5A", grade=5, students=12, gain=0.7)
    return school


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "no byte-order mark: Excel would read the names wrongly"
    return list(csv.reader(io.StringIO(body[1:])))


# --- Who meets the page -----------------------------------------------------------------------------------------


def test_the_school_admin_the_district_admin_and_the_teacher_see_the_page(client, lincoln):
    district_admin = f.DistrictAdminFactory(district=lincoln.school.district)
    _classroom, teacher, _kids = lincoln.rooms["Room 4A"]
    for who in (lincoln.admin, district_admin):
        client.force_login(who)
        html = _html(client.get(lincoln.url()))
        assert "Room 4A" in html and "Room 5A" in html and "Lincoln Elementary" in html
    client.force_login(teacher)
    html = _html(client.get(lincoln.url()))
    assert "Room 4A" in html
    assert "Room 4B" not in html and "Room 5A" not in html, "a teacher sees only their own classrooms"


def test_students_counselors_and_other_schools_get_404(client, lincoln):
    _classroom, _teacher, kids = lincoln.rooms["Room 4A"]
    elsewhere = f.SchoolFactory()  # another district
    for who in (
        kids[0],
        f.CounselorFactory(school=lincoln.school),
        f.SchoolAdminFactory(school=elsewhere),
        f.DistrictAdminFactory(),
        f.TeacherFactory(school=lincoln.school),  # teaches none of the cycle's classrooms
    ):
        client.force_login(who)
        for name in ("surveys:outcomes", "surveys:outcomes_csv", "surveys:outcomes_students_csv"):
            assert client.get(lincoln.url(name)).status_code == 404, (who.role, name)
        assert (
            client.get(
                lincoln.url("surveys:outcomes_chart", kind="prepost", instrument=lincoln.instrument.pk)
            ).status_code
            == 404
        )
    client.logout()
    assert client.get(lincoln.url()).status_code == 302


def test_the_page_shows_each_subscales_figures_and_says_which_formulas_apply(client, lincoln):
    client.force_login(lincoln.admin)
    html = _html(client.get(lincoln.url()))
    assert html.count('class="table table-sm align-middle outcomes-table"') == 2  # pt and ec
    # Room 5A: 12 matched students whose changes are 0.7 + 0.25 * (-2..2): mean 0.7 less a little (12 is not a multiple of 5)
    assert "A confidential cycle" in html and "paired formulas" in html
    assert "J = 1 − 3 / (4(n − 1) − 1)" in html
    assert "Φ(g) · 100 − 50" in html
    assert 'scope="col"' in html and 'scope="row"' in html and "<caption" in html
    assert 'role="region"' in html and 'tabindex="0"' in html
    for label in (
        "Matched students",
        "Pre only",
        "Match rate",
        "SD of change",
        "Paired t (df)",
        "95% CI of change",
        "Improvement index",
    ):
        assert label in html
    assert " (11)" in html  # df = n - 1 for a classroom of 12


def test_figures_are_localised_in_spanish(client, lincoln):
    client.force_login(lincoln.admin)
    with translation.override("en"):
        english = _html(client.get(lincoln.url(), HTTP_ACCEPT_LANGUAGE="en"))
    client.cookies["django_language"] = "es"
    spanish = _html(client.get(lincoln.url(), HTTP_ACCEPT_LANGUAGE="es"))
    assert re.search(r">\d\.\d\d<", english)
    assert re.search(r">\d,\d\d<", spanish) and not re.search(r">\d\.\d\d<", spanish)
    assert re.search(r"\[−?\d,\d\d; −?\d,\d\d\]", spanish), "a Spanish interval parts its ends with a semicolon"


def test_an_anonymous_cycle_says_it_compares_two_groups_and_offers_no_student_export(client):
    school = School(anonymous=True)
    school.room("Room 4A", students=12)
    school.room("Room 4B", students=12)
    client.force_login(school.admin)
    html = _html(client.get(school.url()))
    assert "An anonymous cycle" in html and "Welch" in html and "Hedges' g" in html
    assert "Matched students" not in html and "Pre responses" in html
    assert reverse("surveys:outcomes_students_csv", args=[school.cycle.pk]) not in html
    page = _html(client.get(school.url("surveys:outcomes_students_csv")))
    assert "This cycle is anonymous" in page
    response = client.post(school.url("surveys:outcomes_students_csv"))
    assert "This cycle is anonymous" in _html(response) and not response["Content-Type"].startswith("text/csv")
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SURVEY_STUDENT_EXPORT).exists()


# --- Hidden cells -----------------------------------------------------------------------------------------------


def test_a_small_classroom_shows_no_figures_anywhere(client):
    """A classroom of 3 and its complement: the page, the chart data and the CSV show neither's figures."""
    school = School()
    school.room("Room 4A", grade=4, students=12, gain=0.5)
    school.room("Tiny Room", grade=4, students=3, pre=1.0, gain=2.83, spread=0.0)
    school.room("Room 5A", grade=5, students=12, gain=0.4)
    client.force_login(school.admin)
    html = _html(client.get(school.url()))
    assert "Fewer than 10 students — not shown" in html
    assert "Not shown, so that a small group can't be worked out" in unescape(html)
    rows = re.findall(
        r"<tr[^>]*>\s*<th[^>]*>(?:<span[^>]*>[^<]*</span>)?(Tiny Room|Room 4A)</th>(.*?)</tr>", html, re.S
    )
    assert len(rows) == 2 * 2  # each subscale's table (the attrition tables leave hidden groups out)
    for name, cells in rows:
        text = unescape(re.sub(r"<[^>]+>", "", cells)).replace("Fewer than 10 students", "")
        assert not re.search(r"\d", text), f"{name}'s row shows a figure: {cells}"
    rows = _csv(client.get(school.url("surveys:outcomes_csv")))
    header = rows[0]
    tiny = [r for r in rows if r[header.index("Classroom")] == "Tiny Room"]
    assert len(tiny) == 2  # one per subscale
    for row in tiny:
        assert row[header.index("Not shown because")] == "Fewer than 10 students — not shown"
        assert all(v == "" for v in row[header.index("Matched students") :]), row
    chart = client.get(school.url("surveys:outcomes_chart", kind="change", subscale=school.subscales["pt"].pk))
    assert chart.status_code == 200 and b"Tiny Room" not in chart.content


def _made_up(school: School, classroom_name="Room 1") -> Outcomes:
    """An Outcomes as the computation would give it: the whole school, one grade, a shown and a hidden classroom.
    The hidden one still carries figures, as a careless computation might: the page must show none of them."""
    sid = school.school.pk
    m = Measure(
        school.instrument.pk,
        "Heard self-report",
        school.subscales["pt"].pk,
        "pt",
        "Perspective taking",
        "student",
        1,
        5,
    )
    shown = {
        "n_matched": 24,
        "n_pre_only": 2,
        "n_post_only": 1,
        "match_rate": 24 / 26,
        "enrolled": 28,
        "response_rate_pre": 26 / 28,
        "response_rate_post": 25 / 28,
        "mean_pre": 3.1,
        "mean_post": 3.55,
        "mean_change": -0.45,
        "sd_change": 0.8,
        "t": -2.76,
        "df": 23.0,
        "p": 0.011,
        "change_low": -0.79,
        "change_high": -0.11,
        "d_z": -0.5625,
        "d_z_low": -0.99,
        "d_z_high": -0.12,
        "g_z": -0.544,
        "g_low": -0.96,
        "g_high": -0.11,
        "improvement_index": -20.7,
        "mean_pre_matched": 3.1,
        "mean_pre_unmatched": 3.0,
        "attrition_d": 0.12,
        "attrition": Attrition.ADJUST,
    }
    leaked = {
        "n_matched": 7,
        "mean_pre": 4.444,
        "mean_post": 6.666,
        "mean_change": 2.222,
        "sd_change": 9.876,
        "t": 5.432,
        "p": 0.0123,
        "change_low": 1.111,
        "change_high": 3.333,
        "d_z": 8.765,
        "g_z": 8.642,
        "improvement_index": 49.87,
    }
    return Outcomes(
        cycle_id=1,
        anonymous=False,
        suppression_min_n=10,
        measures=[m],
        cells=[
            Cell(m, Level.ALL, None, None, None, "All", **shown),
            Cell(m, Level.SCHOOL, sid, None, None, school.school.name, **shown),
            Cell(m, Level.GRADE, sid, 4, None, "Grade 4", **shown),
            Cell(m, Level.CLASSROOM, sid, 4, 7, classroom_name, **shown, dose={"sessions_held": 6.0}),
            Cell(m, Level.CLASSROOM, sid, 4, 8, "Hidden Room", hidden=Hidden.SMALL, **leaked),
            Cell(m, Level.CLASSROOM, sid, 4, 9, "Other Room", hidden=Hidden.COMPLEMENTARY, **leaked),
        ],
        dose_labels={"sessions_held": "Sessions held"},
    )


@pytest.fixture
def made_up(monkeypatch, lincoln):
    found = {"outcomes": _made_up(lincoln)}
    monkeypatch.setattr(outcome_views, "outcomes", lambda user, cycle, **filters: found["outcomes"])
    return found


def test_hidden_cells_show_their_reason_and_not_a_single_figure(client, lincoln, made_up):
    client.force_login(lincoln.admin)
    for query in ({}, {"print": 1}):
        html = _html(client.get(lincoln.url(**query)))
        for figure in ("4.44", "6.67", "2.22", "9.88", "5.43", "1.11", "3.33", "8.77", "8.64", "49.9", "0.012"):
            assert figure not in html, f"a hidden cell's {figure} is on the page"
        assert html.count("Fewer than 10 students — not shown") == 1  # in the table; the attrition table leaves it out
        assert "Not shown, so that a small group can" in html
        assert "−0.45" in html and "[−0.79, −0.11]" in html and "0.011" in html and "23)" in html
        assert "1 classroom is left out" not in html and "2 classrooms are left out" in html
    rows = _csv(client.get(lincoln.url("surveys:outcomes_csv")))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("Classroom")] in ("Hidden Room", "Other Room"):
            assert row[header.index("Not shown because")]
            assert not any(row[header.index("Matched students") :]), row


def test_charts_leave_hidden_classrooms_out_and_have_words_for_a_screen_reader(client, lincoln, made_up):
    client.force_login(lincoln.admin)
    html = _html(client.get(lincoln.url()))
    assert (
        'alt="Mean change per classroom, Perspective taking · Heard self-report, with 95% confidence intervals.' in html
    )
    assert "2 classrooms are left out" in html
    for kind in ("change", "dose"):
        chart = client.get(lincoln.url("surveys:outcomes_chart", kind=kind, subscale=lincoln.subscales["pt"].pk))
        assert chart.status_code == 200
        assert b"Hidden Room" not in chart.content and b"Other Room" not in chart.content
        assert b"2.22" not in chart.content
    change = client.get(lincoln.url("surveys:outcomes_chart", kind="change", subscale=lincoln.subscales["pt"].pk))
    assert b"Room 1" in change.content and b"All" in change.content  # svg.fonttype none: the labels are text


def test_the_pages_of_a_made_up_outcome_round_its_figures_sensibly(client, lincoln, made_up):
    client.force_login(lincoln.admin)
    html = _html(client.get(lincoln.url()))
    assert "92%" in html  # match rate 24 / 26
    assert "−20.7" in html  # the improvement index to one decimal
    assert "Needs adjustment" in html
    made_up["outcomes"].cells[0].p = 0.00001
    assert "&lt; 0.001" in _html(client.get(lincoln.url()))


# --- CSV --------------------------------------------------------------------------------------------------------


def test_the_csv_escapes_formulas_in_names_and_keeps_numbers_numbers(client, lincoln, made_up):
    lincoln.school.name = "+Lincoln"
    lincoln.school.save(update_fields=["name"])
    made_up["outcomes"] = _made_up(lincoln, classroom_name='=HYPERLINK("http://evil.example","Click")')
    client.force_login(lincoln.admin)
    rows = _csv(client.get(lincoln.url("surveys:outcomes_csv")))
    header = rows[0]
    room = next(
        r for r in rows if r[header.index("Level")] == "Classroom" and "HYPERLINK" in r[header.index("Classroom")]
    )
    assert room[header.index("Classroom")] == '\'=HYPERLINK("http://evil.example","Click")'
    assert room[header.index("School")] == "'+Lincoln"
    assert room[header.index("Mean change")] == "-0.45", "a negative number must stay a number"
    assert room[header.index("Matched students")] == "24"
    assert room[header.index("Sessions held")] == "6"
    for row in rows:
        for value in row:
            assert not value or value[0] not in "=+@\t\r" or value.startswith("'"), value
            if value.startswith("-"):
                float(value)  # only numbers may start with a minus


def test_the_csv_reads_back_with_the_pages_filters(client, lincoln):
    client.force_login(lincoln.admin)
    classroom, _teacher, _kids = lincoln.rooms["Room 5A"]
    rows = _csv(
        client.get(lincoln.url("surveys:outcomes_csv", classroom=classroom.pk, subscale=lincoln.subscales["ec"].pk))
    )
    header = rows[0]
    assert {r[header.index("Subscale")] for r in rows[1:]} == {"EC"}
    assert {r[header.index("Classroom")] for r in rows[1:] if r[header.index("Level")] == "Classroom"} == {"Room 5A"}
    room = next(r for r in rows[1:] if r[header.index("Level")] == "Classroom")
    assert room[header.index("Matched students")] == "12" and room[header.index("df")] == "11"
    assert float(room[header.index("Mean change")]) == pytest.approx(
        0.7 + 0.25 * (sum((i % 5) - 2 for i in range(12)) / 12)
    )


# --- Student-level export ---------------------------------------------------------------------------------------


def test_the_student_level_export_is_for_admins_and_each_one_is_recorded(client, lincoln):
    client.force_login(lincoln.admin)
    page = _html(client.get(lincoln.url("surveys:outcomes_students_csv")))
    assert "Each download is recorded" in page and "csrfmiddlewaretoken" in page
    assert not AuditEvent.objects.exists(), "looking at the page exports nothing"
    rows = _csv(client.post(lincoln.url("surveys:outcomes_students_csv")))
    assert len(rows) == 1 + 36 * 2  # a row per student and subscale
    header = rows[0]
    assert "Pre score" in header and "Post score" in header and not any("answer" in h.lower() for h in header)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SURVEY_STUDENT_EXPORT)
    assert (event.actor, event.object_id, event.count, event.school) == (
        lincoln.admin,
        lincoln.cycle.pk,
        72,
        lincoln.school,
    )
    classroom, _teacher, _kids = lincoln.rooms["Room 4B"]
    rows = _csv(client.post(lincoln.url("surveys:outcomes_students_csv"), {"classroom": classroom.pk}))
    assert {r[header.index("Classroom")] for r in rows[1:]} == {"Room 4B"}
    assert list(AuditEvent.objects.order_by("pk").values_list("count", flat=True)) == [72, 24]


def test_a_teacher_cannot_export_student_level_scores(client, lincoln):
    _classroom, teacher, _kids = lincoln.rooms["Room 4A"]
    client.force_login(teacher)
    assert client.get(lincoln.url()).status_code == 200
    assert (
        reverse("surveys:outcomes_students_csv", args=[lincoln.cycle.pk])
        not in client.get(lincoln.url()).content.decode()
    )
    assert client.get(lincoln.url("surveys:outcomes_students_csv")).status_code == 404
    assert client.post(lincoln.url("surveys:outcomes_students_csv")).status_code == 404
    assert not AuditEvent.objects.exists()


def test_the_student_export_escapes_names(client, lincoln):
    _classroom, _teacher, kids = lincoln.rooms["Room 4A"]
    kids[0].first_name = "=cmd|' /C calc'!A0"
    kids[0].save(update_fields=["first_name"])
    client.force_login(lincoln.admin)
    rows = _csv(client.post(lincoln.url("surveys:outcomes_students_csv")))
    assert any(r[2] == "'=cmd|' /C calc'!A0" for r in rows)


# --- Printable view ---------------------------------------------------------------------------------------------


def test_the_printable_view_has_no_menu_and_opens_every_table(client, lincoln):
    client.force_login(lincoln.admin)
    html = _html(client.get(lincoln.url(print=1)))
    assert "heard-navbar" not in html and "outcomes-filters" not in html
    assert 'class="outcomes-print"' in html and "data-print" in html
    assert "<details" in html and '<details class="outcomes-chart__data">' not in html, "a closed table does not print"
    assert 'loading="lazy"' not in html, "a printed chart must be there when the page prints"
    classroom, _teacher, _kids = lincoln.rooms["Room 5A"]
    html = _html(client.get(lincoln.url(print=1, classroom=classroom.pk)))
    assert "Showing: Classroom: Room 5A" in html and "Room 4A" not in html


# --- Filters ----------------------------------------------------------------------------------------------------


def test_filters_offer_only_what_the_viewer_may_see_and_narrow_the_tables(client, lincoln):
    client.force_login(lincoln.admin)
    html = _html(client.get(lincoln.url()))
    for name in ("grade", "classroom", "subscale"):
        assert f'name="{name}"' in html
    assert 'name="school"' not in html, "one school: nothing to choose"
    html = _html(client.get(lincoln.url(grade=5)))
    assert ">Room 5A</th>" in html and ">Room 4A</th>" not in html
    html = _html(client.get(lincoln.url(subscale=lincoln.subscales["pt"].pk)))
    assert html.count('class="table table-sm align-middle outcomes-table"') == 1
    other = School(name="Elsewhere")
    stranger = other.room("Room X")
    assert client.get(lincoln.url(classroom=stranger.pk)).status_code == 404
    assert client.get(lincoln.url(subscale=other.subscales["pt"].pk)).status_code == 404
    for bad in ("x", "-1", "9" * 30, "\x00"):
        assert client.get(lincoln.url(), {"grade": bad}).status_code in (400, 404)  # NUL: 400 before any view
    _classroom, teacher, _kids = lincoln.rooms["Room 4A"]
    client.force_login(teacher)
    html = _html(client.get(lincoln.url()))
    assert 'name="classroom"' not in html, "a teacher of one classroom has nothing to choose"
    assert client.get(lincoln.url(classroom=lincoln.rooms["Room 4B"][0].pk)).status_code == 404


# --- Charts -----------------------------------------------------------------------------------------------------


def test_each_chart_is_an_svg_the_browser_may_keep(client, lincoln):
    Session.objects.bulk_create(
        Session(
            classroom=lincoln.rooms[name][0], starts_at=timezone.now() - timedelta(days=d), status=Session.Status.HELD
        )
        for name, days in (("Room 4A", 3), ("Room 4B", 5), ("Room 5A", 8))
        for d in range(1, days + 1)
    )
    client.force_login(lincoln.admin)
    html = _html(client.get(lincoln.url()))
    pt = lincoln.subscales["pt"].pk
    for query in (
        {"kind": "prepost", "instrument": lincoln.instrument.pk},
        {"kind": "change", "subscale": pt},
        {"kind": "dose", "subscale": pt},
    ):
        url = lincoln.url("surveys:outcomes_chart", **query)
        assert url.replace("&", "&amp;") in html
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        assert response.content.startswith(b"<?xml")
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
    assert "Sessions held" in html and "correlation" in html
    for query in ({"kind": "pie"}, {"kind": "change"}, {"kind": "prepost", "instrument": 999999}):
        assert client.get(lincoln.url("surveys:outcomes_chart", **query)).status_code == 404


# --- Queries ----------------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("surveys:outcomes", {}),
        ("surveys:outcomes", {"print": 1}),
        ("surveys:outcomes_csv", {}),
        ("surveys:outcomes_chart", {"kind": "change", "subscale": "pt"}),
        ("surveys:outcomes_chart", {"kind": "prepost", "instrument": "it"}),
    ],
)
def test_the_pages_cost_the_same_queries_for_2_classrooms_of_12_or_6_of_30(client, name, query):
    counts = []
    for rooms, students in ((2, 12), (6, 30)):
        school = School(name=f"School of {rooms}")
        for n in range(rooms):
            school.room(f"Room {n}", grade=3 + n % 3, students=students)
        client.force_login(school.admin)
        filled = {
            k: school.subscales["pt"].pk if v == "pt" else school.instrument.pk if v == "it" else v
            for k, v in query.items()
        }
        counts.append(_queries(client, school.url(name, **filled)))
    assert counts[0] == counts[1], counts


def test_the_student_export_costs_the_same_queries_for_12_or_60_students(client):
    counts = []
    for students in (12, 60):
        school = School(name=f"School of {students}")
        school.room("Room 1", students=students)
        client.force_login(school.admin)
        url = school.url("surveys:outcomes_students_csv")
        client.post(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_cycle_of_another_school_in_the_district_is_the_district_admins_only(client, lincoln):
    district_admin = f.DistrictAdminFactory(district=lincoln.school.district)
    neighbour = School(name="Neighbour School", district=lincoln.school.district)
    neighbour.room("Room N", students=12)
    client.force_login(district_admin)
    assert _html(client.get(neighbour.url())).count("Room N") >= 1
    client.force_login(lincoln.admin)
    assert client.get(neighbour.url()).status_code == 404
    assert SurveyCycle.objects.count() == 2


def test_a_district_admins_student_export_numbers_the_students_and_names_none(client, lincoln):
    district_admin = f.DistrictAdminFactory(district=lincoln.school.district)
    client.force_login(district_admin)
    assert "ID number (never their name)" in _html(client.get(lincoln.url("surveys:outcomes_students_csv")))
    rows = _csv(client.post(lincoln.url("surveys:outcomes_students_csv")))
    header = rows[0]
    kids = [kid for _c, _t, group in lincoln.rooms.values() for kid in group]
    assert {int(r[0]) for r in rows[1:]} == {kid.pk for kid in kids}
    for r in rows[1:]:
        assert r[header.index("Username")] == r[header.index("First name")] == r[header.index("Last name")] == ""
    body = b"".join(client.post(lincoln.url("surveys:outcomes_students_csv")).content.splitlines())
    assert not any(kid.username.encode() in body for kid in kids)
    assert AuditEvent.objects.filter(actor=district_admin, kind=AuditEvent.Kind.SURVEY_STUDENT_EXPORT).count() == 2


def test_a_filtered_outcome_without_an_all_row_and_with_a_grade_across_schools_still_reads(client, lincoln, made_up):
    """With a school, grade or classroom chosen the computation gives no "All" cell, and across two schools it
    adds each grade across them (level "all_grade"): the page, the charts and the CSV take whatever comes first."""
    found = made_up["outcomes"]
    across = Cell(
        found.measures[0],
        "all_grade",
        None,
        4,
        None,
        "Grade 4, all schools",
        **{
            k: getattr(found.cells[0], k)
            for k in ("n_matched", "mean_pre", "mean_post", "mean_change", "change_low", "change_high")
        },
    )
    found.cells = [across] + found.cells[1:]
    client.force_login(lincoln.admin)
    html = _html(client.get(lincoln.url(grade=4)))
    assert "outcomes-row--all_grade" in html and ">All</th>" not in html
    assert "Grade 4, all schools" in html
    chart = client.get(lincoln.url("surveys:outcomes_chart", kind="prepost", instrument=lincoln.instrument.pk, grade=4))
    assert chart.status_code == 200
    chart = client.get(
        lincoln.url("surveys:outcomes_chart", kind="change", subscale=lincoln.subscales["pt"].pk, grade=4)
    )
    assert b"Grade 4, all schools" in chart.content  # the widest group drawn as the total
    rows = _csv(client.get(lincoln.url("surveys:outcomes_csv", grade=4)))
    header = rows[0]
    assert rows[1][header.index("Level")] == "Grade, all schools" and rows[1][header.index("Grade")] == "Grade 4"


def test_the_student_export_gives_each_nominees_nominations_and_z_beside_the_share(client):
    """Peer nominations through the services: the export's share, count and within-class z are the scoring's own."""
    school = f.SchoolFactory()
    admin = f.SchoolAdminFactory(school=school)
    classroom = f.ClassroomFactory(school=school, grade=5)
    kids = [f.EnrollmentFactory(classroom=classroom).student for _ in range(5)]
    peer = f.InstrumentFactory(respondent=Respondent.PEER, grade_min=3, grade_max=8, subscales={"helps": 1})
    cycle = f.SurveyCycleFactory(school=school)
    window = f.SurveyWindowFactory(cycle=cycle, phase=Phase.PRE, instruments=[peer], classrooms=[classroom])
    named = {0: [1, 2], 1: [2], 2: [1, 3], 3: [2]}  # kid 4 takes no part
    for nominator, picks in named.items():
        response = services.response_open(window, kids[nominator], peer)
        services.nominations_save(response, kids[nominator], "helps1", [kids[i].pk for i in picks])
        services.response_submit(response, kids[nominator])
    expected = {
        s.student: s for s in scoring.nomination_scores([k.pk for k in kids], {kids[n].pk: [kids[i].pk for i in p] for n, p in named.items()})
    }
    client.force_login(admin)
    rows = _csv(client.post(reverse("surveys:outcomes_students_csv", args=[cycle.pk])))
    header, body = rows[0], rows[1:]
    assert len(body) == 5
    for row in body:
        want = expected[int(row[header.index("Student ID")])]
        assert float(row[header.index("Pre score")]) == pytest.approx(want.share_of_classmates, abs=1e-5)
        assert int(row[header.index("Nominations received, pre")]) == want.received
        assert float(row[header.index("z within the class, pre")]) == pytest.approx(want.z, abs=1e-5)
    assert {int(r[header.index("Nominations received, pre")]) for r in body} == {0, 1, 2, 3}
    page = unescape(_html(client.get(reverse("surveys:outcomes", args=[cycle.pk]))))
    assert "the share of their classmates who took part who named them" in page


def test_a_cycle_over_several_schools_opens_on_its_schools_and_a_school_shows_its_classrooms(client, lincoln):
    """The district's overview: the totals, grades across schools and each school, charts per school; a school
    chosen shows its grades and classrooms. The CSV keeps every group, and the overview costs no more queries."""
    home = lincoln.school
    lincoln.school = f.SchoolFactory(name="Oak Middle", district=home.district)
    lincoln.room("Oak 6A", grade=6, students=12, gain=0.2)
    oak, lincoln.school = lincoln.school, home
    client.force_login(f.DistrictAdminFactory(district=home.district))
    page = unescape(_html(client.get(lincoln.url()))).split("outcomes-actions", 1)[1]  # after the filters (they list classrooms)
    assert "This is the overview of every school" in page
    assert "Lincoln Elementary" in page and "Oak Middle" in page
    assert "Room 4A" not in page and "Oak 6A" not in page
    assert "Change per school" in page
    chart = client.get(lincoln.url("surveys:outcomes_chart", kind="change", subscale=lincoln.subscales["pt"].pk))
    svg = chart.content.decode()
    assert "Oak Middle" in svg and "Room 4A" not in svg
    chosen = unescape(_html(client.get(lincoln.url(school=oak.pk))))
    assert "Oak 6A" in chosen and "overview of every school" not in chosen and "Change per classroom" in chosen
    rows = _csv(client.get(lincoln.url("surveys:outcomes_csv")))
    assert any("Room 4A" in row for row in rows) and any("Oak 6A" in row for row in rows)
    assert _queries(client, lincoln.url()) == _queries(client, lincoln.url(school=oak.pk))


# --- The district's schools' cycles, pooled -------------------------------------------------------------------


def test_a_district_admin_adds_up_every_schools_cycle_matched_within_each(client, lincoln):
    """Lincoln's and Oak's own cycles on one page: the "All" figures are scipy's on every matched student of
    both; a school chosen shows its classrooms; another district, a school admin and a teacher get 404."""
    oak = School(name="Oak Middle", district=lincoln.school.district)
    for window in (oak.pre, oak.post):  # Oak uses Lincoln's form: the same subscales add up across the schools
        window.instruments.set([lincoln.instrument])
    oak.instrument, oak.subscales = lincoln.instrument, lincoln.subscales
    oak.room("Oak 6A", grade=6, students=12, gain=0.2)
    anonymous = School(name="Pine Elementary", district=lincoln.school.district, anonymous=True)
    anonymous.room("Pine 1", students=12)
    client.force_login(f.DistrictAdminFactory(district=lincoln.school.district))
    url = reverse("surveys:district_outcomes")
    page = unescape(_html(client.get(url)))
    assert "2 school cycles added up" in page and "Pine Elementary · Empathy 2026" not in page
    table = page.split("outcomes-actions", 1)[1]
    assert "Lincoln Elementary" in table and "Oak Middle" in table and "Oak 6A" not in table
    scores = Score.objects.filter(subscale=lincoln.subscales["pt"], cycle__in=[lincoln.cycle, oak.cycle])
    pre = {(s.cycle_id, s.student_id): s.value for s in scores.filter(phase="pre")}
    post = {(s.cycle_id, s.student_id): s.value for s in scores.filter(phase="post")}
    matched = sorted(set(pre) & set(post))
    expected = scipy_stats.ttest_rel([post[k] for k in matched], [pre[k] for k in matched])
    rows = _csv(client.get(reverse("surveys:district_outcomes_csv")))
    header = rows[0]
    row = next(
        r for r in rows[1:] if r[header.index("Level")] == "All" and r[header.index("Subscale")] == "PT"
    )
    assert int(row[header.index("Matched students")]) == len(matched) == 48
    assert float(row[header.index("t")]) == pytest.approx(expected.statistic, rel=1e-5)
    assert float(row[header.index("Mean change")]) == pytest.approx(
        sum(post[k] - pre[k] for k in matched) / len(matched), rel=1e-5
    )
    chosen = unescape(_html(client.get(url, {"school": oak.school.pk})))
    assert "Oak 6A" in chosen
    assert client.get(reverse("surveys:district_outcomes_chart"), {"kind": "change", "subscale": oak.subscales["pt"].pk}).status_code == 200
    only_oak = unescape(_html(client.get(url, {"cycles": oak.cycle.pk})))
    assert "1 school cycle added up" in only_oak and "Room 4A" not in only_oak.split("outcomes-actions", 1)[1]
    assert client.get(url, {"cycles": anonymous.cycle.pk}).status_code == 404
    assert client.get(url, {"cycles": "x"}).status_code == 404
    client.force_login(f.DistrictAdminFactory())
    assert client.get(url).status_code == 404
    for someone in (lincoln.admin, lincoln.rooms["Room 4A"][1]):
        client.force_login(someone)
        assert client.get(url).status_code == 404


def test_the_district_page_costs_the_same_queries_for_two_schools_or_four(client):
    district = f.DistrictFactory()
    schools = [School(name=f"School {i}", district=district) for i in range(4)]
    for i, school in enumerate(schools[:2]):
        school.room(f"R{i}", students=12)
    client.force_login(f.DistrictAdminFactory(district=district))
    url = reverse("surveys:district_outcomes")
    small = _queries(client, url)
    for i, school in enumerate(schools[2:]):
        school.room(f"S{i}", students=30)
        school.room(f"T{i}", students=15)
    assert _queries(client, url) == small
