"""Every everyday page of Heard beside the stack's ceiling, in one run, on the demo data: requests per second,
p50, p95, queries, bytes, and the share of the page_ceiling anchor's signed-in page.

    .venv/bin/python bench/pages.py                  # PostgreSQL at 127.0.0.1:5432 (user postgres), ab
    .venv/bin/python bench/pages.py --duration 10    # seconds of ab per page (default 20, the anchor's)
    .venv/bin/python bench/pages.py --only dashboard # pages whose label holds the word
    .venv/bin/python bench/pages.py --drawn          # every look drawn (PAGE_CACHE off): a page's first look
    .venv/bin/python bench/pages.py --drawn --cold   # and no panel kept either (FRAGMENT_CACHE off): a first look
                                                     # after a write to what every panel reads

Seeds ``manage.py seed_demo`` into a scratch database beside DATABASE_URL's (dropped at the end), starts a live
circle in Room 12 (so a live poll has something to answer), then:

1. in process (Django's test client, DEBUG off): each page's queries and bytes, the second request of each (the
   first warms caches, as a page in use has them);
2. ../shared/anchors/page_ceiling.py (its signed-in tiny page under gunicorn, 3 sync workers, the ab line
   ``ab -q -r -t 20 -n 1000000 -c 8 -C sessionid=KEY URL``);
3. Heard under the same gunicorn command, each page under the same ab line;
4. the anchor again, to show whether the machine's load moved meanwhile (it is shared).

The web workers share a Redis cache (CACHE_URL, redis://127.0.0.1:6379/9 unless set, flushed first), as in
docker-compose.yml, so the kept pages (accounts.data_versions.kept_page) are served from it after the first look:
ab asks one page of one session again and again, which is what a kept page is for. ``--drawn`` turns the page
cache off, so every request draws its page, as a page's first look after a change does. The queries column gives
both: the drawing's, and a kept look's.

One table at the end. ``--students 50000`` grows the demo's district first (bulk_create) to issue 15's second size:
other schools of the same district, classrooms of 25 students with a teacher each, and each classroom's sessions
(four past, held, and four to come, a month apart; some within the dashboards' next two weeks), so that the same
demo people's pages are measured with a district's rows beside theirs (their scopes, the district dashboard's
counts and the upcoming sessions have the whole district to skip). Assignments, surveys and help requests stay the
demo school's.
Prints figures, asserts nothing.
"""

import argparse
import os
import shutil
import sys
import tempfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARSER = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
PARSER.add_argument("--duration", type=int, default=20, help="seconds of ab per page (the anchor's 20)")
PARSER.add_argument("--only", default="", help="only the pages whose label holds this")
PARSER.add_argument("--drawn", action="store_true", help="PAGE_CACHE off: every look drawn")
PARSER.add_argument("--cold", action="store_true", help="FRAGMENT_CACHE off: no panel kept (accounts.data_versions.kept_fragment)")
PARSER.add_argument(
    "--students", type=int, default=0, help="grow the demo's district to about this many students (e.g. 50000)"
)
ARGS = PARSER.parse_args()

