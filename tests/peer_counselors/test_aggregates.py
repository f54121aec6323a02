"""The numbers page of the help requests (peer_counselors/aggregates/): its figures against hand counts, numpy's
median and percentile, small groups suppressed so that no hidden figure comes out by subtraction (a property,
checked by two attackers written here: one subtracting over and over, one by rank over every (school, week,
topic, ending) cell), who sees which school, and what it costs (2 weeks and 20 cost the same queries)."""

import itertools
import re
import statistics
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from peer_counselors import services
from peer_counselors.aggregates import figures, suppression
from peer_counselors.models import HelpRequest, HelpRequestEvent, Outcome, Topic
from tests.factories import (
    CounselorFactory,
    DistrictAdminFactory,
    DistrictFactory,
    HelpRequestFactory,
    PeerCounselorFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.pages import parse, table

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
MONDAY = date(2026, 9, 7)  # the first week of every seeded table
URL = reverse("peer_counselors:numbers")
Status = HelpRequest.Status
Kind = HelpRequestEvent.Kind
TOPIC_LABELS = {value: str(label) for value, label in Topic.choices}
ENDING_LABELS = {value: str(label) for value, label in figures.ENDINGS}


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


def seed(school, *, day: date, topic=Topic.CONFLICT, ending=figures.RESOLVED, waited_hours: float | None = None,
         hour: int = 12, minute: int = 0, requester=None) -> HelpRequest:
    """A request of ``school`` filed on ``day`` that ended as ``ending`` (its fields and events as the services
    leave them), accepted ``waited_hours`` after it was filed."""
    created = at(day, hour, minute)
    fields = {"status": Status.MET}
    if ending in (figures.RESOLVED, figures.FOLLOW_UP):
        fields["outcome"] = Outcome.RESOLVED if ending == figures.RESOLVED else Outcome.FOLLOW_UP
    elif ending == figures.HANDED:
        fields.update(status=Status.WITH_ADULT, outcome=Outcome.HANDED)
    elif ending == figures.AT_ONCE:
        fields.update(status=Status.WITH_ADULT, flagged=True, flagged_at=created)
    elif ending == figures.WITHDRAWN:
        fields["status"] = Status.WITHDRAWN
    elif ending == figures.CLOSED:
        fields["status"] = Status.CLOSED
    elif ending == figures.WAITING:
        fields["status"] = Status.OFFERED
    else:
        fields["status"] = Status.ACCEPTED
    if waited_hours is not None:
        fields["accepted_at"] = created + timedelta(hours=waited_hours)
    requester = requester or StudentFactory(school=school)
    request = HelpRequestFactory(requester=requester, school=school, topic=topic, created_at=created, **fields)
    HelpRequestEvent.objects.create(request=request, kind=Kind.FILED, actor=requester, status=Status.OFFERED,
                                    created_at=created)
    if ending == figures.AT_ONCE:
        HelpRequestEvent.objects.create(request=request, kind=Kind.FLAGGED, actor=None, status=Status.WITH_ADULT,
                                        reason="self_harm", created_at=created)
    return request


def week_table(html: str) -> dict:
    """The weekly table as {(week label, column): text}, its totals' row under the week "Total"."""
    body, foot = table(html, caption="Requests per week, by topic")
    cells = {}
    for row in body + foot:
        week = row.pop("Week starting")
        for column, text in row.items():
            cells[(week, column)] = text
    return cells


def endings_table(html: str) -> dict:
    body, foot = table(html, caption="by how they ended")
    return {row["Ending"]: row["Requests"] for row in body + foot}


def pickup(html: str) -> dict:
    section = parse(html).find("section", aria_labelledby="numbers-pickup-heading")
    dl = section.find("dl")
    terms, values = list(dl.find_all("dt")), list(dl.find_all("dd"))
    return {t.text: v.text for t, v in zip(terms, values, strict=True)}


def week_label(monday: date) -> str:
    return monday.strftime("%b ") + str(monday.day)


def get(client, user, **query):
    client.force_login(user)
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


# --- The figures -----------------------------------------------------------------------------------------------


def test_the_figures_are_the_hand_count_of_the_requests(client, settings):
    """Per week and topic, the totals, the endings, the median and 90th percentile wait (numpy's), and the ones
    waiting; a request filed late on Sunday night belongs to the week it was filed in, in the school's zone."""
    settings.SUPPRESSION_MIN_N = 1  # nothing hidden: every figure is checked
    school = SchoolFactory()
    counselor = CounselorFactory(school=school)
    week2, week3 = MONDAY + timedelta(weeks=1), MONDAY + timedelta(weeks=2)
    waits = [0.5, 2, 3, 26, 49.5]
    seed(school, day=MONDAY, topic=Topic.CONFLICT, ending=figures.RESOLVED, waited_hours=waits[0])
    seed(school, day=MONDAY + timedelta(days=2), topic=Topic.CONFLICT, ending=figures.FOLLOW_UP, waited_hours=waits[1])
    seed(school, day=MONDAY + timedelta(days=6), hour=23, minute=30, topic=Topic.TEASED, ending=figures.HANDED,
         waited_hours=waits[2])  # Sunday 23:30 in Chicago, Monday in UTC: still the first week
    seed(school, day=week2, topic=Topic.LEFT_OUT, ending=figures.AT_ONCE)
    seed(school, day=week2, topic=Topic.CONFLICT, ending=figures.WITHDRAWN, waited_hours=waits[3])
    seed(school, day=week3, topic=Topic.OTHER, ending=figures.WAITING)
    seed(school, day=week3, topic=Topic.OTHER, ending=figures.WAITING)
    seed(school, day=week3, topic=Topic.TEASED, ending=figures.OPEN, waited_hours=waits[4])
    seed(school, day=week3, topic=Topic.CONFLICT, ending=figures.CLOSED)
    seed(school, day=week3 + timedelta(weeks=1), topic=Topic.CONFLICT)  # after the chosen weeks
    seed(SchoolFactory(), day=MONDAY)  # another school's

    html = get(client, counselor, start=MONDAY.isoformat(), end=(week3 + timedelta(days=6)).isoformat())

    conflict, teased, left_out, other = (TOPIC_LABELS[t] for t in (Topic.CONFLICT, Topic.TEASED, Topic.LEFT_OUT, Topic.OTHER))
    expected = {
        week_label(MONDAY): {conflict: 2, teased: 1, left_out: 0, other: 0},
        week_label(week2): {conflict: 1, teased: 0, left_out: 1, other: 0},
        week_label(week3): {conflict: 1, teased: 1, left_out: 0, other: 2},
    }
    cells = week_table(html)
    for week, row in expected.items():
        for topic, n in row.items():
            assert cells[(week, topic)] == str(n)
        assert cells[(week, "All topics")] == str(sum(row.values()))
    for topic in (conflict, teased, left_out, other):
        assert cells[("Total", topic)] == str(sum(row[topic] for row in expected.values()))
    assert cells[("Total", "All topics")] == "9"
    assert endings_table(html) == {
        ENDING_LABELS[figures.RESOLVED]: "1", ENDING_LABELS[figures.FOLLOW_UP]: "1", ENDING_LABELS[figures.HANDED]: "1",
        ENDING_LABELS[figures.AT_ONCE]: "1", ENDING_LABELS[figures.WITHDRAWN]: "1", ENDING_LABELS[figures.CLOSED]: "1",
        ENDING_LABELS[figures.WAITING]: "2", ENDING_LABELS[figures.OPEN]: "1", "All requests": "9",
    }
    times = pickup(html)
    assert times["Median"] == f"{statistics.median(waits):.1f} hours"
    assert times["90th percentile"] == f"{np.percentile(waits, 90):.1f} hours"
    assert times["Still waiting for an orange hat"] == "2"


def test_a_screen_flag_an_adult_undid_is_not_an_adult_at_once_and_an_adults_own_flag_never_was(client, settings):
    settings.SUPPRESSION_MIN_N = 1
    school = SchoolFactory()
    counselor = CounselorFactory(school=school)
    unflagged = seed(school, day=MONDAY, ending=figures.AT_ONCE)
    HelpRequest.objects.filter(pk=unflagged.pk).update(flagged=False, flagged_at=None, status=Status.MET,
                                                       outcome=Outcome.RESOLVED)
    HelpRequestEvent.objects.create(request=unflagged, kind=Kind.UNFLAGGED, actor=counselor, status=Status.OFFERED)
    by_hand = seed(school, day=MONDAY, ending=figures.CLOSED)
    HelpRequestEvent.objects.create(request=by_hand, kind=Kind.FLAGGED, actor=counselor, status=Status.WITH_ADULT)

    endings = endings_table(get(client, counselor, start=MONDAY.isoformat(), end=MONDAY.isoformat()))

    assert endings[ENDING_LABELS[figures.AT_ONCE]] == "0"
    assert endings[ENDING_LABELS[figures.RESOLVED]] == "1"
    assert endings[ENDING_LABELS[figures.CLOSED]] == "1"


def test_a_request_the_student_sent_to_an_adult_went_to_an_adult_at_once(client, settings, time_machine):
    """Filed through the service with "an adult, not a student" ticked and words the screen reads as ordinary."""
    settings.SUPPRESSION_MIN_N = 1
    school = SchoolFactory()
    counselor = CounselorFactory(school=school)
    time_machine.move_to(at(MONDAY), tick=False)
    services.help_request_file(requester=StudentFactory(school=school), topic=Topic.OTHER, text="can we talk",
                               asked_adult=True)
    services.help_request_file(requester=StudentFactory(school=school), topic=Topic.OTHER, text="can we talk")

    endings = endings_table(get(client, counselor, start=MONDAY.isoformat(), end=MONDAY.isoformat()))

    assert endings[ENDING_LABELS[figures.AT_ONCE]] == "1"
    assert endings[ENDING_LABELS[figures.WAITING]] == "1"


def test_anonymised_requests_still_count(client, settings):
    settings.SUPPRESSION_MIN_N = 1
    school = SchoolFactory()
    seed(school, day=MONDAY, waited_hours=1)
    HelpRequest.objects.update(requester=None, text="[removed on request]")
    html = get(client, SchoolAdminFactory(school=school), start=MONDAY.isoformat(), end=MONDAY.isoformat())
    assert week_table(html)[("Total", "All topics")] == "1"
    assert pickup(html)["Median"] == "1.0 hours"


def test_the_last_twelve_weeks_by_default_and_a_range_too_long_is_refused(client):
    school = SchoolFactory()
    html = get(client, CounselorFactory(school=school))
    assert len(table(html, caption="Requests per week, by topic")[0]) == 12
    html = get(client, CounselorFactory(school=school), start="2025-01-05", end="2026-06-01")
    assert "Choose at most 53 weeks at a time." in html
    assert len(table(html, caption="Requests per week, by topic")[0]) == 12


def test_a_median_over_fewer_than_n_accepted_requests_is_not_shown(client, settings):
    settings.SUPPRESSION_MIN_N = 3
    school = SchoolFactory()
    seed(school, day=MONDAY, waited_hours=1)
    seed(school, day=MONDAY, waited_hours=5)
    times = pickup(get(client, CounselorFactory(school=school), start=MONDAY.isoformat(), end=MONDAY.isoformat()))
    assert "Median" not in times
    assert times["Median and 90th percentile"] == "not shown: fewer than 3 requests were accepted"
    seed(school, day=MONDAY, waited_hours=9)
    times = pickup(get(client, CounselorFactory(school=school), start=MONDAY.isoformat(), end=MONDAY.isoformat()))
    assert times["Median"] == "5.0 hours"


# --- Suppression -----------------------------------------------------------------------------------------------

ENDING_VALUES = [e for e, _l in figures.ENDINGS]
TOPIC_VALUES = [t for t, _l in figures.TOPICS]


def recovered_by_rank(counts: dict, hidden, *, schools, weeks) -> set:
    """The hidden figures the shown ones fix, by brute force: every figure written out over every base cell
    (school, week, topic, ending), and a hidden one is fixed when adding its row to the shown ones' does not
    raise their rank."""
    base = list(itertools.product(schools, weeks, TOPIC_VALUES, ENDING_VALUES))
    keys = list(counts)
    rows = np.array([[all(k[a] is None or k[a] == b[a] for a in range(4)) for b in base] for k in keys], dtype=float)
    shown = [i for i, k in enumerate(keys) if k not in hidden]
    rank = np.linalg.matrix_rank(rows[shown]) if shown else 0
    return {keys[i] for i, k in enumerate(keys) if k in hidden and np.linalg.matrix_rank(rows[[*shown, i]]) == rank}


def recovered_by_subtraction(counts: dict, hidden, *, sizes) -> dict:
    """What "a total minus all its shown parts", and "a part is its total minus the others", give, repeated."""
    keys = list(counts)
    known = {k: counts[k] for k in keys if k not in hidden}
    relations = suppression.relations(keys, sizes)
    progress = True
    while progress:
        progress = False
        for relation in relations:
            members = [keys[m] for m in relation.members]
            unknown = [k for k in members if k not in known]
            if len(unknown) != 1:
                continue
            total, parts = members[0], members[1:]
            if unknown[0] == total:
                known[total] = sum(known[p] for p in parts)
            else:
                known[unknown[0]] = known[total] - sum(known[p] for p in parts if p != unknown[0])
            progress = True
    return {k: v for k, v in known.items() if k in hidden}


@st.composite
def districts(draw):
    """Requests of 1-3 schools over 1-3 weeks, each (school, week, topic, ending) cell with 0-12 of them, mostly
    none; pooled (a district's admin) or one school's."""
    schools = list(range(draw(st.integers(1, 3))))
    weeks = figures.mondays(MONDAY, MONDAY + timedelta(weeks=draw(st.integers(0, 2))))
    cells = list(itertools.product(schools, weeks, TOPIC_VALUES, ENDING_VALUES))
    counts = draw(st.lists(st.sampled_from([0, 0, 0, 0, 1, 2, 3, 5, 8, 12]), min_size=len(cells), max_size=len(cells)))
    joint = {cell: n for cell, n in zip(cells, counts, strict=True) if n}
    pooled = len(schools) > 1 or draw(st.booleans())
    return joint, schools, weeks, pooled


@given(district=districts(), min_n=st.sampled_from([2, 3, 5, 10]))
@settings(max_examples=120, deadline=None)
def test_no_hidden_figure_is_recovered_from_the_shown_ones(district, min_n):
    """Property: every small figure is hidden, and no hidden figure's value follows from the shown ones, neither
    by subtracting again and again nor by solving every relation at once."""
    joint, schools, weeks, pooled = district
    counts = figures.released_counts(joint, schools=schools, weeks=weeks, pooled=pooled)
    hidden = suppression.suppress(counts, sizes=(len(schools), len(weeks), 4, 8), min_n=min_n)
    assert {k for k, n in counts.items() if 0 < n < min_n} <= set(hidden)
    shown = figures.numbers(joint, schools=schools, weeks=weeks, min_n=min_n, pooled=pooled,
                            view=None if pooled else schools[0], durations=[])
    assert all(f.n is None for w in shown.weeks for f in (*w.cells, w.total) if not f.shown)  # nothing to draw
    assert recovered_by_subtraction(counts, hidden, sizes=(len(schools), len(weeks), 4, 8)) == {}
    assert recovered_by_rank(counts, hidden, schools=schools, weeks=weeks) == set()


@given(district=districts(), data=st.data())
@settings(max_examples=80, deadline=None)
def test_the_fast_check_finds_what_the_brute_force_one_finds(district, data):
    """Property: for any set of hidden figures, suppression.determined (school by school, then across) names
    exactly the figures the rank over every base cell fixes."""
    joint, schools, weeks, pooled = district
    counts = figures.released_counts(joint, schools=schools, weeks=weeks, pooled=pooled)
    keys = list(counts)
    hidden = data.draw(st.sets(st.sampled_from(keys)))
    found = suppression.determined(keys, [keys.index(k) for k in hidden], sizes=(len(schools), len(weeks), 4, 8))
    assert {keys[i] for i in found} == recovered_by_rank(counts, hidden, schools=schools, weeks=weeks)


def test_two_hidden_cells_in_every_line_can_still_give_one_away():
    """Why the rule of thumb is not used: rows 0-1 x columns 0-1 and rows 2-3 x columns 2-3 hidden, joined by
    the hidden cell (1, 2) — every row and column holds 0 or 2+ hidden cells, and yet (1, 2) is known."""
    keys = [(r, c) for r in range(4) for c in range(4)] + [(r, None) for r in range(4)] + [(None, c) for c in range(4)]
    keys.append((None, None))
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)}
    assert all(sum((r, c) in hidden for c in range(4)) != 1 for r in range(4))
    assert all(sum((r, c) in hidden for r in range(4)) != 1 for c in range(4))
    found = suppression.determined(keys, [keys.index(k) for k in hidden], sizes=(4, 4))
    assert {keys[i] for i in found} == {(1, 2)}


