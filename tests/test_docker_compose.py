"""The compose stack and Dockerfile point at code that exists in this repo: the WSGI application gunicorn
serves and the Celery app the worker and beat load are imported here, as those processes would.

No Docker engine runs the tests, so the proxy's routing (deploy/nginx.conf) is checked twice: by reading its
table here for every route Heard has, and, where Debian's nginx is installed (.ci/run installs it), by running
that nginx in front of two stand-in pools and asking it the same questions.
"""

import http.client
import importlib
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from django.core.handlers.wsgi import WSGIHandler
from django.urls import converters as url_converters
from django.urls import reverse

from tests.test_csrf import our_url_names

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
NGINX_SITE = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
REQUIRE_SERVICES = os.environ.get("HEARD_REQUIRE_SERVICES") == "1"

# Heard's routes whose POST hashes a password (tests/test_doors.py checks that these do, and no other door does):
# the proxy sends those POSTs to the `signin` pool.
SIGNIN_ROUTES = {
    "login", "password_change", "password_reset_confirm",
    "classrooms:students_add", "classrooms:cards", "classrooms:student_card",
}  # fmt: skip
# The Django admin is Django's (the door tests leave it out): its sign-in and password pages, and some others.
ADMIN_SIGNIN_PATHS = ["/admin/login/", "/admin/password_change/", "/admin/accounts/user/add/", "/admin/accounts/user/7/password/"]
ADMIN_WEB_PATHS = ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/7/change/", "/admin/logout/", "/admin/password_change/done/"]

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
    """The stack has the database, broker, the web and sign-in pools with their proxy, worker and scheduler."""
    assert {"postgres", "redis", "web", "signin", "proxy", "worker", "beat"} <= set(SERVICES)


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


# --- The sign-in pool and the proxy in front of it -------------------------------------------------------------


def gunicorn_args(service):
    """gunicorn's own arguments in a service's command (after ``exec gunicorn`` when a shell runs it first)."""
    words = shlex.split(command_text(service))
    if words[:2] == ["sh", "-c"]:
        words = shlex.split(words[2].split("&&")[-1])
    if words[0] == "exec":
        words = words[1:]
    assert words[0] == "gunicorn", f"{service} does not end in gunicorn: {words}"
    return words[1:]


def option(args, name):
    return args[args.index(name) + 1] if name in args else None


def sample_path(name, converters) -> str:
    """A path of route ``name``, with an id wherever it takes a number and a word elsewhere."""
    values = {key: 7 if isinstance(conv, url_converters.IntConverter) else "abc" for key, conv in converters.items()}
    return reverse(name, kwargs=values)


def expected_pools() -> list[tuple[str, str, str]]:
    """(method, path, pool) for every route of Heard and a few of the admin's: a POST that hashes, signin; all else, web."""
    asked = []
    for name, converters in sorted(our_url_names()):
        path = sample_path(name, converters)
        asked.append(("GET", path, "web"))
        asked.append(("POST", path, "signin" if name in SIGNIN_ROUTES else "web"))
    asked += [("POST", path, "signin") for path in ADMIN_SIGNIN_PATHS]
    asked += [("GET", path, "web") for path in ADMIN_SIGNIN_PATHS + ADMIN_WEB_PATHS]
    asked += [("POST", path, "web") for path in ADMIN_WEB_PATHS]
    asked += [("GET", "/static/css/heard.css", "web"), ("POST", "/accounts/login/extra/", "web"), ("PUT", "/accounts/login/", "web")]
    return asked


def nginx_pool_table() -> tuple[str, list[tuple[str, str]]]:
    """deploy/nginx.conf's ``map "$request_method $uri" $heard_pool``: its default and its (regex, pool) lines, in order."""
    text = NGINX_SITE.read_text()
    block = re.search(r'map "\$request_method \$uri" \$heard_pool \{(.*?)\n\}', text, re.S)
    assert block, "deploy/nginx.conf has no map from the request to $heard_pool"
    default, table = None, []
    for line in block.group(1).splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, value = line.rstrip(";").rsplit(None, 1)
        if key == "default":
            default = value
        else:
            # Only regexes (and the default), tried in order: the rule nginx follows for them, which this mirrors.
            assert key.startswith('"~^') and key.endswith('$"'), f"a map line this test does not model: {line}"
            table.append((key[2:-1], value))
    return default, table


def pool_by_table(method: str, path: str) -> str:
    default, table = nginx_pool_table()
    chosen = next((pool for pattern, pool in table if re.search(pattern, f"{method} {path}")), default)
    return chosen.split(":")[0]


def test_the_proxy_sends_exactly_the_posts_that_hash_a_password_to_the_signin_pool():
    """Every route of Heard, by GET and POST, and the admin's: only the POSTs that hash a password go to signin."""
    wrong = [f"{method} {path}: {pool_by_table(method, path)}, should be {pool}" for method, path, pool in expected_pools()
             if pool_by_table(method, path) != pool]  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_web_and_signin_are_the_same_app_in_two_pools():
    """signin runs web's image, settings and gunicorn command, with its own workers, and never migrates."""
    web, signin = SERVICES["web"], SERVICES["signin"]
    assert (web.get("build"), web.get("image")) == (signin.get("build"), signin.get("image"))
    assert web["environment"] == signin["environment"]
    assert_wsgi_target_exists(command_text("signin"))
    assert WSGI_RE.search(command_text("signin")).groups() == WSGI_RE.search(command_text("web")).groups()
    web_args, signin_args = gunicorn_args("web"), gunicorn_args("signin")
    assert option(web_args, "--bind") == option(signin_args, "--bind") == "0.0.0.0:8000"
    assert int(option(web_args, "--workers")) >= 2 and int(option(signin_args, "--workers")) >= 1
    assert [a for a in web_args if a != option(web_args, "--workers")] == [a for a in signin_args if a != option(signin_args, "--workers")]
    assert "migrate" not in command_text("signin")


