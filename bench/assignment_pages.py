"""The teacher's grid (35 students x 60 assignments) and a student's To do (60 assignments): time and queries
a request, in process and under gunicorn beside the page_ceiling anchor.

    .venv/bin/python bench/assignment_pages.py               # PostgreSQL at 127.0.0.1:5432 (user postgres)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard .venv/bin/python bench/assignment_pages.py
    .venv/bin/python bench/assignment_pages.py --duration 10 --requests 15   # quicker, noisier

Seeds (bulk_create) one school with a classroom of 35 students and 60 assignments given over the
last 20 weeks, the five individual kinds in turn, copied from the library's activities; every student
has a submission of each in a realistic mix: the older work mostly returned (with rubric or accuracy
points) or turned in, some of it late, some still assigned or in progress past its due date (missing),
a few excused; the newest work not due yet; three assignments given to chosen students only and one
student who joined halfway (so the grid shows "Not given"). One student has all 60 still to do (the
To do page at its longest); a classmate has the usual mix. A second classroom of 5 students x 6
assignments gives the same pages at a small size, to show the queries do not grow with the rows.

Then:

1. in process, Django's test client, DEBUG off: the median (and p95) of ``--requests`` requests of
   each page after a few to warm up, and the queries of one (CaptureQueriesContext);
2. under gunicorn (3 sync workers, PostgreSQL, DEBUG off, static files collected): first the anchor
   (../shared/anchors/page_ceiling.py, its own site), then Heard's pages with the anchor's ab line
   (``ab -q -r -t 20 -n 1000000 -c 8 -C sessionid=KEY URL``): requests/s, p50, p95, and Heard / anchor;
   then the anchor once more, to show whether the machine's load moved meanwhile (it is shared).

Works in a scratch database created beside DATABASE_URL's and dropped at the end (gunicorn needs
PostgreSQL; with SQLite only part 1 runs). Prints figures, asserts nothing.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCRATCH = tempfile.mkdtemp(prefix="heard-bench-pages-")
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
from django.db.models import F  # noqa: E402
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
STUDENTS, ASSIGNMENTS = 35, 60
SMALL_STUDENTS, SMALL_ASSIGNMENTS = 5, 6
KINDS = [
    content.Kind.PERSPECTIVE_WRITING, content.Kind.FEELINGS_GUESS, content.Kind.SITUATIONAL_ATTRIBUTION,
    content.Kind.STORY_INNER_STATE, content.Kind.STORY_EXCHANGE,
]  # fmt: skip
FIRST = ["Ada", "Ben", "Cleo", "Dev", "Emi", "Finn", "Gia", "Hugo", "Iris", "Jay", "Kai", "Lena", "Milo", "Nia"]
LAST = ["Alvarez", "Brooks", "Chen", "Diaz", "Evans", "Flores", "Garcia", "Haddad", "Ito", "Jones", "Khan", "Lopez"]
SENTENCES = [
    "When the tower fell, Sam looked at the blocks for a long time and did not say anything.",
    "I think he felt frustrated because he worked on it all morning and wanted to show his dad.",
    "If it was me I would want someone to sit next to me and help build it again.",
    "The baby cried when the room got loud, maybe because she did not know the new faces.",
    "My friend was quiet at lunch so I asked her if she wanted to play at recess.",
    "Maybe he was not rude. Maybe he was tired, or something at home made him worried.",
    "The new girl held her bag tight and looked at the floor, so I showed her where to sit.",
]


def prose(rng: random.Random, chars: int = 320) -> str:
    text = ""
    while len(text) < chars:
        text += rng.choice(SENTENCES) + " "
    return text.strip()


def answer_for(kind: str, rng: random.Random) -> dict:
    """An answer of the shape each kind stores, with a few hundred characters of a child's writing."""
    if kind == content.Kind.PERSPECTIVE_WRITING:
        return {"text": prose(rng, 420)}
    if kind == content.Kind.FEELINGS_GUESS:
        return {"feelings": rng.sample(["sad", "frustrated", "worried", "hurt", "lonely"], 2), "intensity": rng.randint(2, 5), "why": prose(rng, 160)}
    if kind == content.Kind.SITUATIONAL_ATTRIBUTION:
        rows = [{"text": prose(rng, 80), "about": rng.choice(["person", "situation"])} for _ in range(3)]
        return {"explanations": rows + [{"text": "", "about": ""}] * 2, "self_explanations": [{"text": prose(rng, 80), "about": "situation"}]}
    if kind == content.Kind.STORY_INNER_STATE:
        return {"answers": [{"text": prose(rng, 100), "line": rng.randint(1, 4), "feeling": "worried"} for _ in range(3)]}
    return {"story": prose(rng, 300), "retelling": prose(rng, 200)}


