"""Live practice under load: 30 classrooms x 30 students, each student's page polling its listening circle every
2 seconds (htmx, If-None-Match), under gunicorn + PostgreSQL. Prints requests per second served, p50/p95 of a
poll, the share answered 304, and the server's CPU (gunicorn's workers and PostgreSQL's backends).

    .venv/bin/python bench/live_polls.py                 # PostgreSQL at 127.0.0.1:5432 (user postgres)
    .venv/bin/python bench/live_polls.py --duration 20   # seconds of load (default 30)
    .venv/bin/python bench/live_polls.py --ab-duration 10  # seconds of each ab measurement (default 20)

Beside the anchor, in the same run: ../shared/anchors/page_ceiling.py first (its signed-in tiny page with the
ab line), then one student's poll under the same ab line, answered 304 (If-None-Match: its ETag) and answered
in full (no ETag), with the ratios to the anchor; then the class-sized load above; then the anchor again, so a
machine that got busier during the run shows.

Seeds (bulk_create) a school of 900 students in 30 classrooms, each with its teacher and a listening circle under
way (6 groups of 5, a turn each), and a database session per student. The load is a Python client: 900 pollers
spread over threads, each polling ``/curriculum/live/<pk>/poll/student/`` every 2 s on its own connection, with
the ETag of the last page it got. Meanwhile the circles move on as a class would: once a second a random class's
turn changes (its ``stage`` is bumped), so its 30 pollers get a full page once and 304s again after.

Gunicorn runs as bench/serving.py starts it (3 sync workers, DEBUG off). CPU is read from /proc (user + system
time of gunicorn's master and workers, and of every postgres process) before and after the load. Works in a
scratch database beside DATABASE_URL's, dropped at the end. Prints figures, asserts nothing.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCRATCH = tempfile.mkdtemp(prefix="heard-bench-live-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["HEARD_VAR_DIR"] = SCRATCH
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heard")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, School, User  # noqa: E402
from bench import serving  # noqa: E402
from classrooms.models import Classroom, Enrollment  # noqa: E402
from classrooms.school_years import current_school_year  # noqa: E402
from curriculum import content  # noqa: E402
from curriculum.models import Activity, CircleTurn, LiveGroup, LiveMember, LiveRun  # noqa: E402

CLASSROOMS, PER_CLASSROOM, GROUP = 30, 30, 5
EVERY = 2.0  # seconds between a student's polls (the page's hx-trigger)
THREADS = 60
CLK_TCK = os.sysconf("SC_CLK_TCK")


def seed(now) -> list[tuple[int, str]]:
    """(run id, session key) for each of the 900 students."""
    activity = (
        Activity.objects.filter(kind=content.Kind.LISTENING_CIRCLE, lesson__owner__isnull=True).order_by("pk").first()
    )
    district = District.objects.create(name="Bench district")
    school = School.objects.create(district=district, name="Bench school", time_zone="America/Chicago")
    no_password = make_password(None)
    teachers = User.objects.bulk_create(
        User(username=f"teacher{n}", role=User.Role.TEACHER, school=school, password=no_password)
        for n in range(CLASSROOMS)
    )
    classrooms = Classroom.objects.bulk_create(
        Classroom(school=school, name=f"Room {n}", grade=4, school_year=current_school_year(),
                  join_code=f"LP{n:04d}", join_code_expires_at=now + timedelta(days=30))
        for n in range(CLASSROOMS)
    )  # fmt: skip
    Classroom.teachers.through.objects.bulk_create(
        Classroom.teachers.through(classroom=c, user=t) for c, t in zip(classrooms, teachers, strict=True)
    )
    students = User.objects.bulk_create(
        User(username=f"kid{n}", first_name=f"Kid{n}", role=User.Role.STUDENT, school=school, grade=4, password=no_password)
        for n in range(CLASSROOMS * PER_CLASSROOM)
    )  # fmt: skip
    Enrollment.objects.bulk_create(
        Enrollment(classroom=classrooms[n // PER_CLASSROOM], student=s) for n, s in enumerate(students)
    )
    runs = LiveRun.objects.bulk_create(
        LiveRun(classroom=c, activity=activity, kind=activity.kind, title=activity.title, content=activity.content,
                band="3_5", state=LiveRun.State.RUNNING, led_by=t, started_at=now, state_changed_at=now)
        for c, t in zip(classrooms, teachers, strict=True)
    )  # fmt: skip
    groups = LiveGroup.objects.bulk_create(
        LiveGroup(run=r, number=g + 1) for r in runs for g in range(PER_CLASSROOM // GROUP)
    )
    group_of = {(g.run_id, g.number): g for g in groups}
    LiveMember.objects.bulk_create(
        LiveMember(run=runs[n // PER_CLASSROOM], student=s, group=group_of[(runs[n // PER_CLASSROOM].pk, (n % PER_CLASSROOM) // GROUP + 1)])
        for n, s in enumerate(students)
    )  # fmt: skip
    turns = []
    for n in range(0, len(students), GROUP):
        run = runs[n // PER_CLASSROOM]
        turns.append(CircleTurn(run=run, group=group_of[(run.pk, (n % PER_CLASSROOM) // GROUP + 1)], number=1,
                                speaker=students[n], reflector=students[n + 1], seconds=240, started_at=now,
                                ends_at=now + timedelta(hours=2)))  # fmt: skip
    CircleTurn.objects.bulk_create(turns)
    return [(runs[n // PER_CLASSROOM].pk, serving.session_for(s)) for n, s in enumerate(students)]


def cpu_by_pid(pids) -> dict[int, float]:
    """User + system CPU seconds of each process still running."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime
    return found


