"""A bell: 300 students signing in within a minute while everyone already signed in keeps using Heard, served by
one shared gunicorn pool and by docker-compose.yml's two pools (web, and signin for the requests that hash a
password) behind the committed nginx config. Prints sign-ins per second, the time until all have signed in, each
student's wait, and the pages' req/s, p50 and p95 before and during the bell, beside ../shared/anchors/hash_cost.py.

    .venv/bin/python bench/signin_bell.py                      # PostgreSQL at 127.0.0.1:5432 (user postgres), nginx
    .venv/bin/python bench/signin_bell.py --students 100 --bell 20 --only shared,split   # a quicker look
    .venv/bin/python bench/signin_bell.py --page-rate 40       # signed-in page requests offered per second (default 10)
    .venv/bin/python bench/signin_bell.py --rounds 2           # each arrangement twice, in turns (a shared machine)

What runs, in one run:

1. hash_cost.py (one check_password with Django's default PBKDF2, the hasher Heard's settings use: they name no
   PASSWORD_HASHERS; only the tests switch to MD5), before and after;
2. ``manage.py seed_demo`` into a scratch database beside DATABASE_URL's (dropped at the end) and 300 more students
   of its first school, ``bell.000``… each with a real PBKDF2 hash of their password at the default iterations (one
   hash shared by all, as seed_demo does: checking it costs the same as checking 300 different ones);
3. in process: one sign-in's time and its queries, django-axes' among them;
4. for each arrangement, fresh processes: Heard's gunicorn pool(s) and Debian's nginx (``apt install nginx-light``)
   with deploy/nginx.conf, its pool names replaced by the local ports. Then the page load alone for --baseline
   seconds, then the bell with the page load still running. Arrangements:
   - ``shared``: one pool of 3 sync workers serves everything (the proxy sends both kinds of request to it);
   - ``split``: web, 3 sync workers, and signin, 2 sync workers, at the same CPU priority. There are no containers
     here: the kernel shares the cores among processes, not pools, so two busy signin workers take more from web
     than they would from a container of its own, which Docker's equal weights keep at half the machine;
   - ``split-weighted``: the same, signin under ``nice -n 6`` (a CPU weight about a quarter of web's, as
     docker-compose.yml's ``cpu_shares: 256`` gives the container against web's default 1024);
   - ``split-one-core`` (only when asked for with --only): signin pinned to one core (``taskset -c 1``), about
     what ``cpus: "1.0"`` would allow it.

The bell: students arrive at random moments spread evenly over --bell seconds (the same moments for every
arrangement); each opens the sign-in page (GET: its CSRF cookie and token) and posts the form with the Origin a
browser sends, and has signed in when the answer is the redirect to the dashboard with a session cookie. Every
username is distinct and every password right, so django-axes counts no failure and locks nobody out. The page
load: signed-in demo students' dashboards (``/``), requested at random moments at --page-rate per second whatever
the server's pace (an open loop: a page's time counts from the moment it was due, so a queue shows). All requests
go through nginx on their own connection. CPU is read from /proc for each pool's processes, nginx and PostgreSQL.
Prints figures, asserts nothing.
"""

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCRATCH = tempfile.mkdtemp(prefix="heard-bench-bell-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["HEARD_VAR_DIR"] = SCRATCH
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heard")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import check_password, get_hasher, make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import School, User  # noqa: E402
from bench import serving  # noqa: E402

ROOT = serving.ROOT
BELL_PASSWORD = "otter-maple-42"  # noqa: S105 - the bench's own students, in a scratch database
SPARES = 12  # students for warming each pool and for the in-process sign-ins, never in the bell
PAGE_USERS = 20
PAGE_THREADS = 100  # the page load's client threads; the bell has one per student, as every student waits alone
CLK_TCK = os.sysconf("SC_CLK_TCK")
NGINX = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))

ARRANGEMENTS = {
    # name: (description, pools: [(label, workers, prefix)], signin pool index)
    "shared": ("one pool of 3 sync workers for everything", [("pool", 3, ())], 0),
    "split": ("web 3 workers + signin 2 workers, same CPU priority", [("web", 3, ()), ("signin", 2, ())], 1),
    "split-weighted": (
        "web 3 + signin 2 workers, signin at nice 6 (~cpu_shares 256 vs 1024)",
        [("web", 3, ()), ("signin", 2, ("nice", "-n", "6"))], 1,
    ),
    "split-one-core": (
        "web 3 + signin 2 workers, signin pinned to one core (~cpus: 1.0)",
        [("web", 3, ()), ("signin", 2, ("taskset", "-c", "1"))], 1,
    ),
}  # fmt: skip
DEFAULT_ARRANGEMENTS = ("shared", "split", "split-weighted")


