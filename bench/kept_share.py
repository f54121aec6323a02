"""How often an everyday page is served kept while the school writes: each page looked at once a second by its own
user (as a teacher back on a list, a student on their home page), while a student of the same school saves a draft
five times a second (a class at work, through the autosave's own door): first a student of Room 12, then one of
Room 3. Prints, per page, the looks, how many were drawn and the share served kept. Asserts nothing.

    .venv/bin/python bench/kept_share.py                  # PostgreSQL at 127.0.0.1:5432 (user postgres)
    .venv/bin/python bench/kept_share.py --seconds 30     # how long (default 20)
    .venv/bin/python bench/kept_share.py --writes 0       # no writes: every look after the first kept

In one process, through Django's test client (no gunicorn: what is counted is whether the page was drawn, not how
fast): seeds ``manage.py seed_demo`` into a scratch database beside DATABASE_URL's (dropped at the end), with the
page cache, the panels' cache and the unread count's on (a local cache, one process). A drawing is counted where
``accounts.data_versions.keep`` stores a page. A kept page is drawn again once a write of its school reaches what it
read (accounts.data_versions), or after 60 s; a page drawn within a second of a write (the clock margin) is drawn
again at its next look, so with writes every 0.2 s a page that reads what the save writes is drawn at every look.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARSER = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
PARSER.add_argument("--seconds", type=float, default=20, help="how long the school writes and the pages are looked at")
PARSER.add_argument("--writes", type=float, default=5, help="draft saves a second by a student of the school")
ARGS = PARSER.parse_args()

SCRATCH = tempfile.mkdtemp(prefix="heard-bench-kept-share-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["HEARD_VAR_DIR"] = SCRATCH
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heard")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["DEBUG"] = "false"
os.environ["CACHE_URL"] = "locmemcache://"
for switch in ("PAGE_CACHE", "FRAGMENT_CACHE", "NOTIFICATIONS_UNREAD_CACHE"):
    os.environ[switch] = "true"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts import data_versions  # noqa: E402
from accounts.models import School, User  # noqa: E402
from bench import serving  # noqa: E402
from classrooms.models import Classroom  # noqa: E402
from curriculum.models import Submission  # noqa: E402


def pages() -> list[tuple[str, User, str]]:
    user = User.objects.get
    room8 = Classroom.objects.get(name="Room 8 · Grade 2")
    room12 = Classroom.objects.get(name="Room 12 · Grade 4")
    teacher = user(username="teacher.rivera")
    kid12 = User.objects.filter(enrollments__classroom=room12).order_by("username").first()
    return [
        ("student dashboard", user(username="maple.s1"), reverse("dashboard")),
        ("teacher dashboard", teacher, reverse("dashboard")),
        ("classroom page", teacher, reverse("classrooms:detail", args=[room8.pk])),
        ("sessions list", teacher, reverse("classrooms:sessions", args=[room8.pk])),
        ("notifications", teacher, reverse("notifications:list")),
        ("To do (student)", kid12, reverse("curriculum:my_work")),
        ("help-request queue (counselor)", user(username="counselor.maple"), reverse("peer_counselors:supervise")),
        ("assignment grid (teacher)", room12.teachers.first(),
         reverse("curriculum:classroom_assignments", args=[room12.pk])),
    ]  # fmt: skip


def writer_in(classrooms, demo: School) -> Submission:
    """A draft to save, of a student of the demo school in one of ``classrooms``."""
    return (
        Submission.objects.filter(
            student__school=demo, assignment__classroom__in=classrooms, state__in=("assigned", "in_progress"),
            assignment__kind="feelings_guess",
        )
        .select_related("assignment__classroom", "student").order_by("pk").first()
    )  # fmt: skip


def phase(work: Submission, looked, clients) -> tuple[Counter, Counter, int]:
    """ARGS.seconds of looks at every page, once a second, while ``work``'s student saves a changing draft
    ARGS.writes times a second: (looks, drawings) per page, and the saves."""
    writer = Client(HTTP_HOST="127.0.0.1", HTTP_HX_REQUEST="true")
    writer.force_login(work.student)
    save = reverse("curriculum:submission_save", args=[work.pk])
    drawn, looks, current = Counter(), Counter(), [None]
    keep = data_versions.keep

    def counted(key, value, began):
        drawn[current[0]] += 1
        return keep(key, value, began)

    data_versions.keep = counted
    try:
        start = time.monotonic()
        next_write = next_look = start
        saved = 0
        while time.monotonic() - start < ARGS.seconds:
            now = time.monotonic()
            if ARGS.writes and now >= next_write:
                typed = {"answer_form": "1", "intensity": "3", "why": f"Because her tower fell ({saved})"}
                assert writer.post(save, typed).status_code == 200
                saved += 1
                next_write += 1 / ARGS.writes
            if now >= next_look:
                for label, _who, url in looked:
                    current[0] = label
                    assert clients[label].get(url).status_code == 200, label
                    looks[label] += 1
                next_look += 1.0
            time.sleep(0.005)
    finally:
        data_versions.keep = keep
    return looks, drawn, saved


def main() -> None:
    call_command("collectstatic", interactive=False, verbosity=0)
    with serving.scratch_database("kept_share", SCRATCH) as name:
        call_command("seed_demo", stdout=StringIO())
        demo = School.objects.order_by("pk").first()
        looked = pages()
        clients = {}
        for label, who, _url in looked:
            clients[label] = Client(HTTP_HOST="127.0.0.1")
            clients[label].force_login(who)
        room12, room3 = (Classroom.objects.get(name=name) for name in ("Room 12 · Grade 4", "Room 3 · Kindergarten"))
        print(f"database: {name} (the demo data); {serving.machine_line()}")
        for title, work in (
            ("the class of the To do and the grid", writer_in([room12], demo)),
            ("one of teacher.rivera's classes and maple.s1's", writer_in([room3], demo)),
        ):
            if work is None:
                print(f"\n(no draft to save for {title})")
                continue
            looks, drawn, saved = phase(work, looked, clients)
            print(f"\n{ARGS.seconds:g} s: each page looked at once a second by its user; {saved} draft saves by "
                  f"{work.student.username} ({title}: {work.assignment.classroom.name}) meanwhile")  # fmt: skip
            print(f"\n{'page':<32} {'looks':>6} {'drawn':>6} {'kept':>6}")
            for label, _who, _url in looked:
                print(f"{label:<32} {looks[label]:6} {drawn[label]:6} {1 - drawn[label] / looks[label]:6.0%}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
