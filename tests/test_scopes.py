"""The role matrix: what every scope lets every persona see, against one table of the whole policy.

The world is ``access_world`` (tests/access.py): districts D1 (schools A, B) and D2 (school C), classrooms
A1 and A2 (school A), B1 (school B) and C1 (school C), each with a session, a theme, a family and a pupil.
A session, theme or family is labelled by its classroom ("A1"); a school by its letter; a student and a
notification by whose they are (a persona's name, "A1-pupil", "A1-leaver" who left A1 last month...).
"""

import inspect

import pytest
from django.contrib.auth.models import AnonymousUser

import accounts.permissions
import classrooms.permissions
import curriculum.permissions
import notifications.permissions
import peer_counselors.permissions
import surveys.permissions
from accounts import request_memo
from accounts.models import School, User
from classrooms.models import Classroom, Session, Theme, VisitingFamily
from classrooms.permissions import classroom_manage_scope, classroom_scope, classroom_scope_union
from curriculum.live import selectors as live_selectors
from curriculum.models import (
    CircleCard,
    CircleTurn,
    DilemmaVote,
    Lesson,
    LiveGroup,
    LiveMember,
    LiveRun,
    PuzzleAnswer,
    PuzzlePart,
    Restatement,
    Story,
    StoryRead,
)
from curriculum.permissions import lesson_manage_scope, lesson_scope
from notifications.models import Notification
from peer_counselors.models import CounselorProfile, DutyPeriod, HelpDesk, HelpMessage, HelpRequest, HelpRequestEvent
from surveys.models import (
    AnonymousParticipation,
    Answer,
    Instrument,
    Respondent,
    Response,
    Score,
    SurveyCycle,
    SurveyWindow,
)
from tests.access import PERSONAS
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    InstrumentFactory,
    SchoolFactory,
    StudentFactory,
    SurveyCycleFactory,
    SurveyWindowFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["subqueries", "listed"], autouse=True)
def scope_form(request):
    """Every test here twice: the scopes as defined (outside a request), and as a request builds them once it has
    listed its user's classrooms (accounts.request_memo, classrooms.permissions._listed: plain lists of pks)."""
    if request.param == "subqueries":
        yield
        return
    with request_memo.opened(eager=True):
        yield

PERMISSION_MODULES = (accounts.permissions, classrooms.permissions, notifications.permissions)

SCOPE_MODELS = {
    "school_scope": School,
    "classroom_scope": Classroom,
    "classroom_manage_scope": Classroom,
    "session_scope": Session,
    "session_manage_scope": Session,
    "theme_scope": Theme,
    "theme_manage_scope": Theme,
    "visiting_family_scope": VisitingFamily,
    "visiting_family_manage_scope": VisitingFamily,
    "visiting_family_contact_scope": VisitingFamily,
    "student_scope": User,
    "notification_scope": Notification,
}

NONE = frozenset()


def reads(rooms, manages=NONE, contacts=None):
    """A classroom scope and the scopes of its sessions, themes and families, which follow it exactly; and
    the families whose contact details show: the managed ones unless ``contacts`` says more."""
    rows = {}
    for model in ("classroom", "session", "theme", "visiting_family"):
        rows[f"{model}_scope"] = set(rooms)
        rows[f"{model}_manage_scope"] = set(manages)
    rows["visiting_family_contact_scope"] = set(manages if contacts is None else contacts)
    return rows


