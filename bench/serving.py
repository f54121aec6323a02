"""What the benchmarks that load Heard under gunicorn share: the scratch database, signed-in sessions,
Heard's gunicorn, ``ab`` and the page_ceiling anchor run beside it.

Not a benchmark itself. Import it after ``django.setup()``: the scripts set the environment first.
The anchor lives in ../shared/anchors/ (ANCHORS_DIR overrides); it is run as its own process, since it
configures its own Django, and its printed lines are read back.
"""

import csv
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string

from accounts.middleware import LAST_SEEN

ROOT = Path(__file__).resolve().parent.parent
ANCHORS = Path(os.environ.get("ANCHORS_DIR", ROOT.parent / "shared" / "anchors"))
WORKERS = 3  # the anchor's gunicorn: 3 sync workers
CONCURRENCY = 8  # the anchor's ab line: -c 8
DURATION = 20  # and -t 20


# --- The scratch database ---------------------------------------------------------------------------


@contextmanager
def scratch_database(label: str, scratch: str):
    """A fresh, migrated database beside DATABASE_URL's (a file in ``scratch`` for SQLite), dropped at the end.
    Named ``heard_bench_<label>_<pid>``, or BENCH_DATABASE_NAME when set (a name of one's own on a shared server)."""
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"{scratch}/bench.sqlite3"
    else:
        connection.settings_dict["TEST"]["NAME"] = os.environ.get("BENCH_DATABASE_NAME") or f"heard_bench_{label}_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def analyze() -> None:
    """Planner statistics for what was just seeded, as a database in use has them (autovacuum would
    otherwise gather them in the middle of the measurements)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def database_url() -> str:
    """The scratch database as a DATABASE_URL, for gunicorn's workers."""
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


# --- Signed-in sessions ------------------------------------------------------------------------------


def session_for(user) -> str:
    """A database session signed in as ``user``, seen just now (so the idle check does not rewrite it
    for a minute, as after a real sign-in); its key, the ``sessionid`` cookie."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "accounts.backends.SchoolModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_SEEN] = int(time.time())
    store.create()
    return store.session_key


def new_csrf_secret() -> str:
    """A value for the ``csrftoken`` cookie; sent back as X-CSRFToken it passes Django's check."""
    return _get_new_csrf_string()


# --- Heard under gunicorn ----------------------------------------------------------------------------


def machine_line() -> str:
    """The cores and the load average: on a shared machine, what else ran while the figures were taken."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.1f} (1 min), {five:.1f} (5 min)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(port: int, method: str, target: str, headers: dict | None = None, body: bytes = b"", timeout: float = 10.0):
    """One request on its own connection: (status, head, body)."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, content = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.decode("latin-1"), content.decode("utf-8", "replace")


@contextmanager
def heard_gunicorn(scratch: str):
    """Heard (config.wsgi) under the anchor's gunicorn command, on the scratch database, DEBUG off,
    static files from ``scratch``/staticfiles (collected by the script). Stopped by its process id."""
    with gunicorn_pool(scratch) as (port, _pid):
        yield port


