"""The outcomes computation of a whole district beside the statistics floor: time, the ratio, and whether
the figures agree; and one student's survey (answer saves and the submit, which now writes the scores).

    .venv/bin/python bench/survey_outcomes.py --students 10000
    .venv/bin/python bench/survey_outcomes.py --students 100000
    .venv/bin/python bench/survey_outcomes.py --students 50000     # the whole district page under 2 s?
    .venv/bin/python bench/survey_outcomes.py --students 10000 --rebuild --explain

The floor (../shared/anchors/stats_floor.py; ANCHORS_DIR overrides) holds one hand-written SQL query over a
narrow synthetic survey and the generator of that survey. This script builds the floor's database
(``build(n)``, kept between runs), then loads the same survey (``generate(n)``, the same seed) into Heard's
models in a PostgreSQL database of its own, ``heard_outcomes_bench_<n>`` (kept too; ``--rebuild`` makes it
again): one district, the floor's schools and classrooms (25 students each; grades 3 to 8 in turn within a
school), the students and their enrolments, Heard's instrument of 20 items in 4 subscales, a closed pre and
post window over every classroom (one cycle), the responses, their answers and their scores; six held
sessions and an assignment per classroom, most students' work turned in (the dose). Big tables go in by
COPY. The scores are computed with numpy (the mean of each subscale's five answers) and checked equal to
``surveys.services.scores_write`` on a sample of responses before anything is timed.

Then, in the same run, warm, ``time_it(fn, 5)`` (the floor's own helper, median of 5 after one warm-up):

1. ``surveys.outcomes.selectors.outcomes`` for the district's admin (the whole district: every classroom,
   grade, school and subscale, finished and suppressed), and, to show where its time goes, its scores query
   alone;
2. the floor's ``run_floor``;

prints both, the ratio, and checks every classroom and subscale of Heard's cells against the floor's rows (n,
mean pre, mean post, mean change, sum of squared change). Last, one student's survey through the services in
a window of its own (rolled back afterwards): the median answer save and submit, and their queries.

Targets (printed, never asserted): within 1.5x of the floor, the same growth from 10,000 to 100,000 students
(compare two runs' lines), and the whole district under 2 s at 50,000 students.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ANCHORS = Path(os.environ.get("ANCHORS_DIR", ROOT.parent / "shared" / "anchors"))
sys.path.insert(0, str(ANCHORS))

import stats_floor  # noqa: E402

PARSER = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
PARSER.add_argument("--students", type=int, default=10_000)
PARSER.add_argument("--runs", type=int, default=5)
PARSER.add_argument("--rebuild", action="store_true", help="drop and load Heard's database again")
PARSER.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of Heard's scores query")
PARSER.add_argument("--submits", type=int, default=15, help="students whose survey is timed")
ARGS = PARSER.parse_args()

DB = f"heard_outcomes_bench_{ARGS.students}"
PG = stats_floor.PG
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB}"
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, School, User  # noqa: E402
from classrooms.models import Classroom, Enrollment, Session  # noqa: E402
from classrooms.school_years import current_school_year  # noqa: E402
from curriculum.models import Assignment, Submission  # noqa: E402
from surveys import services  # noqa: E402
from surveys.models import (  # noqa: E402  # noqa: E402
    Answer,
    Instrument,
    Item,
    Phase,
    Respondent,
    Response,
    Score,
    Subscale,
    SurveyCycle,
    SurveyWindow,
)
from surveys.outcomes import selectors  # noqa: E402
from surveys.outcomes.cells import Level  # noqa: E402

MARK = f"bench {ARGS.students} students, seed {stats_floor.SEED}"  # the cycle's title: the load is complete
SCALE = [{"value": v, "label": {"en": f"{v}", "es": f"{v}"}} for v in range(1, 6)]
SESSIONS_HELD = 6
TURNED_IN = 0.8


# --- loading ---------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _column(given, n: int, per_row: bool) -> list[str]:
    if per_row and isinstance(given, np.ndarray):  # numbers: numpy writes the shortest text that reads back the same
        return given.astype(str).tolist()
    if per_row and isinstance(given, list):
        return [_text(v) for v in given]
    return [_text(given)] * n


def copy_rows(model, columns: dict, n: int) -> None:
    """COPY ``n`` rows into ``model``'s table: ``columns`` maps a column to a numpy array or a list (one value
    a row) or a constant; every other column gets its field's default (COPY knows no Django default)."""
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in columns)]
    texts = [
        _column(columns[f.attname], n, True) if f.attname in columns else _column(f.get_default(), n, False)
        for f in fields
    ]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        step = 200_000
        for start in range(0, n, step):
            rows = zip(*(col[start : start + step] for col in texts), strict=True)
            copy.write("".join("\t".join(row) + "\n" for row in rows))


