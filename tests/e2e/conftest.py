"""Browser tests: Debian's chromium driven by Playwright against one live Django server.

Browsers are never downloaded (no ``playwright install``): the system chromium is used. Without
it the e2e tests are skipped, unless HEARD_REQUIRE_SERVICES=1, where they must run (and fail).

Two kinds of test share the server. A test that only reads (visits pages, signs in, checks
accessibility) asks for ``demo``: the demo district, seeded once and kept between tests; it
fails if the test changed any of Heard's rows. A test that changes data asks for ``fresh_demo``:
a demo of its own under pytest-django's ``transactional_db``, flushed when the test ends. The
readers run first, so the shared demo is seeded once. Every test asks for one of the two (or
for ``db``): outside them the database is out of reach, for the server too.
"""

import hashlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from axes.models import AccessAttempt
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from home.management.commands.seed_demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to
# run there (SynchronousOnlyOperation) although nothing is async here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REQUIRE_SERVICES = os.environ.get("HEARD_REQUIRE_SERVICES") == "1"
HERE = Path(__file__).resolve().parent

# axe-core as bundled by axe-playwright-python: nothing is downloaded. Serious and critical
# violations fail a test; moderate and minor ones (best practices such as heading order) do not.
AXE = Axe()
FAILING_IMPACTS = ("critical", "serious")


def chromium_missing() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"chromium is not installed at {CHROMIUM}"
    return ""


def pytest_collection_modifyitems(config, items):
    """Every test in tests/e2e is an e2e test; skip them where there is no chromium, except in CI.

    The tests that only read run before the ones that write, whose flush would make the next
    reader seed the demo again. They stay where tests/e2e is in the run, one block, so the
    package's last teardown empties the database before the tests after it.
    """
    reason = chromium_missing()
    places = [i for i, item in enumerate(items) if HERE in Path(str(item.path)).resolve().parents]
    for i in places:
        items[i].add_marker(pytest.mark.e2e)
        if reason and not REQUIRE_SERVICES:
            items[i].add_marker(pytest.mark.skip(reason=f"{reason} (set HEARD_REQUIRE_SERVICES=1 to fail instead)"))
    e2e = sorted((items[i] for i in places), key=lambda item: "fresh_demo" in item.fixturenames)
    for i, item in zip(places, e2e, strict=True):
        items[i] = item


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def heard_server(request, django_db_setup, django_db_blocker):
    """The live server every e2e test drives.

    Not pytest-django's ``live_server``: any test with that fixture is made transactional (its
    ``_live_server_helper`` requests ``transactional_db``), and its database flushed after it,
    which would take the shared demo with it.
    """
    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with django_db_blocker.unblock():
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(heard_server):
    """``page.goto("/accounts/login/")`` goes to the live server."""
    return heard_server.url


@pytest.fixture(autouse=True)
def _server_host_allowed(heard_server):
    """The server's host is in ALLOWED_HOSTS during each test, as pytest-django's live_server does it."""
    heard_server._live_server_modified_settings.enable()
    yield
    heard_server._live_server_modified_settings.disable()


@pytest.fixture
def db(django_db_setup, django_db_blocker):
    """Here, committed database access for the test and the live server, for the test's duration.

    pytest-django's ``db`` runs a test inside a transaction rolled back at its end, which the
    live server's own connections would not see (on PostgreSQL), and would take a shared demo
    with it. Nothing is rolled back here: ``demo`` checks that a test asking for it wrote nothing.
    The name matters: a test that asks for ``db`` is what makes pytest-django create the test
    database, so that running only such tests never reaches the development database.
    """
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="package", autouse=True)
def _empty_database_after_the_e2e_tests(django_db_setup, django_db_blocker):
    """The tests after tests/e2e expect an empty database, as a writing test's flush leaves it."""
    yield
    with django_db_blocker.unblock():
        flush()


def flush() -> None:
    call_command("flush", interactive=False, verbosity=0)


def seed_demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def demo_seeded() -> bool:
    return User.objects.filter(username="district.admin").exists()


def heard_rows() -> dict[str, list]:
    """Every row of Heard's own apps, but the time of each person's last sign-in: what a reader must not change."""
    rows = {}
    root = HERE.parent.parent
    for config in (config for config in apps.get_app_configs() if Path(config.path).parent == root):
        for model in config.get_models():
            fields = [field.attname for field in model._meta.concrete_fields if field.name != "last_login"]
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return rows


