"""How long the web process waits on the broker: publishing a sweep, and a student joining, with Redis down.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard .venv/bin/python bench/broker_down.py

Times ``enqueue(EMAIL_SWEEP_TASK)`` against a closed port and against the real Redis, and
``classroom_join`` (the service, commit and on-commit publish included) with the broker down and up.
It works in a scratch database it creates beside DATABASE_URL's (in memory for SQLite) and drops
at the end; messages it publishes go to BENCH_REDIS_URL (default db 14) and are deleted at the end.
Prints figures and asserts nothing.
"""

import logging
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLOSED_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
N = 20

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A Redis URL makes settings.py choose production's broker transport options.
os.environ["CELERY_BROKER_URL"] = CLOSED_BROKER_URL

import django  # noqa: E402

django.setup()

import kombu.pools  # noqa: E402
import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, School, User  # noqa: E402
from classrooms.models import Classroom  # noqa: E402
from classrooms.services import classroom_join  # noqa: E402
from config.celery import app, enqueue  # noqa: E402
from notifications.services import EMAIL_SWEEP_TASK  # noqa: E402

# Each failed publish logs a warning with a traceback. That formatting is part of what a page
# pays, so it still happens, but into /dev/null rather than over the figures.
_devnull = open(os.devnull, "w")  # for the life of the script
logging.getLogger("config.celery").handlers = [logging.StreamHandler(_devnull)]
logging.getLogger("config.celery").propagate = False


def point_broker_at(url: str, transport_options: dict) -> None:
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def timed_ms(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def report(label: str, call, n: int = N) -> None:
    """Time one cold call (fresh connection pool), then ``n`` more."""
    first = timed_ms(call)
    times = [timed_ms(call) for _ in range(n)]
    print(
        f"{label:<66} first {first:8.1f} ms | next {n}: median {statistics.median(times):8.1f} ms,"
        f" max {max(times):8.1f} ms"
    )


def seed(students: int) -> tuple[Classroom, list[User]]:
    district = District.objects.create(name="Bench district")
    school = School.objects.create(district=district, name="Bench school")
    teachers = [
        User.objects.create(
            username=f"bench-teacher-{n}", role=User.Role.TEACHER, school=school, email=f"t{n}@bench.example"
        )
        for n in range(2)
    ]
    classroom = Classroom.objects.create(
        school=school, name="Bench room", grade=3, school_year=2026,
        join_code="BENCH2", join_code_expires_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    classroom.teachers.add(*teachers)
    kids = [
        User.objects.create(username=f"bench-student-{n}", role=User.Role.STUDENT, school=school, grade=3)
        for n in range(students)
    ]
    return classroom, kids


def joins(classroom: Classroom, students: list[User]):
    """A callable that puts the next student in the classroom each time it is called."""
    queue = iter(students)
    return lambda: classroom_join(student=next(queue), code=classroom.join_code)


def main() -> None:
    production_options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    print(f"database: {connection.vendor}; broker transport options from settings: {production_options}")
    queues = redis.Redis.from_url(REDIS_URL)
    keys_before = set(queues.keys())
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"heard_bench_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        classroom, students = seed(students=3 * (N + 1))
        batches = [students[i : i + N + 1] for i in range(0, len(students), N + 1)]

        point_broker_at(CLOSED_BROKER_URL, production_options)
        report(
            f"(a) enqueue, broker on a closed port ({CLOSED_BROKER_URL})", lambda: enqueue(EMAIL_SWEEP_TASK)
        )
        report("    classroom_join, broker on the closed port", joins(classroom, batches[0]))

        point_broker_at(REDIS_URL, production_options)
        report(f"(b) enqueue, real Redis ({REDIS_URL})", lambda: enqueue(EMAIL_SWEEP_TASK))
        report("    classroom_join, real Redis", joins(classroom, batches[1]))

        # What tests/conftest.py's empty options (or dropping max_retries) would do: kombu retries
        # a refused connect until the connect timeout (CELERY_BROKER_CONNECTION_TIMEOUT) runs out.
        point_broker_at(CLOSED_BROKER_URL, {})
        report(
            "(c) enqueue, closed port, transport options {} (no max_retries)",
            lambda: enqueue(EMAIL_SWEEP_TASK),
            n=3,
        )
    finally:
        point_broker_at("memory://", {})
        connection.creation.destroy_test_db(old_name, verbosity=0)
        added = set(queues.keys()) - keys_before
        if added:
            queues.delete(*added)
        queues.close()


if __name__ == "__main__":
    main()
