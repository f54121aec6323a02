"""The Celery app, and the one way the web process hands work to it.

Broker: Redis in production and CI (``CELERY_BROKER_URL`` or ``REDIS_URL``). With neither set,
the embedded default is kombu's filesystem transport: messages are files under ``var/celery``,
so ``make run`` needs no server yet runs a real worker and beat, and reminders really go out.
"""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("heard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task_name: str, *args, **kwargs) -> bool:
    """Publish the task registered as ``task_name`` now, or log and give up at once if the broker cannot be reached.

    By name, so that services never import tasks (tasks import services, never the other way);
    tests/test_architecture.py checks that every name given here is a registered task.

    No page may wait on the broker. Everything a task acts on is already a row in the
    database (the notification outbox), and the beat sweep finds rows that were never
    picked up, so a message lost here delays work but never loses it.
    Call it from ``transaction.on_commit`` so that the worker sees the committed rows.
    """
    try:
        app.send_task(task_name, args=args, kwargs=kwargs, retry=False)
    except Exception:  # any broker or network failure; the sweep is the fallback
        logger.warning("Broker unreachable; %s left for the periodic sweep.", task_name, exc_info=True)
        return False
    return True
