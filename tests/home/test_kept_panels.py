"""Every kept panel of the two home pages (home.dashboards, accounts.data_versions.kept_fragment) names every table
it reads: each query of each panel, drawn for the demo's people, reads only tables of its list (so a model read
later, or a join added to a selector, fails here rather than leaving a panel kept past a write to it); a write of
one of its tables redraws it, a write of none keeps it; each user and language has their own."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import data_versions
from accounts.models import User
from classrooms.models import Session, Theme
from home import dashboards
from peer_counselors.models import Topic
from tests import factories as f
from tests.surveys.test_taking import open_window, save, self_report

DASHBOARD = reverse("dashboard")
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)
STUDENT_PANELS = {"home:survey-cards", "home:classroom-cards", "home:upcoming-sessions", "home:todo", "home:help-card",
                  "home:live-now"}  # fmt: skip
TEACHER_PANELS = {"home:reports-due", "home:managed-classroom-cards", "home:to-mark", "home:to-review",
                  "home:upcoming-sessions"}  # fmt: skip


def tables_read(sql: str) -> set[str]:
    return {t.lower() for t in _READ.findall(sql)}


@pytest.fixture
def panels_read(monkeypatch):
    """The tables each panel's computing read and the tables it is kept by, by panel name."""
    found: dict[str, tuple[set[str], tuple[str, ...]]] = {}

    def recording(user, panels):
        answers = {}
        for name, (tables, compute) in panels.items():
            with CaptureQueriesContext(connection) as captured:
                answers[name] = compute()
            read = set().union(*(tables_read(q["sql"]) for q in captured)) if captured else set()
            found[name] = (found.get(name, (set(), tables))[0] | read, tables)
        return answers

    monkeypatch.setattr(dashboards, "kept_fragments", recording)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, panels",
    [("maple.s1", STUDENT_PANELS), ("maple.s34", STUDENT_PANELS), ("teacher.rivera", TEACHER_PANELS)],
)
def test_each_panel_reads_only_the_tables_it_is_kept_by(client, panels_read, username, panels):
    call_command("seed_demo", stdout=StringIO())
    client.force_login(User.objects.get(username=username))
    for language in ("en", "es"):
        assert client.get(DASHBOARD, headers={"accept-language": language}).status_code == 200
    assert set(panels_read) == panels
    for name, (read, tables) in panels_read.items():
        assert read, name  # the panel queried (the demo gives each something to read)
        assert read <= set(tables), (name, sorted(read - set(tables)))


# --- Through the doors: a write redraws the panels that read its tables and keeps the others -------------------


class Computed(set):
    time_machine = None


@pytest.fixture
def computed(monkeypatch, settings, time_machine):
    """The panels whose computing ran during the last look (the others came from the cache)."""
    settings.FRAGMENT_CACHE = True  # the page itself is drawn every time (PAGE_CACHE off)
    time_machine.move_to(timezone.now(), tick=False)
    ran = Computed()
    ran.time_machine = time_machine
    kept_fragments = data_versions.kept_fragments

    def counted(name, compute):
        def counting():
            ran.add(name)
            return compute()

        return counting

    def watching(user, panels):
        return kept_fragments(user, {name: (tables, counted(name, compute)) for name, (tables, compute) in panels.items()})

    monkeypatch.setattr(dashboards, "kept_fragments", watching)
    return ran


def look(client, computed, language="en") -> tuple[set[str], str]:
    """The panels computed and the page's main part, a moment after the last write: past the clock margin
    (data_versions.CLOCK_MARGIN), since a drawing that begins within it of a write is drawn again at the next look."""
    computed.time_machine.shift(2)
    computed.clear()
    response = client.get(DASHBOARD, headers={"accept-language": language})
    assert response.status_code == 200
    return set(computed), response.text.split("<main", 1)[1]


@pytest.fixture
def school(time_machine):
    classroom = f.ClassroomFactory(grade=4)
    ana, ben = (f.EnrollmentFactory(classroom=classroom).student for _ in range(2))
    form = self_report()
    window = open_window(classroom, form)
    work = f.AssignmentFactory(classroom=classroom, students=[ana, ben], title="Baby diary").submissions.get(student=ana)
    soon = f.SessionFactory(classroom=classroom, starts_at=timezone.now() + timedelta(days=3))
    over = f.SessionFactory(classroom=classroom, starts_at=timezone.now() - timedelta(days=2))
    return {"classroom": classroom, "ana": ana, "ben": ben, "form": form, "window": window, "work": work,
            "soon": soon, "over": over, "teacher": classroom.teachers.get()}  # fmt: skip


