"""Every kept panel of the two home pages (home.dashboards, accounts.data_versions.kept_fragment) names every table
it reads: each query of each panel, drawn for the demo's people, reads only tables of its list (so a model read
later, or a join added to a selector, fails here rather than leaving a panel kept past a write to it); a write of
one of its tables redraws it, a write of none keeps it; each user and language has their own."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from home import dashboards

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

    def recording(user, name, tables, compute):
        with CaptureQueriesContext(connection) as captured:
            value = compute()
        read = set().union(*(tables_read(q["sql"]) for q in captured)) if captured else set()
        found[name] = (found.get(name, (set(), tables))[0] | read, tables)
        return value

    monkeypatch.setattr(dashboards, "kept_fragment", recording)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, panels",
    [("maple.s1", STUDENT_PANELS), ("maple.s34", STUDENT_PANELS), ("teacher.rivera", TEACHER_PANELS)],
)
def test_each_panel_reads_only_the_tables_it_is_kept_by(client, panels_read, username, panels):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    client.force_login(User.objects.get(username=username))
    for language in ("en", "es"):
        assert client.get(DASHBOARD, headers={"accept-language": language}).status_code == 200
    assert set(panels_read) == panels
    for name, (read, tables) in panels_read.items():
        assert read, name  # the panel queried (the demo gives each something to read)
        assert read <= set(tables), (name, sorted(read - set(tables)))
