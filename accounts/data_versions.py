"""When a school's data last changed, so that a page drawn from it can be kept in the cache and drawn again only
after a change (issue 15: the everyday pages). ``kept_page`` is the view decorator that does it.

Every request runs under a watch (``WriteWatchMiddleware``) that notices whether the view wrote to the database;
so does every Celery task (``watch_task_start`` / ``watch_task_end``, connected in config/celery.py). A write
marks a moment in the cache once the request or the task is over (its transaction committed):

- a request by a student, teacher, counselor or school admin marks their school and its district;
- anything else (a task, a district admin, staff, a write with nobody signed in) marks every school.

A kept page stores when its drawing began (``kept`` / ``keep``). It is served only while that moment is later
than the marks of what it shows: for a user of one school, the marks of the tables its drawing read in their
school (``kept_by_tables``); for a district admin, their district's; for every page, the mark of every school and
its user's own, which the notification services set (``marks_for``), as the unread count does
(notifications.selectors): a drawing that began before a commit may have missed it, one that began after has it.
A page is also kept for ``FRAGMENT_TTL`` seconds at most, which bounds what no watch sees: time passing (a session
that started, a survey window that opened) and writes made outside Heard's requests and tasks (a shell, a data
migration). A failing cache costs the drawing, never the page.

A request's write also marks each table it reached in its school (``table_mark_key``), so that a page kept by the
tables it read (``kept_page``), and a costly panel kept by the tables it reads (``kept_fragment``), outlive the
writes elsewhere in the school: a class turning in work leaves their teacher's sessions list kept.

Some tables are read by a student or a teacher only within the classrooms they share with whoever wrote the rows
(``tables_by_classroom_register``: curriculum's work and live runs, whose scopes hold every row to its classroom and
every writer to the classrooms they are in or teach). A write to one of those by a student or a teacher marks it
for each classroom of the writer as well (``classroom_table_mark_key``), and anyone else's for the whole school
(``wide_table_mark_key``); a student's or teacher's page kept by such a table is kept by those marks of their own
classrooms: one class at work leaves the other classes' pages kept.

Some writes change nothing a kept page shows and are not counted: the session (saved after the view on every
page), django-axes' sign-in log, a user's last sign-in, and the notifications (their pages and the unread count
keep their own cache; the home pages draw their latest notifications outside the kept body).
"""

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils.translation import get_language

from accounts.models import User

logger = logging.getLogger(__name__)

FRAGMENT_TTL = 60  # seconds
CLOCK_MARGIN = 1.0
# A mark outlives every kept page drawn before it.
MARK_TTL = FRAGMENT_TTL + 2 * CLOCK_MARGIN + 5
EVERY_SCHOOL = "data:changed:all"
SCHOOL_ROLES = (User.Role.STUDENT, User.Role.TEACHER, User.Role.COUNSELOR, User.Role.SCHOOL_ADMIN)

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_TABLE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
# The tables a SELECT reads, its subqueries' included (Django names each after FROM or JOIN, quoted).
_READ = re.compile(r'\b(?:FROM|JOIN)\s+["`]?(\w+)', re.IGNORECASE)
NOT_COUNTED = ("django_session", "axes_", "notifications_")
# Signing in writes only when the user last signed in, which no page shows: a bell of sign-ins leaves the
# school's kept pages alone.
_LAST_LOGIN = re.compile(r'^\s*UPDATE\s+"?accounts_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE\b', re.IGNORECASE)


def school_mark_key(school_id: int) -> str:
    return f"data:changed:school:{school_id}"


def district_mark_key(district_id: int) -> str:
    return f"data:changed:district:{district_id}"


def user_mark_key(user_id: int) -> str:
    """Set by the notification services when ``user_id``'s notifications change (their unread count's mark)."""
    return f"data:changed:user:{user_id}"


def _in_one_school(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.role in SCHOOL_ROLES and user.school_id and not user.is_staff
    )