def as_(client, user):
    other = type(client)()
    other.force_login(user)
    return other


def later(time_machine) -> None:
    time_machine.shift(2)


@pytest.mark.django_db(transaction=True)
def test_a_students_panels_are_each_redrawn_by_a_write_to_what_they_read(client, computed, school, time_machine):
    client.force_login(school["ana"])
    first, page = look(client, computed)
    assert first == STUDENT_PANELS and "Baby diary" in page
    again, same = look(client, computed)
    assert again == set() and same == page  # every panel kept, the same HTML
    teacher = as_(client, school["teacher"])
    # A family visit's baby weight (classrooms' tables): the classroom panels only.
    later(time_machine)
    family = f.VisitingFamilyFactory(classroom=school["classroom"])
    visit = Session.objects.create(classroom=school["classroom"], kind=Session.Kind.FAMILY_VISIT,
                                   theme=Theme.objects.create(classroom=school["classroom"], number=1, family=family),
                                   starts_at=timezone.now() - timedelta(days=1))  # fmt: skip
    observation = reverse("classrooms:observation", args=[school["classroom"].pk, visit.pk])
    typed = {"weight_kg": "6.1", "length_cm": "", "milestones": "", "feelings_note": ""}
    assert teacher.post(observation, typed).status_code == 302
    assert look(client, computed)[0] == {"home:classroom-cards", "home:upcoming-sessions"}
    # The upcoming session cancelled: gone from the panel. The service counts the classroom's sessions again on its
    # row (classrooms_classroom), which every panel's scope reads: all of them drawn again.
    later(time_machine)
    cancel = reverse("classrooms:session_cancel", args=[school["classroom"].pk, school["soon"].pk])
    assert teacher.post(cancel, {"note": "Snow day"}).status_code == 302
    ran, page = look(client, computed)
    assert ran == STUDENT_PANELS and "Snow day" not in page
    # Her work turned in (curriculum's tables): the To do and the live panel, nothing else.
    later(time_machine)
    turn_in = reverse("curriculum:submission_turn_in", args=[school["work"].pk])
    client.post(turn_in, {"answer_form": "1", "text": "As the baby I see light."})
    ran, page = look(client, computed)
    assert ran == {"home:todo", "home:live-now"} and "Baby diary" not in page.split('id="classes-heading"')[0]
    # Her survey answer: the survey panel.
    later(time_machine)
    assert save(client, school["window"], school["form"], "pt1", "4").status_code == 200
    ran, page = look(client, computed)
    assert ran == {"home:survey-cards"} and "1 answer saved" in page
    # A help request (the peer counselors' tables): the help card.
    later(time_machine)
    asked = client.post(reverse("peer_counselors:ask"), {"topic": Topic.CONFLICT, "text": "Someone took my pencil"})
    assert asked.status_code == 302
    assert look(client, computed)[0] == {"home:help-card"}
    # An enrollment (a scope table of every panel): all of them.
    later(time_machine)
    assert teacher.post(reverse("classrooms:enrollment_remove", args=[school["classroom"].pk, school["ben"].pk])).status_code == 302
    assert look(client, computed)[0] == STUDENT_PANELS


