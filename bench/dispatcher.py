"""The reminder dispatcher and the e-mail sweep on a district-sized database: wall time and queries.

    .venv/bin/python bench/dispatcher.py                     # scratch SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heard .venv/bin/python bench/dispatcher.py

Seeds (bulk_create) 10 schools in five time zones, 1,000 classrooms with a teacher each (100 of them
co-taught), 25,000 students enrolled 25 a classroom, and 10,000 sessions, 10 a classroom: one in the
next 24 hours for every classroom (so 1,000 due "tomorrow"; in 100 "visits" classrooms it is a family
visit with a family and an instructor), 300 still planned a few days after they took place (unmarked),
the rest held in past months or planned in months to come. Then times one ``reminders_dispatch()``
(the beat task, called directly), a second run straight after (it must create nothing: the created
counts are printed), and one ``notification_emails_send()`` sweep with Django's locmem e-mail
backend, each with its number of queries (CaptureQueriesContext).

Works in a scratch database created beside DATABASE_URL's (a file in a temp dir for SQLite) and
dropped at the end; the broker is in memory, so nothing is published. Prints figures, asserts nothing.
"""

import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCRATCH = tempfile.mkdtemp(prefix="heard-bench-dispatcher-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("HEARD_VAR_DIR", SCRATCH)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH}/heard.sqlite3")
os.environ["CELERY_BROKER_URL"] = "memory://"  # the on-commit "sweep now" message goes nowhere

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import District, School, User  # noqa: E402
from classrooms.models import Classroom, Enrollment, Session, Theme, VisitingFamily  # noqa: E402
from classrooms.program.services import classroom_sessions_recount  # noqa: E402
from classrooms.tasks import reminders_dispatch  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.services import notification_emails_send  # noqa: E402

ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage"]
SCHOOLS = 10
CLASSROOMS = 1000
CO_TAUGHT = 100
VISIT_CLASSROOMS = 100
STUDENTS_PER_CLASSROOM = 25
SESSIONS_PER_CLASSROOM = 10
UNMARKED = 300


