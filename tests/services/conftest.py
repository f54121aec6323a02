"""Helpers for tests that need the real services: threads racing on PostgreSQL, Redis, a worker."""

import ctypes
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import kombu.pools
import pytest
import redis
from django.db import connection, transaction

from config.celery import app as celery_app
from config.celery import enqueue
from tests.conftest import REDIS_URL
from tests.services.mail_journal import read_journal

ROOT = Path(__file__).resolve().parents[2]
CLOSED_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connect is refused


def _production_redis_transport_options() -> dict:
    """What config/settings.py gives a Redis broker; tests/conftest.py empties them for memory://.

    Without them (no max_retries) kombu retries a refused connect for the whole connect timeout.
    """
    with mock.patch.dict(os.environ, {"CELERY_BROKER_URL": CLOSED_BROKER_URL}):
        return runpy.run_path(str(ROOT / "config" / "settings.py"))["CELERY_BROKER_TRANSPORT_OPTIONS"]


REDIS_TRANSPORT_OPTIONS = _production_redis_transport_options()
# A failsafe for polling another process, not a performance limit: a healthy run takes well under a second.
PATIENCE = 30.0


def wait_until(condition, what: str, *, patience: float = PATIENCE) -> None:
    """Poll ``condition`` until it holds; fail saying ``what`` never happened."""
    give_up = time.monotonic() + patience
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def run_together(work, *, threads: int = 2) -> list[BaseException]:
    """Run ``work`` in several threads, each in its own transaction, all released at once; return their errors."""
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run():
        try:
            with transaction.atomic():
                barrier.wait(timeout=PATIENCE)  # everyone is in a transaction before anyone writes
                work()
        except BaseException as error:  # reported to the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection; the test database must be droppable

    racers = [threading.Thread(target=run) for _ in range(threads)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=PATIENCE)
    assert not any(racer.is_alive() for racer in racers), "a racing thread never finished"
    return errors


def _reset_broker_connections() -> None:
    """Forget pooled connections so the next publish connects to the broker now configured."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """Point the test process's Celery app at ``url`` (with production's Redis options), then back."""
    saved = celery_app.conf.broker_url, celery_app.conf.broker_transport_options
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = dict(REDIS_TRANSPORT_OPTIONS)
    _reset_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
        _reset_broker_connections()


def database_url_of_test_database() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


SWEEP_DONE = re.compile(r"notifications_email_sweep\[[^\]]+\] succeeded in [\d.]+s: (\d+)")


@dataclass
class Worker:
    """A real ``celery worker`` process, its log and the e-mail it wrote."""

    process: subprocess.Popen
    log_path: Path
    mail_dir: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def emails_to(self, address: str) -> int:
        """E-mails the worker sent to ``address`` (the file backend writes each message's headers)."""
        return sum(
            line == f"To: {address}"
            for path in self.mail_dir.glob("*.log")
            for line in path.read_text(errors="replace").splitlines()
        )

    def sweeps_finished(self) -> list[int]:
        """What each finished ``notifications_email_sweep`` returned (e-mails sent), oldest first."""
        return [int(sent) for sent in SWEEP_DONE.findall(self.log())]

    def is_idle(self) -> bool:
        log = self.log()
        queues = redis.Redis.from_url(REDIS_URL)
        try:
            nothing_waiting = queues.llen("celery") == 0 and queues.hlen("unacked") == 0
        finally:
            queues.close()
        finished = len(re.findall(r"\] (?:succeeded in|raised unexpected|retry:)", log))
        return nothing_waiting and log.count("] received") == finished


def _flush_test_redis() -> None:
    queues = redis.Redis.from_url(REDIS_URL)
    try:
        queues.flushdb()
    finally:
        queues.close()


def _die_with_the_test_run() -> None:
    """In the worker, before exec: on Linux, get SIGTERM if pytest itself is killed, so no worker outlives it."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 is PR_SET_PDEATHSIG


def _start_worker(log_path: Path, mail_dir: Path) -> Worker:
    env = {
        **os.environ,
        "CELERY_BROKER_URL": REDIS_URL,
        "DATABASE_URL": database_url_of_test_database(),
        "EMAIL_URL": f"filemail:///{mail_dir}",  # four slashes: django-environ drops the first of the path
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    command = [
        str(Path(sys.executable).with_name("celery")),
        "-A", "config", "worker", "--pool=solo", "--concurrency=1", "-Q", "celery",
        "--without-gossip", "--without-mingle", "--loglevel=INFO",
        "-n", f"heard-tests-{os.getpid()}@%h",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_the_test_run
        )
    return Worker(process=process, log_path=log_path, mail_dir=mail_dir)


def _stop_worker(worker: Worker) -> None:
    if worker.process.poll() is None:
        worker.process.terminate()
        try:
            worker.process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


@pytest.fixture(scope="session")
def worker_process(django_db_setup, tmp_path_factory):
    """One real worker for the session, on the test Redis database and the PostgreSQL test database."""
    _flush_test_redis()  # nothing left from an earlier run may reach this worker
    folder = tmp_path_factory.mktemp("celery-worker")
    mail_dir = folder / "mail"
    mail_dir.mkdir()
    worker = _start_worker(folder / "worker.log", mail_dir)
    try:
        wait_until(
            lambda: worker.process.poll() is not None or " ready." in worker.log(),
            "the Celery worker to start",
            patience=60,
        )
        assert worker.process.poll() is None, f"the Celery worker exited:\n{worker.log()}"
        yield worker
    finally:
        _stop_worker(worker)
        _flush_test_redis()


@pytest.fixture
def worker(worker_process):
    """The session's worker; after the test, every message it was sent has been handled."""
    yield worker_process
    wait_until(worker_process.is_idle, "the worker to finish this test's messages")
    assert worker_process.process.poll() is None, f"the Celery worker died:\n{worker_process.log()}"


# --- Fault tests: threads without an outer transaction, a private Redis, workers and beat to kill ---


def run_at_once(*works) -> list:
    """Run each callable in its own thread and database connection, all released at once, with no
    transaction around them (as Celery runs a task); return their results in order, or raise the first error."""
    barrier = threading.Barrier(len(works))
    results: list = [None] * len(works)
    errors: list[BaseException] = []

    def run(index, work):
        try:
            barrier.wait(timeout=PATIENCE)
            results[index] = work()
        except BaseException as error:  # reported to the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    racers = [threading.Thread(target=run, args=(n, work)) for n, work in enumerate(works)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=PATIENCE * 2)
    assert not any(racer.is_alive() for racer in racers), "a racing thread never finished"
    if errors:
        raise errors[0]
    return results


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own on a free port, keeping nothing on disk, that the test can stop and restart."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        assert self.process is None, "this Redis is already running"
        self.starts += 1
        log = (self.folder / f"redis-{self.starts}.log").open("wb")
        with log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.folder)],
                stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_the_test_run,
            )  # fmt: skip
        wait_until(self._answers, f"redis-server on port {self.port} to answer")

    def _answers(self) -> bool:
        assert self.process.poll() is None, f"redis-server exited: {(self.folder / f'redis-{self.starts}.log').read_text()}"
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        try:
            return client.ping()
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the server as an outage would: whatever it held is gone (it keeps nothing on disk)."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                self.process.wait(timeout=PATIENCE)
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)