def is_counted_write(sql: str) -> bool:
    """Whether ``sql`` writes to a table whose rows a kept page may show."""
    if not _WRITE.match(sql):
        return False
    if _LAST_LOGIN.match(sql):
        return False
    table = _TABLE.match(sql)
    return table is None or not table.group(1).lower().startswith(NOT_COUNTED)


class WriteWatch:
    """A database execute wrapper that remembers whether a counted write went through it, and to which tables
    (``ANY_TABLE`` for a write whose table it cannot read); with ``reads``, also every table the statements
    through it read (``read``)."""

    def __init__(self, *, reads: bool = False):
        self.wrote = False
        self.tables: set[str] = set()
        self.read: set[str] | None = set() if reads else None

    def __call__(self, execute, sql, params, many, context):
        if is_counted_write(sql):
            self.wrote = True
            table = _TABLE.match(sql)
            self.tables.add(table.group(1).lower() if table else ANY_TABLE)
        elif self.read is not None:
            self.read.update(name.lower() for name in _READ.findall(sql))
        return execute(sql, params, many, context)


ANY_TABLE = "*"


def table_mark_key(school_id: int, table: str) -> str:
    """Set with the school's mark when a write of the school reaches ``table`` (``ANY_TABLE``: a table unknown), for
    the fragments kept by the tables they read (``kept_fragment``)."""
    return f"data:changed:school:{school_id}:table:{table}"


# --- Tables kept by classroom ----------------------------------------------------------------------------------

# Who writes and reads the tables of ``_BY_CLASSROOM`` within their own classrooms.
CLASSROOM_ROLES = (User.Role.STUDENT, User.Role.TEACHER)
_BY_CLASSROOM: set[str] = set()
# user -> the pks of every classroom they may open (classrooms.permissions; this app sits below it), and the tables
# that link people to classrooms: a page kept by classroom counts them as read, so a roster change redraws it.
_classroom_source: dict[str, object] = {"of": None, "links": ()}


def tables_by_classroom_register(*tables: str) -> None:
    """Declare ``tables`` (exact names) read by a student or a teacher only in the classrooms they may open, of rows
    written by someone in those classrooms: a student in their own, a teacher in those they teach (the app's scopes
    hold every row to one classroom and every write to the writer's). Called by the app that owns them."""
    _BY_CLASSROOM.update(tables)


def classrooms_register(of: Callable[[User], Iterable[int]], *, links: tuple[str, ...]) -> None:
    """How to list a user's classrooms (``of``), and the tables whose rows make those lists (``links``)."""
    _classroom_source.update(of=of, links=tuple(links))


def classroom_table_mark_key(school_id: int, table: str, classroom_id: int) -> str:
    """Set when a student or teacher of ``classroom_id`` writes to ``table`` (one of ``_BY_CLASSROOM``)."""
    return f"data:changed:school:{school_id}:table:{table}:classroom:{classroom_id}"


def wide_table_mark_key(school_id: int, table: str) -> str:
    """Set when anyone else of the school (an admin, a counselor, or a student or teacher whose classrooms could
    not be listed) writes to ``table`` (one of ``_BY_CLASSROOM``)."""
    return f"data:changed:school:{school_id}:table:{table}:wide"


def _classrooms_of(user) -> tuple[int, ...] | None:
    """The classrooms ``user`` may open, for a write or a page kept by classroom (the request's list, or one query);
    None when the marks must be the school's: not a student or teacher of one school, no classroom, or the list
    could not be read."""
    of = _classroom_source["of"]
    if of is None or not _in_one_school(user) or user.role not in CLASSROOM_ROLES:
        return None
    try:
        classrooms = tuple(sorted(set(of(user))))
    except Exception:  # the school's marks are always right, only less often kept
        logger.warning("could not list the classrooms of user %s; marked school-wide", user.pk, exc_info=True)
        return None
    return classrooms or None