def reset_sequences(*models) -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def create_database(rebuild: bool) -> bool:
    """Heard's benchmark database, migrated; True when it holds the load already."""
    with psycopg.connect(dbname="postgres", **PG, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone()
        if exists and rebuild:
            admin.execute(f'DROP DATABASE "{DB}"')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{DB}"')
    call_command("migrate", verbosity=0)
    return SurveyCycle.objects.filter(title=MARK).exists()


def load(d: dict) -> None:
    """``generate(n)``'s survey into Heard's models (see the module's docstring), in one transaction."""
    n = ARGS.students
    now = timezone.now()
    year = current_school_year()
    district = District.objects.create(name=f"Bench district {n}")
    schools = School.objects.bulk_create(
        [School(district=district, name=f"School {i:04d}") for i in range(1, d["n_school"] + 1)]
    )
    school_pk = np.array([s.pk for s in schools])
    position = np.arange(d["n_class"]) % stats_floor.CLASSES_PER_SCHOOL
    grades = 3 + position % 6
    classrooms = Classroom.objects.bulk_create(
        [
            Classroom(
                school_id=int(school_pk[s - 1]),
                name=f"Class {c + 1:05d}",
                grade=int(grades[c]),
                school_year=year,
                join_code=f"BN{c + 1:08d}",
                join_code_expires_at=now + timedelta(days=30),
            )
            for c, s in enumerate(d["class_school"])
        ],
        batch_size=5000,
    )
    class_pk = np.array([c.pk for c in classrooms])
    User.objects.create_user(
        username="bench-district-admin", password=None, role=User.Role.DISTRICT_ADMIN, district=district
    )
    # Students: ids after every user there is; student s of the floor (1..n) is user first + s - 1.
    first = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    student_pk = np.arange(first, first + n)
    room_of = class_pk[d["student_class"] - 1]  # each student's classroom (Heard pk)
    copy_rows(
        User,
        {
            "id": student_pk,
            "password": "!",
            "username": [f"bench-s{i}" for i in range(1, n + 1)],
            "first_name": "Student",
            "last_name": np.arange(1, n + 1),
            "role": User.Role.STUDENT,
            "school_id": school_pk[d["class_school"][d["student_class"] - 1] - 1],
            "grade": grades[d["student_class"] - 1],
            "date_joined": now,
        },
        n,
    )
    copy_rows(
        Enrollment, {"classroom_id": room_of, "student_id": student_pk, "joined_at": now - timedelta(days=200)}, n
    )

    instrument = Instrument.objects.create(
        slug="bench-self-report",
        name={"en": "Bench self-report", "es": "Autoinforme de prueba"},
        respondent=Respondent.STUDENT,
        grade_min=3,
        grade_max=8,
        scale=SCALE,
    )
    subscales = [
        Subscale.objects.create(
            instrument=instrument,
            key=f"s{k}",
            name={"en": f"Subscale {k}", "es": f"Subescala {k}"},
            order=k,
            min_items=services.min_items(stats_floor.ITEMS // stats_floor.SUBSCALES),
        )
        for k in range(1, stats_floor.SUBSCALES + 1)
    ]
    items = Item.objects.bulk_create(
        [
            Item(
                instrument=instrument,
                subscale=subscales[k - 1],
                key=f"i{i + 1}",
                order=i + 1,
                text={"en": f"Item {i + 1}", "es": f"Pregunta {i + 1}"},
                scale=SCALE,
            )
            for i, k in enumerate(d["item_subscale"])
        ]
    )
    item_pk = np.array([i.pk for i in items])
    subscale_pk = np.array([s.pk for s in subscales])
    cycle = SurveyCycle.objects.create(school=schools[0], title=MARK)
    windows = {
        Phase.PRE: SurveyWindow.objects.create(
            cycle=cycle, phase=Phase.PRE, opens_at=now - timedelta(days=150), closes_at=now - timedelta(days=130)
        ),
        Phase.POST: SurveyWindow.objects.create(
            cycle=cycle, phase=Phase.POST, opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=10)
        ),
    }
    through = SurveyWindow.classrooms.through
    for window in windows.values():
        window.instruments.add(instrument)
        through.objects.bulk_create(
            [through(surveywindow_id=window.pk, classroom_id=int(c)) for c in class_pk], batch_size=10_000
        )

    first_response = (Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    post_index = d["post_students"] - 1  # 0-based floor students with a post response
    per_phase = {
        Phase.PRE: (np.arange(n), d["pre"]),
        Phase.POST: (post_index, d["post"]),
    }
    next_id = first_response
    per_subscale = stats_floor.ITEMS // stats_floor.SUBSCALES
    for phase, (who, answers) in per_phase.items():
        window = windows[phase]
        count = len(who)
        response_pk = np.arange(next_id, next_id + count)
        next_id += count
        submitted = window.opens_at + timedelta(days=5)
        copy_rows(
            Response,
            {
                "id": response_pk,
                "window_id": window.pk,
                "instrument_id": instrument.pk,
                "classroom_id": room_of[who],
                "respondent_id": student_pk[who],
                "subject_id": student_pk[who],
                "started_at": submitted - timedelta(minutes=20),
                "updated_at": submitted,
                "submitted_at": submitted,
            },
            count,
        )
        copy_rows(
            Answer,
            {
                "response_id": np.repeat(response_pk, stats_floor.ITEMS),
                "item_id": np.tile(item_pk, count),
                "value": answers.ravel(),
            },
            count * stats_floor.ITEMS,
        )
        # A subscale's score: the mean of its five answers (all answered, none reversed), as scores_write has it.
        scores = answers.reshape(count, stats_floor.SUBSCALES, per_subscale).sum(axis=2) / per_subscale
        copy_rows(
            Score,
            {
                "window_id": window.pk,
                "cycle_id": cycle.pk,
                "phase": phase,
                "instrument_id": instrument.pk,
                "subscale_id": np.tile(subscale_pk, count),
                "respondent": Respondent.STUDENT,
                "school_id": np.repeat(
                    school_pk[d["class_school"][d["student_class"][who] - 1] - 1], stats_floor.SUBSCALES
                ),
                "classroom_id": np.repeat(room_of[who], stats_floor.SUBSCALES),
                "grade": np.repeat(grades[d["student_class"][who] - 1], stats_floor.SUBSCALES),
                "student_id": np.repeat(student_pk[who], stats_floor.SUBSCALES),
                "response_id": np.repeat(response_pk, stats_floor.SUBSCALES),
                "value": scores.ravel(),
            },
            count * stats_floor.SUBSCALES,
        )
    # The dose: six sessions held between the windows, and one assignment each, mostly turned in.
    held_at = [windows[Phase.PRE].closes_at + timedelta(days=14 * (k + 1)) for k in range(SESSIONS_HELD)]
    copy_rows(
        Session,
        {
            "classroom_id": np.repeat(class_pk, SESSIONS_HELD),
            "starts_at": held_at * len(class_pk),
            "status": Session.Status.HELD,
            "status_changed_at": now,
        },
        len(class_pk) * SESSIONS_HELD,
    )
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                classroom_id=int(c),
                kind="perspective_writing",
                title="Bench writing",
                activity_instructions={"en": "Write."},
                content={"prompt": {"en": "Tell the day as the new student."}, "guiding_questions": []},
                band="3_5",
                created_at=held_at[0],
            )
            for c in class_pk
        ],
        batch_size=5000,
    )
    assignment_of = np.array([a.pk for a in assignments])[d["student_class"] - 1]
    done = np.random.default_rng(stats_floor.SEED).random(n) < TURNED_IN
    copy_rows(
        Submission,
        {
            "assignment_id": assignment_of,
            "student_id": student_pk,
            "state": [Submission.State.TURNED_IN if x else Submission.State.ASSIGNED for x in done],
            "turned_in_at": [held_at[1] if x else None for x in done],
            "turn_ins": done.astype(int),
            "updated_at": now,
        },
        n,
    )
    reset_sequences(User, Response, Answer, Score, Session, Submission)