# The policy. Every persona has a row for every scope: an empty set is written, never left out.
EXPECTED = {
    "anonymous": {"school_scope": NONE, **reads(NONE), "student_scope": NONE, "notification_scope": NONE},
    # Switched off: the account teaches A1 and has a notification, and sees neither.
    "inactive": {"school_scope": NONE, **reads(NONE), "student_scope": NONE, "notification_scope": NONE},
    "student": {"school_scope": {"A"}, **reads({"A1"}), "student_scope": NONE, "notification_scope": {"student"}},
    "other_student": {
        "school_scope": {"A"}, **reads({"A2"}), "student_scope": NONE, "notification_scope": {"other_student"},
    },
    # A teacher looks after the current students of A1: not the one who left it.
    "teacher": {
        "school_scope": {"A"}, **reads({"A1"}, manages={"A1"}),
        "student_scope": {"student", "A1-pupil"}, "notification_scope": {"teacher"},
    },
    "other_school_teacher": {
        "school_scope": {"B"}, **reads({"B1"}, manages={"B1"}),
        "student_scope": {"B1-pupil"}, "notification_scope": {"other_school_teacher"},
    },
    # Leading A1's family visits opens A1, read-only, and none of its students; and the family's contacts, to call them.
    "visit_instructor": {
        "school_scope": {"A"}, **reads({"A1"}, contacts={"A1"}), "student_scope": NONE, "notification_scope": {"visit_instructor"},
    },
    "counselor": {"school_scope": {"A"}, **reads(NONE), "student_scope": NONE, "notification_scope": {"counselor"}},
    # Every student of the school, enrolled anywhere or nowhere.
    "school_admin": {
        "school_scope": {"A"}, **reads({"A1", "A2"}, manages={"A1", "A2"}),
        "student_scope": {"student", "other_student", "A1-pupil", "A2-pupil", "A1-leaver", "A-extra", "A-former-hat"},
        "notification_scope": {"school_admin"},
    },
    "other_school_admin": {
        "school_scope": {"B"}, **reads({"B1"}, manages={"B1"}),
        "student_scope": {"B1-pupil", "B-extra"}, "notification_scope": {"other_school_admin"},
    },
    # The district's schools and classrooms, read-only, and no student.
    "district_admin": {
        "school_scope": {"A", "B"}, **reads({"A1", "A2", "B1"}),
        "student_scope": NONE, "notification_scope": {"district_admin"},
    },
    "other_district_admin": {
        "school_scope": {"C"}, **reads({"C1"}), "student_scope": NONE, "notification_scope": {"other_district_admin"},
    },
}

# --- The curriculum's lesson scopes (curriculum.permissions), labelled as tests/access.py labels lessons: the
# shipped library "library", a teacher's own lesson by their classroom. Every adult with a school or district
# browses the library; a teacher's own lesson is theirs alone; students never browse it.
CURRICULUM_SCOPE_MODELS = {"lesson_scope": Lesson, "lesson_manage_scope": Lesson}
LIBRARY = {"library"}
CURRICULUM_EXPECTED = {
    "anonymous": {"lesson_scope": NONE, "lesson_manage_scope": NONE},
    "inactive": {"lesson_scope": NONE, "lesson_manage_scope": NONE},
    "student": {"lesson_scope": NONE, "lesson_manage_scope": NONE},
    "other_student": {"lesson_scope": NONE, "lesson_manage_scope": NONE},
    "teacher": {"lesson_scope": LIBRARY | {"A1"}, "lesson_manage_scope": {"A1"}},
    "other_school_teacher": {"lesson_scope": LIBRARY | {"B1"}, "lesson_manage_scope": {"B1"}},
    "visit_instructor": {"lesson_scope": LIBRARY, "lesson_manage_scope": NONE},
    "counselor": {"lesson_scope": LIBRARY, "lesson_manage_scope": NONE},
    "school_admin": {"lesson_scope": LIBRARY, "lesson_manage_scope": NONE},
    "other_school_admin": {"lesson_scope": LIBRARY, "lesson_manage_scope": NONE},
    "district_admin": {"lesson_scope": LIBRARY, "lesson_manage_scope": NONE},
    "other_district_admin": {"lesson_scope": LIBRARY, "lesson_manage_scope": NONE},
}

# --- Live class practice (curriculum.permissions' live_* scopes), labelled as tests/access.py's ``_live_runs``
# labels them: a run by its classroom, A1's one group "A1-g1", a member by whose it is. A student takes part in
# their classroom's run and sees their own group; the classroom's teachers and the school's admin lead it.
LIVE_SCOPE_MODELS = {
    "live_run_scope": LiveRun, "live_run_join_scope": LiveRun, "live_run_manage_scope": LiveRun, "live_group_scope": LiveGroup,
    "live_member_scope": LiveMember,
}  # fmt: skip


def live_row(*, runs=NONE, leads=NONE, groups=NONE, members=NONE) -> dict:
    # live_run_join_scope is live_run_scope written as joins: the same runs.
    return {
        "live_run_scope": set(runs), "live_run_join_scope": set(runs), "live_run_manage_scope": set(leads),
        "live_group_scope": set(groups), "live_member_scope": set(members),
    }  # fmt: skip


A1_MEMBERS = {"student", "A1-pupil"}
LIVE_EXPECTED = {
    "anonymous": live_row(),
    "inactive": live_row(),
    "student": live_row(runs={"A1"}, groups={"A1-g1"}, members=A1_MEMBERS),
    "other_student": live_row(runs={"A2"}),
    "teacher": live_row(runs={"A1"}, leads={"A1"}, groups={"A1-g1"}, members=A1_MEMBERS),
    "other_school_teacher": live_row(runs={"B1"}, leads={"B1"}, members={"B1-pupil"}),
    "visit_instructor": live_row(),
    "counselor": live_row(),
    "school_admin": live_row(runs={"A1", "A2"}, leads={"A1", "A2"}, groups={"A1-g1"}, members=A1_MEMBERS),
    "other_school_admin": live_row(runs={"B1"}, leads={"B1"}, members={"B1-pupil"}),
    "district_admin": live_row(),
    "other_district_admin": live_row(),
}
for _persona, _row in LIVE_EXPECTED.items():
    CURRICULUM_EXPECTED[_persona] = CURRICULUM_EXPECTED[_persona] | _row

