"""`make run`'s last step on a bare machine: SQLite, the filesystem broker, a web server and a real worker."""

import http.cookiejar
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.integration.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def processes_mentioning(*needles: str) -> list[str]:
    """Command lines of running processes that contain any of `needles` (the children name their port and folder)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(needle in text for needle in needles):
            found.append(text)
    return found


def test_serve_runs_web_and_worker_with_no_servers_and_stops_on_ctrl_c(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(STEPWRIGHT_VAR_DIR=str(tmp_path), STEPWRIGHT_ADMIN_PASSWORD="admin-password-for-tests")
    manage(env, "migrate", "--noinput")
    assert "Created the admin account" in manage(env, "ensure_admin")
    assert "Loaded 3 example workflow(s)" in manage(env, "load_examples")
    assert "Loaded 0" in manage(env, "load_examples")  # idempotent

    # A workflow deleted long ago, for the worker to purge when asked.
    database = sqlite3.connect(tmp_path / "stepwright.sqlite3")
    database.execute("UPDATE designer_workflow SET deleted_at = '2020-01-01 00:00:00' WHERE name = 'Polling loop'")
    database.commit()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{port}", "--concurrency", "1"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

        def answers() -> bool:
            try:
                return opener.open(f"{base}/api/", timeout=2).status == 200
            except OSError:
                return False

        assert wait_for(answers, timeout=60), "the web server never answered"
        login = urllib.request.Request(
            f"{base}/api/auth/login/",
            data=json.dumps({"username": "admin", "password": "admin-password-for-tests"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert opener.open(login).status == 200
        listed = json.load(opener.open(f"{base}/api/workflows/"))
        assert {w["name"] for w in listed["results"]} == {"Lambda with retry", "Fan out map"}

        manage(env, "shell", "-c", "from designer.tasks import purge_deleted_workflows as p; p.delay()")

        def purged() -> bool:
            rows = database.execute("SELECT count(*) FROM designer_workflow WHERE name = 'Polling loop'").fetchone()
            return rows[0] == 0

        assert wait_for(purged, timeout=60), "the worker never ran the task"
    finally:
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        output, _ = server.communicate(timeout=30)
    assert "Stopped." in output
    leftovers = wait_for(lambda: not processes_mentioning(f"127.0.0.1:{port}", str(tmp_path)), timeout=10)
    assert leftovers, f"outlived Ctrl-C: {processes_mentioning(f'127.0.0.1:{port}', str(tmp_path))}"