def test_signin_waits_for_the_migrations_and_the_proxy_for_both_pools():
    depends = SERVICES["signin"]["depends_on"]
    assert {name: depends[name]["condition"] for name in ("postgres", "redis", "web")} == dict.fromkeys(("postgres", "redis", "web"), "service_healthy")
    depends = SERVICES["proxy"]["depends_on"]
    assert {name: depends[name]["condition"] for name in ("web", "signin")} == {"web": "service_healthy", "signin": "service_healthy"}


def test_only_the_proxy_is_published_and_it_reads_the_committed_config():
    """Nothing reaches web or signin but through nginx, which sets the X-Real-IP header Heard is told to trust."""
    assert "ports" not in SERVICES["web"] and "ports" not in SERVICES["signin"]
    proxy = SERVICES["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["ports"] == ["8000:8000"]
    source, target, mode = proxy["volumes"][0].split(":")
    assert (ROOT / source).resolve() == NGINX_SITE and target == "/etc/nginx/conf.d/default.conf" and mode == "ro"
    assert SERVICES["web"]["environment"]["CLIENT_IP_HEADER"] == "X-Real-IP"
    assert re.search(r"^\s*proxy_set_header X-Real-IP \$remote_addr;", NGINX_SITE.read_text(), re.M)


# --- The same questions asked of a real nginx ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stand_in_pool(name: str) -> ThreadingHTTPServer:
    """A server answering every request with its pool's name and the headers the proxy sent."""

    class Answer(BaseHTTPRequestHandler):
        def answer(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.dumps({"pool": name, "host": self.headers["Host"], "real_ip": self.headers["X-Real-IP"],
                               "path": self.path}).encode()  # fmt: skip
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def nginx_site_for(web_port: int, signin_port: int, listen_port: int) -> str:
    """deploy/nginx.conf with the pools' host names and the port it listens on made local."""
    text = NGINX_SITE.read_text()
    for old, new in (("web:8000", f"127.0.0.1:{web_port}"), ("signin:8000", f"127.0.0.1:{signin_port}"),
                     ("listen 8000;", f"listen 127.0.0.1:{listen_port};")):  # fmt: skip
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture
def nginx(tmp_path):
    """Debian's nginx running deploy/nginx.conf (inside a minimal http block, as the image includes it), with two
    stand-in pools behind it; its port. Stopped by its process id."""
    if NGINX is None:
        if REQUIRE_SERVICES:
            pytest.fail("nginx is not installed (apt install nginx-light)")
        pytest.skip("nginx is not installed (apt install nginx-light; set HEARD_REQUIRE_SERVICES=1 to fail instead)")
    tmp_path.chmod(0o755)  # nginx's workers run as nobody when the tests run as root
    pools = {name: stand_in_pool(name) for name in ("web", "signin")}
    port = free_port()
    (tmp_path / "heard.conf").write_text(nginx_site_for(pools["web"].server_port, pools["signin"].server_port, port))
    (tmp_path / "main.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log warn;\nworker_processes 1;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy; "
        f"fastcgi_temp_path {tmp_path}/fastcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi; "
        f"include {tmp_path}/heard.conf; }}\n"
    )
    base = [NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(tmp_path / "main.conf")]
    checked = subprocess.run([*base, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([*base, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        for pool in pools.values():
            pool.shutdown()
            pool.server_close()


def ask_proxy(port: int, method: str, path: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=b"a=1" if method != "GET" else None, headers={"X-Real-IP": "203.0.113.9"})
        response = connection.getresponse()
        assert response.status == 200, f"{method} {path}: {response.status}"
        return json.loads(response.read())
    finally:
        connection.close()


def test_a_real_nginx_accepts_the_config_and_routes_as_its_table_says(nginx):
    """nginx itself answers what the table test reads, so that reading is nginx's rule, and passes the headers on."""
    wrong = []
    for method, path, pool in expected_pools():
        answer = ask_proxy(nginx, method, path)
        if answer["pool"] != pool or answer["path"] != path:
            wrong.append(f"{method} {path}: served by {answer['pool']} as {answer['path']}, should be {pool}")
    assert not wrong, "\n".join(wrong)
    answer = ask_proxy(nginx, "POST", "/accounts/login/?next=/classrooms/")
    assert answer["pool"] == "signin" and answer["path"] == "/accounts/login/?next=/classrooms/"
    # The host with its port (Django's CSRF check compares it with the Origin), and the address nginx saw, not the one claimed.
    assert answer["host"] == f"127.0.0.1:{nginx}"
    assert answer["real_ip"] == "127.0.0.1"