# --- The anchor -----------------------------------------------------------------------------------------------


def hash_anchor() -> dict:
    """hash_cost.py in its own process (it configures its own Django): its median and its all-cores ceiling."""
    cmd = [sys.executable, str(serving.ANCHORS / "hash_cost.py"), "--runs", "10"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=serving.ANCHORS)
    for line in out.stdout.splitlines():
        print(f"  | {line}", flush=True)
    median = re.search(r"median ([\d.]+) ms", out.stdout)
    ceiling = re.search(r"at most ([\d.]+)/s", out.stdout)
    if out.returncode or not (median and ceiling):
        raise RuntimeError(f"hash_cost.py failed (exit {out.returncode}): {out.stderr[-1000:]}")
    return {"median_ms": float(median.group(1)), "ceiling": float(ceiling.group(1))}


# --- Seeding and the in-process sign-in -----------------------------------------------------------------------


def seed(students: int) -> tuple[list[str], list[str], list[str]]:
    """The bell's usernames, the spares', and the sessions of the demo students whose pages load meanwhile."""
    school = School.objects.order_by("pk").first()
    encoded = make_password(BELL_PASSWORD)  # the default hasher, at its iterations
    names = [f"bell.{n:03d}" for n in range(students)] + [f"spare.{n:02d}" for n in range(SPARES)]
    User.objects.bulk_create(
        User(username=name, first_name=name, role=User.Role.STUDENT, school=school, grade=4, password=encoded) for name in names
    )
    readers = User.objects.filter(role=User.Role.STUDENT, enrollments__isnull=False).distinct().order_by("pk")[:PAGE_USERS]
    return names[:students], names[students:], [serving.session_for(user) for user in readers]


def in_process_sign_in(spares: list[str]) -> dict:
    """Django's test client (no CSRF check), real hashing: the median time of a sign-in and of a bare
    check_password() of the same hash, taken in turns in this process, and one sign-in's queries."""
    client = Client(HTTP_HOST="127.0.0.1")
    encoded = User.objects.get(username=spares[0]).password
    times, checks, queries = [], [], None
    for name in spares:
        client.cookies.clear()
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/accounts/login/", {"username": name, "password": BELL_PASSWORD})
        times.append(time.perf_counter() - began)
        assert response.status_code == 302, response.status_code
        queries = captured.captured_queries
        began = time.perf_counter()
        check_password(BELL_PASSWORD, encoded)
        checks.append(time.perf_counter() - began)
    return {"median_ms": statistics.median(times) * 1000, "check_ms": statistics.median(checks) * 1000,
            "queries": [q["sql"] for q in queries]}  # fmt: skip


def in_process_page(session: str) -> float:
    """The median time of the page load's dashboard in process (Django's test client), of 5 after one warming."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session
    times = []
    for _ in range(6):
        began = time.perf_counter()
        assert client.get("/").status_code == 200
        times.append(time.perf_counter() - began)
    return statistics.median(times[1:]) * 1000


def query_summary(sqls: list[str]) -> str:
    """``SELECT accounts_user, UPDATE accounts_user, …``: each statement's verb and first table, in order."""
    parts = []
    for sql in sqls:
        verb = sql.split(None, 1)[0].upper()
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"([^"]+)"', sql)
        parts.append(f"{verb} {table.group(1) if table else '?'}")
    return ", ".join(parts)


# --- nginx ----------------------------------------------------------------------------------------------------


