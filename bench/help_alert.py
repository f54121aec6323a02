"""How soon an adult hears of a flagged help request: from the student's POST to the counselor's in-app alert, and to
the alert's e-mail being handed to the mail backend by a real Celery worker on Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard .venv/bin/python bench/help_alert.py
    .venv/bin/python bench/help_alert.py --runs 50          # default 20, after 2 to warm up
    .venv/bin/python bench/help_alert.py                    # PostgreSQL at 127.0.0.1:5432 by default; a SQLite
                                                            # DATABASE_URL works too (a scratch file)

Seeds one school with a student in a classroom, two counselors (with e-mail) and an orange hat. Starts one
``celery worker`` (solo pool, the production settings, broker BENCH_REDIS_URL, default db 13) whose e-mail backend
is Django's file backend writing to a scratch folder. Then, ``--runs`` times, one after the other, the student
(signed in, Django's test client, DEBUG off) POSTs a request whose words the screen flags ("... kill myself ..."),
and the bench times, from the start of the POST:

1. the response (the request, its screen, its event log and the counselors' notifications are committed
   before it answers; the on-commit publish of the e-mail sweep to Redis is inside it too);
2. the first counselor's notification row, read from the database right after;
3. the first counselor's page (/help/supervise/) showing the navigation bar's alert, fetched right after;
4. the e-mail to the first counselor handed to the backend by the worker: the modification time of the file the
   file backend appended it to (polled every 2 ms; the time is the file's, not the poll's).

Between runs the counselor opens the request (so the bar reads "1 safety request" each time). Prints the median,
p95 and max of each; asserts nothing. Works in a scratch database created beside DATABASE_URL's and dropped at the
end; the worker is stopped and the Redis keys it and the bench added are deleted.
"""

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCRATCH = Path(tempfile.mkdtemp(prefix="heard-bench-help-alert-"))
(SCRATCH / "staticfiles").mkdir()  # whitenoise looks for it under HEARD_VAR_DIR (nothing is served from it)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heard")
os.environ["HEARD_VAR_DIR"] = str(SCRATCH)
os.environ["CELERY_BROKER_URL"] = REDIS_URL  # a Redis URL: settings.py gives production's transport options
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, School, User  # noqa: E402
from classrooms.models import Classroom, Enrollment  # noqa: E402
from notifications.models import Notification  # noqa: E402
from peer_counselors.models import CounselorProfile, HelpDesk, HelpRequest, Topic  # noqa: E402
from peer_counselors.services import help_request_view_record  # noqa: E402

WARM_UP = 2
FLAGGING = "I want to kill myself, nobody at recess talks to me anymore"
ALERT = "1 safety request"  # the navigation bar's badge, peer_counselors/_alert_badge.html


