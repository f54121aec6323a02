"""What each role sees first: one function per role, each a fixed number of queries."""

from django.apps import apps as django_apps
from django.utils import timezone
from django.utils.translation import get_language

from accounts.data_versions import kept_fragments
from accounts.models import School, User
from accounts.selectors import schools_for
from classrooms.models import Classroom, Enrollment, Theme
from classrooms.permissions import classrooms_list_now
from classrooms.program.selectors import sessions_to_mark_for, sessions_upcoming_for
from classrooms.selectors import classroom_cards_for, classroom_cards_managed_by, school_summary
from curriculum.assignments.selectors import TODO, assignments_to_review_for, my_work_cards
from curriculum.live.selectors import live_now_for_student
from notifications.selectors import notifications_recent
from peer_counselors.selectors import help_card_for, queue_summary
from surveys.taking.selectors import reports_due_for, survey_cards_for

RECENT_NOTIFICATIONS = 5
UPCOMING_DAYS = 14
UPCOMING_SESSIONS = 8
TODO_ON_HOME = 5
TO_REVIEW_ON_HOME = 8


def _tables(*models, apps_whole=()) -> tuple[str, ...]:
    """The tables of ``models`` and of every model of ``apps_whole`` (their many-to-many tables too)."""
    found = {m._meta.db_table for m in models}
    for label in apps_whole:
        for model in django_apps.get_app_config(label).get_models(include_auto_created=True):
            found.add(model._meta.db_table)
    return tuple(sorted(found))


# What the survey panels read, for kept_fragment: every survey table, and the people, schools (time zone), classrooms
# (grade), enrollments and teaching or leading links their scopes are built of.
_SCOPE_TABLES = (User, School, Classroom, Classroom.teachers.through, Enrollment, Theme)
SURVEY_CARD_TABLES = _tables(*_SCOPE_TABLES, apps_whole=("surveys",))
REPORTS_DUE_TABLES = SURVEY_CARD_TABLES
# The other panels, kept the same way (issue 15: the first look after a write elsewhere in the school draws the
# page around them): each reads its app's tables and the scope's; tests/home/test_kept_fragments.py checks that
# every table a panel's queries name is in its list, so a model read later cannot be missed.
CLASSROOM_CARD_TABLES = _tables(*_SCOPE_TABLES, apps_whole=("classrooms",))
UPCOMING_SESSION_TABLES = CLASSROOM_CARD_TABLES
TO_MARK_TABLES = CLASSROOM_CARD_TABLES
TODO_TABLES = _tables(*_SCOPE_TABLES, apps_whole=("curriculum",))
TO_REVIEW_TABLES = TODO_TABLES
LIVE_NOW_TABLES = TODO_TABLES
HELP_CARD_TABLES = _tables(*_SCOPE_TABLES, apps_whole=("peer_counselors",))


def _recent_notifications(user):
    return notifications_recent(user, limit=RECENT_NOTIFICATIONS)


def _upcoming_sessions(user):
    """The next two weeks' planned sessions of the classrooms a teacher teaches or a student is still in."""
    return list(sessions_upcoming_for(user, now=timezone.now(), days=UPCOMING_DAYS, limit=UPCOMING_SESSIONS))


def _todo(user) -> dict:
    """The student's work still to do: the first few (soonest due first) and how many in all, in one query."""
    work = list(my_work_cards(user, tab=TODO))
    return {"items": work[:TODO_ON_HOME], "count": len(work)}


def _kept_panels(user, panels: dict) -> dict:
    """The page's panels (``{name: (tables, compute)}``), each kept by the tables it reads, in one look at the cache
    (data_versions.kept_fragments). The first one computed lists the user's classrooms first, so that every scope
    of the panels computed holds the plain list (``classrooms_list_now``); a page whose panels are all kept reads
    nothing."""

    def listed_first(compute):
        def computing():
            classrooms_list_now(user)
            return compute()

        return computing

    return kept_fragments(user, {name: (tables, listed_first(compute)) for name, (tables, compute) in panels.items()})