def test_the_page_hides_small_groups_and_what_would_give_them_away(client, settings):
    """With N = 10: a cell of 3 reads "fewer than 10"; its week's total minus the week's other cells would give
    it away, so the smallest of those (12) is hidden with it, and then the conflict topic's total (12 + 11)
    too; nothing hidden on the page comes out of what it shows."""
    settings.SUPPRESSION_MIN_N = 10
    school = SchoolFactory()
    for _i in range(12):
        seed(school, day=MONDAY, topic=Topic.CONFLICT)
    for _i in range(3):
        seed(school, day=MONDAY, topic=Topic.TEASED)
    for _i in range(11):
        seed(school, day=MONDAY + timedelta(weeks=1), topic=Topic.CONFLICT)

    html = get(client, SchoolAdminFactory(school=school), start=MONDAY.isoformat(),
               end=(MONDAY + timedelta(days=13)).isoformat())

    cells = week_table(html)
    first, second = week_label(MONDAY), week_label(MONDAY + timedelta(weeks=1))
    conflict, teased = TOPIC_LABELS[Topic.CONFLICT], TOPIC_LABELS[Topic.TEASED]
    assert cells[(first, teased)] == "fewer than 10"
    assert cells[(first, conflict)] == "hidden"
    assert cells[(first, "All topics")] == "15"
    assert cells[("Total", teased)] == "fewer than 10"
    assert cells[("Total", conflict)] == "hidden"
    assert cells[(second, conflict)] == "11"
    assert cells[("Total", "All topics")] == "26"
    assert not {"3", "12", "23"} & set(cells.values())
    # Nothing hidden follows from what the page shows: the weekly table and the endings, over (week, topic, ending).
    weeks = [MONDAY, MONDAY + timedelta(weeks=1)]
    counts, hidden = page_figures(html, weeks)
    assert hidden
    assert recovered_by_rank(counts, hidden, schools=[0], weeks=weeks) == set()