def seed(now) -> dict[str, int]:
    no_password = make_password(None)
    district = District.objects.create(name="Bench district")
    schools = School.objects.bulk_create(
        School(district=district, name=f"School {n}", time_zone=ZONES[n % len(ZONES)]) for n in range(SCHOOLS)
    )
    classrooms = Classroom.objects.bulk_create(
        Classroom(
            school=schools[n % SCHOOLS], name=f"Room {n}", grade=n % 9, school_year=2026,
            join_code=f"B{n:05d}", join_code_expires_at=now + timedelta(days=30),
        )
        for n in range(CLASSROOMS)
    )  # fmt: skip

    def people(prefix, count, role, fields):
        return User.objects.bulk_create(
            User(username=f"{prefix}{n}", role=role, password=no_password, **fields(n)) for n in range(count)
        )

    teachers = people("teacher", CLASSROOMS + CO_TAUGHT, User.Role.TEACHER,
                      lambda n: {"school": schools[n % SCHOOLS], "email": f"teacher{n}@bench.example"})  # fmt: skip
    instructors = people("instructor", VISIT_CLASSROOMS, User.Role.TEACHER,
                         lambda n: {"school": schools[n % SCHOOLS], "email": f"instructor{n}@bench.example"})  # fmt: skip
    students = people("student", CLASSROOMS * STUDENTS_PER_CLASSROOM, User.Role.STUDENT,
                      lambda n: {"school": schools[n // STUDENTS_PER_CLASSROOM % SCHOOLS], "grade": 3})  # fmt: skip
    Teaching = Classroom.teachers.through
    Teaching.objects.bulk_create(
        [Teaching(classroom=c, user=teachers[n]) for n, c in enumerate(classrooms)]
        + [Teaching(classroom=classrooms[n], user=teachers[CLASSROOMS + n]) for n in range(CO_TAUGHT)]
    )
    Enrollment.objects.bulk_create(
        (Enrollment(classroom=classrooms[n // STUDENTS_PER_CLASSROOM], student=s) for n, s in enumerate(students)),
        batch_size=5000,
    )
    visit_rooms = classrooms[-VISIT_CLASSROOMS:]
    families = VisitingFamily.objects.bulk_create(
        VisitingFamily(classroom=c, name=f"Family {n}", contact_email=f"family{n}@bench.example",
                       baby_name="Sam", baby_born_on=date(2026, 5, 1))
        for n, c in enumerate(visit_rooms)
    )  # fmt: skip
    themes = Theme.objects.bulk_create(
        Theme(classroom=c, number=1, title="Crying", family=families[n], instructor=instructors[n])
        for n, c in enumerate(visit_rooms)
    )
    theme_of = {t.classroom_id: t for t in themes}

    sessions = []
    for n, classroom in enumerate(classrooms):
        minute = 61 + (n * 7) % (23 * 60)  # tomorrow's sessions spread over the next 24 hours
        tomorrow = now + timedelta(minutes=minute)
        theme = theme_of.get(classroom.pk)
        sessions.append(
            Session(classroom=classroom, starts_at=tomorrow, theme=theme,
                    kind=Session.Kind.FAMILY_VISIT if theme else Session.Kind.LESSON)
        )  # fmt: skip
        if n < UNMARKED:  # took place 2 to 10 days ago, nobody marked it
            sessions.append(Session(classroom=classroom, starts_at=now - timedelta(days=2 + n % 9, minutes=minute)))
        else:
            sessions.append(
                Session(classroom=classroom, starts_at=now - timedelta(days=3 + n % 9, minutes=minute),
                        status=Session.Status.HELD)
            )  # fmt: skip
        for month in range(1, 5):
            sessions.append(
                Session(classroom=classroom, starts_at=tomorrow - timedelta(days=30 * month),
                        status=Session.Status.HELD)
            )  # fmt: skip
        for month in range(1, SESSIONS_PER_CLASSROOM - 5):
            sessions.append(Session(classroom=classroom, starts_at=tomorrow + timedelta(days=30 * month)))
    Session.objects.bulk_create(sessions, batch_size=5000)
    classroom_sessions_recount(classroom_ids={s.classroom_id for s in sessions})  # as every write of a session does
    return {
        "schools": School.objects.count(),
        "classrooms": Classroom.objects.count(),
        "teachers (incl. instructors)": User.objects.filter(role=User.Role.TEACHER).count(),
        "students enrolled": Enrollment.objects.count(),
        "sessions": Session.objects.count(),
        "sessions due in the next 24 h": Session.objects.filter(starts_at__gt=now, starts_at__lte=now + timedelta(days=1)).count(),
        "planned sessions in the last 14 days": Session.objects.filter(
            status=Session.Status.PLANNED, starts_at__lte=now, starts_at__gt=now - timedelta(days=14)
        ).count(),
    }  # fmt: skip


def measured(label: str, call):
    before = Counter(Notification.objects.values_list("kind", flat=True))
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        value = call()
        elapsed = time.perf_counter() - start
    created = Counter(Notification.objects.values_list("kind", flat=True)) - before
    made = ", ".join(f"{kind} {n:,}" for kind, n in sorted(created.items())) or "nothing"
    print(f"{label:<44} {elapsed:7.2f} s {len(queries.captured_queries):6,} queries  returned {value:,}; created: {made}")
    return value


def main() -> None:
    setup_test_environment()  # locmem e-mail backend (mail.outbox)
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"{SCRATCH}/bench.sqlite3"
    else:
        connection.settings_dict["TEST"]["NAME"] = f"heard_bench_dispatcher_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        now = timezone.now().replace(second=0, microsecond=0)
        start = time.perf_counter()
        facts = seed(now)
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); seeded in {time.perf_counter() - start:.1f} s")
        for key, value in facts.items():
            print(f"  {key}: {value:,}")
        print(f"e-mail backend: {settings.EMAIL_BACKEND}\n")
        measured("reminders_dispatch(), first run", reminders_dispatch)
        measured("reminders_dispatch(), second run", reminders_dispatch)
        pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).count()
        measured(f"notification_emails_send() ({pending:,} waiting)", notification_emails_send)
        waiting = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).count()
        print(f"  e-mails in the outbox: {len(mail.outbox):,}; still waiting: {waiting:,}")
        measured("notification_emails_send() again", notification_emails_send)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
