"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Browsers are never downloaded (no ``playwright install``): the system chromium is used. Without
it the e2e tests are skipped, unless HEARD_REQUIRE_SERVICES=1, where they must run (and fail).
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.management.commands.seed_demo import DEMO_PASSWORD

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
    """Every test in tests/e2e is an e2e test; skip them where there is no chromium, except in CI."""
    reason = chromium_missing()
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if reason and not REQUIRE_SERVICES:
            item.add_marker(pytest.mark.skip(reason=f"{reason} (set HEARD_REQUIRE_SERVICES=1 to fail instead)"))


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """``page.goto("/accounts/login/")`` goes to the live server."""
    return live_server.url


@pytest.fixture
def demo(transactional_db):
    """The demo district of ``manage.py seed_demo``: the people and classrooms the tests sign in as."""
    call_command("seed_demo", stdout=io.StringIO())


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
        violations = AXE.run(page).response["violations"]
        failing = [violation for violation in violations if violation["impact"] in FAILING_IMPACTS]
        if failing:
            pytest.fail(axe_report(page, failing))

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
