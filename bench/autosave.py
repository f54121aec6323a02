"""The autosave of a draft (htmx POST to curriculum:submission_save): time and queries a save in process, and
saves per second under gunicorn + PostgreSQL beside the page_ceiling anchor; is 60 saves/s within reach?

    .venv/bin/python bench/autosave.py                # PostgreSQL at 127.0.0.1:5432 (user postgres)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard .venv/bin/python bench/autosave.py
    .venv/bin/python bench/autosave.py --duration 10  # quicker, noisier

Seeds (bulk_create) a school of 600 students: 24 classrooms of 25, each with a teacher, 30 earlier
assignments returned to everyone (18,000 submissions with answers) and one perspective writing they
are writing now. Each student has a database session and a CSRF cookie. A save is what htmx sends
two seconds after the student stops typing: ``answer_form=1&text=...`` (about 400 characters, new
words each time), urlencoded, with the cookies ``sessionid`` and ``csrftoken``, the header
``X-CSRFToken`` and ``HX-Request: true``; the answer is the small "Saved 10:04" fragment.

1. In process (test client, CSRF checks on, DEBUG off): the first save of 25 students (assigned ->
   in progress, which writes the history too), 200 later saves rotating over 50 students, and 25
   that send the text already saved (the service writes nothing then): median, p95, queries.
2. Under gunicorn (3 sync workers, DEBUG off, as the anchor runs), first the anchor
   (../shared/anchors/page_ceiling.py --tool both: its signed-in page with ab and with its Python client),
   then two loads at concurrency 8 for --duration seconds each, on a fresh gunicorn each:
   a. ab: 8 lanes at once, each running ``ab -n 10 -c 1 -p postfile -T application/x-www-form-urlencoded
      -C 'sessionid=...; csrftoken=...' -H 'X-CSRFToken: ...' -H 'HX-Request: true'`` for one student after
      another (ab sends one body to one address, so the lanes rotate the students; a new text per ab run:
      the first save of each run writes the draft, the other 9 resend it and write nothing);
   b. a Python client (the anchor's, made to POST): every request the next of the 600 students with
      new text, so every save writes; compared with the anchor's own Python-client figure.
   The UPDATEs of submissions each load made are read from pg_stat_user_tables after its gunicorn stops.
   Then the anchor once more, to show whether the machine's load moved meanwhile (it is shared).

Last it prints whether the stack reaches the 60 saves/s a school of 600 students typing at once
needs (one save each 10 s) and the headroom, from load b (every save a write).

Works in a scratch database created beside DATABASE_URL's and dropped at the end (gunicorn needs
PostgreSQL; with SQLite only part 1 runs). Prints figures, asserts nothing.
"""