@pytest.fixture
def demo(db):
    """The demo district of ``manage.py seed_demo``, shared by the tests that only read it.

    Seeded once, and again only when a writing test's flush removed it. Failed sign-ins are
    forgotten before each test, so they never add up to a lockout. A test that changes one of
    Heard's rows here fails, and the demo is seeded afresh for the next: it wants ``fresh_demo``.
    """
    if not demo_seeded():
        seed_demo()
    AccessAttempt.objects.all().delete()
    before = heard_rows()
    yield
    after = heard_rows()
    changed = sorted(label for label in before if before[label] != after[label])
    if changed:
        flush()
        pytest.fail(f"a test on the shared demo changed {', '.join(changed)}: ask for fresh_demo instead of demo")


@pytest.fixture
def fresh_demo(transactional_db):
    """A demo district of the test's own, for a test that changes data; pytest-django flushes it afterwards."""
    if demo_seeded():
        flush()  # the readers' demo, with their sign-ins in it
    seed_demo()


@pytest.fixture
def browser_errors():
    """JavaScript errors and console errors (a CSP violation is one) seen by any page of the test."""
    return []


@pytest.fixture
def watch(browser_errors):
    """Record a page's console errors and uncaught exceptions in ``browser_errors``."""

    def watch(page: Page) -> Page:
        page.on("pageerror", lambda error: browser_errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: browser_errors.append(f"{page.url}: {message.text}") if message.type == "error" else None,
        )
        return page

    return watch


@pytest.fixture
def page(page, watch, browser_errors):
    """pytest-playwright's page, failing the test on any console error or CSP violation."""
    watch(page)
    yield page
    assert browser_errors == [], "the browser reported errors"


def axe_report(page: Page, violations: list[dict]) -> str:
    """What axe found, worded so a developer can fix it without re-running anything."""
    size = page.viewport_size or {}
    lines = [f"axe found {len(violations)} serious or critical violation(s) on {page.url} at {size.get('width')}px:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


# (width, digest of the page's markup) that axe has already passed this run: the same markup at the same
# width gives axe the same page, so the sign-in form every test starts from is checked once per width.
AXE_PASSED: set[tuple[int, str]] = set()
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=)"[^"]*"')


def markup_digest(page: Page) -> str:
    """The rendered page, but for the one value that differs on every load (the CSRF token)."""
    markup = page.evaluate("() => document.documentElement.outerHTML")
    return hashlib.sha256(CSRF_VALUE.sub(r"\1", markup).encode()).hexdigest()


@pytest.fixture
def check_page():
    """The accessibility check run on every page a test visits: axe-core, and one <h1> and one <main>.

    axe checks labels, names, contrast, landmarks and ARIA; it asks for *at least* one <h1> and
    one <main>, and only as "moderate" best practices, so exactly one of each (the page's title
    and the skip link's target) is checked here. axe runs at the page's current width: the tests
    visit pages at phone and desktop width.
    """

    def check_page(page: Page) -> None:
        page.wait_for_load_state()
        expect(page.locator("h1"), f"one <h1> on {page.url}").to_have_count(1)
        expect(page.locator("main"), f"one <main> on {page.url}").to_have_count(1)
        # Axe.run injects axe with page.evaluate, which Chromium runs outside the page's
        # Content Security Policy (script-src 'self' has no say over the DevTools protocol), so
        # neither the CSP nor the test's context is loosened; were it ever blocked, the CSP
        # violation would reach the console and fail the test through the page fixture.
        seen = ((page.viewport_size or {}).get("width", 0), markup_digest(page))
        if seen in AXE_PASSED:
            return
        violations = AXE.run(page).response["violations"]
        failing = [violation for violation in violations if violation["impact"] in FAILING_IMPACTS]
        if failing:
            pytest.fail(axe_report(page, failing))
        AXE_PASSED.add(seen)

    return check_page


@pytest.fixture
def sign_in(check_page):
    """Sign in through the real form, as a person would."""

    def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        check_page(page)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        check_page(page)

    return sign_in


@pytest.fixture
def sign_out():
    def sign_out(page: Page) -> None:
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Heard")

    return sign_out