@contextmanager
def nginx_proxy(web_port: int, signin_port: int):
    """Debian's nginx with deploy/nginx.conf (its pool names made the local ports), inside a minimal http block as
    the official image includes it; its port. Stopped by its process id."""
    prefix = Path(tempfile.mkdtemp(prefix="heard-bench-nginx-"))
    prefix.chmod(0o755)  # its workers run as nobody when the bench runs as root
    port = serving.free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in (("web:8000", f"127.0.0.1:{web_port}"), ("signin:8000", f"127.0.0.1:{signin_port}"),
                     ("listen 8000;", f"listen 127.0.0.1:{port};")):  # fmt: skip
        if old not in site:
            raise RuntimeError(f"deploy/nginx.conf no longer has {old!r}")
        site = site.replace(old, new)
    (prefix / "heard.conf").write_text(site)
    (prefix / "main.conf").write_text(
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\nworker_processes 1;\n"
        "events { worker_connections 2048; }\n"
        f"http {{ access_log off; client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy; "
        f"fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi; "
        f"include {prefix}/heard.conf; }}\n"
    )
    base = [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(prefix / "main.conf")]
    subprocess.run([*base, "-t", "-q"], check=True)
    server = subprocess.Popen([*base, "-g", "daemon off;"])
    try:
        for _ in range(100):
            try:
                serving.http(port, "GET", "/healthz")
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("nginx did not come up")
        print(f"nginx pid {server.pid} on 127.0.0.1:{port}: POSTs that hash to 127.0.0.1:{signin_port}, the rest to 127.0.0.1:{web_port}", flush=True)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)


# --- CPU from /proc -------------------------------------------------------------------------------------------


