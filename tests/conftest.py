"""Shared test setup: fast hashing, plain static files, an in-memory broker, service markers, the broker's published
tasks, N+1 detection of tasks, and the access world of tests/access.py."""

import os
import shutil
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest
from celery import Task
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import setting_changed
from django.db import connection
from django.utils import translation
from zeal import zeal_context

from config.celery import app as celery_app
from tests.access import AccessWorld, build_access_world

# No test publishes to a real broker unless it asks for one (tests/services/).
celery_app.conf.broker_url = "memory://"
celery_app.conf.broker_transport_options = {}

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRE_SERVICES = os.environ.get("HEARD_REQUIRE_SERVICES") == "1"


def redis_reachable(url: str = REDIS_URL) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def services_missing() -> str:
    """Why the PostgreSQL + Redis tests cannot run here, or "" when they can."""
    if connection.vendor != "postgresql":
        return "DATABASE_URL is not PostgreSQL"
    if not redis_reachable():
        return f"Redis is not reachable at {REDIS_URL}"
    return ""


def pytest_collection_modifyitems(config, items):
    """Skip service tests on the embedded setup; in CI (HEARD_REQUIRE_SERVICES=1) they must run."""
    if REQUIRE_SERVICES:
        return
    reason = None
    for item in items:
        if "services" in item.keywords:
            if reason is None:
                reason = services_missing()
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"{reason} (set HEARD_REQUIRE_SERVICES=1 to fail instead)"))


@pytest.fixture(autouse=True, scope="session")
def _spanish_compiled():
    """The Spanish catalogue compiled for this run, as `make messages` and the Docker build compile it
    (gettext's msgfmt is needed; without it the pages stay English and tests/test_languages.py skips)."""
    if shutil.which("msgfmt") is None or not (ROOT / "locale").is_dir():
        return
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)
    finally:
        os.chdir(previous)
    # Django caches which languages have a catalogue; tell it the catalogues changed, as its own tests do.
    setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True)


@pytest.fixture(autouse=True, scope="session")
def _no_n_plus_one_in_tasks():
    """Each run of a Celery task is checked by django-zeal, as each request is (tests/settings.py): a query
    repeated once per row fails the test. Per run, not per test: a test that runs the dispatcher twice
    to see it send nothing twice is not an N+1."""
    original = Task.__call__

    def checked(task, *args, **kwargs):
        with zeal_context():
            return original(task, *args, **kwargs)

    Task.__call__ = checked
    yield
    Task.__call__ = original


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Pages' query counts are asserted on the cold path, the unread count counted on every page;
    # tests/notifications/test_unread_count.py turns the cache on.
    settings.NOTIFICATIONS_UNREAD_CACHE = False
    # The same for the kept pages (accounts.data_versions.kept_page); tests/home/test_kept_pages.py turns it on.
    settings.PAGE_CACHE = False
    settings.FRAGMENT_CACHE = False  # and their panels (accounts.data_versions.kept_fragment): tests/home/test_kept_fragments.py


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the rate limits it holds (password resets, join codes) count per test."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A Spanish request leaves Spanish active in the thread (LocaleMiddleware does not switch back): the next
    test starts in the default language again, whatever order the tests run in."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _drain_memory_broker() -> list[str]:
    """Take every message off the in-memory broker's default queue; return their task names, in order."""
    names = []
    with celery_app.connection_for_read() as connection:
        queue = connection.SimpleQueue(celery_app.conf.task_default_queue)
        try:
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                names.append(message.headers["task"])
                message.ack()
        finally:
            queue.close()
    return names


@pytest.fixture
def published_tasks():
    """``published_tasks()`` is the names of the tasks the code under test published to the broker so far
    (the in-memory broker every test talks to), as a worker would receive them."""
    _drain_memory_broker()  # what earlier tests left
    seen: list[str] = []

    def published() -> list[str]:
        seen.extend(_drain_memory_broker())
        return list(seen)

    return published


@pytest.fixture
def access_world() -> AccessWorld:
    """Districts D1 (schools A, B) and D2 (school C), their classrooms and every persona (tests/access.py)."""
    return build_access_world()

