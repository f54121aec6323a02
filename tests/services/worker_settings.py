"""Settings of the worker and beat processes the fault tests start: production's, with two test knobs.

E-mail goes to tests.services.mail_journal (a file the test reads), and HEARD_TEST_BEAT_SECONDS,
when set, makes beat wake production's periodic tasks that often instead of every minute. The
tasks and everything else are production's own; the e-mail lease is shortened, where a test
needs it, through the production setting NOTIFICATION_EMAIL_LEASE_SECONDS.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import CELERY_BEAT_SCHEDULE

EMAIL_BACKEND = "tests.services.mail_journal.JournalBackend"

if os.environ.get("HEARD_TEST_BEAT_SECONDS"):
    CELERY_BEAT_SCHEDULE = {
        name: {**entry, "schedule": float(os.environ["HEARD_TEST_BEAT_SECONDS"])}
        for name, entry in CELERY_BEAT_SCHEDULE.items()
    }