def process_table() -> dict[int, tuple[str, int]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                head, rest = (entry / "stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            found[int(entry.name)] = (head.split("(", 1)[1], int(rest.split()[1]))
    return found


def tree(root: int, table) -> list[int]:
    pids = {root}
    grew = True
    while grew:
        grew = False
        for pid, (_name, parent) in table.items():
            if parent in pids and pid not in pids:
                pids.add(pid)
                grew = True
    return sorted(pids)


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each process still running."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    return found


def cpu_used(before: dict[int, float], pids) -> float:
    """CPU seconds ``pids`` used since ``before`` (a PostgreSQL backend started meanwhile counts from nothing; one
    that ended is not counted)."""
    return sum(now - before.get(pid, 0.0) for pid, now in cpu_seconds(pids).items())


def cpu_groups(roots: dict[str, int]) -> dict[str, list[int]]:
    table = process_table()
    groups = {label: tree(pid, table) for label, pid in roots.items()}
    groups["postgres"] = [pid for pid, (name, _) in table.items() if name.startswith("postgres")]
    groups["client (this bench)"] = [os.getpid()]  # its threads; its children are the servers above
    return groups


# --- The loads ------------------------------------------------------------------------------------------------


def form_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def cookie_of(head: str, name: str) -> str | None:
    found = re.search(rf"^set-cookie:\s*{name}=([^;]*)", head, re.I | re.M)
    return found.group(1) if found else None


def sign_in(port: int, username: str) -> str:
    """A student opening the sign-in page and posting it, as a browser does: "ok" once signed in, else what went wrong."""
    try:
        status, head, page = serving.http(port, "GET", "/accounts/login/", timeout=600)
        csrf = cookie_of(head, "csrftoken")
        if status != 200 or not csrf:
            return f"form {status}"
        body = urlencode({"csrfmiddlewaretoken": form_token(page), "username": username, "password": BELL_PASSWORD}).encode()
        headers = {"Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded",
                   "Origin": f"http://127.0.0.1:{port}"}  # fmt: skip
        status, head, _ = serving.http(port, "POST", "/accounts/login/", headers, body, timeout=600)
    except OSError as error:
        return type(error).__name__
    return "ok" if status == 302 and cookie_of(head, "sessionid") else f"sign-in {status}"


class PageLoad:
    """Signed-in dashboards at random moments, ``rate`` a second on average, until stopped; each page's time from
    the moment it was due."""

    def __init__(self, port: int, sessions: list[str], rate: float, pool: ThreadPoolExecutor):
        self.port, self.sessions, self.rate, self.pool = port, sessions, rate, pool
        self.done, self.lock, self.stopped = [], threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._schedule, daemon=True)

    def _one(self, due: float, session: str):
        try:
            status, _, _ = serving.http(self.port, "GET", "/", {"Cookie": f"sessionid={session}"}, timeout=180)
        except OSError:
            status = 0
        with self.lock:
            self.done.append((due, time.monotonic(), status))

    def _schedule(self):
        rng = random.Random(7)
        due = time.monotonic()
        while not self.stopped.is_set():
            due += rng.expovariate(self.rate)
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if not self.stopped.is_set():
                self.pool.submit(self._one, due, rng.choice(self.sessions))

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopped.set()
        self.thread.join()

    def figures(self, start: float, end: float) -> dict:
        """The pages due between ``start`` and ``end`` (and finished)."""
        with self.lock:
            mine = [(due, done, status) for due, done, status in self.done if start <= due < end]
        took = sorted(done - due for due, done, _ in mine)
        q = statistics.quantiles(took, n=100) if len(took) > 1 else [took[0] if took else 0.0] * 99
        return {
            "served": len(mine), "rps": len(mine) / (end - start), "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "max_ms": (took[-1] if took else 0) * 1000, "errors": sum(1 for *_, status in mine if status != 200),
        }  # fmt: skip


def ring_the_bell(port: int, students: list[str], bell: float, pool: ThreadPoolExecutor) -> dict:
    """Every student arrives at their moment and signs in; when each had signed in and how long they waited."""
    rng = random.Random(15)
    moments = sorted(rng.uniform(0, bell) for _ in students)
    results, lock = [], threading.Lock()
    start = time.monotonic()

    def student(name: str, at: float):
        due = start + at
        outcome = sign_in(port, name)
        with lock:
            results.append((due, time.monotonic(), outcome))

    futures = []
    for name, at in zip(students, moments, strict=True):
        wait = start + at - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        futures.append(pool.submit(student, name, at))
    for future in futures:
        future.result()
    end = max(done for _, done, _ in results)
    waits = sorted(done - due for due, done, _ in results)
    q = statistics.quantiles(waits, n=100)
    signed_in = sum(1 for *_, outcome in results if outcome == "ok")
    failed = Counter(outcome for *_, outcome in results if outcome != "ok")
    return {"failed": dict(failed),
        "start": start, "end": end, "all_in_s": end - start, "signed_in": signed_in, "per_s": signed_in / (end - start),
        "wait_p50_s": q[49], "wait_p95_s": q[94], "wait_max_s": waits[-1],
    }  # fmt: skip


def measure(name: str, args, students: list[str], spares: list[str], sessions: list[str]) -> dict:
    description, pools, signin_index = ARRANGEMENTS[name]
    load_average = os.getloadavg()[0]
    print(f"\n== {name}: {description}; {serving.machine_line()}", flush=True)
    with ExitStack() as stack:
        started = [stack.enter_context(serving.gunicorn_pool(SCRATCH, workers=w, prefix=p, label=f"{name} {label}"))
                   for label, w, p in pools]  # fmt: skip
        web_port, signin_port = started[0][0], started[signin_index][0]
        port, nginx_pid = stack.enter_context(nginx_proxy(web_port, signin_port))
        # Every worker with its database connection, templates and a hash behind it, as in a school day.
        for spare in spares[: 2 * sum(w for _, w, _ in pools)]:
            sign_in(port, spare)
        serving.warm(port, "/", {"Cookie": f"sessionid={sessions[0]}"})
        roots = {label: pid for (label, _, _), (_, pid) in zip(pools, started, strict=True)} | {"nginx": nginx_pid}

        with ThreadPoolExecutor(max_workers=PAGE_THREADS) as page_threads, ThreadPoolExecutor(len(students)) as bell_threads:
            load = PageLoad(port, sessions, args.page_rate, page_threads).start()
            try:
                alone_from = time.monotonic()
                time.sleep(args.baseline)
                cpu_before = {pid: sec for pids in cpu_groups(roots).values() for pid, sec in cpu_seconds(pids).items()}
                bell = ring_the_bell(port, students, args.bell, bell_threads)
                cpu = {label: cpu_used(cpu_before, pids) for label, pids in cpu_groups(roots).items()}
            finally:
                load.stop()
        alone = load.figures(alone_from, alone_from + args.baseline)
        during = load.figures(bell["start"], bell["end"])
    span = bell["all_in_s"]
    result = {"name": name, "description": description, "bell": bell, "alone": alone, "during": during, "load": load_average,
              "cpu": {label: seconds / span for label, seconds in cpu.items()}}  # fmt: skip
    print(
        f"   {bell['signed_in']}/{len(students)} signed in {bell['failed'] or ''}, the last answered after {span:.1f} s ({bell['per_s']:.1f}/s); a student's "
        f"wait p50 {bell['wait_p50_s']:.2f} s, p95 {bell['wait_p95_s']:.2f} s, max {bell['wait_max_s']:.2f} s\n"
        f"   pages alone: {alone['rps']:.1f} req/s, p50 {alone['p50_ms']:.0f} ms, p95 {alone['p95_ms']:.0f} ms; "
        f"during the bell: {during['rps']:.1f} req/s, p50 {during['p50_ms']:.0f} ms, p95 {during['p95_ms']:.0f} ms, "
        f"max {during['max_ms']:.0f} ms, {during['errors']} not 200\n"
        "   CPU during the bell (cores): " + ", ".join(f"{label} {share:.2f}" for label, share in result["cpu"].items()),
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--students", type=int, default=300, help="students signing in at the bell")
    parser.add_argument("--bell", type=float, default=60.0, help="seconds over which they arrive")
    parser.add_argument("--page-rate", type=float, default=10.0, help="signed-in page requests offered per second")
    parser.add_argument("--baseline", type=float, default=15.0, help="seconds of the page load alone, first")
    parser.add_argument("--only", default=",".join(DEFAULT_ARRANGEMENTS), help=f"arrangements, of {', '.join(ARRANGEMENTS)}")
    parser.add_argument("--rounds", type=int, default=1, help="measure the arrangements this many times, in turns")
    parser.add_argument("--show-queries", action="store_true", help="print one sign-in's SQL")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in ARRANGEMENTS]
    if unknown:
        parser.error(f"unknown arrangements {unknown}")
    if NGINX is None:
        print("needs nginx (apt install nginx-light): the two pools are measured behind deploy/nginx.conf")
        return
    print("anchor: ../shared/anchors/hash_cost.py --runs 10", flush=True)
    anchor = hash_anchor()
    call_command("collectstatic", interactive=False, verbosity=0)
    with serving.scratch_database("signin_bell", SCRATCH) as name:
        if connection.vendor != "postgresql":
            print("needs PostgreSQL (DATABASE_URL): gunicorn + PostgreSQL is what this measures")
            return
        call_command("seed_demo", stdout=StringIO())
        students, spares, sessions = seed(args.students)
        serving.analyze()
        hasher = get_hasher()
        print(f"database: {name} (the demo data and {len(students)} bell students); {serving.machine_line()}")
        print(f"hasher: {hasher.algorithm}, {hasher.iterations:,} iterations (PASSWORD_HASHERS "
              f"{'set in the settings' if settings.is_overridden('PASSWORD_HASHERS') else 'not set: Django’s default'})")  # fmt: skip
        one = in_process_sign_in(spares[-6:])
        print(f"one sign-in in process: {one['median_ms']:.0f} ms, a bare check_password {one['check_ms']:.0f} ms (medians "
              f"of 6, in turns): Heard's own part {one['median_ms'] - one['check_ms']:.0f} ms; {len(one['queries'])} "
              f"queries: {query_summary(one['queries'])}")  # fmt: skip
        print(f"the page load's dashboard in process: {in_process_page(sessions[0]):.0f} ms (median of 5)")
        if args.show_queries:
            print("\n".join(f"   {sql}" for sql in one["queries"]))
        results = [measure(arrangement, args, students, spares, sessions) for _ in range(args.rounds) for arrangement in chosen]
    after = hash_anchor()
    offered = args.students / args.bell
    print(f"\n{args.students} students arriving over {args.bell:.0f} s ({offered:.1f}/s offered), dashboards offered at "
          f"{args.page_rate:.0f}/s; hash_cost {anchor['median_ms']:.0f} ms before, {after['median_ms']:.0f} ms after "
          f"(at most {anchor['ceiling']:.1f} checks/s on {os.cpu_count()} cores)")  # fmt: skip
    print("(in: students signed in; last: when the last student had an answer; load: the machine's 1-minute load "
          "average as the arrangement started, 2 cores shared with other work)")
    print(f"\n{'arrangement':<16} {'in':>4} {'last':>7} {'sign-in/s':>9} {'of hash max':>11} {'wait p50':>8} {'p95':>6}   "
          f"{'pages alone p50/p95':>20}   {'during: req/s':>13} {'p50':>6} {'p95':>7} {'load':>5}")  # fmt: skip
    for r in results:
        b, a, d = r["bell"], r["alone"], r["during"]
        print(f"{r['name']:<16} {b['signed_in']:4} {b['all_in_s']:6.1f}s {b['per_s']:9.1f} {b['per_s'] / anchor['ceiling']:10.0%} "
              f"{b['wait_p50_s']:7.2f}s {b['wait_p95_s']:5.1f}s   {a['p50_ms']:9.0f} / {a['p95_ms']:4.0f} ms   "
              f"{d['rps']:13.1f} {d['p50_ms']:4.0f}ms {d['p95_ms']:5.0f}ms {r['load']:5.1f}")  # fmt: skip
    print(f"\nat the end: {serving.machine_line()}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