def submission_at(assignment: Assignment, student_id: int, state: str, rng: random.Random, now) -> Submission:
    s = Submission(assignment=assignment, student_id=student_id, state=state)
    due = assignment.due_at or (assignment.created_at + timedelta(days=7))
    if state != State.ASSIGNED:
        s.answer = answer_for(assignment.kind, rng)
        s.draft_saved_at = min(now, assignment.created_at + timedelta(hours=rng.randint(2, 150)))
    if state in (State.TURNED_IN, State.RETURNED):
        late = rng.random() < 0.15
        s.turned_in_at = min(now, due + timedelta(hours=rng.randint(1, 48)) if late else due - timedelta(hours=rng.randint(1, 100)))
        s.turned_in_at = max(s.turned_in_at, assignment.created_at + timedelta(minutes=30))
        s.turn_ins = 1
        if assignment.kind == content.Kind.FEELINGS_GUESS:
            s.accuracy_points, s.accuracy_max, s.intensity_difference = rng.randint(0, 4), 4, rng.randint(0, 2)
        if assignment.kind == content.Kind.SITUATIONAL_ATTRIBUTION:
            s.situational_share_others, s.situational_share_self = rng.choice([0.33, 0.67, 1.0]), rng.choice([0.0, 1.0])
    if state == State.RETURNED:
        s.returned_at = min(now, s.turned_in_at + timedelta(days=rng.randint(1, 5)))
        s.feedback = "You noticed how Sam felt and why. Next time, tell what he might need."
        if assignment.kind == content.Kind.PERSPECTIVE_WRITING:
            s.rubric_scores, s.rubric_points, s.rubric_max = {"perspective": 3, "feelings": 2}, rng.randint(4, 8), 8
    return s


def pick_state(rng: random.Random, *, past_due: bool) -> str:
    roll = rng.random()
    if past_due:  # returned 55%, turned in 20%, in progress 8%, assigned 10%, excused 7%
        for state, share in ((State.RETURNED, 0.55), (State.TURNED_IN, 0.75), (State.IN_PROGRESS, 0.83), (State.ASSIGNED, 0.93)):
            if roll < share:
                return state
        return State.EXCUSED
    return State.TURNED_IN if roll < 0.3 else State.IN_PROGRESS if roll < 0.7 else State.ASSIGNED