# --- What the live kinds record (curriculum.permissions' dilemma, circle and puzzle scopes), labelled as
# tests/access.py's ``_live_runs_done`` labels them: A1's closed runs, where the student and A1's pupil voted
# ("student", "A1-pupil"), the student said back the pupil's reason ("A1-student-restates"), spoke while the
# pupil summed up ("A1-turn"), wrote closing cards, held puzzle parts, and their group answered ("A1-g1").
# A student sees their own vote and card, the restatements they wrote or that are of their reason, and their
# group's turns, parts and answer; the run's leaders see all; nobody else anything (A2's student neither).
KIND_SCOPE_MODELS = {
    "dilemma_vote_scope": DilemmaVote, "restatement_scope": Restatement, "circle_turn_scope": CircleTurn,
    "circle_card_scope": CircleCard, "puzzle_part_scope": PuzzlePart, "puzzle_answer_scope": PuzzleAnswer,
}  # fmt: skip
PAIR = {"student", "A1-pupil"}


def kinds_row(*, votes=NONE, restatements=NONE, turns=NONE, cards=NONE, parts=NONE, answers=NONE) -> dict:
    return {
        "dilemma_vote_scope": set(votes), "restatement_scope": set(restatements), "circle_turn_scope": set(turns),
        "circle_card_scope": set(cards), "puzzle_part_scope": set(parts), "puzzle_answer_scope": set(answers),
    }  # fmt: skip


A1_LEADS = kinds_row(votes=PAIR, restatements={"A1-student-restates"}, turns={"A1-turn"}, cards=PAIR, parts=PAIR, answers={"A1-g1"})
KINDS_EXPECTED = {
    "anonymous": kinds_row(),
    "inactive": kinds_row(),
    "student": kinds_row(
        votes={"student"}, restatements={"A1-student-restates"}, turns={"A1-turn"}, cards={"student"}, parts=PAIR,
        answers={"A1-g1"},
    ),  # fmt: skip
    "other_student": kinds_row(),
    "teacher": A1_LEADS,
    "other_school_teacher": kinds_row(),
    "visit_instructor": kinds_row(),
    "counselor": kinds_row(),
    "school_admin": A1_LEADS,
    "other_school_admin": kinds_row(),
    "district_admin": kinds_row(),
    "other_district_admin": kinds_row(),
}
for _persona, _row in KINDS_EXPECTED.items():
    CURRICULUM_EXPECTED[_persona] = CURRICULUM_EXPECTED[_persona] | _row

# --- The story wall (curriculum.permissions' story scopes), labelled as tests/access.py's ``_stories`` labels
# them: each pupil's approved, shared story by its classroom, the A1 student's own ("A1-student", for their class
# alone), and the student's read of A1's ("student"). A1 and A2 are of one school, year and band.
STORY_SCOPE_MODELS = {"story_scope": Story, "story_moderate_scope": Story, "story_read_scope": StoryRead}


def story_row(*, reads=NONE, moderates=NONE, counts=NONE) -> dict:
    return {"story_scope": set(reads), "story_moderate_scope": set(moderates), "story_read_scope": set(counts)}


STORY_EXPECTED = {
    "anonymous": story_row(),
    "inactive": story_row(),
    # Their class's wall (their own story too), and A2's, shared onto it
    "student": story_row(reads={"A1", "A1-student", "A2"}, counts={"student"}),
    # A2's wall, and A1's pupil's, shared onto it (never the A1 student's, kept to their class)
    "other_student": story_row(reads={"A1", "A2"}),
    "teacher": story_row(reads={"A1", "A1-student", "A2"}, moderates={"A1", "A1-student"}, counts={"student"}),
    "other_school_teacher": story_row(reads={"B1"}, moderates={"B1"}),
    "visit_instructor": story_row(),
    "counselor": story_row(),
    # The class's reading figures, never a story
    "school_admin": story_row(counts={"student"}),
    "other_school_admin": story_row(),
    "district_admin": story_row(),
    "other_district_admin": story_row(),
}
for _persona, _row in STORY_EXPECTED.items():
    CURRICULUM_EXPECTED[_persona] = CURRICULUM_EXPECTED[_persona] | _row