def student(user) -> dict:
    # No "Latest notifications" here: the only one a student gets ("due tomorrow") is on the To do list
    # already, and a child's page should stay short (the navigation still leads to the notifications page).
    language = get_language() or "en"
    panels = _kept_panels(
        user,
        {
            "home:survey-cards": (SURVEY_CARD_TABLES, lambda: survey_cards_for(user, language=language)),
            "home:classroom-cards": (CLASSROOM_CARD_TABLES, lambda: list(classroom_cards_for(user))),
            "home:upcoming-sessions": (UPCOMING_SESSION_TABLES, lambda: _upcoming_sessions(user)),
            "home:todo": (TODO_TABLES, lambda: _todo(user)),
            "home:help-card": (HELP_CARD_TABLES, lambda: help_card_for(user)),
            "home:live-now": (LIVE_NOW_TABLES, lambda: live_now_for_student(user)),
        },
    )
    return {
        "survey_cards": panels["home:survey-cards"],
        "classrooms": panels["home:classroom-cards"],
        "upcoming_sessions": panels["home:upcoming-sessions"],
        "todo": panels["home:todo"],
        "help_card": panels["home:help-card"],
        "live_now": panels["home:live-now"],
    }


def _to_mark(counts: dict[int, int], classrooms) -> list[dict]:
    """What a teacher has left to do, by classroom in the order of their list: past sessions to mark."""
    return [{"classroom": c, "sessions": counts[c.pk]} for c in classrooms if counts.get(c.pk)]


def teacher(user) -> dict:
    panels = _kept_panels(
        user,
        {
            # The classrooms they teach; one whose family visits they only lead is in the classroom list.
            "home:managed-classroom-cards": (CLASSROOM_CARD_TABLES, lambda: list(classroom_cards_managed_by(user))),
            "home:to-mark": (TO_MARK_TABLES, lambda: sessions_to_mark_for(user, now=timezone.now())),
            "home:to-review": (TO_REVIEW_TABLES, lambda: assignments_to_review_for(user, limit=TO_REVIEW_ON_HOME)),
            "home:reports-due": (REPORTS_DUE_TABLES, lambda: reports_due_for(user)),
            "home:upcoming-sessions": (UPCOMING_SESSION_TABLES, lambda: _upcoming_sessions(user)),
        },
    )
    classrooms = panels["home:managed-classroom-cards"]
    return {
        "classrooms": classrooms,
        "to_mark": _to_mark(panels["home:to-mark"], classrooms),
        "to_review": panels["home:to-review"],
        # Open windows whose teacher report on a class is not all handed in yet.
        "reports_due": [due for due in panels["home:reports-due"] if due.handed_in < due.students],
        "upcoming_sessions": panels["home:upcoming-sessions"],
        "notifications": _recent_notifications(user),
    }


def counselor(user) -> dict:
    # The classrooms whose family visits they lead (a counselor's whole classroom scope today).
    return {
        "classrooms": list(classroom_cards_for(user)),
        "notifications": _recent_notifications(user),
        "help_queue": queue_summary(user),
    }


def school_admin(user) -> dict:
    classrooms = list(classroom_cards_for(user))
    summary = school_summary(school_ids=[user.school_id]).get(user.school_id, {})
    return {"classrooms": classrooms, "summary": summary, "notifications": _recent_notifications(user)}


def district_admin(user) -> dict:
    schools = list(schools_for(user))
    summary = school_summary(school_ids=[s.pk for s in schools])
    rows = [{"school": s, **summary[s.pk]} for s in schools]
    totals = {k: sum(r[k] for r in rows) for k in ("classrooms", "students", "teachers")}
    return {"schools": rows, "totals": totals, "notifications": _recent_notifications(user)}


BY_ROLE = {
    User.Role.STUDENT: student,
    User.Role.TEACHER: teacher,
    User.Role.COUNSELOR: counselor,
    User.Role.SCHOOL_ADMIN: school_admin,
    User.Role.DISTRICT_ADMIN: district_admin,
}
