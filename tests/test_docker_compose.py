"""The compose stack and Dockerfile point at code that exists in this repo."""

import re
from pathlib import Path

import yaml

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
    """Shared check: the gunicorn target's file exists and defines the attribute."""
    match = WSGI_RE.search(text)
    assert match, f"no gunicorn module:attr in {text!r}"
    module, attr = match.groups()
    path = ROOT / (module.replace(".", "/") + ".py")
    assert path.is_file(), f"{path} is missing"
    source = path.read_text()
    assert re.search(rf"^(?:{attr}\s*=|def {attr}\b)", source, re.MULTILINE), (
        f"{attr} not in {path}"
    )


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
        package = ROOT / match.group(1).replace(".", "/")
        path = package / "celery.py" if package.is_dir() else package.with_suffix(".py")
        assert path.is_file(), f"{path} is missing"
        assert "app = Celery(" in path.read_text()


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
