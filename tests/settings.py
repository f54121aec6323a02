"""Settings of the test suite: production's own, plus django-zeal, which fails a test on an N+1 query.

Zeal raises when the same query runs once per row (a related object read in a loop) within one request
(the middleware below) or one run of a task (tests/conftest.py); a page's fixed query count is
asserted separately by the two-size tests ("2 rows and 20 cost the same").
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]
ZEAL_RAISE = True
ZEAL_SHOW_ALL_CALLERS = True
from config.settings import MIDDLEWARE  # noqa: E402

# Outermost, so each request is checked on its own: one page's queries, the session and user included.
MIDDLEWARE = ["zeal.middleware.zeal_middleware", *MIDDLEWARE]
# The test client's force_login() reads the session row twice in one call; no page of Heard reads it in a loop.
ZEAL_ALLOWLIST = [{"model": "sessions.Session", "field": "get()"}]

# A page's query count must not depend on whether a minute has passed since sign-in (the idle timeout's
# note of use): in tests the session notes it every 10 minutes; the idle tests move the clock further.
IDLE_TIMEOUT_RESOLUTION_SECONDS = 600