import argparse
import asyncio
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCRATCH = tempfile.mkdtemp(prefix="heard-bench-autosave-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["HEARD_VAR_DIR"] = SCRATCH  # collectstatic's manifest goes here, for the test client and gunicorn
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heard")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, School, User  # noqa: E402
from bench import serving  # noqa: E402
from classrooms.models import Classroom, Enrollment  # noqa: E402
from classrooms.school_years import current_school_year  # noqa: E402
from curriculum import content  # noqa: E402
from curriculum.models import Activity, Assignment, Submission  # noqa: E402

State = Submission.State
CLASSROOMS, PER_CLASSROOM, EARLIER = 24, 25, 30
NEEDED = 60  # saves/s: 600 students each saving once every 10 s
AB_REPEAT = 10  # requests of one ab run (one student, one text)
WORDS = (
    "When Sam's tower fell he looked at the blocks for a long time. I think he felt frustrated and a little sad "
    "because he worked on it all morning and wanted to show his dad. If it was me I would want a friend to sit "
    "next to me and help build it again, slowly, without saying it was easy. Maybe he was quiet because he did "
    "not want anyone to see him cry. Next time I see someone like that I will ask what happened first."
)


def draft_text(student: int, n: int) -> str:
    """About 400 characters, different for every student and every save."""
    cut = (student * 7 + n) % 60
    return f"{WORDS[cut:]} {WORDS[:cut]} (draft {n})"


def seed(now) -> dict:
    activity = Activity.objects.filter(kind=content.Kind.PERSPECTIVE_WRITING, lesson__owner__isnull=True).select_related("lesson").order_by("pk").first()
    district = District.objects.create(name="Bench district")
    school = School.objects.create(district=district, name="Bench school", time_zone="America/Chicago")
    no_password = make_password(None)
    teachers = User.objects.bulk_create(
        User(username=f"teacher{n}", role=User.Role.TEACHER, school=school, password=no_password) for n in range(CLASSROOMS)
    )
    classrooms = Classroom.objects.bulk_create(
        Classroom(school=school, name=f"Room {n}", grade=n % 9, school_year=current_school_year(),
                  join_code=f"AS{n:04d}", join_code_expires_at=now + timedelta(days=30))
        for n in range(CLASSROOMS)
    )  # fmt: skip
    Classroom.teachers.through.objects.bulk_create(
        Classroom.teachers.through(classroom=c, user=t) for c, t in zip(classrooms, teachers, strict=True)
    )
    students = User.objects.bulk_create(
        User(username=f"kid{n}", first_name=f"Kid{n}", last_name="Bench", role=User.Role.STUDENT, school=school, grade=4, password=no_password)
        for n in range(CLASSROOMS * PER_CLASSROOM)
    )  # fmt: skip
    room_of = [classrooms[n // PER_CLASSROOM] for n in range(len(students))]
    Enrollment.objects.bulk_create(Enrollment(classroom=room_of[n], student=s) for n, s in enumerate(students))

    def assignment(classroom, teacher, created):
        return Assignment(
            classroom=classroom, activity=activity, kind=activity.kind, title=activity.title, title_es=activity.title_es,
            activity_instructions=activity.instructions, content=activity.content, band=activity.lesson.band,
            due_at=created + timedelta(days=7), created_by=teacher, created_at=created,
        )  # fmt: skip

    earlier = Assignment.objects.bulk_create(
        assignment(c, t, now - timedelta(days=7 * (EARLIER + 1 - k)))
        for c, t in zip(classrooms, teachers, strict=True)
        for k in range(EARLIER)
    )
    current = Assignment.objects.bulk_create(assignment(c, t, now - timedelta(hours=1)) for c, t in zip(classrooms, teachers, strict=True))
    rng = random.Random(2026)
    old = []
    for a in earlier:
        for n in range(PER_CLASSROOM * classrooms.index(a.classroom), PER_CLASSROOM * (classrooms.index(a.classroom) + 1)):
            old.append(Submission(
                assignment=a, student=students[n], state=State.RETURNED, answer={"text": draft_text(n, rng.randint(0, 99))},
                draft_saved_at=a.created_at + timedelta(days=1), turned_in_at=a.created_at + timedelta(days=2),
                returned_at=a.created_at + timedelta(days=4), turn_ins=1, rubric_points=6, rubric_max=8,
            ))  # fmt: skip
    Submission.objects.bulk_create(old, batch_size=2000)
    # The first classroom starts from "assigned" (its first saves are timed); everyone else is writing already.
    drafts = Submission.objects.bulk_create(
        Submission(
            assignment=current[n // PER_CLASSROOM], student=s,
            state=State.ASSIGNED if n < PER_CLASSROOM else State.IN_PROGRESS,
            answer={} if n < PER_CLASSROOM else {"text": draft_text(n, 0)},
            draft_saved_at=None if n < PER_CLASSROOM else now - timedelta(minutes=5),
        )
        for n, s in enumerate(students)
    )  # fmt: skip
    return {"students": students, "drafts": drafts}


# --- In process ---------------------------------------------------------------------------------------------


class Student:
    """One student's session and CSRF cookie, and their draft's save address."""

    def __init__(self, user, draft):
        self.user, self.draft = user, draft
        self.session = serving.session_for(user)
        self.csrf = serving.new_csrf_secret()
        self.url = reverse("curriculum:submission_save", args=[draft.pk])
        self.cookie = f"sessionid={self.session}; csrftoken={self.csrf}"


def client_for(student: Student) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = student.session
    client.cookies["csrftoken"] = student.csrf
    client.get("/healthz")  # a client's first request builds its middleware (WhiteNoise scans the static files)
    return client


def save(client: Client, student: Student, text: str):
    return client.post(
        student.url,
        urlencode({"answer_form": "1", "text": text}),
        content_type="application/x-www-form-urlencoded",
        headers={"X-CSRFToken": student.csrf, "HX-Request": "true"},
    )


def timed_saves(calls) -> dict:
    times, queries, bad = [], [], 0
    for client, student, text in calls:
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = save(client, student, text)
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured.captured_queries))
        bad += response.status_code != 200 or b"data-draft-saved" not in response.content
    times.sort()
    return {
        "n": len(times), "median_ms": statistics.median(times), "p95_ms": times[round(0.95 * (len(times) - 1))],
        "queries": f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}", "bad": bad,
    }  # fmt: skip


def in_process(students: list[Student]) -> None:
    first_class, rotation = students[:PER_CLASSROOM], students[: 2 * PER_CLASSROOM]
    clients = {s.user.pk: client_for(s) for s in rotation}
    warm = students[-1]
    for n in range(5):  # warm up on a student not timed
        save(client_for(warm), warm, draft_text(warm.user.pk, 100 + n))
    results = {
        "first save (assigned -> in progress)": timed_saves(
            (clients[s.user.pk], s, draft_text(i, 1)) for i, s in enumerate(first_class)
        ),
        "later save, new text": timed_saves(
            (clients[s.user.pk], s, draft_text(i, 2 + n)) for n in range(4) for i, s in enumerate(rotation)
        ),
        "same text again (writes nothing)": timed_saves(
            (clients[s.user.pk], s, draft_text(i, 5)) for i, s in enumerate(first_class)
        ),
    }
    print("in process (test client, CSRF checks on, DEBUG off; queries counted in each save):")
    print(f"  {'save':<38} {'n':>4} {'median':>9} {'p95':>9} {'queries':>8}")
    for label, r in results.items():
        bad = f"  ({r['bad']} not saved!)" if r["bad"] else ""
        print(f"  {label:<38} {r['n']:4} {r['median_ms']:7.1f}ms {r['p95_ms']:7.1f}ms {r['queries']:>8}{bad}")


# --- Under gunicorn -----------------------------------------------------------------------------------------


def submission_updates() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = %s", [Submission._meta.db_table])
        return cursor.fetchone()[0]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else 0.0


def ab_lanes(port: int, students: list[Student], duration: int, lanes: int = serving.CONCURRENCY) -> dict:
    """``lanes`` threads at once, each running ab -n AB_REPEAT -c 1 for its next student with a new text."""
    folder = Path(tempfile.mkdtemp(prefix="ab-", dir=SCRATCH))
    deadline = time.perf_counter() + duration
    totals = {"requests": 0, "errors": 0, "runs": 0, "times": []}
    lock = threading.Lock()

    def lane(k: int) -> None:
        mine = students[k::lanes]
        for visit in itertools.count():
            if time.perf_counter() >= deadline:
                return
            s = mine[visit % len(mine)]
            body, gnuplot = folder / f"post{k}", folder / f"times{k}.tsv"
            body.write_text(urlencode({"answer_form": "1", "text": draft_text(s.user.pk, 1000 + visit)}))
            cmd = ["ab", "-q", "-r", "-n", str(AB_REPEAT), "-c", "1", "-p", str(body), "-T", "application/x-www-form-urlencoded",
                   "-C", s.cookie, "-H", f"X-CSRFToken: {s.csrf}", "-H", "HX-Request: true", "-g", str(gnuplot),
                   f"http://127.0.0.1:{port}{s.url}"]  # fmt: skip
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
            rows = gnuplot.read_text().splitlines()[1:]
            with lock:
                totals["runs"] += 1
                totals["requests"] += serving.grab(out, "Complete requests", int)
                totals["errors"] += serving.grab(out, "Failed requests", int) + serving.grab(out, "Non-2xx responses", int)
                totals["times"] += [float(r.split("\t")[4]) for r in rows]

    start = time.perf_counter()
    threads = [threading.Thread(target=lane, args=(k,)) for k in range(lanes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {
        "rps": totals["requests"] / elapsed, "p50_ms": percentile(totals["times"], 0.5), "p95_ms": percentile(totals["times"], 0.95),
        "requests": totals["requests"], "errors": totals["errors"], "runs": totals["runs"],
    }  # fmt: skip


def python_client(port: int, students: list[Student], duration: int, concurrency: int = serving.CONCURRENCY) -> dict:
    """The anchor's Python client, POSTing: one connection a request (like ab without -k), each request the
    next student in turn with a new text."""
    turn = itertools.count()
    latencies, errors = [], 0

    def request() -> bytes:
        n = next(turn)
        s = students[n % len(students)]
        body = urlencode({"answer_form": "1", "text": draft_text(s.user.pk, 5000 + n)}).encode()
        head = (
            f"POST {s.url} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nCookie: {s.cookie}\r\n"
            f"X-CSRFToken: {s.csrf}\r\nHX-Request: true\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def one_user(deadline: float) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            data = request()
            t0 = time.perf_counter()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(data)
                answer = await reader.read()
                writer.close()
                ok = answer[9:12] == b"200" and b"data-draft-saved" in answer
            except OSError:
                ok = False
            if ok:
                latencies.append((time.perf_counter() - t0) * 1000)
            else:
                errors += 1

    async def run() -> float:
        start = time.perf_counter()
        await asyncio.gather(*(one_user(start + duration) for _ in range(concurrency)))
        return time.perf_counter() - start

    elapsed = asyncio.run(run())
    return {
        "rps": len(latencies) / elapsed, "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95),
        "requests": len(latencies), "errors": errors,
    }  # fmt: skip


def under_load(label: str, load, students: list[Student], duration: int) -> dict:
    before = submission_updates()
    with serving.heard_gunicorn(SCRATCH) as port:
        s = students[-1]
        body = urlencode({"answer_form": "1", "text": draft_text(s.user.pk, 999)}).encode()
        headers = {"Cookie": s.cookie, "X-CSRFToken": s.csrf, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}
        for _ in range(2 * serving.WORKERS):
            status, _head, answer = serving.http(port, "POST", s.url, headers, body)
        print(f"checked {s.url}: {status}, {answer.strip()[:90]}...")
        result = load(port, students, duration)
    time.sleep(1)  # the workers' connections have closed and reported their counts
    result["updates"] = submission_updates() - before
    print(f"{label}: {result['requests']:,} saves, {result['errors']} errors, {result['updates']:,} UPDATEs of submissions")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=int, default=serving.DURATION, help="seconds of each load (and the anchor's)")
    args = parser.parse_args()

    start = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the pages name the manifest's files
    print(f"static files collected in {time.perf_counter() - start:.1f} s")
    with serving.scratch_database("autosave", SCRATCH) as name:
        now = timezone.now()
        start = time.perf_counter()
        data = seed(now)
        serving.analyze()
        students = [Student(u, d) for u, d in zip(data["students"], data["drafts"], strict=True)]
        print(
            f"database: {connection.vendor} ({name}); seeded in {time.perf_counter() - start:.1f} s; {serving.machine_line()}: "
            f"{len(students)} students, {Submission.objects.count():,} submissions, {len(students)} sessions\n"
        )
        in_process(students)

        if connection.vendor != "postgresql":
            print("\nunder gunicorn: needs PostgreSQL (DATABASE_URL), skipped")
            return
        print(f"\nunder gunicorn, concurrency {serving.CONCURRENCY}, {args.duration} s a load; the anchor first:")
        anchor = serving.run_anchor(tool="both", duration=args.duration)
        lanes = under_load(f"a. ab, {serving.CONCURRENCY} lanes of ab -n {AB_REPEAT} -c 1", ab_lanes, students, args.duration)
        client = under_load("b. Python client, every save a write", python_client, students, args.duration)

        after = serving.run_anchor(tool="both", duration=args.duration)
        print()
        print(serving.ratio_line("a. saves, ab lanes", lanes, anchor["ab"]))
        print(f"{'':<34} {lanes['runs']:,} ab runs (students in turn): 1 save in {AB_REPEAT} wrote the draft\n")
        print(serving.ratio_line("b. saves, Python client", client, anchor["python"]))
        print(f"{'':<34} every save a new text for the next of {len(students)} students\n")
        verdict = "reaches" if client["rps"] >= NEEDED else "does NOT reach"
        print(
            f"{len(students)} students typing at once need {NEEDED} saves/s (one each 10 s): this stack {verdict} it, "
            f"{client['rps']:.0f} saves/s with every save a write (b), headroom {client['rps'] / NEEDED:.1f}x "
            f"(ab lanes, mostly resent text: {lanes['rps']:.0f}/s, {lanes['rps'] / NEEDED:.1f}x); "
            f"p95 {client['p95_ms']:.0f} ms a save at concurrency {serving.CONCURRENCY}"
        )
        for tool in ("ab", "python"):
            print(serving.drift_line(anchor, after, tool))
        print(f"at the end: {serving.machine_line()}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