# --- The surveys' scopes (surveys.permissions), labelled as tests/access.py labels them: a school's cycle and
# its open window by the school ("A"), a classroom teacher's own anonymous cycle and its closed window by the
# classroom ("A1"); a response, its answers and an anonymous participation by whose they are ("student",
# "A1-pupil"; an anonymous response "anonymous", nobody's); a score by its classroom; the world's self-report
# "access-form", the other shipped instruments "shipped", a school's own instrument by the school.
SURVEYS_SCOPE_MODELS = {
    "instrument_scope": Instrument,
    "instrument_manage_scope": Instrument,
    "cycle_scope": SurveyCycle,
    "cycle_manage_scope": SurveyCycle,
    "window_scope": SurveyWindow,
    "window_manage_scope": SurveyWindow,
    "response_scope": Response,
    "answer_scope": Answer,
    "anonymous_participation_scope": AnonymousParticipation,
    "score_scope": Score,
}
FORMS = {"access-form", "shipped"}


def surveys_row(*, instruments=NONE, manages_instruments=NONE, cycles=NONE, manages=NONE, own=NONE, scores=NONE):
    """A persona's surveys row: the windows follow their cycles (one window each), the answers their responses."""
    return {
        "instrument_scope": set(instruments), "instrument_manage_scope": set(manages_instruments),
        "cycle_scope": set(cycles), "cycle_manage_scope": set(manages),
        "window_scope": set(cycles), "window_manage_scope": set(manages),
        "response_scope": set(own), "answer_scope": set(own), "anonymous_participation_scope": set(own),
        "score_scope": set(scores),
    }


SURVEYS_EXPECTED = {
    "anonymous": surveys_row(),
    "inactive": surveys_row(),
    # A student: the forms they answer of the windows given to their classroom (never the teacher report), those
    # windows and cycles, their own responses and participations; never a score, not even their own.
    "student": surveys_row(instruments={"access-form"}, cycles={"A", "A1"}, own={"student"}),
    "other_student": surveys_row(instruments={"access-form"}, cycles={"A", "A2"}, own={"other_student"}),
    # A teacher: the school's cycle given to their classroom (read), their own cycle (managed), their classroom's scores.
    "teacher": surveys_row(instruments=FORMS | {"A"}, cycles={"A", "A1"}, manages={"A1"}, scores={"A1"}),
    "other_school_teacher": surveys_row(instruments=FORMS | {"B"}, cycles={"B", "B1"}, manages={"B1"}, scores={"B1"}),
    # Adults who follow no survey: the forms only.
    "visit_instructor": surveys_row(instruments=FORMS | {"A"}),
    "counselor": surveys_row(instruments=FORMS | {"A"}),
    # A school's admin manages every cycle of the school and reads its scores; nobody's answers.
    "school_admin": surveys_row(
        instruments=FORMS | {"A"}, manages_instruments={"A"}, cycles={"A", "A1", "A2"}, manages={"A", "A1", "A2"},
        scores={"A1", "A2"},
    ),
    "other_school_admin": surveys_row(
        instruments=FORMS | {"B"}, manages_instruments={"B"}, cycles={"B", "B1"}, manages={"B", "B1"}, scores={"B1"},
    ),
    # A district's admin reads the district's cycles and scores, and changes none.
    "district_admin": surveys_row(
        instruments=FORMS | {"A", "B"}, cycles={"A", "A1", "A2", "B", "B1"}, scores={"A1", "A2", "B1"},
    ),
    "other_district_admin": surveys_row(instruments=FORMS | {"C"}, cycles={"C", "C1"}, scores={"C1"}),
}
SURVEYS_GATES = {
    "can_browse_instruments": {
        "teacher", "other_school_teacher", "visit_instructor", "counselor", "school_admin", "other_school_admin",
        "district_admin", "other_district_admin",
    },
    "can_open_windows": {"teacher", "other_school_teacher", "school_admin", "other_school_admin"},
    "can_import_instruments": {"school_admin", "other_school_admin"},
    "can_see_outcomes": {
        "teacher", "other_school_teacher", "school_admin", "other_school_admin", "district_admin", "other_district_admin",
    },
    "can_export_student_level": {"school_admin", "other_school_admin", "district_admin", "other_district_admin"},
    "can_see_district_outcomes": {"district_admin", "other_district_admin"},
}