def _marks_of_tables(school_id: int, tables: Iterable[str], classrooms: tuple[int, ...] | None) -> list[str]:
    """The marks a page that read ``tables`` is kept by: each table's for the school, but of the tables kept by
    classroom (with ``classrooms``, the reader's) the marks of those classrooms and of the school's other writers."""
    marks = []
    for table in tables:
        if classrooms is not None and table in _BY_CLASSROOM:
            marks.append(wide_table_mark_key(school_id, table))
            marks.extend(classroom_table_mark_key(school_id, table, classroom) for classroom in classrooms)
        else:
            marks.append(table_mark_key(school_id, table))
    return marks


def mark_keys_for(user, tables=()) -> list[str]:
    """The marks a write by ``user`` to ``tables`` sets: their school's and its district's, and the school's mark of
    each table (of a table kept by classroom, also the mark of each classroom of a student or teacher writing, or
    the school's other writers' mark); or every school's when it may reach beyond one school."""
    if _in_one_school(user):
        tables = sorted(tables)
        by_classroom = [table for table in tables if table in _BY_CLASSROOM]
        classrooms = _classrooms_of(user) if by_classroom else None
        if classrooms is None:
            per_classroom = [wide_table_mark_key(user.school_id, table) for table in by_classroom]
        else:
            per_classroom = [
                classroom_table_mark_key(user.school_id, table, classroom)
                for table in by_classroom
                for classroom in classrooms
            ]
        return [
            school_mark_key(user.school_id),
            district_mark_key(user.school.district_id),
            *(table_mark_key(user.school_id, table) for table in tables),
            *per_classroom,
        ]
    return [EVERY_SCHOOL]


def marks_for(user) -> list[str]:
    """The marks whose change makes a page kept for ``user`` out of date."""
    marks = [EVERY_SCHOOL, user_mark_key(user.pk)]
    if _in_one_school(user):
        marks.append(school_mark_key(user.school_id))
    elif user.role == User.Role.DISTRICT_ADMIN and user.district_id:
        marks.append(district_mark_key(user.district_id))
    return marks


def marks_for_school(school_id: int) -> list[str]:
    """The marks whose change makes out of date what is kept for one school's data, whoever reads it (a chart of
    one of its classrooms): a write by anyone of the school, or one that may reach every school."""
    return [EVERY_SCHOOL, school_mark_key(school_id)]


def changed(keys: list[str]) -> None:
    """Set the marks ``keys`` to now, after the open transaction (if any) commits."""

    def mark():
        try:
            cache.set_many(dict.fromkeys(keys, time.time()), MARK_TTL)
        except Exception:  # kept pages expire within FRAGMENT_TTL anyway
            logger.warning("could not mark data changed (%s)", keys, exc_info=True)

    transaction.on_commit(mark)


class WriteWatchMiddleware:
    """Mark the signed-in user's school changed after a request that wrote to the database (even one that failed:
    what it committed before failing counts)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        watch = WriteWatch()
        try:
            with connection.execute_wrapper(watch):
                return self.get_response(request)
        finally:
            if watch.wrote:
                changed(mark_keys_for(getattr(request, "user", None), watch.tables))


_task_watches: dict[str, tuple[WriteWatch, object]] = {}


def watch_task_start(task_id=None, **kwargs) -> None:
    """Celery's task_prerun: watch the task's writes on this worker's connection."""
    watch = WriteWatch()
    wrapper = connection.execute_wrapper(watch)
    wrapper.__enter__()
    _task_watches[task_id] = (watch, wrapper)


def watch_task_end(task_id=None, **kwargs) -> None:
    """Celery's task_postrun: a task that wrote marks every school (it may act on any)."""
    entry = _task_watches.pop(task_id, None)
    if entry is None:
        return
    watch, wrapper = entry
    wrapper.__exit__(None, None, None)
    if watch.wrote:
        changed([EVERY_SCHOOL])


def kept(key: str, marks: list[str]):
    """The page kept under ``key`` if none of ``marks`` changed since it began to be drawn, else None."""
    try:
        found = cache.get_many([key, *marks])
    except Exception:  # the cache is a saving, not a dependency
        logger.warning("the page cache failed; drawn again", exc_info=True)
        return None
    entry = found.get(key)
    if entry is None:
        return None
    began, value = entry
    if any(began <= found.get(mark, 0.0) for mark in marks):
        return None
    return value