@contextmanager
def gunicorn_pool(scratch: str, *, workers: int = WORKERS, prefix: tuple[str, ...] = (), label: str = "Heard's gunicorn",
                  env_extra: dict | None = None):  # fmt: skip
    """Heard's gunicorn as heard_gunicorn starts it, with ``workers`` sync workers, run through ``prefix`` (``nice -n 6``,
    ``taskset -c 1``: commands that exec the rest, so the process id stays gunicorn's master's); (port, master pid)."""
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        HEARD_VAR_DIR=scratch,
        DEBUG="false",
        CELERY_BROKER_URL="memory://",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
        **(env_extra or {}),
    )
    cmd = [*prefix, sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
           "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "config.wsgi:application"]  # fmt: skip
    server = subprocess.Popen(cmd, env=env, cwd=ROOT)
    shown = f"{' '.join(prefix)} " if prefix else ""
    print(f"{label} pid {server.pid}: {shown}{workers} sync workers on 127.0.0.1:{port}, DEBUG off, PostgreSQL", flush=True)
    try:
        for _ in range(300):
            try:
                http(port, "GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{label} did not come up")
        yield port, server.pid
    finally:
        server.send_signal(signal.SIGTERM)  # the master's pid: a graceful stop of its workers
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        print(f"{label} pid {server.pid} stopped (exit {server.returncode})", flush=True)


def warm(port: int, target: str, headers: dict, times: int = 2 * WORKERS) -> None:
    """A few requests first, so every worker has its database connection and its templates loaded."""
    for _ in range(times):
        http(port, "GET", target, headers)


# --- ab and the anchor ---------------------------------------------------------------------------------


def grab(out: str, label: str, cast=float):
    m = re.search(rf"^{label}:\s+([\d.]+)", out, re.M)
    return cast(m.group(1)) if m else cast(0)


def ab_get(
    port: int, target: str, cookie: str, *, concurrency: int = CONCURRENCY, duration: int = DURATION,
    headers: dict | None = None,
) -> dict:
    """The anchor's ab line (``ab -q -r -t 20 -n 1000000 -c 8 -C sessionid=KEY URL``) on a Heard page, with
    ``headers`` added (``-H``). ab counts a 304 among its non-2xx responses ("errors")."""
    extra = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    with tempfile.NamedTemporaryFile(suffix=".csv") as pct:
        cmd = ["ab", "-q", "-r", "-t", str(duration), "-n", "1000000", "-c", str(concurrency), "-e", pct.name,
               "-C", f"sessionid={cookie}", *extra, f"http://127.0.0.1:{port}{target}"]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60).stdout
        with open(pct.name) as fh:
            rows = {int(r[0]): float(r[1]) for r in list(csv.reader(fh))[1:]}
    return {
        "rps": grab(out, "Requests per second"),
        "p50_ms": rows.get(50, 0.0),
        "p95_ms": rows.get(95, 0.0),
        "requests": grab(out, "Complete requests", int),
        "errors": grab(out, "Failed requests", int) + grab(out, "Non-2xx responses", int),
        "bytes": grab(out, "Document Length", int),
    }


ANCHOR_LINE = re.compile(
    r"^auth GET / .*\[(?P<tool>\w+), c=\d+, \d+ s\]: (?P<rps>[\d.]+) req/s, p50 (?P<p50>[\d.]+) ms, p95 (?P<p95>[\d.]+) ms"
)


def run_anchor(*, tool: str = "ab", concurrency: int = CONCURRENCY, duration: int = DURATION) -> dict[str, dict]:
    """page_ceiling.py in its own process, its output shown indented; its signed-in page's figures by tool."""
    script = ANCHORS / "page_ceiling.py"
    cmd = [sys.executable, str(script), "--tool", tool, "--concurrency", str(concurrency), "--duration", str(duration)]
    print(f"anchor: {' '.join(cmd[1:])}", flush=True)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=8 * duration + 180, cwd=ANCHORS)
    found = {}
    for line in out.stdout.splitlines():
        print(f"  | {line}", flush=True)
        if m := ANCHOR_LINE.match(line):
            found[m["tool"]] = {"rps": float(m["rps"]), "p50_ms": float(m["p50"]), "p95_ms": float(m["p95"])}
    if out.returncode or not found:
        print(out.stderr[-2000:], flush=True)
        raise RuntimeError(f"the anchor failed (exit {out.returncode})")
    return found


def drift_line(before: dict, after: dict, tool: str = "ab") -> str:
    """The anchor run again after Heard: how far the machine moved while Heard was measured."""
    change = after[tool]["rps"] / before[tool]["rps"] - 1
    verdict = "steady" if abs(change) <= 0.15 else "the machine's load changed during the run: take the ratios with care"
    return (
        f"anchor again after Heard [{tool}]: {after[tool]['rps']:.0f} req/s, p50 {after[tool]['p50_ms']:.1f} ms "
        f"({change:+.0%} from before; {verdict})"
    )


def ratio_line(label: str, heard: dict, anchor: dict) -> str:
    """Heard's figures, the anchor's and Heard / anchor (requests/s: below 1 is slower; times: above 1 is slower)."""
    return (
        f"{label:<34} {heard['rps']:7.0f} req/s  p50 {heard['p50_ms']:6.1f} ms  p95 {heard['p95_ms']:6.1f} ms\n"
        f"{'  anchor (signed-in tiny page)':<34} {anchor['rps']:7.0f} req/s  p50 {anchor['p50_ms']:6.1f} ms  p95 {anchor['p95_ms']:6.1f} ms\n"
        f"{'  Heard / anchor':<34} {heard['rps'] / anchor['rps']:7.2f}x      "
        f"p50 {heard['p50_ms'] / anchor['p50_ms']:5.1f}x     p95 {heard['p95_ms'] / anchor['p95_ms']:5.1f}x"
    )