# Peer counselors: each scope's model, and what each persona sees (tests/access.py's ``_peer_counselors``).
PEER_SCOPE_MODELS = {
    "help_request_scope": HelpRequest,
    "peer_request_scope": HelpRequest,
    "help_request_supervise_scope": HelpRequest,
    "help_message_scope": HelpMessage,
    "help_event_scope": HelpRequestEvent,
    "counselor_profile_scope": CounselorProfile,
    "counselor_profile_manage_scope": CounselorProfile,
    "duty_period_scope": DutyPeriod,
    "duty_period_manage_scope": DutyPeriod,
    "help_desk_manage_scope": HelpDesk,
    "roster_candidate_scope": User,
    "help_request_export_scope": HelpRequest,
}


def peer_row(*, requests=NONE, peer=NONE, supervises=NONE, messages=NONE, profiles=NONE, manages_profiles=NONE,
             periods=NONE, manages_periods=NONE, desk=NONE, candidates=NONE, exports=NONE):
    return {
        "help_request_scope": set(requests), "peer_request_scope": set(peer),
        "help_request_supervise_scope": set(supervises), "help_message_scope": set(messages),
        "help_event_scope": set(supervises), "counselor_profile_scope": set(profiles),
        "counselor_profile_manage_scope": set(manages_profiles), "duty_period_scope": set(periods),
        "duty_period_manage_scope": set(manages_periods), "help_desk_manage_scope": set(desk),
        "roster_candidate_scope": set(candidates), "help_request_export_scope": set(exports),
    }


# A school's counselors: every request of the school, flagged ones too, its log, its whole roster, and the names of
# the students they may add to it (the school's active students who are no orange hat yet).
_SUPERVISOR = peer_row(
    requests={"A1", "A1-flagged"}, supervises={"A1", "A1-flagged"}, messages={"A1"},
    profiles={"other_student", "A-inactive"}, manages_profiles={"other_student", "A-inactive"},
    periods={"A"}, manages_periods={"A"}, desk={"A"},
    candidates={"student", "A1-pupil", "A2-pupil", "A1-leaver", "A-extra"},
)
PEER_EXPECTED = {
    "anonymous": peer_row(),
    "inactive": peer_row(),
    # The student who asked: their request and its messages; the school's active orange hats by name.
    "student": peer_row(requests={"A1"}, messages={"A1"}, profiles={"other_student"}, periods={"A"}),
    # An orange hat: the request offered to them (never the flagged one), its messages, their own profile.
    "other_student": peer_row(
        requests={"A1"}, peer={"A1"}, messages={"A1"}, profiles={"other_student"}, periods={"A"}
    ),
    # Teachers and admins: no request at all (aggregates only); the school's periods; an admin keeps the help desk.
    "teacher": peer_row(periods={"A"}),
    "other_school_teacher": peer_row(periods={"B"}),
    "visit_instructor": _SUPERVISOR,
    "counselor": _SUPERVISOR,
    # A school's admin exports (or anonymises) one student's requests at a time, audited: the school's, as a file.
    "school_admin": peer_row(periods={"A"}, desk={"A"}, exports={"A1", "A1-flagged"}),
    "other_school_admin": peer_row(periods={"B"}, desk={"B"}, exports={"B1"}),
    "district_admin": peer_row(),
    "other_district_admin": peer_row(),
}
PEER_GATES = {
    "can_ask_for_help": {"student", "other_student"},
    "can_see_help_aggregates": {
        "visit_instructor", "counselor", "school_admin", "other_school_admin", "district_admin", "other_district_admin",
    },
    "can_export_student_help": {"school_admin", "other_school_admin"},
}

# The role gates: pages that are not about one object (the reports, the roster import, a new classroom).
EXPECTED_GATES = {
    "can_see_reports": {"school_admin", "other_school_admin", "district_admin", "other_district_admin"},
    "can_import_roster": {"school_admin", "other_school_admin"},
    "can_create_classroom": {"teacher", "other_school_teacher"},
}


def scope_functions(modules=PERMISSION_MODULES) -> dict:
    """Every ``*_scope`` function defined in the permissions modules, by name."""
    return {
        name: function
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.endswith("_scope") and function.__module__ == module.__name__
    }


def role_gates(modules=PERMISSION_MODULES) -> dict:
    """Every ``can_*(user)`` function of the permissions modules (a check about one object takes more)."""
    return {
        name: function
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.startswith("can_") and function.__module__ == module.__name__
        and list(inspect.signature(function).parameters) == ["user"]
    }


def user_of(world, persona):
    return world.people[persona] or AnonymousUser()