def page_figures(html: str, weeks: list[date], school=0) -> tuple[dict, set]:
    """The figures a page shows as released keys (its hidden ones as a set, their values unknown: 0 here)."""
    cells, endings = week_table(html), endings_table(html)
    labels = {week_label(w): w for w in weeks} | {"Total": None}
    columns = {TOPIC_LABELS[t]: t for t in TOPIC_VALUES} | {"All topics": None}
    counts, hidden = {}, set()
    for (week, column), text in cells.items():
        key = (school, labels[week], columns[column], None)
        counts[key] = int(text) if text.isdigit() else 0
        if not text.isdigit():
            hidden.add(key)
    for label, text in endings.items():
        ending = next((e for e, name in ENDING_LABELS.items() if name == label), None)
        if ending is None:
            continue  # "All requests": the total of the weekly table, the same figure
        key = (school, None, None, ending)
        counts[key] = int(text) if text.isdigit() else 0
        if not text.isdigit():
            hidden.add(key)
    return counts, hidden


# --- Who sees which school -------------------------------------------------------------------------------------


def test_teachers_students_and_peer_counselors_get_404(client):
    school = SchoolFactory()
    for user in (TeacherFactory(school=school), StudentFactory(school=school), PeerCounselorFactory(school=school)):
        client.force_login(user)
        assert client.get(URL).status_code == 404
        assert client.get(reverse("peer_counselors:numbers_chart")).status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{resolve_url(django_settings.LOGIN_URL)}?next=")