def check_scores_write(sample: int = 40) -> int:
    """The scores loaded with numpy are exactly what ``services.scores_write`` writes, on a sample of
    responses (pre and post), in a transaction rolled back."""
    rng = np.random.default_rng(1)
    pks = list(Response.objects.filter(window__cycle__title=MARK).values_list("pk", flat=True))
    picked = sorted(int(pk) for pk in rng.choice(pks, size=min(sample, len(pks)), replace=False))
    loaded = {
        (r, s): v
        for r, s, v in Score.objects.filter(response_id__in=picked).values_list("response_id", "subscale_id", "value")
    }
    with transaction.atomic():
        written = {}
        for response in Response.objects.filter(pk__in=picked).select_related("instrument", "window", "classroom"):
            for score in services.scores_write(response):
                written[(response.pk, score.subscale_id)] = score.value
        transaction.set_rollback(True)
    if written != loaded:
        differ = [k for k in written.keys() | loaded.keys() if written.get(k) != loaded.get(k)]
        raise SystemExit(f"loaded scores differ from scores_write for {len(differ)} of {len(written)}: {differ[:5]}")
    return len(written)


# --- measuring -------------------------------------------------------------------------------------------


def compare(result, rows, class_pk) -> tuple[int, float]:
    """Heard's classroom cells against the floor's rows: (rows compared, the largest difference)."""
    floor_id = {int(pk): i + 1 for i, pk in enumerate(class_pk)}
    ours = {}
    for cell in result.cells:
        if cell.level != Level.CLASSROOM:
            continue
        if cell.hidden is not None:
            raise SystemExit(f"classroom {cell.classroom_id} is hidden ({cell.hidden}); the floor shows it")
        n, mean = cell.n_matched, cell.mean_change
        sum_squares = (n - 1) * cell.sd_change**2 + n * mean**2 if n > 1 else mean**2 * n
        key = (floor_id[cell.classroom_id], int(cell.measure.subscale_key[1:]))
        ours[key] = (n, cell.mean_pre, cell.mean_post, mean, sum_squares)
    theirs = {(r[0], r[1]): tuple(r[2:7]) for r in rows}
    if ours.keys() != theirs.keys():
        raise SystemExit(
            f"cells differ: {len(ours.keys() - theirs.keys())} only in Heard, {len(theirs.keys() - ours.keys())} only in the floor"
        )
    worst = 0.0
    for key, (n, *figures) in theirs.items():
        mine = ours[key]
        if mine[0] != n:
            raise SystemExit(f"classroom {key}: n {mine[0]} in Heard, {n} in the floor")
        for a, b in zip(mine[1:], figures, strict=True):
            if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
                raise SystemExit(f"classroom {key}: {mine} in Heard, {(n, *figures)} in the floor")
            worst = max(worst, abs(a - b))
    return len(theirs), worst