def table_mismatches(world, module, models: dict, expected: dict) -> str:
    """Where a module's scopes and a table part: each persona times each scope must match the table, with all the
    objects of a label and each once (the scopes named in ``models``). "" when they agree."""
    wrong = []
    for persona in PERSONAS:
        user = user_of(world, persona)
        for name, scope in scope_functions((module,)).items():
            if name not in models:
                continue
            model = models[name]
            rows = list(model.objects.filter(scope(user)).values_list("pk", flat=True))
            matched = {(model, pk) for pk in rows}
            seen = {world.labels.get(key, f"unlabelled {key}") for key in matched}
            wanted_labels = set(expected[persona][name])
            wanted = {key for key, label in world.labels.items() if key[0] is model and label in wanted_labels}
            if seen != wanted_labels:
                wrong.append(f"{persona} / {name}: sees {sorted(seen)}, the table says {sorted(wanted_labels)}")
            elif matched != wanted:
                wrong.append(f"{persona} / {name}: sees only some of {sorted(wanted_labels)}")
            elif len(rows) != len(matched):
                wrong.append(f"{persona} / {name}: repeats rows")
    return "\n".join(wrong)


def gate_mismatches(world, module, expected: dict) -> str:
    """Where a module's role gates let through other personas than the table says. "" when they agree."""
    wrong = []
    for name, gate in role_gates((module,)).items():
        passing = {persona for persona in PERSONAS if gate(user_of(world, persona))}
        if passing != expected[name]:
            wrong.append(f"{name}: lets through {sorted(passing)}, the table says {sorted(expected[name])}")
    return "\n".join(wrong)


def test_every_scope_and_gate_has_its_row_for_every_persona():
    """A new scope or gate cannot be added without saying, in the table, what each persona gets."""
    scopes = scope_functions()
    assert set(scopes) == set(SCOPE_MODELS), "scopes without a model here, or models of no scope"
    assert set(EXPECTED) == set(PERSONAS)
    for persona, row in EXPECTED.items():
        assert set(row) == set(scopes), f"{persona}'s row lacks {set(scopes) - set(row)} or has stale {set(row) - set(scopes)}"
    assert set(EXPECTED_GATES) == set(role_gates())


def test_each_persona_sees_exactly_what_the_table_says(access_world):
    """Every persona times every scope matches the table, and no scope repeats a row."""
    wrong = []
    checked = 0
    for persona in PERSONAS:
        user = user_of(access_world, persona)
        for name, scope in scope_functions().items():
            model = SCOPE_MODELS[name]
            rows = list(model.objects.filter(scope(user)))
            matched = {(model, obj.pk) for obj in rows}
            seen = {access_world.labels.get(key, f"unlabelled {key}") for key in matched}
            expected = set(EXPECTED[persona][name])
            # Every object carrying an expected label, not one of them: A1 has two sessions.
            wanted = {key for key, label in access_world.labels.items() if key[0] is model and label in expected}
            if seen != expected:
                wrong.append(f"{persona} / {name}: sees {sorted(seen)}, the table says {sorted(expected)}")
            elif matched != wanted:
                wrong.append(f"{persona} / {name}: sees only some of {sorted(expected)}")
            elif len(rows) != len(matched):
                wrong.append(f"{persona} / {name}: repeats rows ({len(rows)} rows, {len(matched)} objects)")
            checked += 1
    print(f"{checked} persona x scope pairs checked")
    assert not wrong, "\n".join(wrong)


def test_each_persona_passes_exactly_the_gates_the_table_says(access_world):
    """The role gates let through the personas listed and nobody else."""
    wrong = []
    for name, gate in role_gates().items():
        passing = {persona for persona in PERSONAS if gate(user_of(access_world, persona))}
        if passing != EXPECTED_GATES[name]:
            wrong.append(f"{name}: lets through {sorted(passing)}, the table says {sorted(EXPECTED_GATES[name])}")
    assert not wrong, "\n".join(wrong)


def test_the_union_form_of_the_classroom_scope_finds_the_same_classrooms_for_every_persona(access_world):
    """``classroom_scope_union`` (one lookup per link, for fast reads by classroom) is ``classroom_scope``."""
    for persona in PERSONAS:
        user = user_of(access_world, persona)
        by_scope = set(Classroom.objects.filter(classroom_scope(user)).values_list("pk", flat=True))
        by_union = list(Classroom.objects.filter(pk__in=classroom_scope_union(user)).values_list("pk", flat=True))
        assert set(by_union) == by_scope and len(by_union) == len(by_scope), persona