@dataclass
class CeleryProcess:
    """A ``celery worker`` or ``celery beat`` process started by a fault test, and its log."""

    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def sweeps_finished(self) -> list[int]:
        return [int(sent) for sent in SWEEP_DONE.findall(self.log())]

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, exactly like the OOM killer or a pulled plug."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=PATIENCE)


class PrivateCelery:
    """A private Redis plus the worker and beat processes a test starts on it (with tests.services.worker_settings).

    E-mail the workers send is a journal file (tests.services.mail_journal) the test reads.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.redis = PrivateRedis(folder)
        self.journal = folder / "mail.jsonl"
        self.processes: list[CeleryProcess] = []

    def emails(self) -> list[dict]:
        return read_journal(self.journal)

    def _environment(self, extra: dict) -> dict:
        env = {
            **os.environ,
            "CELERY_BROKER_URL": self.redis.url,
            "DATABASE_URL": database_url_of_test_database(),
            "DJANGO_SETTINGS_MODULE": "tests.services.worker_settings",
            "HEARD_TEST_MAIL_JOURNAL": str(self.journal),
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
        env.pop("REDIS_URL", None)
        return env

    def _start(self, arguments: list[str], *, ready: str, env: dict) -> CeleryProcess:
        number = len(self.processes) + 1
        log_path = self.folder / f"{arguments[0]}-{number}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [str(Path(sys.executable).with_name("celery")), "-A", "config", *arguments],
                cwd=ROOT, env=self._environment(env), stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_the_test_run,
            )  # fmt: skip
        started = CeleryProcess(process=process, log_path=log_path)
        self.processes.append(started)
        wait_until(lambda: process.poll() is not None or ready in started.log(), f"celery {arguments[0]} to start", patience=60)
        assert process.poll() is None, f"celery {arguments[0]} exited:\n{started.log()}"
        return started

    def start_worker(self, **env: str) -> CeleryProcess:
        number = len(self.processes) + 1
        return self._start(
            ["worker", "--pool=solo", "--concurrency=1", "-Q", "celery", "--without-gossip", "--without-mingle",
             "--loglevel=INFO", "-n", f"heard-faults-{os.getpid()}-{number}@%h"],
            ready=" ready.", env=env,
        )  # fmt: skip

    def start_beat(self, *, every_seconds: float) -> CeleryProcess:
        return self._start(
            ["beat", "--loglevel=INFO", "-s", str(self.folder / "beat-schedule"),
             "--pidfile", str(self.folder / "beat.pid")],
            ready="beat: Starting", env={"HEARD_TEST_BEAT_SECONDS": str(every_seconds)},
        )  # fmt: skip

    def broker_here(self):
        """Point the test process's Celery app at this Redis (see ``broker_at``)."""
        return broker_at(self.redis.url)

    def enqueue(self, task_name: str) -> bool:
        """Publish a task from the test process as the web process or beat would: through config.celery.enqueue."""
        with self.broker_here():
            return enqueue(task_name)

    def close(self) -> None:
        for started in self.processes:
            _stop_worker(started)
        self.redis.stop()


@pytest.fixture
def private_celery(transactional_db, tmp_path):
    """A private Redis (started) on a free port, for workers and beat the test starts, kills and restarts.

    Everything it started is stopped at the end, pass or fail, before the test database is emptied.
    """
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (Debian's redis-server package)")
    lab = PrivateCelery(tmp_path)
    try:
        lab.redis.start()
        yield lab
    finally:
        lab.close()