SCRATCH = tempfile.mkdtemp(prefix="heard-bench-everyday-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["HEARD_VAR_DIR"] = SCRATCH
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heard")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["DEBUG"] = "false"
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/9")
os.environ["PAGE_CACHE"] = "false" if ARGS.drawn else "true"
os.environ["FRAGMENT_CACHE"] = "false" if ARGS.cold else "true"

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import School, User  # noqa: E402
from bench import district_data, serving  # noqa: E402
from classrooms.models import Classroom, Session  # noqa: E402
from curriculum.live import services as live  # noqa: E402
from curriculum.models import Activity, Assignment  # noqa: E402
from surveys.models import SurveyWindow  # noqa: E402


def live_circle(classroom: Classroom) -> int:
    """A listening circle under way in ``classroom``, everyone joined and grouped; its id."""
    teacher = classroom.teachers.first()
    activity = Activity.objects.filter(kind="listening_circle", lesson__owner__isnull=True).order_by("pk").first()
    run = live.live_start(classroom=classroom, activity=activity, by=teacher)
    for student in User.objects.filter(enrollments__classroom=classroom):
        live.live_join(run, student)
    run = live.live_advance(run, by=teacher, expected="open")
    live.live_groups_form(run, by=teacher, size=4)
    return live.live_advance(run, by=teacher, expected="grouped").pk


SCHOOL_CLASSROOMS = 34  # about 850 students a school


def district_grow(students: int) -> str:
    """Add schools to the demo's district until it has about ``students`` students; what was added, in words."""
    demo = School.objects.order_by("pk").first()
    missing = students - User.objects.filter(role=User.Role.STUDENT, school__district=demo.district).count()
    classrooms_needed = max(0, missing // district_data.STUDENTS_PER_CLASSROOM)
    if not classrooms_needed:
        return "the demo only"
    now = timezone.now().replace(second=0, microsecond=0)

    def sessions_of(n: int, classroom: Classroom) -> list[Session]:
        at = now + timedelta(days=n % 30, minutes=n % 600)
        return [
            Session(classroom=classroom, starts_at=at + timedelta(days=30 * month),
                    status=Session.Status.HELD if month < 0 else Session.Status.PLANNED)
            for month in (-4, -3, -2, -1, 0, 1, 2, 3)
        ]  # fmt: skip

    grown = district_data.district_grow(
        district=demo.district, n_schools=-(-classrooms_needed // SCHOOL_CLASSROOMS), n_classrooms=classrooms_needed,
        code="bench", now=now, sessions_of=sessions_of, school_name="Bench school {:03d}", zones=[demo.time_zone],
        per_school=SCHOOL_CLASSROOMS,
    )  # fmt: skip
    total = User.objects.filter(role=User.Role.STUDENT, school__district=demo.district).count()
    return (
        f"the demo's district grown to {total:,} students: {len(grown.schools)} more schools, "
        f"{len(grown.classrooms):,} classrooms, {grown.sessions:,} sessions"
    )


def everyday_pages() -> list[tuple[str, User, str, dict]]:
    """(label, who, URL, extra headers) of each everyday page on the demo data."""
    user = User.objects.get
    room8 = Classroom.objects.get(name="Room 8 · Grade 2")
    room12 = Classroom.objects.get(name="Room 12 · Grade 4")
    room3 = Classroom.objects.get(name="Room 3 · Kindergarten")  # the demo's baby with measurements
    teacher, student = user(username="teacher.rivera"), user(username="maple.s1")
    counselor = user(username="counselor.maple")
    kid12 = User.objects.filter(enrollments__classroom=room12).order_by("username").first()
    assignment = Assignment.objects.filter(classroom=room12).order_by("-created_at").first()
    window = SurveyWindow.objects.filter(phase="post").first()
    survey = None
    for instrument in window.instruments.order_by("pk") if window else []:  # the form this student takes
        url = reverse("surveys:take", args=[window.pk, instrument.pk])
        if in_process(student, url, {})["status"] == 200:
            survey = url
            break
    run = live_circle(room12)
    poll = reverse("curriculum:live_poll", args=[run, "student"])
    pages = [
        ("student dashboard", student, reverse("dashboard"), {}),
        ("teacher dashboard", teacher, reverse("dashboard"), {}),
        ("district dashboard", user(username="district.admin"), reverse("dashboard"), {}),
        ("fidelity report (district)", user(username="district.admin"), reverse("classrooms:fidelity"), {}),
        ("classroom page", teacher, reverse("classrooms:detail", args=[room8.pk]), {}),
        ("sessions list", teacher, reverse("classrooms:sessions", args=[room8.pk]), {}),
        ("notifications", teacher, reverse("notifications:list"), {}),
        ("To do (student)", kid12, reverse("curriculum:my_work"), {}),
        ("help-request queue (counselor)", counselor, reverse("peer_counselors:supervise"), {}),
        ("baby chart SVG (measured baby)", room3.teachers.first(), reverse("classrooms:baby_chart", args=[room3.pk]), {}),
        ("live poll, full (student)", kid12, poll, {"HX-Request": "true"}),
        ("live poll, unchanged: 304", kid12, poll, {"HX-Request": "true", "If-None-Match": etag_of(kid12, poll)}),
    ]
    grid = reverse("curriculum:classroom_assignments", args=[room12.pk])
    pages += [
        ("assignment grid (teacher)", room12.teachers.first(), grid, {}),
        ("an assignment (teacher)", room12.teachers.first(), reverse("curriculum:assignment", args=[assignment.pk]), {}),
    ]
    if survey:
        pages.append(("survey page (student)", student, survey, {}))
    return pages


def etag_of(who: User, url: str) -> str:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_HX_REQUEST="true")
    client.force_login(who)
    return client.get(url)["ETag"]


def in_process(who: User, url: str, headers: dict) -> dict:
    """The page's status, bytes and queries: drawn (the second drawing: the first warms the other caches, the
    baby chart's and the unread count's, as a page in use has them) and kept (a look at it again)."""
    client = Client(HTTP_HOST="127.0.0.1", **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    client.force_login(who)
    with override_settings(PAGE_CACHE=False):
        client.get(url)
        with CaptureQueriesContext(connection) as drawn:
            response = client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    return {"status": response.status_code, "queries": f"{len(drawn)}/{len(kept)}", "bytes": len(response.content)}




def main() -> None:
    args = ARGS
    cache.clear()
    call_command("collectstatic", interactive=False, verbosity=0)
    with serving.scratch_database("everyday", SCRATCH) as name:
        if connection.vendor != "postgresql":
            print("needs PostgreSQL (DATABASE_URL): gunicorn + PostgreSQL is what this measures")
            return
        call_command("seed_demo", stdout=StringIO())
        grown = district_grow(args.students) if args.students else "the demo only"
        pages = [p for p in everyday_pages() if args.only in p[0]]
        serving.analyze()
        print(f"database: {name} (the demo data; {grown}); {serving.machine_line()}")
        measured = {label: in_process(who, url, headers) for label, who, url, headers in pages}
        anchor = serving.run_anchor(tool="ab", duration=args.duration)["ab"]
        results = {}
        with serving.heard_gunicorn(SCRATCH) as port:
            for label, who, url, headers in pages:
                key = serving.session_for(who)
                serving.warm(port, url, {"Cookie": f"sessionid={key}", **headers})
                results[label] = serving.ab_get(port, url, key, duration=args.duration, headers=headers)
        after = serving.run_anchor(tool="ab", duration=args.duration)
        mode = "every look drawn (PAGE_CACHE off)" if args.drawn else "kept pages served from Redis after the first look"
        mode += ", no panel kept (FRAGMENT_CACHE off)" if args.cold else ", home panels kept (FRAGMENT_CACHE on)"
        print(f"\nab -c {serving.CONCURRENCY} for {args.duration} s a page, {mode}; anchor (signed-in tiny page) "
              f"{anchor['rps']:.0f} req/s, p50 {anchor['p50_ms']:.1f} ms, p95 {anchor['p95_ms']:.1f} ms")  # fmt: skip
        print(f"\n{'page':<32} {'req/s':>7} {'p50':>8} {'p95':>8} {'queries':>9} {'bytes':>9} {'of ceiling':>11}")
        for label, r in results.items():
            m = measured[label]
            note = "" if m["status"] == 200 and not r["errors"] else f"  (status {m['status']}, {r['errors']} ab non-2xx)"
            print(f"{label:<32} {r['rps']:7.0f} {r['p50_ms']:6.1f}ms {r['p95_ms']:6.1f}ms {m['queries']:>9} "
                  f"{r['bytes']:9,} {r['rps'] / anchor['rps']:10.0%}{note}")  # fmt: skip
        print()
        print(serving.drift_line({"ab": anchor}, after))
        print(f"at the end: {serving.machine_line()}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