def seed_classroom(*, school, teacher, activities, students: int, assignments: int, label: str, now, rng) -> dict:
    """A classroom of ``students`` x ``assignments``; its first student has everything still to do."""
    classroom = Classroom.objects.create(
        school=school, name=f"Room {label}", grade=4, school_year=current_school_year(),
        join_code=f"BP{label}", join_code_expires_at=now + timedelta(days=30),
    )  # fmt: skip
    classroom.teachers.add(teacher)
    no_password = make_password(None)
    kids = User.objects.bulk_create(
        User(username=f"{label}-kid{n}", first_name=FIRST[n % len(FIRST)], last_name=f"{LAST[n % len(LAST)]}{n // len(LAST) or ''}",
             role=User.Role.STUDENT, school=school, grade=4, password=no_password)
        for n in range(students)
    )  # fmt: skip
    late_joiner = kids[-1] if students > 10 else None
    start = now - timedelta(weeks=20)
    Enrollment.objects.bulk_create(
        Enrollment(classroom=classroom, student=k, joined_at=now - timedelta(weeks=10) if k is late_joiner else start - timedelta(days=3))
        for k in kids
    )  # fmt: skip
    rows = []
    step = timedelta(weeks=20) / assignments
    for n in range(assignments):
        activity = activities[KINDS[n % len(KINDS)]]
        created = start + step * n
        rows.append(Assignment(
            classroom=classroom, activity=activity, kind=activity.kind, title=activity.title, title_es=activity.title_es,
            activity_instructions=activity.instructions, content=activity.content, band=activity.lesson.band,
            due_at=None if n % 10 == 9 else created + timedelta(days=7), whole_class=n % 20 != 5,
            created_by=teacher, created_at=created,
        ))  # fmt: skip
    made = Assignment.objects.bulk_create(rows)
    submissions = []
    for assignment in made:
        past_due = (assignment.due_at or assignment.created_at + timedelta(days=7)) < now
        for i, kid in enumerate(kids):
            if not assignment.whole_class and i % 3 == 2:
                continue  # chosen students only: a third of the class was not given it
            if kid is late_joiner and assignment.created_at < now - timedelta(weeks=10):
                continue  # joined later: never given the older work
            if i == 0:
                state = State.IN_PROGRESS if rng.random() < 0.4 else State.ASSIGNED  # everything still to do
            else:
                state = pick_state(rng, past_due=past_due)
            submissions.append(submission_at(assignment, kid.pk, state, rng, now))
    Submission.objects.bulk_create(submissions, batch_size=1000)
    return {"classroom": classroom, "todo_student": kids[0], "typical_student": kids[1], "submissions": len(submissions)}


def seed(now) -> dict:
    rng = random.Random(2026)
    activities = {}
    for kind in KINDS:
        activities[kind] = Activity.objects.filter(kind=kind, lesson__owner__isnull=True).select_related("lesson").order_by("pk").first()
    missing = [k for k, a in activities.items() if a is None]
    if missing:
        raise SystemExit(f"the library has no activity of kind {missing}: did migrate load it?")
    district = District.objects.create(name="Bench district")
    school = School.objects.create(district=district, name="Bench school", time_zone="America/Chicago")
    teacher = User.objects.create(username="bench-teacher", first_name="Rosa", last_name="Park", role=User.Role.TEACHER, school=school)
    big = seed_classroom(school=school, teacher=teacher, activities=activities, students=STUDENTS, assignments=ASSIGNMENTS, label="L", now=now, rng=rng)
    small = seed_classroom(school=school, teacher=teacher, activities=activities, students=SMALL_STUDENTS, assignments=SMALL_ASSIGNMENTS, label="S", now=now, rng=rng)
    return {"teacher": teacher, "big": big, "small": small}


def state_mix(classroom) -> str:
    subs = Submission.objects.filter(assignment__classroom=classroom)
    counts = {s: subs.filter(state=s).count() for s in State.values}
    late = subs.filter(state__in=(State.TURNED_IN, State.RETURNED), turned_in_at__gt=F("assignment__due_at")).count()
    missing = subs.filter(state__in=(State.ASSIGNED, State.IN_PROGRESS), assignment__due_at__lt=timezone.now()).count()
    return ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; late {late}, missing {missing}"


# --- In process ---------------------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = serving.session_for(user)
    return client