@pytest.mark.django_db(transaction=True)
def test_a_teachers_panels_are_each_redrawn_by_a_write_to_what_they_read(client, computed, school, time_machine):
    client.force_login(school["teacher"])
    first, page = look(client, computed)
    assert first == TEACHER_PANELS and "1 session to mark" in page
    assert look(client, computed) == (set(), page)
    # A student's survey answer: the reports due only.
    later(time_machine)
    assert save(as_(client, school["ana"]), school["window"], school["form"], "pt1", "4").status_code == 200
    assert look(client, computed)[0] == {"home:reports-due"}
    # Work turned in: the work to review appears.
    later(time_machine)
    turn_in = reverse("curriculum:submission_turn_in", args=[school["work"].pk])
    as_(client, school["ana"]).post(turn_in, {"answer_form": "1", "text": "As the baby I see light."})
    ran, page = look(client, computed)
    assert ran == {"home:to-review"} and "1 turned in: Baby diary" in " ".join(page.split())
    # The past session marked held: gone from the To do (the classroom's row counted again: every panel).
    later(time_machine)
    held = reverse("classrooms:session_held", args=[school["classroom"].pk, school["over"].pk])
    assert client.post(held, {"note": "Feelings wheel", "away": []}).status_code == 302
    ran, page = look(client, computed)
    assert ran == TEACHER_PANELS and "session to mark" not in page


@pytest.mark.django_db(transaction=True)
def test_each_user_and_language_has_panels_of_their_own(client, computed, school):
    client.force_login(school["ana"])
    english = look(client, computed)[1]
    spanish = look(client, computed, "es")
    assert spanish[0] == STUDENT_PANELS  # drawn again in Spanish, not served the English ones
    assert look(client, computed, "es") == (set(), spanish[1]) and look(client, computed) == (set(), english)
    assert school["form"].name["es"] in spanish[1]
    client.force_login(school["ben"])
    assert look(client, computed)[0] == STUDENT_PANELS  # a classmate has their own
    client.force_login(school["teacher"])
    assert look(client, computed)[0] == TEACHER_PANELS


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rows", [1, 12])
def test_a_teachers_kept_panels_cost_no_query_whatever_the_classrooms(client, computed, rows):
    """Drawn, the page's fixed number of queries (tests/home/test_dashboards.py); with every panel kept, only the
    signed-in page's own and the latest notifications, for one classroom or twelve."""
    teacher = f.TeacherFactory()
    for _ in range(rows):
        classroom = f.ClassroomFactory(school=teacher.school, teachers=[teacher], students=f.StudentFactory.create_batch(2, school=teacher.school))
        f.SessionFactory(classroom=classroom, starts_at=timezone.now() - timedelta(days=2))  # to mark
    client.force_login(teacher)
    with CaptureQueriesContext(connection) as drawn:
        look(client, computed)
    with CaptureQueriesContext(connection) as kept:
        ran, page = look(client, computed)
    assert len(drawn) <= 11 and ran == set() and len(kept) == 4
    assert page.count("to mark in") == rows


@pytest.mark.django_db(transaction=True)
def test_a_page_kept_around_kept_panels_is_kept_by_their_tables_too(client, computed, school, settings):
    """With the page kept too (PAGE_CACHE): drawn again after her work is turned in, the student's home takes its
    help card from the fragment cache, so that drawing queries no help table; the page is still kept by the help
    tables (kept_fragments counts a panel's tables as read), and her own help request, next, redraws it with the
    request on the card."""
    settings.PAGE_CACHE = True
    settings.NOTIFICATIONS_UNREAD_CACHE = True
    client.force_login(school["ana"])
    assert look(client, computed)[0] == STUDENT_PANELS
    assert look(client, computed)[0] == set()  # the page kept
    turn_in = reverse("curriculum:submission_turn_in", args=[school["work"].pk])
    client.post(turn_in, {"answer_form": "1", "text": "As the baby I see light."})
    computed.time_machine.shift(2)
    with CaptureQueriesContext(connection) as drawing:
        assert look(client, computed)[0] == {"home:todo", "home:live-now"}  # with the "turned in" message: not kept
    assert not [q for q in drawing.captured_queries if "peer_counselors_" in q["sql"]]  # the help card was kept
    with CaptureQueriesContext(connection) as drawing:
        assert look(client, computed)[0] == set()  # drawn of kept panels alone, and kept
    # The session, the user and her classrooms: the page is kept by those of its work (accounts.data_versions).
    assert len(drawing.captured_queries) == 3 and "classrooms_enrollment" in drawing.captured_queries[2]["sql"]
    asked = client.post(reverse("peer_counselors:ask"), {"topic": Topic.CONFLICT, "text": "Someone took my pencil"})
    assert asked.status_code == 302
    ran, page = look(client, computed)
    assert ran == {"home:help-card"} and "My request (1 open)" in page