def test_a_schools_own_people_see_it_and_no_other(client, settings):
    settings.SUPPRESSION_MIN_N = 1
    school, elsewhere = SchoolFactory(), SchoolFactory()
    seed(school, day=MONDAY)
    seed(elsewhere, day=MONDAY)
    seed(elsewhere, day=MONDAY)
    for user in (CounselorFactory(school=school), SchoolAdminFactory(school=school)):
        html = get(client, user, start=MONDAY.isoformat(), end=MONDAY.isoformat())
        assert week_table(html)[("Total", "All topics")] == "1"
        assert client.get(URL, {"school": school.pk}).status_code == 200
        assert client.get(URL, {"school": elsewhere.pk}).status_code == 404
        assert client.get(reverse("peer_counselors:numbers_chart"), {"school": elsewhere.pk}).status_code == 404


def test_a_district_admin_sees_each_school_of_the_district_and_all_of_them_pooled(client, settings):
    settings.SUPPRESSION_MIN_N = 1
    district = DistrictFactory()
    a, b = SchoolFactory(district=district, name="Aspen"), SchoolFactory(district=district, name="Birch")
    c = SchoolFactory()  # another district's
    seed(a, day=MONDAY, topic=Topic.CONFLICT)
    seed(b, day=MONDAY, topic=Topic.TEASED)
    seed(b, day=MONDAY, topic=Topic.TEASED)
    seed(c, day=MONDAY)
    admin = DistrictAdminFactory(district=district)
    window = {"start": MONDAY.isoformat(), "end": MONDAY.isoformat()}

    pooled = week_table(get(client, admin, **window))
    assert pooled[("Total", "All topics")] == "3"
    assert pooled[("Total", TOPIC_LABELS[Topic.TEASED])] == "2"
    assert week_table(get(client, admin, school=a.pk, **window))[("Total", "All topics")] == "1"
    assert week_table(get(client, admin, school=b.pk, **window))[("Total", "All topics")] == "2"
    picker = parse(get(client, admin, **window)).find("select", name="school")
    assert [o.text for o in picker.find_all("option")] == ["Every school, together", "Aspen", "Birch"]
    for wrong in (c.pk, "x", 999999):
        assert client.get(URL, {"school": wrong}).status_code == 404
        assert client.get(reverse("peer_counselors:numbers_chart"), {"school": wrong}).status_code == 404
    client.force_login(DistrictAdminFactory(district=c.district))
    assert client.get(URL, {"school": a.pk}).status_code == 404


