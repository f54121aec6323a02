"""The outcomes computation (surveys/outcomes/selectors.py) against an independent computation: a small
district answers through the services; the test scores the raw answers itself and runs scipy.stats on them.

The world: district D with schools Alder (classrooms A and B in grade 4, C in grade 5) and Birch (E, grade 4),
and another district's school. One cycle's pre and post windows go to A, B, C and E. In A one student has no
post (pre only) and one moves to B between the windows (counted in A, where they started); in B one student
joins after the pre window (post only); in E one student skips an item ("prefer not to answer": still scored)
and one answers too few perspective-taking items before (no pre score there: post only for that subscale).
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import pytest
from scipy import stats as scipy_stats

from classrooms.models import Enrollment, Session
from curriculum.models import Submission
from surveys import services
from surveys.models import Phase, Respondent
from surveys.outcomes import suppression
from surveys.outcomes.cells import Attrition, Hidden, Level
from surveys.outcomes.selectors import outcomes
from tests import factories as f
from tests.surveys.test_stats import nct_interval
from tests.surveys.test_suppression import recovered_by_null_space, recovered_by_subtraction

pytestmark = pytest.mark.django_db

TOLERANCE = 1e-9
ITEMS = {"pt": ["pt1", "pt2", "pt3"], "ec": ["ec1", "ec2"]}
REVERSED = {"pt3"}
NEEDED = {"pt": 2, "ec": 2}  # two thirds, rounded up


def close(ours, theirs):
    assert ours == pytest.approx(theirs, rel=TOLERANCE, abs=TOLERANCE)


@dataclass
class World:
    district: object
    alder: object
    birch: object
    rooms: dict
    instrument: object
    cycle: object
    pre: object
    post: object
    teachers: dict
    answers: dict = field(default_factory=dict)  # (phase, student pk) -> {item: raw}
    where: dict = field(default_factory=dict)  # (phase, student pk) -> room name


def _answer(world, window, student, raw: dict, room: str):
    response = services.response_open(window, student)
    for key, value in raw.items():
        services.answer_save(response, student, key, value)
    services.response_submit(response, student)
    world.answers[(window.phase, student.pk)] = raw
    world.where[(window.phase, student.pk)] = room


def _raw(rng, shift=0):
    return {key: str(int(np.clip(rng.integers(1, 6) + shift, 1, 5))) for keys in ITEMS.values() for key in keys}


def build_world(*, sizes=None, anonymous=False, seed=7) -> World:
    sizes = sizes or {"A": 6, "B": 5, "C": 4, "E": 5}
    district = f.DistrictFactory()
    alder = f.SchoolFactory(district=district, name="Alder")
    birch = f.SchoolFactory(district=district, name="Birch")
    places = {"A": (alder, 4), "B": (alder, 4), "C": (alder, 5), "E": (birch, 4)}
    teachers, rooms = {}, {}
    for name in sizes:
        school, grade = places[name]
        teachers[name] = f.TeacherFactory(school=school)
        rooms[name] = f.ClassroomFactory(school=school, grade=grade, name=f"Room {name}", teachers=[teachers[name]])
    instrument = f.InstrumentFactory(grade_min=3, grade_max=8, subscales={"pt": 3, "ec": 2}, subscales__reverse=["pt3"])
    cycle = f.SurveyCycleFactory(school=alder, anonymous=anonymous)
    pre = f.SurveyWindowFactory(cycle=cycle, phase=Phase.PRE, instruments=[instrument], classrooms=list(rooms.values()))
    post = f.SurveyWindowFactory(
        cycle=cycle, phase=Phase.POST, instruments=[instrument], classrooms=list(rooms.values())
    )
    world = World(district, alder, birch, rooms, instrument, cycle, pre, post, teachers)
    rng = np.random.default_rng(seed)
    roster = {
        name: [f.EnrollmentFactory(classroom=room).student for _ in range(sizes[name])] for name, room in rooms.items()
    }
    pre_only = roster["A"][0] if "A" in roster else None
    mover = roster["A"][1] if "A" in roster and "B" in roster else None
    post_only = roster["B"][0] if "B" in roster else None
    skipper, too_few = (roster["E"][0], roster["E"][1]) if "E" in roster else (None, None)
    for name, students in roster.items():
        for student in students:
            if student == post_only:
                continue
            raw = _raw(rng)
            if student == skipper:
                raw["pt2"] = services.PREFER_NOT
            if student == too_few:
                del raw["pt2"], raw["pt3"]
            _answer(world, pre, student, raw, name)
    if mover is not None:
        Enrollment.objects.filter(classroom=rooms["A"], student=mover).update(left_at=pre.opens_at)
        Enrollment.objects.create(classroom=rooms["B"], student=mover)
    for name, students in roster.items():
        for student in students:
            if student == pre_only:
                continue
            room = "B" if student == mover else name
            _answer(world, post, student, _raw(rng, shift=int(rng.integers(0, 3))), room)
    return world


@pytest.fixture
def world():
    return build_world()


# --- the independent computation ---------------------------------------------------------------------------


def reference_score(raw: dict, subscale: str) -> float | None:
    values = []
    for key in ITEMS[subscale]:
        answer = raw.get(key)
        if answer is None or answer == services.PREFER_NOT:
            continue
        values.append(6 - int(answer) if key in REVERSED else int(answer))
    return sum(values) / len(values) if len(values) >= NEEDED[subscale] else None


def groups(world: World, subscale: str):
    """{student: (group room, pre or None, post or None)} from the raw answers, grouped by the pre room."""
    scores = {}
    for (phase, student), raw in world.answers.items():
        value = reference_score(raw, subscale)
        if value is not None:
            scores[(phase, student)] = value
    students = {student for _phase, student in scores}
    found = {}
    for student in students:
        pre, post = scores.get((Phase.PRE, student)), scores.get((Phase.POST, student))
        room = world.where[(Phase.PRE, student)] if pre is not None else world.where[(Phase.POST, student)]
        found[student] = (room, pre, post)
    return found


def matched(world, subscale, rooms: set[str]):
    rows = [
        (pre, post) for room, pre, post in groups(world, subscale).values() if room in rooms and None not in (pre, post)
    ]
    pre, post = (np.array(x, dtype=float) for x in zip(*rows, strict=True))
    return pre, post


def unmatched_pre(world, subscale, rooms):
    return np.array(
        [
            pre
            for room, pre, post in groups(world, subscale).values()
            if room in rooms and post is None and pre is not None
        ]
    )


def cell_of(result, key: str, level: Level, *, classroom=None, school=None, grade=None):
    found = [
        c
        for c in result.cells
        if c.measure.subscale_key == key
        and c.level == level
        and (classroom is None or c.classroom_id == classroom.pk)
        and (school is None or c.school_id == school.pk)
        and (grade is None or c.grade == grade)
    ]
    assert len(found) == 1, found
    return found[0]


def assert_paired_figures(cell, pre, post):
    change = post - pre
    n = len(change)
    theirs = scipy_stats.ttest_rel(post, pre)
    interval = theirs.confidence_interval(0.95)
    assert cell.n_matched == n
    close(cell.mean_pre, pre.mean())
    close(cell.mean_post, post.mean())
    close(cell.mean_change, change.mean())
    close(cell.sd_change, change.std(ddof=1))
    close(cell.t, theirs.statistic)
    close(cell.p, theirs.pvalue)
    assert cell.df == theirs.df
    close(cell.change_low, interval.low)
    close(cell.change_high, interval.high)
    d = change.mean() / change.std(ddof=1)
    close(cell.d_z, d)
    low, high = nct_interval(theirs.statistic, n - 1)
    close(cell.d_z_low, low / math.sqrt(n))
    close(cell.d_z_high, high / math.sqrt(n))
    j = 1 - 3 / (4 * (n - 1) - 1)
    close(cell.g_z, j * d)
    close(cell.g_low, j * low / math.sqrt(n))
    close(cell.g_high, j * high / math.sqrt(n))
    close(cell.improvement_index, 100 * scipy_stats.norm.cdf(j * d) - 50)


# --- figures -----------------------------------------------------------------------------------------------


def test_every_level_agrees_with_scipy_on_the_raw_answers(world):
    """Classrooms, a school's grade, a school, a grade across schools and everything: paired figures as
    scipy's ttest_rel and the noncentral t give them on the matched students' own scores."""
    admin = f.DistrictAdminFactory(district=world.district)
    result = outcomes(admin, world.cycle, min_n=1)
    r = world.rooms
    for key in ("pt", "ec"):
        for level, rooms, where in (
            (Level.CLASSROOM, {"A"}, {"classroom": r["A"]}),
            (Level.CLASSROOM, {"B"}, {"classroom": r["B"]}),
            (Level.CLASSROOM, {"E"}, {"classroom": r["E"]}),
            (Level.GRADE, {"A", "B"}, {"school": world.alder, "grade": 4}),
            (Level.SCHOOL, {"A", "B", "C"}, {"school": world.alder}),
            (Level.ALL_GRADE, {"A", "B", "E"}, {"grade": 4}),
            (Level.ALL, {"A", "B", "C", "E"}, {}),
        ):
            cell = cell_of(result, key, level, **where)
            pre, post = matched(world, key, rooms)
            assert_paired_figures(cell, pre, post)


def test_pre_only_post_only_the_mover_and_attrition(world):
    """A's pre-only student and the mover (counted in A, not in B); B's late joiner is post only; E's student
    with too few perspective-taking answers before is post only there and matched in empathic concern."""
    admin = f.DistrictAdminFactory(district=world.district)
    result = outcomes(admin, world.cycle, min_n=1)
    a = cell_of(result, "pt", Level.CLASSROOM, classroom=world.rooms["A"])
    b = cell_of(result, "pt", Level.CLASSROOM, classroom=world.rooms["B"])
    e_pt = cell_of(result, "pt", Level.CLASSROOM, classroom=world.rooms["E"])
    e_ec = cell_of(result, "ec", Level.CLASSROOM, classroom=world.rooms["E"])
    assert (a.n_matched, a.n_pre_only, a.n_post_only) == (5, 1, 0)  # the mover is one of A's five
    assert (b.n_matched, b.n_pre_only, b.n_post_only) == (4, 0, 1)
    assert (e_pt.n_matched, e_pt.n_pre_only, e_pt.n_post_only) == (4, 0, 1)
    assert (e_ec.n_matched, e_ec.n_post_only) == (5, 0)
    assert (a.n_pre, a.n_post) == (6, 5)
    close(a.match_rate, 5 / 6)
    # Attrition: the matched students' pre scores against the unmatched ones', pooled SD (ddof 1), as
    # scipy's pooled two-sample t says: d = t * sqrt(1/n_a + 1/n_b).
    school = cell_of(result, "pt", Level.SCHOOL, school=world.alder)
    stayed, _post = matched(world, "pt", {"A", "B", "C"})
    left = unmatched_pre(world, "pt", {"A", "B", "C"})
    pooled_t = scipy_stats.ttest_ind(stayed, left, equal_var=True).statistic
    d = pooled_t * math.sqrt(1 / len(stayed) + 1 / len(left))
    close(school.attrition_d, d)
    close(school.mean_pre_matched, stayed.mean())
    close(school.mean_pre_unmatched, left.mean())
    expected = Attrition.FINE if abs(d) <= 0.05 else Attrition.ADJUST if abs(d) <= 0.25 else Attrition.WARNING
    assert school.attrition == expected
    assert b.attrition == Attrition.NONE and b.attrition_d is None  # nobody in B is unmatched before


def test_response_rates_count_the_windows_classrooms_roll(world):
    """A had six students during the cycle (the mover left for B), all six answered before, five after."""
    admin = f.SchoolAdminFactory(school=world.alder)
    result = outcomes(admin, world.cycle, min_n=1)
    a = cell_of(result, "pt", Level.CLASSROOM, classroom=world.rooms["A"])
    b = cell_of(result, "pt", Level.CLASSROOM, classroom=world.rooms["B"])
    assert a.enrolled == 6 and b.enrolled == 6  # B: five and the mover
    close(a.response_rate_pre, 6 / 6)
    close(a.response_rate_post, 4 / 6)  # the pre-only student and the mover did not answer after in A
    close(b.response_rate_pre, 4 / 6)
    close(b.response_rate_post, 6 / 6)


def test_the_measures_are_the_instruments_subscales_in_order(world):
    """A form for grades none of the classrooms teaches (K-2 here) has no measure."""
    world.pre.instruments.add(f.InstrumentFactory(grade_min=0, grade_max=2, subscales={"faces": 3}))
    admin = f.DistrictAdminFactory(district=world.district)
    result = outcomes(admin, world.cycle, min_n=1)
    assert [(m.subscale_key, m.respondent, m.scale_min, m.scale_max) for m in result.measures] == [
        ("pt", Respondent.STUDENT, 1, 5),
        ("ec", Respondent.STUDENT, 1, 5),
    ]
    assert result.measures[0].instrument_name == world.instrument.name["en"]
    first = [(c.level, c.label) for c in result.for_measure(result.measures[0])]
    assert first == [
        (Level.ALL, "All"),
        (Level.ALL_GRADE, "Grade 4, all schools"),
        (Level.ALL_GRADE, "Grade 5, all schools"),
        (Level.SCHOOL, "Alder"),
        (Level.GRADE, "Grade 4"),
        (Level.CLASSROOM, "Room A"),
        (Level.CLASSROOM, "Room B"),
        (Level.GRADE, "Grade 5"),
        (Level.CLASSROOM, "Room C"),
        (Level.SCHOOL, "Birch"),
        (Level.GRADE, "Grade 4"),
        (Level.CLASSROOM, "Room E"),
    ]


def test_an_anonymous_cycle_compares_two_groups_with_welch():
    world = build_world(anonymous=True)
    admin = f.DistrictAdminFactory(district=world.district)
    result = outcomes(admin, world.cycle, min_n=1)
    assert result.anonymous
    for key in ("pt", "ec"):
        for level, rooms, where in (
            (Level.CLASSROOM, {"A"}, {"classroom": world.rooms["A"]}),
            (Level.SCHOOL, {"A", "B", "C"}, {"school": world.alder}),
            (Level.ALL, {"A", "B", "C", "E"}, {}),
        ):
            scores = {
                phase: np.array(
                    [
                        v
                        for (p, student), raw in world.answers.items()
                        if p == phase
                        and world.where[(p, student)] in rooms
                        and (v := reference_score(raw, key)) is not None
                    ]
                )
                for phase in (Phase.PRE, Phase.POST)
            }
            a, b = scores[Phase.PRE], scores[Phase.POST]
            cell = cell_of(result, key, level, **where)
            theirs = scipy_stats.ttest_ind(b, a, equal_var=False)
            interval = theirs.confidence_interval(0.95)
            assert (cell.n_pre, cell.n_post, cell.n_matched, cell.d_z) == (len(a), len(b), None, None)
            close(cell.mean_pre, a.mean())
            close(cell.mean_post, b.mean())
            close(cell.mean_change, b.mean() - a.mean())
            close(cell.t, theirs.statistic)
            close(cell.df, theirs.df)
            close(cell.p, theirs.pvalue)
            close(cell.change_low, interval.low)
            close(cell.change_high, interval.high)
            pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
            j = 1 - 3 / (4 * (len(a) + len(b)) - 9)
            close(cell.g_s, j * (b.mean() - a.mean()) / pooled)
            scale = math.sqrt(1 / len(a) + 1 / len(b))
            low, high = nct_interval((b.mean() - a.mean()) / pooled / scale, len(a) + len(b) - 2)
            close(cell.g_low, j * low * scale)
            close(cell.g_high, j * high * scale)


# --- scope and filters -------------------------------------------------------------------------------------


def _classrooms(result):
    return {c.classroom_id for c in result.cells if c.level == Level.CLASSROOM}


def test_each_person_sees_only_their_own_classrooms(world):
    r = world.rooms
    other_district = f.SchoolFactory()
    cases = [
        (world.teachers["A"], {r["A"].pk}),
        (world.teachers["E"], {r["E"].pk}),
        (f.SchoolAdminFactory(school=world.alder), {r["A"].pk, r["B"].pk, r["C"].pk}),
        (f.SchoolAdminFactory(school=world.birch), {r["E"].pk}),
        (f.DistrictAdminFactory(district=world.district), {r["A"].pk, r["B"].pk, r["C"].pk, r["E"].pk}),
        (f.DistrictAdminFactory(district=other_district.district), set()),
        (f.TeacherFactory(school=world.alder), set()),  # teaches nothing in the cycle
        (f.TeacherFactory(school=other_district), set()),
        (f.CounselorFactory(school=world.alder), set()),
        (Enrollment.objects.filter(classroom=r["A"]).first().student, set()),
    ]
    for user, expected in cases:
        result = outcomes(user, world.cycle, min_n=1)
        assert _classrooms(result) == expected, user.role
        if not expected:  # nothing of the cycle at all, not even the names of its forms
            assert (result.cells, result.measures) == ([], [])
    # A teacher's totals are their own classrooms': "All" is A and nothing else.
    mine = outcomes(world.teachers["A"], world.cycle, min_n=1)
    pre, post = matched(world, "pt", {"A"})
    assert_paired_figures(cell_of(mine, "pt", Level.ALL), pre, post)
    assert not [c for c in mine.cells if c.level == Level.ALL_GRADE]  # one school: no totals across schools


def test_filters_choose_cells_and_measures_without_changing_them(world):
    admin = f.DistrictAdminFactory(district=world.district)
    r = world.rooms
    everything = outcomes(admin, world.cycle, min_n=1)
    by_place = {(c.measure.subscale_id, c.level, c.school_id, c.grade, c.classroom_id): c for c in everything.cells}

    def places(result):
        return [(c.level, c.label) for c in result.cells if c.measure.subscale_key == "pt"]

    school = outcomes(admin, world.cycle, school=world.alder.pk, min_n=1)
    assert places(school) == [
        (Level.SCHOOL, "Alder"),
        (Level.GRADE, "Grade 4"),
        (Level.CLASSROOM, "Room A"),
        (Level.CLASSROOM, "Room B"),
        (Level.GRADE, "Grade 5"),
        (Level.CLASSROOM, "Room C"),
    ]
    grade = outcomes(admin, world.cycle, grade=4, min_n=1)
    assert places(grade) == [
        (Level.ALL_GRADE, "Grade 4, all schools"),
        (Level.GRADE, "Grade 4"),
        (Level.CLASSROOM, "Room A"),
        (Level.CLASSROOM, "Room B"),
        (Level.GRADE, "Grade 4"),
        (Level.CLASSROOM, "Room E"),
    ]
    assert places(outcomes(admin, world.cycle, school=world.birch.pk, grade=4, min_n=1)) == [
        (Level.GRADE, "Grade 4"),
        (Level.CLASSROOM, "Room E"),
    ]
    assert places(outcomes(admin, world.cycle, classroom=r["B"].pk, min_n=1)) == [(Level.CLASSROOM, "Room B")]
    assert outcomes(admin, world.cycle, classroom=f.ClassroomFactory().pk, min_n=1).cells == []
    only_ec = outcomes(admin, world.cycle, subscale="ec", min_n=1)
    assert {c.measure.subscale_key for c in only_ec.cells} == {"ec"}
    assert [
        m.subscale_key for m in outcomes(admin, world.cycle, subscale=only_ec.measures[0].subscale_id, min_n=1).measures
    ] == ["ec"]
    assert outcomes(admin, world.cycle, respondent=Respondent.TEACHER, min_n=1).cells == []
    assert len(outcomes(admin, world.cycle, respondent=Respondent.STUDENT, min_n=1).measures) == 2
    for result in (school, grade, only_ec):
        for c in result.cells:
            same = by_place[(c.measure.subscale_id, c.level, c.school_id, c.grade, c.classroom_id)]
            assert (c.n_matched, c.mean_change, c.hidden) == (same.n_matched, same.mean_change, same.hidden)


# --- suppression -------------------------------------------------------------------------------------------


def test_small_cells_are_hidden_and_nothing_hidden_can_be_worked_out(world, settings):
    """With a threshold of 5: B (4 matched) and C (4) are small; what is shown gives neither back."""
    settings.SUPPRESSION_MIN_N = 5
    admin = f.DistrictAdminFactory(district=world.district)
    result = outcomes(admin, world.cycle)
    assert result.suppression_min_n == 5
    for measure in result.measures:
        cells = result.for_measure(measure)
        b = next(c for c in cells if c.classroom_id == world.rooms["B"].pk)
        assert b.hidden == Hidden.SMALL
        for c in cells:
            if c.shown:
                assert c.n_matched == 0 or c.n_matched >= 5
            else:
                assert (c.n_matched, c.mean_change, c.d_z, c.enrolled, c.mean_pre_unmatched) == (None,) * 5
                assert c.attrition == Attrition.NONE
        # The attacker knows the table's shape and every n shown; no hidden n comes out.
        keys, relations = suppression.tree(
            [(c.school_id, c.grade, c.classroom_id) for c in cells if c.level == Level.CLASSROOM]
        )
        truth = outcomes(admin, world.cycle, subscale=measure.subscale_id, min_n=1).cells
        n = dict(zip(keys, [c.n_matched for c in truth], strict=True))
        shown = {key: c.n_matched for key, c in zip(keys, cells, strict=True) if c.shown}
        hidden = [key for key in keys if key not in shown and n[key] > 0]
        assert hidden
        assert not set(recovered_by_subtraction(shown, relations)) & set(hidden)
        assert not recovered_by_null_space(hidden, relations)


def test_an_anonymous_cell_shows_only_when_both_its_groups_are_big_enough():
    """Room A had six answers before and four after: with a threshold of 5 the four hide it."""
    world = build_world(anonymous=True)
    admin = f.DistrictAdminFactory(district=world.district)
    result = outcomes(admin, world.cycle, min_n=5)
    a = cell_of(result, "ec", Level.CLASSROOM, classroom=world.rooms["A"])
    assert a.hidden == Hidden.SMALL and a.mean_post is None
    for c in result.cells:
        if c.shown:
            groups = [g for g in (c.n_pre, c.n_post) if g]
            assert all(g >= 5 for g in groups)


def test_attrition_figures_need_enough_unmatched_students(world):
    """Alder has one unmatched student (pre only, in A): with a threshold of 3 its matched figures show and
    its attrition figures do not (they would be that student's own score); with no threshold they do."""
    admin = f.SchoolAdminFactory(school=world.alder)
    strict = cell_of(outcomes(admin, world.cycle, min_n=3), "pt", Level.SCHOOL)
    assert strict.shown and strict.n_pre_only == 1
    assert (strict.mean_pre_unmatched, strict.attrition_d, strict.attrition) == (None, None, Attrition.NONE)
    loose = cell_of(outcomes(admin, world.cycle, min_n=1), "pt", Level.SCHOOL)
    assert loose.attrition_d is not None and loose.attrition != Attrition.NONE


# --- dose --------------------------------------------------------------------------------------------------


def test_dose_is_the_sessions_held_and_activities_turned_in_during_the_cycle(world):
    a, b = world.rooms["A"], world.rooms["B"]
    now = world.pre.opens_at + timedelta(hours=12)
    for room, starts, status in (
        (a, now, Session.Status.HELD),
        (a, now + timedelta(hours=1), Session.Status.HELD),
        (a, now + timedelta(hours=2), Session.Status.PLANNED),
        (a, world.pre.opens_at - timedelta(days=3), Session.Status.HELD),  # before the cycle
        (b, now, Session.Status.HELD),
    ):
        f.SessionFactory(classroom=room, starts_at=starts, status=status)
    assignment = f.AssignmentFactory(classroom=a)
    students = [e.student for e in Enrollment.objects.filter(classroom=a)]
    for student, state in zip(students, ("turned_in", "returned", "turned_in", "in_progress"), strict=False):
        f.SubmissionFactory(
            assignment=assignment, student=student, state=state, turned_in_at=None if state == "in_progress" else now
        )
    admin = f.SchoolAdminFactory(school=world.alder)
    result = outcomes(admin, world.cycle, min_n=1)
    assert result.dose_labels == {"sessions_held": "Sessions held", "activities_completed": "Activities turned in"}
    assert cell_of(result, "pt", Level.CLASSROOM, classroom=a).dose == {"sessions_held": 2, "activities_completed": 3}
    assert cell_of(result, "pt", Level.CLASSROOM, classroom=b).dose == {"sessions_held": 1, "activities_completed": 0}
    assert cell_of(result, "pt", Level.SCHOOL).dose == {"sessions_held": 3, "activities_completed": 3}
    assert Submission.objects.filter(assignment=assignment).count() == 4


# --- queries -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [{"A": 3}, {"A": 6, "B": 5, "C": 4, "E": 5}])
def test_the_outcomes_cost_the_same_queries_at_two_sizes(sizes, django_assert_num_queries):
    """Windows, measures, classrooms, scores, responses handed in, and one per dose figure: 7."""
    world = build_world(sizes=sizes)
    admin = f.DistrictAdminFactory(district=world.district)
    with django_assert_num_queries(7):
        result = outcomes(admin, world.cycle, min_n=1)
    assert len(_classrooms(result)) == len(sizes)