# Issue 10, point 2: adults (and students) kept access to their old school after moving.
@pytest.mark.parametrize("link", ["teacher", "student", "instructor"])
def test_someone_moved_to_another_school_no_longer_opens_the_old_schools_classroom(link):
    """A teacher, student or visit instructor who moved to another school loses the classroom they left behind."""
    old_school = SchoolFactory()
    classroom = ClassroomFactory(school=old_school)
    if link == "teacher":
        person = classroom.teachers.get()
    elif link == "student":
        person = StudentFactory(school=old_school)
        classroom.enrollments.create(student=person)
    else:
        person = CounselorFactory(school=old_school)
        ThemeFactory(classroom=classroom, number=1, instructor=person)
    person.school = SchoolFactory(district=old_school.district)
    person.save(update_fields=["school"])
    assert not Classroom.objects.filter(classroom_scope(person)).exists()
    assert not Classroom.objects.filter(classroom_manage_scope(person)).exists()


def test_each_persona_sees_exactly_the_lessons_the_curriculum_table_says(access_world):
    """The shipped library for every adult with a school or district, a teacher's own lesson for that teacher alone."""
    assert set(CURRICULUM_EXPECTED) == set(PERSONAS)
    assert Lesson.objects.filter(owner__isnull=True).exists(), "the shipped library is loaded at migrate"
    wrong = []
    for persona in PERSONAS:
        user = user_of(access_world, persona)
        for name, scope in (("lesson_scope", lesson_scope), ("lesson_manage_scope", lesson_manage_scope)):
            matched = {(Lesson, pk) for pk in Lesson.objects.filter(scope(user)).values_list("pk", flat=True)}
            seen = {access_world.labels.get(key, f"unlabelled {key}") for key in matched}
            expected = set(CURRICULUM_EXPECTED[persona][name])
            wanted = {key for key, label in access_world.labels.items() if key[0] is Lesson and label in expected}
            if seen != expected or matched != wanted:
                wrong.append(f"{persona} / {name}: sees {sorted(seen)}, the table says {sorted(expected)}")
    assert not wrong, "\n".join(wrong)


def test_every_survey_scope_and_gate_has_its_row_for_every_persona():
    """A new scope or gate of surveys.permissions cannot be added without saying what each persona gets."""
    scopes = scope_functions((surveys.permissions,))
    assert set(scopes) == set(SURVEYS_SCOPE_MODELS)
    assert set(SURVEYS_EXPECTED) == set(PERSONAS)
    for persona, row in SURVEYS_EXPECTED.items():
        assert set(row) == set(scopes), persona
    assert set(SURVEYS_GATES) == set(role_gates((surveys.permissions,)))


def test_each_persona_sees_exactly_the_survey_rows_the_table_says(access_world):
    """Every persona times every survey scope matches the table (all the objects of a label, and each once)."""
    assert Score.objects.filter(student__isnull=True).exists(), "the world's anonymous cycles have scores"
    assert not table_mismatches(access_world, surveys.permissions, SURVEYS_SCOPE_MODELS, SURVEYS_EXPECTED)


def test_each_persona_passes_exactly_the_survey_gates_the_table_says(access_world):
    assert not gate_mismatches(access_world, surveys.permissions, SURVEYS_GATES)


def test_a_student_never_sees_the_teacher_report_given_about_their_class():
    """A window given to a class with a teacher report: its students see their own form, never the teacher's."""
    classroom = ClassroomFactory()
    student = StudentFactory(school=classroom.school)
    classroom.enrollments.create(student=student)
    own = InstrumentFactory(respondent=Respondent.STUDENT)
    peer = InstrumentFactory(respondent=Respondent.PEER)
    about_them = InstrumentFactory(respondent=Respondent.TEACHER)
    SurveyWindowFactory(
        cycle=SurveyCycleFactory(school=classroom.school), instruments=[own, peer, about_them], classrooms=[classroom]
    )
    assert set(Instrument.objects.filter(surveys.permissions.instrument_scope(student))) == {own, peer}


def test_every_peer_counselor_scope_and_gate_has_its_row_for_every_persona():
    """A new scope or gate of peer_counselors.permissions cannot be added without saying what each persona gets."""
    scopes = scope_functions((peer_counselors.permissions,))
    assert set(scopes) == set(PEER_SCOPE_MODELS)
    assert set(PEER_EXPECTED) == set(PERSONAS)
    for persona, row in PEER_EXPECTED.items():
        assert set(row) == set(scopes), persona
    assert set(PEER_GATES) == set(role_gates((peer_counselors.permissions,)))


def test_each_persona_sees_exactly_the_peer_counselor_rows_the_table_says(access_world):
    """Every persona times every peer-counselor scope matches the table (all the objects of a label, and each once)."""
    assert not table_mismatches(access_world, peer_counselors.permissions, PEER_SCOPE_MODELS, PEER_EXPECTED)