def survey_timing(classroom: Classroom, instrument: Instrument, students: int) -> dict:
    """One survey a student, through the services, in a window of its own; rolled back."""
    saves, submits, save_queries, submit_queries = [], [], 0, 0
    items = list(instrument.items.order_by("order").values_list("key", flat=True))
    rng = np.random.default_rng(2)
    with transaction.atomic():
        now = timezone.now()
        cycle = SurveyCycle.objects.create(school_id=classroom.school_id, title="bench: one survey")
        window = SurveyWindow.objects.create(
            cycle=cycle, phase=Phase.PRE, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1)
        )
        window.instruments.add(instrument)
        window.classrooms.add(classroom)
        roster = User.objects.filter(enrollments__classroom=classroom).order_by("pk")[:students]
        for student in roster:
            response = services.response_open(window, student)
            for key in items:
                value = str(int(rng.integers(1, 6)))
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    services.answer_save(response, student, key, value)
                    saves.append(time.perf_counter() - started)
                save_queries = len(queries)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                services.response_submit(response, student)
                submits.append(time.perf_counter() - started)
            submit_queries = len(queries)
        transaction.set_rollback(True)
    return {"saves": saves, "submits": submits, "save_queries": save_queries, "submit_queries": submit_queries}


def page_timing(admin, cycle) -> dict:
    """The outcomes page itself for the district's admin, as a browser asks for it (the charts are their own
    requests and are not counted): median of 3 after one warm-up, with its queries and size."""
    client = Client()
    client.force_login(admin)
    url = reverse("surveys:outcomes", args=[cycle.pk])
    plain = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
             "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=plain):
        calls = []

        def count(execute, sql, params, many, context):
            calls.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        times = stats_floor.time_it(lambda: client.get(url), 3)
    return {"times": times, "queries": len(calls), "kb": len(response.content) / 1024}