def drawing_began() -> float:
    """The moment to store with a page about to be drawn (a little early, for clocks of different servers)."""
    return time.time() - CLOCK_MARGIN


def keep(key: str, value, began: float) -> None:
    try:
        cache.set(key, (began, value), FRAGMENT_TTL)
    except Exception:
        logger.warning("the page cache failed", exc_info=True)


# --- Parts of a page kept by the tables they read -------------------------------------------------------------


def kept_fragment(user, name: str, tables: tuple[str, ...], compute):
    """``compute()``'s answer for ``user`` (a school's user; anyone else gets it computed), kept until a write of
    their school reaches one of ``tables`` (exact table names, many-to-many tables included), a write of unknown
    tables, a write that may reach every school, or FRAGMENT_TTL seconds (settings.FRAGMENT_CACHE).

    For a costly panel of a page whose data changes far less often than its school's: the page itself is drawn
    again after any write of the school (``kept_page``), the panel only after a write it reads. ``tables`` must
    name every table ``compute`` reads that a request may write; the key holds the user as they now are and the
    language. An answer whose computing wrote is not kept; a failing cache costs the computing."""
    return kept_fragments(user, {name: (tables, compute)})[name]


def _fragment_key(user, name: str) -> str:
    parts = (name, user.pk, user.school_id, user.district_id, user.role, user.is_active, get_language() or "")
    return "fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept_fragments(user, panels: dict) -> dict:
    """``kept_fragment`` for several panels of one page at once (``{name: (tables, compute)}`` to ``{name: answer}``),
    in one look at the cache for all of them and one write of those computed: each is kept by its own tables, and
    computed in the order given, only if it is not kept. A page kept by the tables it read (``kept_page``) counts
    every panel's tables as read, kept or computed: a panel taken from here runs no query its watch could see."""
    page_reads = _page_reads.get()
    if page_reads is not None:
        for tables, _ in panels.values():
            page_reads.update(tables)
    if not settings.FRAGMENT_CACHE or not _in_one_school(user):
        return {name: compute() for name, (_, compute) in panels.items()}
    school = user.school_id
    keys = {name: _fragment_key(user, name) for name in panels}
    shared = [EVERY_SCHOOL, table_mark_key(school, ANY_TABLE)]
    marks = {name: [*shared, *(table_mark_key(school, t) for t in tables)] for name, (tables, _) in panels.items()}
    try:
        found = cache.get_many([*keys.values(), *dict.fromkeys(m for ms in marks.values() for m in ms)])
    except Exception:  # the cache is a saving, not a dependency
        logger.warning("the fragment cache failed; computed again", exc_info=True)
        found = None
    answers, fresh = {}, {}
    for name, (_, compute) in panels.items():
        entry = found.get(keys[name]) if found is not None else None
        if entry is not None and not any(entry[0] <= found.get(mark, 0.0) for mark in marks[name]):
            answers[name] = entry[1][0]
            continue
        began = drawing_began()
        watch = WriteWatch()
        with connection.execute_wrapper(watch):
            answers[name] = compute()
        if not watch.wrote and found is not None:
            fresh[keys[name]] = (began, (answers[name],))
    if fresh:
        try:
            cache.set_many(fresh, FRAGMENT_TTL)
        except Exception:
            logger.warning("the fragment cache failed", exc_info=True)
    return answers


# --- Pages kept whole ------------------------------------------------------------------------------------------

# The tables the page being drawn read without a query (its panels kept by kept_fragments), for kept_page.
_page_reads: ContextVar[set[str] | None] = ContextVar("heard_page_reads", default=None)
# What every signed-in page reads before its view (the user and their school, in the middleware), so a page kept by
# its tables counts them too: a name changed on the roster shows on the user's next page.
ALWAYS_READ = ("accounts_user", "accounts_school")

HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Boosted", "HX-Current-URL")


