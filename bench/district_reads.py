"""Two dashboard reads at district size on PostgreSQL: the district dashboard's per-school head counts
(``classrooms.selectors.school_summary``) and a teacher's upcoming sessions
(``classrooms.program.selectors.sessions_upcoming_for``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard .venv/bin/python bench/district_reads.py
    DATABASE_URL=... .venv/bin/python bench/district_reads.py --students 50000 --runs 200 --plans

Seeds (bulk_create) one district of 20 schools (``--schools``), 2,000 classrooms of 25 students (50,000 students) with a
teacher each, so 52,000 users, plus a few counselors and admins; each classroom has a planned session every
14 days over a school year (26 a classroom, about 52,000 sessions, so about one per classroom in any two-week
window). The teacher measured teaches two classrooms and leads the family visits of a third. Then VACUUM
ANALYZE (what autovacuum does to a table that has settled; an index-only scan needs the visibility map), and,
warm, the median and p95 of ``--runs`` calls of each read beside what it replaced, taking turns: the users'
head count beside the query it was (COUNT(id) of students and teachers, which reads every user row), the
upcoming sessions beside ``sessions_for`` (the scope's OR); with their queries and, with ``--plans``, their
EXPLAIN (ANALYZE, BUFFERS). ``--schools 2`` (1,000 classrooms a school) is where the OR's plan walked every planned
session of the window.

Works in a scratch database created beside DATABASE_URL's and dropped at the end. Prints figures, asserts nothing.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARSER = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
PARSER.add_argument("--students", type=int, default=50_000)
PARSER.add_argument("--schools", type=int, default=20)
PARSER.add_argument("--runs", type=int, default=200)
PARSER.add_argument("--plans", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of each read")
ARGS = PARSER.parse_args()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["CELERY_BROKER_URL"] = "memory://"

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, School, User  # noqa: E402
from classrooms.models import Classroom, Enrollment, Session, Theme  # noqa: E402
from classrooms.program.selectors import sessions_for, sessions_upcoming_for  # noqa: E402
from classrooms.program.services import classroom_sessions_recount  # noqa: E402
from classrooms.selectors import school_summary  # noqa: E402

SCHOOLS = ARGS.schools
PER_CLASSROOM = 25
SESSIONS_EVERY = timedelta(days=14)
SESSIONS_PER_CLASSROOM = 26


def seed(now) -> tuple[list[int], User]:
    no_password = make_password(None)
    district = District.objects.create(name="Bench district")
    schools = School.objects.bulk_create(School(district=district, name=f"School {n}") for n in range(SCHOOLS))
    classrooms_count = ARGS.students // PER_CLASSROOM
    classrooms = Classroom.objects.bulk_create(
        (Classroom(school=schools[n % SCHOOLS], name=f"Room {n}", grade=n % 9, school_year=2026,
                   join_code=f"B{n:06d}", join_code_expires_at=now + timedelta(days=30))
         for n in range(classrooms_count)),
        batch_size=5000,
    )  # fmt: skip

    def people(prefix, count, role, school_of, **fields):
        return User.objects.bulk_create(
            (User(username=f"{prefix}{n}", role=role, password=no_password, school=school_of(n), **fields)
             for n in range(count)),
            batch_size=5000,
        )  # fmt: skip

    teachers = people("teacher", classrooms_count, User.Role.TEACHER, lambda n: schools[n % SCHOOLS])
    students = people("student", ARGS.students, User.Role.STUDENT, lambda n: schools[n // PER_CLASSROOM % SCHOOLS])
    people("counselor", SCHOOLS, User.Role.COUNSELOR, lambda n: schools[n])
    people("admin", SCHOOLS, User.Role.SCHOOL_ADMIN, lambda n: schools[n])
    people("gone", 200, User.Role.STUDENT, lambda n: schools[n % SCHOOLS], is_active=False)
    Teaching = Classroom.teachers.through
    Teaching.objects.bulk_create(
        [Teaching(classroom=c, user=teachers[n]) for n, c in enumerate(classrooms)]
        + [Teaching(classroom=classrooms[SCHOOLS], user=teachers[0])],  # teacher0 teaches Room 0 and Room 20
        batch_size=5000,
    )
    Theme.objects.create(classroom=classrooms[2 * SCHOOLS], number=1, title="Crying", instructor=teachers[0])
    Enrollment.objects.bulk_create(
        (Enrollment(classroom=classrooms[n // PER_CLASSROOM], student=s) for n, s in enumerate(students)),
        batch_size=5000,
    )
    start = now - timedelta(days=150)
    Session.objects.bulk_create(
        (Session(classroom=c, starts_at=start + SESSIONS_EVERY * k + timedelta(minutes=(n * 7) % (14 * 24 * 60)))
         for n, c in enumerate(classrooms) for k in range(SESSIONS_PER_CLASSROOM)),
        batch_size=5000,
    )  # fmt: skip
    classroom_sessions_recount(classroom_ids=[c.pk for c in classrooms])  # as every write of a session does
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return [s.pk for s in schools], teachers[0]


BOOKKEEPING = ("BEGIN", "COMMIT", "SET LOCAL", "SAVEPOINT", "RELEASE")


def measured(label: str, variants: dict, plans: dict) -> None:
    """Each of ``variants`` called ``--runs`` times, taking turns (so a busy machine slows them alike)."""
    times = {name: [] for name in variants}
    for _ in range(5):
        for call in variants.values():
            call()
    for _ in range(ARGS.runs):
        for name, call in variants.items():
            start = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - start) * 1000)
    print(label)
    for name, call in variants.items():
        with CaptureQueriesContext(connection) as queries:
            call()
        p95 = statistics.quantiles(times[name], n=20)[-1]
        sql = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(BOOKKEEPING)]
        print(f"  {name:<64} median {statistics.median(times[name]):6.2f} ms  p95 {p95:6.2f} ms  {len(sql)} queries")
        if ARGS.plans and name in plans:
            print("      " + plans[name]().replace("\n", "\n      "))


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/district_reads.py measures PostgreSQL: set DATABASE_URL=postgres://...")
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"heard_bench_district_reads_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        now = timezone.now().replace(second=0, microsecond=0)
        start = time.perf_counter()
        school_ids, teacher = seed(now)
        print(f"database: {connection.settings_dict['NAME']}; seeded in {time.perf_counter() - start:.1f} s")
        print(f"  users: {User.objects.count():,}; classrooms: {Classroom.objects.count():,}; sessions: "
              f"{Session.objects.count():,}, planned in the next 14 days: "
              f"{Session.objects.filter(starts_at__gt=now, starts_at__lte=now + timedelta(days=14)).count():,}\n")  # fmt: skip

        def summary():
            return school_summary(school_ids=school_ids)

        def upcoming():
            return list(sessions_upcoming_for(teacher, now=now, days=14, limit=8))

        totals = {k: sum(row[k] for row in summary().values()) for k in ("classrooms", "students", "teachers")}
        print(f"school_summary of {len(school_ids)} schools: {totals}")

        def users_counted():
            return list(
                User.objects.filter(school_id__in=school_ids, is_active=True)
                .values("school_id", "role").annotate(n=Count("*")).order_by()
            )  # fmt: skip

        def users_counted_as_before():
            """school_summary's users query before the index: COUNT(id) of the two roles it shows."""
            return list(
                User.objects.filter(school_id__in=school_ids, is_active=True, role__in=[User.Role.STUDENT, User.Role.TEACHER])
                .values("school_id", "role").annotate(n=Count("pk"))
            )  # fmt: skip

        measured("school_summary(), the district dashboard's head counts", {
            "school_summary() (classrooms and users)": summary,
            "its users' count: COUNT(*), every role (user_active_by_school_role)": users_counted,
            "the users' count as it was: COUNT(id) of students and teachers": users_counted_as_before,
        }, {
            "its users' count: COUNT(*), every role (user_active_by_school_role)":
                lambda: User.objects.filter(school_id__in=school_ids, is_active=True).values("school_id", "role")
                .annotate(n=Count("*")).order_by().explain(analyze=True, buffers=True),
            "the users' count as it was: COUNT(id) of students and teachers": lambda: User.objects.filter(
                school_id__in=school_ids, is_active=True, role__in=[User.Role.STUDENT, User.Role.TEACHER]
            ).values("school_id", "role").annotate(n=Count("pk")).explain(analyze=True, buffers=True),
        })  # fmt: skip

        def upcoming_by_scope():
            """What sessions_upcoming_for was: the scope's OR of subqueries."""
            return list(
                sessions_for(teacher)
                .filter(status=Session.Status.PLANNED, starts_at__gt=now, starts_at__lte=now + timedelta(days=14))
                .select_related("classroom__school", "theme")
                .order_by("starts_at", "classroom__name")[:8]
            )

        assert upcoming() == upcoming_by_scope()
        print(f"\nsessions_upcoming_for(a teacher of 2 classrooms + 1 visit): {len(upcoming())} sessions")
        measured("the teacher dashboard's upcoming sessions", {
            "sessions_upcoming_for(): a union of the teacher's links": upcoming,
            "sessions_for(): the scope's OR (what it was)": upcoming_by_scope,
        }, {
            "sessions_upcoming_for(): a union of the teacher's links":
                lambda: sessions_upcoming_for(teacher, now=now).explain(analyze=True, buffers=True),
            "sessions_for(): the scope's OR (what it was)": lambda: sessions_for(teacher).filter(
                status=Session.Status.PLANNED, starts_at__gt=now, starts_at__lte=now + timedelta(days=14)
            ).select_related("classroom__school", "theme").order_by("starts_at", "classroom__name")[:8].explain(
                analyze=True, buffers=True),
        })  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