def test_a_district_admins_pooled_and_school_pages_together_give_no_hidden_figure_away(client, settings):
    """A school's hidden figure must not come out of the district's total minus the other school's: the pages
    are suppressed together."""
    settings.SUPPRESSION_MIN_N = 5
    district = DistrictFactory()
    a, b = SchoolFactory(district=district), SchoolFactory(district=district)
    for _i in range(3):
        seed(a, day=MONDAY, topic=Topic.CONFLICT)
    for _i in range(9):
        seed(b, day=MONDAY, topic=Topic.CONFLICT)
    for _i in range(6):
        seed(b, day=MONDAY, topic=Topic.TEASED)
    admin = DistrictAdminFactory(district=district)
    window = {"start": MONDAY.isoformat(), "end": MONDAY.isoformat()}
    counts, hidden = {}, set()
    for place, query in ((None, {}), (a.pk, {"school": a.pk}), (b.pk, {"school": b.pk})):
        shown, unknown = page_figures(get(client, admin, **window, **query), [MONDAY], school=place)
        counts |= shown
        hidden |= unknown
    assert (a.pk, None, None, None) in hidden  # 3 requests: fewer than 5
    assert recovered_by_rank(counts, hidden, schools=[a.pk, b.pk], weeks=[MONDAY]) == set()
    assert recovered_by_subtraction(counts, hidden, sizes=(2, 1, 4, 8)) == {}