def test_each_persona_passes_exactly_the_peer_counselor_gates_the_table_says(access_world):
    assert not gate_mismatches(access_world, peer_counselors.permissions, PEER_GATES)


def test_each_persona_sees_exactly_the_live_practice_rows_the_table_says(access_world):
    """A student their classroom's run and their own group; its leaders all of it; nobody else anything."""
    live = {name for name in scope_functions((curriculum.permissions,)) if name.startswith("live_")}
    assert live == set(LIVE_SCOPE_MODELS), "a live scope without its row here"
    assert not table_mismatches(access_world, curriculum.permissions, LIVE_SCOPE_MODELS, LIVE_EXPECTED)


def test_each_persona_sees_exactly_the_story_wall_rows_the_table_says(access_world):
    """A student their class's wall and what is shared onto it; the class's teacher moderates; admins count reads."""
    stories = {name for name in scope_functions((curriculum.permissions,)) if name.startswith("story_")}
    assert stories == set(STORY_SCOPE_MODELS), "a story scope without its row here"
    assert set(STORY_EXPECTED) == set(PERSONAS)
    assert not table_mismatches(access_world, curriculum.permissions, STORY_SCOPE_MODELS, STORY_EXPECTED)


def test_each_persona_sees_exactly_what_the_live_kinds_recorded_as_the_table_says(access_world):
    """Votes, restatements, circle turns and cards, puzzle parts and answers: their own people and the run's leaders."""
    kinds = {
        name for name in scope_functions((curriculum.permissions,))
        if name.startswith(("dilemma_", "restatement_", "circle_", "puzzle_"))
    }  # fmt: skip
    assert kinds == set(KIND_SCOPE_MODELS), "a live kind's scope without its row here"
    assert set(KINDS_EXPECTED) == set(PERSONAS)
    assert not table_mismatches(access_world, curriculum.permissions, KIND_SCOPE_MODELS, KINDS_EXPECTED)


def test_the_run_bound_forms_of_the_member_and_turn_scopes_find_the_same_rows_for_every_persona_and_run(access_world):
    """``live_members_of_run`` and ``circle_turns_of_run`` (a live page's lookups on one run, issue 15) are
    ``live_member_scope`` and ``circle_turn_scope`` within the run: for a run the persona opened (through their
    scope, as the live pages fetch it) and for one they did not (which falls back to the general scope)."""
    runs = list(LiveRun.objects.order_by("pk"))
    assert CircleTurn.objects.exists() and LiveMember.objects.filter(group__isnull=False).exists()
    checked = 0
    for persona in PERSONAS:
        user = user_of(access_world, persona)
        for run in runs:
            opened = [live_selectors.run_opened(user, run.pk, lead=lead) for lead in (False, True)] if user.is_authenticated else []
            for form in [r for r in opened if r is not None] + [LiveRun.objects.get(pk=run.pk)]:
                members = list(LiveMember.objects.filter(curriculum.permissions.live_members_of_run(user, form)).values_list("pk", flat=True))
                assert sorted(members) == sorted(
                    LiveMember.objects.filter(curriculum.permissions.live_member_scope(user), run=run).values_list("pk", flat=True)
                ), (persona, run.pk)
                # The twin in Python that narrows the run's rows kept under its version (live_members_seen_in, for
                # members_seen), and what members_seen answers, whichever way it reads them: the same members.
                every = list(LiveMember.objects.filter(run=run).order_by("pk"))
                if curriculum.permissions.opened_here(form, user):
                    assert sorted(m.pk for m in curriculum.permissions.live_members_seen_in(user, form, every)) == sorted(members), (persona, run.pk)
                assert sorted(m.pk for m in live_selectors.members_seen(form, user)) == sorted(members), (persona, run.pk)
                turns = list(CircleTurn.objects.filter(curriculum.permissions.circle_turns_of_run(user, form)).values_list("pk", flat=True))
                assert sorted(turns) == sorted(
                    CircleTurn.objects.filter(curriculum.permissions.circle_turn_scope(user), run=run).values_list("pk", flat=True)
                ), (persona, run.pk)
                checked += 1
    # A run marked opened by someone else is not the outsider's proof: they still see nothing of it.
    outsider = access_world.people["other_student"]
    foreign = next(r for r in runs if live_selectors.run_opened(outsider, r.pk, lead=False) is None and r.members.exists())
    curriculum.permissions.opened_by(foreign, access_world.people["teacher"])
    assert not LiveMember.objects.filter(curriculum.permissions.live_members_of_run(outsider, foreign)).exists()
    assert not CircleTurn.objects.filter(curriculum.permissions.circle_turns_of_run(outsider, foreign)).exists()
    print(f"{checked} persona x run forms checked")
