"""The program-fidelity report at one school and at a district of 50,000 students, side by side: its pages and
its CSV, in process (median ms, queries, bytes) and, with --serve, under gunicorn beside the page_ceiling anchor.

    .venv/bin/python bench/fidelity.py                     # PostgreSQL at 127.0.0.1:5432 (user postgres)
    .venv/bin/python bench/fidelity.py --runs 30 --csv-runs 5
    .venv/bin/python bench/fidelity.py --serve --duration 10   # and ab -c 8 on each page, after the anchor

Seeds (bulk_create) two districts into one scratch database beside DATABASE_URL's (``heard_bench_fidelity_<pid>``,
dropped at the end): **one school** (20 classrooms of 25 students: 500) and **a district** of 60 schools in
five time zones with 2,000 classrooms of 25 students (50,000). Every classroom has a teacher and eight sessions a
month apart around today: four past ones held (one in seven of the third cancelled, one in five of the last left
unmarked) and four to come; each held session has its register (every student, one in ten away).

Then, for each size, with Django's test client (DEBUG off; one warm-up request, then ``--runs`` timed ones, the
CSV ``--csv-runs``; queries counted on one more request): the district admin's first page (the schools), the
district admin's page of the largest school's classrooms, the school admin's page of their classrooms, and the
CSV of the whole district (read to its end). One table shows both sizes and the large / small ratio, so
whether a page stays flat is visible at a glance; the anchor (../shared/anchors/page_ceiling.py, its signed-in tiny
page under ``ab -c 1``, before and after the pages) gives each median in anchor pages, a figure another run can
compare. With --serve: ../shared/anchors/page_ceiling.py, then Heard
under the anchor's gunicorn command and ``ab`` line on each page of each size, then the anchor again.

Prints figures, asserts nothing. Works on SQLite too (a file in a temp dir), without --serve.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCRATCH = tempfile.mkdtemp(prefix="heard-bench-fidelity-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["HEARD_VAR_DIR"] = SCRATCH
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heard")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bench import district_data, serving  # noqa: E402
from classrooms.models import Classroom, Session, SessionAttendance  # noqa: E402

ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage"]
SIZES = {  # label: (schools, classrooms)
    "one school": (1, 20),
    "50,000 students": (60, 2000),
}
URL = reverse("classrooms:fidelity")


def seed(label: str, n_schools: int, n_classrooms: int, code: str, now) -> dict:
    """One district of ``n_schools`` and ``n_classrooms`` (see the module's docstring); its admins and facts."""

    def sessions_of(n: int, classroom: Classroom) -> list[Session]:
        at = now.replace(second=0, microsecond=0) + timedelta(minutes=n % 600)
        sessions = []
        for month in (-4, -3, -2, -1):
            status = Session.Status.HELD
            if month == -2 and n % 7 == 0:
                status = Session.Status.CANCELLED
            elif month == -1 and n % 5 == 0:
                status = Session.Status.PLANNED  # over and nobody marked it: "not marked"
            sessions.append(Session(classroom=classroom, starts_at=at + timedelta(days=30 * month), status=status))
        return sessions + [Session(classroom=classroom, starts_at=at + timedelta(days=30 * month)) for month in (1, 2, 3, 4)]

    grown = district_data.district_grow(
        district=f"Bench {label}", n_schools=n_schools, n_classrooms=n_classrooms, code=code, now=now,
        sessions_of=sessions_of, zones=ZONES, registers=True,
    )  # fmt: skip
    district, schools, classrooms = grown.district, grown.schools, grown.classrooms
    district_admin = User.objects.create_user(
        username=f"{code}-district-admin", password=None, role=User.Role.DISTRICT_ADMIN, district=district
    )
    school_admin = User.objects.create_user(
        username=f"{code}-school-admin", password=None, role=User.Role.SCHOOL_ADMIN, school=schools[0]
    )
    biggest = max(schools, key=lambda s: sum(1 for c in classrooms if c.school_id == s.pk))
    return {
        "district admin": district_admin,
        "school admin": school_admin,
        "biggest school": biggest,
        "facts": (
            f"{n_schools:,} schools, {n_classrooms:,} classrooms, {grown.students:,} students, {grown.sessions:,} sessions, "
            f"{SessionAttendance.objects.filter(session__classroom__school__district=district).count():,} register lines"
        ),
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def in_process(who: User, url: str, runs: int) -> dict:
    """One warm-up request, ``runs`` timed ones (median and slowest), then one more with its queries counted."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(who)
    body(client.get(url))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        content = body(response)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        content = body(response)
    return {
        "status": response.status_code,
        "sql": [(float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries],
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "queries": len(queries),
        "bytes": len(content),
        "streamed": response.streaming,
    }


def pages_of(size: dict) -> list[tuple[str, User, str, int]]:
    """(label, who, URL, which runs) of each thing measured."""
    admin, school_admin, biggest = size["district admin"], size["school admin"], size["biggest school"]
    return [
        ("district admin: schools, page 1", admin, URL, 0),
        ("district admin: one school's classrooms", admin, f"{URL}?school={biggest.pk}", 0),
        ("school admin: their classrooms", school_admin, URL, 0),
        ("CSV of the whole district", admin, f"{URL}?format=csv", 1),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20, help="timed requests of each page (median)")
    parser.add_argument("--csv-runs", type=int, default=5, help="timed downloads of each CSV (median)")
    parser.add_argument("--sql", action="store_true", help="print each query of the large size's pages and its time")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of each large page")
    parser.add_argument("--serve", action="store_true", help="also ab -c 8 under gunicorn, beside the page_ceiling anchor")
    parser.add_argument("--duration", type=int, default=serving.DURATION, help="seconds of ab a page (with --serve)")
    parser.add_argument("--anchor-duration", type=int, default=5,
                        help="seconds of the in-process anchor (page_ceiling.py, ab -c 1) before and after; 0 skips it")
    args = parser.parse_args()
    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
    with serving.scratch_database("fidelity", SCRATCH) as name:
        now = timezone.now()
        sizes = {}
        for (label, (n_schools, n_classrooms)), code in zip(SIZES.items(), ("S", "L"), strict=True):
            start = time.perf_counter()
            sizes[label] = seed(label, n_schools, n_classrooms, code, now)
            print(f"{label}: {sizes[label]['facts']} (seeded in {time.perf_counter() - start:.1f} s)", flush=True)
        serving.analyze()
        print(f"database: {connection.vendor} ({name}); {serving.machine_line()}")
        print(f"in process (Django's test client, DEBUG off): median of {args.runs} requests a page, {args.csv_runs} a CSV\n")
        small, large = SIZES
        anchor = serving.run_anchor(tool="ab", concurrency=1, duration=args.anchor_duration)["ab"] if args.anchor_duration else None
        results = {
            label: [
                (page, in_process(who, url, (args.runs, args.csv_runs)[csv]), who, url)
                for page, who, url, csv in pages_of(size)
            ]
            for label, size in sizes.items()
        }
        head = f"{'':<42}{small:>31} {large:>34}  {'large / small':>14}"
        print(head)
        print(f"{'':<42}{'ms':>9} {'max':>7} {'queries':>7} {'bytes':>8}   {'ms':>9} {'max':>7} {'queries':>7} {'bytes':>10}  {'ms':>6} {'bytes':>7}")
        for (page, a, *_), (_, b, *_) in zip(results[small], results[large], strict=True):
            note = "" if a["status"] == b["status"] == 200 else f"  (status {a['status']}, {b['status']})"
            print(
                f"{page:<42}{a['median_ms']:9.1f} {a['max_ms']:7.1f} {a['queries']:7} {a['bytes']:8,}   "
                f"{b['median_ms']:9.1f} {b['max_ms']:7.1f} {b['queries']:7} {b['bytes']:10,}  "
                f"{b['median_ms'] / a['median_ms']:5.1f}x {b['bytes'] / a['bytes']:6.1f}x{note}"
            )
        if anchor is not None:
            after = serving.run_anchor(tool="ab", concurrency=1, duration=args.anchor_duration)["ab"]
            unit = (anchor["p50_ms"] + after["p50_ms"]) / 2
            print(
                f"\nanchor (page_ceiling.py's signed-in tiny page under gunicorn, ab -c 1): p50 {anchor['p50_ms']:.1f} ms "
                f"before, {after['p50_ms']:.1f} ms after ({after['p50_ms'] / anchor['p50_ms'] - 1:+.0%}); each page's "
                f"median in anchor pages (ms / {unit:.1f} ms):"
            )
            for (page, a, *_), (_, b, *_) in zip(results[small], results[large], strict=True):
                print(f"  {page:<42}{a['median_ms'] / unit:7.1f} x {small:<12}{b['median_ms'] / unit:7.1f} x {large}")
        if args.sql:
            for page, measured, *_ in results[large]:
                print(f"\n{page} ({large}): {sum(t for t, _ in measured['sql']):.1f} ms in {len(measured['sql'])} queries")
                for ms, sql in measured["sql"]:
                    print(f"  {ms:7.1f} ms  {sql[:220]}")
        if args.explain and connection.vendor == "postgresql":
            for page, measured, *_ in results[large]:
                ms, sql = max((q for q in measured["sql"] if not q[1].startswith("DECLARE")), key=lambda q: q[0])
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(f"    {row[0]}" for row in cursor.fetchall())
                print(f"\nslowest query of {page} ({large}), {ms:.1f} ms:\n  {sql}\n{plan}")
        streamed = {label: rows[-1][1]["streamed"] for label, rows in results.items()}
        print(f"\nthe CSV is streamed (StreamingHttpResponse): {streamed}")
        if args.serve:
            serve(results, args.duration)


def serve(results: dict, duration: int) -> None:
    """The anchor, then each page of each size under Heard's gunicorn and the anchor's ab line, then the anchor again."""
    if connection.vendor != "postgresql":
        print("--serve needs PostgreSQL (DATABASE_URL): gunicorn + PostgreSQL is what it measures")
        return
    anchor = serving.run_anchor(tool="ab", duration=duration)["ab"]
    served = []
    with serving.heard_gunicorn(SCRATCH) as port:
        for label, rows in results.items():
            for page, _measured, who, url in rows:
                key = serving.session_for(who)
                serving.warm(port, url, {"Cookie": f"sessionid={key}"})
                served.append((f"{page} ({label})", serving.ab_get(port, url, key, duration=duration)))
    after = serving.run_anchor(tool="ab", duration=duration)
    print(f"\nab -c {serving.CONCURRENCY} for {duration} s a page; anchor (signed-in tiny page) "
          f"{anchor['rps']:.0f} req/s, p50 {anchor['p50_ms']:.1f} ms, p95 {anchor['p95_ms']:.1f} ms")  # fmt: skip
    print(f"\n{'page':<62} {'req/s':>7} {'p50':>8} {'p95':>8} {'bytes':>10} {'of ceiling':>11}")
    for label, r in served:
        note = f"  ({r['errors']} ab errors or non-2xx)" if r["errors"] else ""
        print(f"{label:<62} {r['rps']:7.1f} {r['p50_ms']:6.1f}ms {r['p95_ms']:6.1f}ms {r['bytes']:10,} {r['rps'] / anchor['rps']:10.1%}{note}")
    print()
    print(serving.drift_line({"ab": anchor}, after))
    print(f"at the end: {serving.machine_line()}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
