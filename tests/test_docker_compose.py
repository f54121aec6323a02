"""The compose stack and Dockerfile point at code that exists in this repo: the WSGI application gunicorn
serves and the Celery app the worker and beat load are imported here, as those processes would."""

import importlib
import re
from pathlib import Path

import yaml
from celery import Celery
from celery.app.utils import find_app
from django.core.handlers.wsgi import WSGIHandler

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]

# `module.path:attr`; the attr must start with a letter so `0.0.0.0:8000` never matches.
WSGI_RE = re.compile(r"gunicorn\b.*?\b([A-Za-z_][\w.]*):([A-Za-z_]\w*)")
CELERY_RE = re.compile(r"celery\s+(?:-A|--app)[\s=]+([\w.]+)")


def command_text(service):
    """Compose accepts a command as a string or a list; flatten either to one string."""
    command = SERVICES[service]["command"]
    return command if isinstance(command, str) else " ".join(command)


def assert_wsgi_target_exists(text):
    """Shared check: gunicorn's ``module:attr`` imports and is Django's WSGI application."""
    match = WSGI_RE.search(text)
    assert match, f"no gunicorn module:attr in {text!r}"
    module, attr = match.groups()
    application = getattr(importlib.import_module(module), attr, None)
    assert isinstance(application, WSGIHandler), f"{module}:{attr} is not Django's WSGI application"


def test_all_services_defined():
    """The stack has the database, broker, web app, worker and scheduler."""
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(SERVICES)


def test_every_service_has_healthcheck():
    """Every service declares a healthcheck so depends_on conditions can gate on it."""
    for name, service in SERVICES.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_web_waits_for_healthy_database_and_broker():
    """web starts only after postgres and redis report healthy."""
    depends = SERVICES["web"]["depends_on"]
    for dependency in ("postgres", "redis"):
        assert depends[dependency]["condition"] == "service_healthy"


def test_web_migrates_then_serves_existing_wsgi_app():
    """web runs migrations and serves a WSGI callable defined in the repo."""
    text = command_text("web")
    assert "migrate" in text
    assert_wsgi_target_exists(text)


def test_worker_and_beat_use_existing_celery_app():
    """worker and beat load a Celery app module that exists and creates the app."""
    for service in ("worker", "beat"):
        match = CELERY_RE.search(command_text(service))
        assert match, f"{service} does not run celery -A"
        app = find_app(match.group(1))  # how `celery -A <name>` finds its app
        assert isinstance(app, Celery) and app.main == "heard", f"{service}: -A {match.group(1)} is not Heard's Celery app"


def test_dockerfile_cmd_serves_same_wsgi_app_as_web():
    """The image's default command serves the same WSGI module as the compose web service."""
    cmd_lines = [
        line
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("CMD")
    ]
    assert cmd_lines, "Dockerfile has no CMD"
    text = cmd_lines[-1].replace('"', " ").replace(",", " ")
    assert_wsgi_target_exists(text)
    assert WSGI_RE.search(text).groups() == WSGI_RE.search(command_text("web")).groups()