def cpu_used(before: dict[int, float], pids) -> float:
    """CPU seconds the processes ``pids`` (listed again at the end: PostgreSQL starts a backend per new
    connection) used since ``before``; a process that ended during the load is not counted."""
    return sum(now - before.get(pid, 0.0) for pid, now in cpu_by_pid(pids).items())


def processes() -> dict[int, tuple[str, int]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                head, rest = (entry / "stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            found[int(entry.name)] = (head.split("(", 1)[1], int(rest.split()[1]))
    return found


def gunicorn_and_postgres() -> tuple[list[int], list[int]]:
    table = processes()
    masters = [pid for pid, (name, _) in table.items() if name.startswith("python") and "gunicorn" in _cmdline(pid)]
    tree = set(masters)
    for pid, (_, parent) in table.items():
        if parent in tree:
            tree.add(pid)
    return sorted(tree), [pid for pid, (name, _) in table.items() if name.startswith("postgres")]


def _cmdline(pid) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def load(port: int, pollers: list[tuple[int, str]], duration: float, run_ids: list[int]) -> dict:
    latencies, statuses, lock = [], {}, threading.Lock()
    stop_at = time.monotonic() + duration

    def poll_lane(mine):
        etags = {}
        due = [time.monotonic() + random.random() * EVERY for _ in mine]  # the pages did not all open at once
        while True:
            k = min(range(len(mine)), key=due.__getitem__)
            wait = due[k] - time.monotonic()
            if due[k] > stop_at:
                return
            if wait > 0:
                time.sleep(wait)
            run_pk, session = mine[k]
            headers = {"Cookie": f"sessionid={session}", "HX-Request": "true"}
            if k in etags:
                headers["If-None-Match"] = etags[k]
            began = time.perf_counter()
            try:
                status, head, _ = serving.http(port, "GET", f"/curriculum/live/{run_pk}/poll/student/", headers)
            except OSError:
                status, head = 0, ""
            took = time.perf_counter() - began
            for line in head.split("\r\n"):
                if line.lower().startswith("etag:"):
                    etags[k] = line.split(":", 1)[1].strip()
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1
            due[k] += EVERY

    def teacher():
        while time.monotonic() < stop_at:
            LiveRun.objects.filter(pk=random.choice(run_ids)).update(stage=F("stage") + 1, version=F("version") + 1)
            time.sleep(1.0)
        connection.close()

    lanes = [pollers[i::THREADS] for i in range(THREADS)]
    threads = [threading.Thread(target=poll_lane, args=(lane,)) for lane in lanes] + [threading.Thread(target=teacher)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "statuses": statuses, "wall": time.monotonic() - began}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds of load")
    parser.add_argument("--ab-duration", type=int, default=serving.DURATION, help="seconds of each ab measurement")
    args = parser.parse_args()
    anchor = serving.run_anchor(tool="ab", duration=args.ab_duration)["ab"]
    call_command("collectstatic", interactive=False, verbosity=0)
    with serving.scratch_database("live_polls", SCRATCH) as name:
        if connection.vendor != "postgresql":
            print("needs PostgreSQL (DATABASE_URL): gunicorn + PostgreSQL is what this measures")
            return
        now = timezone.now()
        pollers = seed(now)
        serving.analyze()
        run_ids = sorted({run for run, _ in pollers})
        print(f"database: {name}; {serving.machine_line()}; {len(pollers)} students in {len(run_ids)} circles, "
              f"a poll every {EVERY:.0f} s each (offered: {len(pollers) / EVERY:.0f} polls/s), {THREADS} client threads")  # fmt: skip
        with serving.heard_gunicorn(SCRATCH) as port:
            serving.warm(
                port, f"/curriculum/live/{pollers[0][0]}/poll/student/", {"Cookie": f"sessionid={pollers[0][1]}"}
            )
            target = f"/curriculum/live/{pollers[0][0]}/poll/student/"
            _, head, _ = serving.http(port, "GET", target, {"Cookie": f"sessionid={pollers[0][1]}", "HX-Request": "true"})
            etag = next(line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("etag:"))
            unchanged = serving.ab_get(port, target, pollers[0][1], duration=args.ab_duration,
                                       headers={"HX-Request": "true", "If-None-Match": etag})  # fmt: skip
            full = serving.ab_get(port, target, pollers[0][1], duration=args.ab_duration, headers={"HX-Request": "true"})
            web, db = gunicorn_and_postgres()
            before = cpu_by_pid(web + db)
            result = load(port, pollers, args.duration, run_ids)
            web, db = gunicorn_and_postgres()
            cpu_web, cpu_db = cpu_used(before, web), cpu_used(before, db)
        lat = sorted(result["latencies"])
        served = len(lat)
        statuses = result["statuses"]
        q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0] * 99
        wall = result["wall"]
        print(f"\n{served:,} polls in {wall:.1f} s: {served / wall:.0f} requests/s served "
              f"(offered {len(pollers) / EVERY:.0f}/s)")  # fmt: skip
        print(f"poll latency: p50 {q[49] * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms")
        print(f"answered 304: {statuses.get(304, 0) / served:.1%}; 200: {statuses.get(200, 0) / served:.1%}; "
              f"other: {sum(v for k, v in statuses.items() if k not in (200, 304))} ({dict(sorted(statuses.items()))})")  # fmt: skip
        cores = os.cpu_count()
        print(f"server CPU: gunicorn (master + {len(web) - 1} workers) {cpu_web:.1f} s = {cpu_web / wall:.0%} of one core; "
              f"PostgreSQL ({len(db)} processes) {cpu_db:.1f} s = {cpu_db / wall:.0%} of one core; "
              f"together {(cpu_web + cpu_db) / wall / cores:.0%} of the machine's {cores} cores")  # fmt: skip
        print()
        print(serving.ratio_line("one poll, answered 304 [ab]", unchanged, anchor))
        print(serving.ratio_line(f"one poll, answered in full [ab, {full['bytes']:,} B]", full, anchor))
        print(f"{'class-sized load served':<34} {served / wall:7.0f} req/s = {served / wall / anchor['rps']:.2f}x the anchor's "
              f"saturated rate (offered {len(pollers) / EVERY:.0f}/s; {len(pollers) / EVERY / anchor['rps']:.2f}x)")  # fmt: skip
        print(serving.drift_line({"ab": anchor}, serving.run_anchor(tool="ab", duration=args.ab_duration)))
        print(f"{serving.machine_line()} (after)")


if __name__ == "__main__":
    main()