def seed() -> dict:
    district = District.objects.create(name="Bench district")
    school = School.objects.create(district=district, name="Bench school", time_zone="America/Chicago")
    student = User.objects.create_user(username="bench-student", role=User.Role.STUDENT, school=school, grade=4,
                                       first_name="Mia", last_name="Stone")  # fmt: skip
    room = Classroom.objects.create(school=school, name="Room 4B", grade=4, school_year=2026, join_code="BENCHHELP",
                                    join_code_expires_at=timezone.now())  # fmt: skip
    Enrollment.objects.create(classroom=room, student=student)
    counselors = [
        User.objects.create_user(username=f"bench-counselor-{n}", role=User.Role.COUNSELOR, school=school,
                                 email=f"counselor{n}@bench.example", first_name="Dana", last_name=f"Reyes{n}")
        for n in range(2)
    ]  # fmt: skip
    peer = User.objects.create_user(username="bench-peer", role=User.Role.STUDENT, school=school, grade=5)
    CounselorProfile.objects.create(student=peer, school=school)
    HelpDesk.objects.create(school=school, last_contact_email="safety@bench.example")
    return {"student": student, "counselor": counselors[0]}


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(mail_dir: Path, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "EMAIL_URL": f"filemail:///{mail_dir}",  # four slashes: django-environ drops the first of the path
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    command = [
        str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "--pool=solo", "--concurrency=1",
        "-Q", "celery", "--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"heard-bench-{os.getpid()}@%h",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    give_up = time.monotonic() + 60
    while " ready." not in log_path.read_text(errors="replace"):
        if worker.poll() is not None or time.monotonic() > give_up:
            raise SystemExit(f"the worker did not start:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.05)
    return worker


def mail_to(mail_dir: Path, address: str) -> tuple[int, float]:
    """How many messages the file backend wrote to ``address``, and the newest such file's modification time."""
    count, newest = 0, 0.0
    for path in mail_dir.glob("*.log"):
        n = path.read_text(errors="replace").splitlines().count(f"To: {address}")
        if n:
            count += n
            newest = max(newest, path.stat().st_mtime)
    return count, newest


def one_run(student_client: Client, counselor_client: Client, counselor: User, mail_dir: Path) -> dict[str, float]:
    sent_before, _ = mail_to(mail_dir, counselor.email)
    form = {"topic": Topic.OTHER, "text": FLAGGING, "wanted": "", "meet_period": ""}
    wall_start, start = time.time(), time.perf_counter()
    response = student_client.post(reverse("peer_counselors:ask"), form)
    answered = time.perf_counter()
    request = HelpRequest.objects.order_by("-pk").first()
    alert = Notification.objects.filter(
        recipient=counselor, kind=Notification.Kind.HELP_FLAGGED, subject_key=f"peer_counselors.helprequest:{request.pk}"
    ).exists()
    row = time.perf_counter()
    page = counselor_client.get(reverse("peer_counselors:supervise")).content.decode()
    shown = time.perf_counter()
    if response.status_code != 302 or not request.flagged or not alert or ALERT not in page:
        raise SystemExit(f"run went wrong: status {response.status_code}, flagged {request.flagged}, alert {alert}")
    give_up = time.monotonic() + 30
    while True:
        sent, mtime = mail_to(mail_dir, counselor.email)
        if sent > sent_before:
            break
        if time.monotonic() > give_up:
            raise SystemExit("the worker never e-mailed the counselor")
        time.sleep(0.002)
    help_request_view_record(request=request, by=counselor)  # opened: the next run's bar counts one again
    return {
        "POST answered (302)": answered - start,
        "counselor's notification row readable": row - start,
        "counselor's page shows the nav-bar alert": shown - start,
        "e-mail handed to the mail backend (worker)": mtime - wall_start,
    }


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    setup_test_environment()  # the test client's host
    queues = redis.Redis.from_url(REDIS_URL)
    keys_before = set(queues.keys())
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(SCRATCH / "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"heard_bench_help_alert_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    worker = None
    mail_dir = SCRATCH / "mail"
    mail_dir.mkdir()
    try:
        people = seed()
        worker = start_worker(mail_dir, SCRATCH / "worker.log")
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); broker: {REDIS_URL}; "
              f"worker: solo pool, pid {worker.pid}, file e-mail backend")  # fmt: skip
        student_client, counselor_client = Client(), Client()
        student_client.force_login(people["student"])
        counselor_client.force_login(people["counselor"])
        plain_static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        with override_settings(STORAGES=plain_static):  # pages name plain static files: no collectstatic needed
            runs = [one_run(student_client, counselor_client, people["counselor"], mail_dir) for _ in range(WARM_UP + args.runs)]
        runs = runs[WARM_UP:]
        print(f"\n{args.runs} flagged requests, one after another (after {WARM_UP} to warm up), from the start of the POST:")
        print(f"  {'':<46} {'median':>9} {'p95':>9} {'max':>9}")
        for label in runs[0]:
            values = [run[label] * 1000 for run in runs]
            print(f"  {label:<46} {statistics.median(values):7.1f}ms {p95(values):7.1f}ms {max(values):7.1f}ms")
        emails = mail_to(mail_dir, people["counselor"].email)[0]
        print(f"  e-mails to the first counselor: {emails} for {WARM_UP + args.runs} requests")
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        added = set(queues.keys()) - keys_before
        if added:
            queues.delete(*added)
        queues.close()
        shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