# --- The chart, and what the page costs ------------------------------------------------------------------------


def test_the_chart_is_the_same_svg_each_time_with_a_key_for_what_it_does_not_show(client, settings):
    settings.SUPPRESSION_MIN_N = 5
    school = SchoolFactory()
    for _i in range(7):
        seed(school, day=MONDAY, topic=Topic.CONFLICT)
    seed(school, day=MONDAY, topic=Topic.TEASED)
    client.force_login(CounselorFactory(school=school))
    url = reverse("peer_counselors:numbers_chart")
    window = {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=6)).isoformat()}
    first, second = client.get(url, window), client.get(url, window)
    assert first.status_code == 200 and first["Content-Type"] == "image/svg+xml"
    assert first.content == second.content
    assert b"<svg" in first.content and b"Not shown (fewer than 5, or hidden with them)" in first.content
    assert client.get(url, window, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    html = get(client, CounselorFactory(school=school), **window)
    img = parse(html).find("img", src=f"{url}?start={window['start']}&end={window['end']}")
    assert "table beside the chart" in img.attrs["alt"]


def queries(client, user, query) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, query).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["counselor", "district_admin"])
def test_two_weeks_and_twenty_cost_the_same_queries(client, persona):
    """Counted in the database, grouped: a page of 2 weeks and 2 requests costs what 20 weeks and 20 do."""
    costs = []
    for size in (2, 20):
        district = DistrictFactory()
        schools = [SchoolFactory(district=district) for _i in range(2 if persona == "district_admin" else 1)]
        for i in range(size):
            seed(schools[i % len(schools)], day=MONDAY + timedelta(weeks=i), topic=TOPIC_VALUES[i % 4],
                 ending=ENDING_VALUES[i % 8], waited_hours=i + 1 if i % 2 else None)
        user = DistrictAdminFactory(district=district) if persona == "district_admin" else CounselorFactory(school=schools[0])
        end = MONDAY + timedelta(weeks=size - 1, days=6)
        costs.append(queries(client, user, {"start": MONDAY.isoformat(), "end": end.isoformat()}))
    assert costs[0] == costs[1]


def test_no_request_is_named_on_the_page(client, settings):
    settings.SUPPRESSION_MIN_N = 1
    school = SchoolFactory()
    student = StudentFactory(school=school, first_name="SENTINEL-first", last_name="SENTINEL-last")
    seed(school, day=MONDAY, requester=student)
    HelpRequest.objects.update(text="SENTINEL-words", classmate="SENTINEL-classmate")
    html = get(client, SchoolAdminFactory(school=school), start=MONDAY.isoformat(), end=MONDAY.isoformat())
    assert not re.search("SENTINEL", html)
