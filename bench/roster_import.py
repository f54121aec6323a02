"""Roster import of 5,000 students: wall time and peak memory of each step, and what hashing their passwords would cost.

    .venv/bin/python bench/roster_import.py                     # scratch SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard .venv/bin/python bench/roster_import.py
    .venv/bin/python bench/roster_import.py --students 5000 --hash 200   # hash 200 and extrapolate (quick)

Builds a simple CSV of 5,000 students in 200 classrooms and imports it into a fresh school:
read (decode, csv, one Django form per row), plan (compare with the database), stage (what the
session keeps), confirm (the one-transaction write), then plans the same file again (all
unchanged). The same steps run a second time, into another school, under tracemalloc for their
peak memory (tracemalloc slows Python down, so times come from the first run). Then the two HTTP
requests an admin makes (upload -> preview page, confirm) are timed through the test client.

Last, it hashes ``--hash`` proposed passwords (default: all 5,000) with the project's password
hasher, as ``classroom_students_create`` does, and prints that time on its own: the import itself
gives new students unusable passwords (their teacher's sign-in cards issue real ones), and this
figure is why.

Works in a scratch database created beside DATABASE_URL's (a file in a temp dir for SQLite) and
dropped at the end. Prints figures and asserts nothing.
"""

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCRATCH = tempfile.mkdtemp(prefix="heard-bench-roster-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("HEARD_VAR_DIR", SCRATCH)  # the on-disk broker's folders, not the project's var/
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH}/heard.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hasher  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.credentials import hash_passwords, propose_password  # noqa: E402
from accounts.models import District, School, User  # noqa: E402
from classrooms.roster.reader import read_roster  # noqa: E402
from classrooms.roster.selectors import roster_plan  # noqa: E402
from classrooms.roster.services import roster_import_confirm  # noqa: E402
from classrooms.school_years import current_school_year  # noqa: E402


def build_csv(students: int, prefix: str, per_classroom: int = 25) -> bytes:
    lines = ["name,username,email,grade,classroom"]
    lines += [f"Kid{n} Test{n},{prefix}kid{n},,{n % 9},Room {prefix}{n // per_classroom}" for n in range(students)]
    return ("\n".join(lines) + "\n").encode()


def new_admin(label: str) -> User:
    district, _ = District.objects.get_or_create(name="Bench district")
    school = School.objects.create(district=district, name=f"Bench school {label}")
    return User.objects.create(username=f"bench-admin-{label}", role=User.Role.SCHOOL_ADMIN, school=school)


class Steps:
    """Times (and, with tracemalloc on, peak memory of) each step."""

    def __init__(self, memory: bool):
        self.memory = memory
        self.results: dict[str, tuple[float, int]] = {}

    def run(self, label: str, call):
        if self.memory:
            tracemalloc.reset_peak()
        start = time.perf_counter()
        value = call()
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if self.memory else 0
        self.results[label] = (elapsed, peak)
        return value


def import_steps(students: int, prefix: str, memory: bool) -> tuple[Steps, dict]:
    steps = Steps(memory)
    admin = new_admin(prefix)
    year = current_school_year()
    data = steps.run("build the CSV", lambda: build_csv(students, prefix))
    roster = steps.run("read: decode, csv, a form per row", lambda: read_roster("roster.csv", data))
    plan = steps.run(
        "plan: compare with the database",
        lambda: roster_plan(roster=roster, school_id=admin.school_id, school_year=year),
    )
    staged = steps.run(
        "stage: to session data",
        lambda: SessionStore().encode({"roster_import": {"roster": roster.to_data(), "digest": plan.digest}}),
    )
    with CaptureQueriesContext(connection) as queries:
        result = steps.run(
            "confirm: the one-transaction write",
            lambda: roster_import_confirm(roster=roster, school_year=year, digest=plan.digest, by=admin),
        )
    again = steps.run(
        "plan the same file again",
        lambda: roster_plan(roster=roster, school_id=admin.school_id, school_year=year),
    )
    facts = {
        "file bytes": len(data),
        "rows": roster.rows,
        "errors": len(plan.errors),
        "students created": result.created_students,
        "classrooms created": result.created_classrooms,
        "queries in confirm": len(queries.captured_queries),
        "session data bytes (signed, compressed)": len(staged),
        "plain JSON bytes of the staged roster": len(json.dumps(roster.to_data())),
        "changes on the second plan": int(again.has_changes),
    }  # fmt: skip
    return steps, facts


def http_requests(students: int) -> dict[str, float]:
    admin = new_admin("http")
    client = Client()
    client.force_login(admin)
    data = build_csv(students, "h")
    start = time.perf_counter()
    preview = client.post(reverse("classrooms:roster_import"), {"file": SimpleUploadedFile("roster.csv", data)})
    upload_s = time.perf_counter() - start
    form = preview.context["confirm_form"]
    start = time.perf_counter()
    done = client.post(reverse("classrooms:roster_import_confirm"), form.initial)
    confirm_s = time.perf_counter() - start
    assert done.status_code == 302, done.status_code
    return {
        f"POST upload -> preview page ({len(preview.content) // 1024} KB of HTML)": upload_s,
        "POST confirm -> redirect": confirm_s,
    }


def hashing(count: int, students: int) -> None:
    hasher = get_hasher()
    iterations = getattr(hasher, "iterations", "?")
    passwords = [propose_password() for _ in range(count)]
    start = time.perf_counter()
    hash_passwords(passwords)
    elapsed = time.perf_counter() - start
    per = elapsed / count
    print(
        f"\nhashing {count} passwords with {hasher.algorithm} ({iterations} iterations), {os.cpu_count()} cores, hash_passwords' threads:"
    )
    print(f"  {elapsed:8.1f} s  ({per * 1000:.0f} ms a password, wall)")
    if count != students:
        print(f"  -> {students} passwords: about {per * students:.0f} s ({per * students / 60:.1f} min)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--hash", type=int, default=None, help="passwords to hash (default: as many as students)")
    args = parser.parse_args()
    hash_count = args.students if args.hash is None else args.hash

    setup_test_environment()  # the test client's host, and response.context
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"{SCRATCH}/bench.sqlite3"
    else:
        connection.settings_dict["TEST"]["NAME"] = f"heard_bench_roster_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); {args.students} students")
        timed, facts = import_steps(args.students, "a", memory=False)
        tracemalloc.start()
        measured, _facts = import_steps(args.students, "b", memory=True)
        tracemalloc.stop()
        print(f"\n{'step':<40} {'wall':>9} {'peak memory':>13}")
        for label, (elapsed, _peak) in timed.results.items():
            peak = measured.results[label][1]
            print(f"{label:<40} {elapsed:8.2f}s {peak / 1024 / 1024:10.1f} MB")
        total = sum(elapsed for label, (elapsed, _p) in timed.results.items() if label != "build the CSV")
        print(f"{'read + plan + stage + confirm + re-plan':<40} {total:8.2f}s")
        print()
        for key, value in facts.items():
            print(f"  {key}: {value:,}")
        print("\nthrough the views (test client):")
        # Pages name plain static files: the manifest of collectstatic is not needed to time a view.
        plain_static = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=plain_static):
            figures = http_requests(args.students)
        for label, elapsed in figures.items():
            print(f"  {label:<52} {elapsed:6.2f} s")
        print(f"  process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        if hash_count:
            hashing(hash_count, args.students)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