def main() -> None:
    n = ARGS.students
    floor_db, built = stats_floor.build(n)
    print("floor database", floor_db, stats_floor.sizes(floor_db), flush=True)
    d = stats_floor.generate(n)
    if not create_database(ARGS.rebuild):
        if SurveyCycle.objects.exists():
            raise SystemExit(f"{DB} holds something else; run with --rebuild")
        started = time.perf_counter()
        with transaction.atomic():
            load(d)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"loaded {DB} in {time.perf_counter() - started:.1f} s", flush=True)
    counts = {m.__name__: m.objects.count() for m in (Classroom, User, Response, Answer, Score, Session, Submission)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
        size, version = cursor.fetchone()
    print(f"database {DB}: {counts}, {size}; {version.split(' on ')[0]}", flush=True)
    print(
        f"scores loaded with numpy equal services.scores_write on {check_scores_write()} scores of a sample", flush=True
    )

    admin = User.objects.get(username="bench-district-admin")
    cycle = SurveyCycle.objects.get(title=MARK)
    class_pk = np.array(
        Classroom.objects.filter(school__district=admin.district).order_by("pk").values_list("pk", flat=True)
    )
    subscale_ids = list(
        Subscale.objects.filter(instrument__slug="bench-self-report").order_by("order").values_list("pk", flat=True)
    )
    scope_sql, scope_params = selectors._sql(Classroom.objects.filter(selectors.outcome_classrooms(admin)).values("pk"))
    sql, params = selectors.scores_query(cycle, subscale_ids, scope_sql, scope_params)

    def heard():
        return selectors.outcomes(admin, cycle)

    def heard_query():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    with stats_floor.connect(floor_db) as conn:
        floor_rows = stats_floor.run_floor(conn)
        # Two rounds each, in turn, so that a change in the machine's load falls on both (it is shared).
        floor_times = stats_floor.time_it(lambda: stats_floor.run_floor(conn), ARGS.runs)
        heard_times = stats_floor.time_it(heard, ARGS.runs)
        floor_times += stats_floor.time_it(lambda: stats_floor.run_floor(conn), ARGS.runs)
        heard_times += stats_floor.time_it(heard, ARGS.runs)
        query_times = stats_floor.time_it(heard_query, ARGS.runs)
    with CaptureQueriesContext(connection) as queries:
        result = heard()
    one, five, _ = os.getloadavg()
    print(f"\nmachine: {os.cpu_count()} cores, load average {one:.1f} (1 min), {five:.1f} (5 min)")
    print(f"floor SQL ({len(floor_rows)} rows): {stats_floor.ms(floor_times)}")
    print(
        f"Heard outcomes() for the district's admin ({len(result.cells)} cells of {len(result.measures)} measures, "
        f"{len(queries)} queries): {stats_floor.ms(heard_times)}"
    )
    print(f"  of which the scores query alone: {stats_floor.ms(query_times)}")
    print(
        "  each query of one run: " + ", ".join(f"{float(q['time']) * 1000:.0f} ms" for q in queries.captured_queries)
    )
    heard_median, floor_median = statistics.median(heard_times), statistics.median(floor_times)
    print(
        f"ratio Heard / floor: {heard_median / floor_median:.2f}x (target: within 1.5x); per 1,000 students: "
        f"Heard {heard_median * 1000 / (n / 1000):.2f} ms, floor {floor_median * 1000 / (n / 1000):.2f} ms"
    )
    page = page_timing(admin, cycle)
    print(
        f"the whole district's outcomes page (GET, rendered, in process, {page['queries']} queries, "
        f"{page['kb']:.0f} KB of HTML): {stats_floor.ms(page['times'])}; "
        f"page / floor {statistics.median(page['times']) / floor_median:.2f}x (target at 50,000 students: < 2 s)"
    )
    compared, worst = compare(result, floor_rows, class_pk)
    print(
        f"figures agree with the floor for all {compared} classroom/subscale rows (n, mean pre, mean post, "
        f"mean change, sum of squared change), max abs diff {worst:.2e}"
    )
    if ARGS.explain:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()))

    instrument = Instrument.objects.get(slug="bench-self-report")
    timing = survey_timing(Classroom.objects.get(pk=int(class_pk[0])), instrument, ARGS.submits)
    print(f"\none student's survey ({len(timing['submits'])} students, {len(timing['saves'])} answers, in process):")
    print(f"  answer_save: {stats_floor.ms(timing['saves'])}, {timing['save_queries']} queries")
    print(
        f"  response_submit (writes the 4 scores): {stats_floor.ms(timing['submits'])}, {timing['submit_queries']} queries"
    )


if __name__ == "__main__":
    main()
