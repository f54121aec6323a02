"""What one request learns once about its signed-in user and reuses: the classrooms they may open or manage, which
nearly every scope of a page is built from (issue 15: the navigation, the dashboard's panels and the page each asked
again, and each asked with nested subqueries the ORM built and compiled again).

``RequestMemoMiddleware`` opens a memo for the request; ``remembered(key, compute)`` answers from it, or computes and
keeps. Outside a request (a Celery task, a management command, a test calling a selector) there is no memo and
``remembered`` computes every time, as before.

A memo holds what the database said, so it must not outlive a change: any INSERT, UPDATE or DELETE run through the
connection empties it (a view that enrolls a student and then draws their classrooms asks again), nothing read inside
a transaction the request opened is kept (it may be rolled back), and the memo ends with the request. Keys name the user as the scope reads them (id, role, school, district, active), so a user moved
within the request is asked about anew.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection


class _Memo(dict):
    """The request's answers, and how deep in transactions the request began (a test runs inside one)."""

    def __init__(self, depth: int, eager: bool = False):
        super().__init__()
        self.depth = depth
        self.eager = eager
        self.asked: set = set()


_memo: ContextVar[_Memo | None] = ContextVar("heard_request_memo", default=None)
_WRITE = re.compile(r"^\s*(WITH\b.*?\b)?(INSERT|UPDATE|DELETE)\b", re.IGNORECASE | re.DOTALL)


def user_key(user) -> tuple:
    """What a user's scope depends on, for a memo key."""
    return (user.pk, user.role, user.school_id, user.district_id, user.is_active)


def active() -> bool:
    """Whether a request's memo is open (``remembered`` keeps what it computes)."""
    return _memo.get() is not None


def asked_before(key) -> bool:
    """Whether ``key`` was asked about earlier in this request (counted here); False outside a request. For what
    is worth keeping only when a request needs it twice."""
    memo = _memo.get()
    if memo is None:
        return False
    if memo.eager or key in memo or key in memo.asked:
        return True
    memo.asked.add(key)
    return False


def remembered(key, compute):
    """``compute()``'s answer, once per request under ``key``; computed every time outside a request."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = compute()
        if len(connection.atomic_blocks) <= memo.depth:
            memo[key] = value
        return value


def _forget_on_write(execute, sql, params, many, context):
    memo = _memo.get()
    if memo is not None and (memo or memo.asked) and _WRITE.match(sql):
        memo.clear()
        memo.asked.clear()
    return execute(sql, params, many, context)


class RequestMemoMiddleware:
    """Give each request its memo (``remembered``), emptied by any write and dropped at the end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with opened():
            return self.get_response(request)


@contextmanager
def opened(*, eager: bool = False):
    """A memo for what runs inside: a request's; with ``eager``, one that keeps from the first ask (``asked_before``
    always true), for the tests that check every scope in its kept form."""
    token = _memo.set(_Memo(len(connection.atomic_blocks), eager))
    try:
        with connection.execute_wrapper(_forget_on_write):
            yield
    finally:
        _memo.reset(token)
