"""Real services: Celery worker processes against the configured broker and the test database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = {"arn:aws:lambda:*:*:function:slow-increment": "tests.integration.handlers:slow_increment"}


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def require_real_services() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (as .ci/run does) to run the integration tests")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs Redis: set CELERY_BROKER_URL=redis://… (as .ci/run does) to run the integration tests")


@pytest.fixture
def worker_env() -> dict:
    """The environment of the workers the tests start; a test may point them at another broker."""
    return {
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "STEPWRIGHT_TASK_HANDLERS": json.dumps(HANDLERS),
        "STEPWRIGHT_STALE_SECONDS": "3",
    }


@pytest.fixture
def start_worker(transactional_db, tmp_path, worker_env):
    """Start real `celery worker` processes on the test database (with beat, for the sweeper); all are
    stopped afterwards. Each call returns the Popen; each worker leads a process group of its own, so
    `os.killpg(worker.pid, SIGKILL)` plays a crash of the worker with its pool."""
    require_real_services()
    workers: list[subprocess.Popen] = []

    def start(concurrency: int = 2, beat: bool = True) -> subprocess.Popen:
        n = len(workers)
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO",
            "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
            "--hostname", f"test{n}-{os.getpid()}@%h",
        ]  # fmt: skip
        if beat:
            command += ["--beat", "--schedule", str(tmp_path / f"beat-{n}")]
        log = (tmp_path / f"worker-{n}.log").open("w")
        worker = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(os.environ, **worker_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    # Leave no messages for the next test's workers: they would look for rows that are gone.
    from config.celery import app

    app.control.purge()


@pytest.fixture
def celery_worker_process(start_worker) -> subprocess.Popen:
    """One real worker process."""
    return start_worker()


def wait_for(condition, timeout: float = 30.0, interval: float = 0.2):
    """Poll until `condition()` is truthy; its last value otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