def _page_key(request) -> str:
    """One signed-in session's view of one address, in one language, as the user now is (school, role). The session
    and the CSRF cookie are in the key, so a kept page's forms carry a token its own browser can send, and no other
    session ever gets it."""
    user = request.user
    parts = [
        # A user moved to another school, or given another role, never gets a page kept from before.
        f"{user.pk}:{user.school_id}:{user.district_id}:{user.role}:{user.is_staff}",
        request.session.session_key or "",
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.LANGUAGE_CODE,
        request.get_full_path(),
        *(request.headers.get(name, "") for name in HTMX_HEADERS),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _has_messages(request) -> bool:
    # len() counts what is waiting without marking it shown.
    return len(messages.get_messages(request)) > 0


def kept_by_tables(key: str, user):
    """The page kept under ``key`` for a user of one school if nothing it read changed since it began to be drawn:
    no write of their school reached one of the tables its drawing read (stored with it), no write of unknown
    tables or of every school, and the user's notifications did not change; else None (of a table kept by
    classroom, only the writes of the classrooms stored with it, and the school's other writers', count). Two looks
    at the cache: the page with the marks every page shares, then the marks of its tables."""
    school = user.school_id
    shared = [EVERY_SCHOOL, user_mark_key(user.pk), table_mark_key(school, ANY_TABLE)]
    try:
        found = cache.get_many([key, *shared])
        entry = found.get(key)
        if entry is None or any(entry[0] <= found.get(mark, 0.0) for mark in shared):
            return None
        began, value = entry
        if len(value) != 4:  # kept by an earlier release, without its tables or its classrooms
            return None
        content, content_type, tables, classrooms = value
        marks = _marks_of_tables(school, tables, classrooms)
        changed_at = cache.get_many(marks) if marks else {}
    except Exception:  # the cache is a saving, not a dependency
        logger.warning("the page cache failed; drawn again", exc_info=True)
        return None
    if any(began <= changed_at.get(mark, 0.0) for mark in marks):
        return None
    return content, content_type


def kept_page(view):
    """Keep a signed-in GET's page in the cache (settings.PAGE_CACHE) and serve it again until what it shows may
    have changed or for FRAGMENT_TTL seconds at most. For a user of one school, until a write of their school
    reaches a table the drawing read (its queries' tables, its kept panels' and ``ALWAYS_READ``: a student's
    turned-in work leaves their teacher's sessions list kept, a session marked held redraws it; of a table kept by
    classroom, a write of one of the classrooms of a student or teacher reading it: another class's work leaves a
    teacher's classroom page kept); for anyone else, until a write the page's ``marks_for`` count.

    For views whose page depends on nothing but the signed-in user, the address, the language and the database:
    a view that must write on every look (a log of who viewed what) must not use it. A drawing that wrote
    anyway, that is not a plain 200 page, or that shows a message (shown once) is not kept."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if request.method != "GET" or not settings.PAGE_CACHE or not user.is_authenticated or _has_messages(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        by_tables = _in_one_school(user)
        found = kept_by_tables(key, user) if by_tables else kept(key, marks_for(user))
        if found is not None:
            content, content_type = found
            return HttpResponse(content, content_type=content_type)
        began = drawing_began()
        watch = WriteWatch(reads=by_tables)
        reads_token = _page_reads.set(set())
        try:
            with connection.execute_wrapper(watch):
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
            panel_reads = _page_reads.get()
        finally:
            _page_reads.reset(reads_token)
        if (
            response.status_code == 200
            and not response.streaming
            and not watch.wrote
            and not response.has_header("Set-Cookie")
            and not _has_messages(request)
        ):
            if by_tables:
                tables = {*watch.read, *panel_reads, *ALWAYS_READ}
                # Kept by the marks of the reader's classrooms for the tables kept by classroom, listed now (the
                # drawing's list, or one query); a change to who is in which classroom redraws it.
                classrooms = _classrooms_of(user) if tables & _BY_CLASSROOM else None
                if classrooms is not None:
                    tables.update(_classroom_source["links"])
                keep(key, (response.content, response["Content-Type"], tuple(sorted(tables)), classrooms), began)
            else:
                keep(key, (response.content, response["Content-Type"]), began)
        return response

    return wrapper