def in_process(client: Client, url: str, requests: int) -> dict:
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "queries": len(queries.captured_queries),
        "kb": len(response.content) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=30, help="in-process requests a page (median)")
    parser.add_argument("--duration", type=int, default=serving.DURATION, help="seconds of ab a page (and the anchor's)")
    args = parser.parse_args()

    start = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the pages name the manifest's files
    print(f"static files collected in {time.perf_counter() - start:.1f} s ({SCRATCH}/staticfiles)")
    with serving.scratch_database("pages", SCRATCH) as name:
        now = timezone.now()
        start = time.perf_counter()
        data = seed(now)
        serving.analyze()
        big, small = data["big"], data["small"]
        print(f"database: {connection.vendor} ({name}); seeded in {time.perf_counter() - start:.1f} s; {serving.machine_line()}")
        print(f"  {STUDENTS} students x {ASSIGNMENTS} assignments: {big['submissions']:,} submissions ({state_mix(big['classroom'])})")
        print(f"  {SMALL_STUDENTS} students x {SMALL_ASSIGNMENTS} assignments: {small['submissions']} submissions")

        def grid_url(c):
            return reverse("curriculum:classroom_assignments", args=[c["classroom"].pk])

        todo_url = reverse("curriculum:my_work")
        teacher = client_for(data["teacher"])
        measured = {
            f"grid {STUDENTS}x{ASSIGNMENTS}": in_process(teacher, grid_url(big), args.requests),
            f"grid {SMALL_STUDENTS}x{SMALL_ASSIGNMENTS}": in_process(teacher, grid_url(small), args.requests),
            f"To do, {ASSIGNMENTS} to do": in_process(client_for(big["todo_student"]), todo_url, args.requests),
            "To do, a classmate": in_process(client_for(big["typical_student"]), todo_url, args.requests),
            f"To do, {SMALL_ASSIGNMENTS} to do": in_process(client_for(small["todo_student"]), todo_url, args.requests),
        }
        typical_todo = Submission.objects.filter(student=big["typical_student"], state__in=(State.ASSIGNED, State.IN_PROGRESS)).count()
        print(f"\nin process (test client, DEBUG off), median of {args.requests} requests after 3:")
        print(f"  {'page':<24} {'median':>9} {'p95':>9} {'queries':>8} {'HTML':>8}")
        for label, m in measured.items():
            print(f"  {label:<24} {m['median_ms']:7.1f}ms {m['p95_ms']:7.1f}ms {m['queries']:8} {m['kb']:6.0f}KB")
        print(f"  (the classmate has {typical_todo} on To do)")

        if connection.vendor != "postgresql":
            print("\nunder gunicorn: needs PostgreSQL (DATABASE_URL), skipped")
            return
        print(f"\nunder gunicorn, ab -c {serving.CONCURRENCY} for {args.duration} s a page; the anchor first:")
        anchor = serving.run_anchor(tool="ab", duration=args.duration)["ab"]
        teacher_key = serving.session_for(data["teacher"])
        student_key = serving.session_for(big["todo_student"])
        with serving.heard_gunicorn(SCRATCH) as port:
            for url, key, marker, count in ((grid_url(big), teacher_key, 'class="work-grid__cell', STUDENTS * ASSIGNMENTS),
                                            (todo_url, student_key, 'class="card shadow-sm mb-2 work-card"', ASSIGNMENTS)):  # fmt: skip
                status, _head, body = serving.http(port, "GET", url, {"Cookie": f"sessionid={key}"})
                print(f"checked {url}: {status}, {len(body) // 1024} KB, {body.count(marker)} of {count} cells or cards")
                serving.warm(port, url, {"Cookie": f"sessionid={key}"})
            results = {
                f"grid {STUDENTS}x{ASSIGNMENTS} (teacher)": serving.ab_get(port, grid_url(big), teacher_key, duration=args.duration),
                f"To do, {ASSIGNMENTS} to do (student)": serving.ab_get(port, todo_url, student_key, duration=args.duration),
            }
        after = serving.run_anchor(tool="ab", duration=args.duration)
        print()
        for label, r in results.items():
            print(serving.ratio_line(label, r, anchor))
            print(f"{'':<34} {r['requests']:,} requests, {r['errors']} errors\n")
        print(serving.drift_line({"ab": anchor}, after))
        print(f"at the end: {serving.machine_line()}")
    shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
