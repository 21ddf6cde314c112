"""How fast the browser app opens big things, in headless Chromium.

    python -m bench.designer

Runs the end-to-end tests that open them (they assert only that everything opened) and prints the times
they measured: a 500-state workflow in the designer (issue 7's bar: under 1.5 s) and an execution with a
5,000-event history (issue 8's bar: about a second). Then the page's poll itself (issue 8's bar: one poll
that brings new events answers in under 50 ms): `GET /api/executions/{id}/history/?after=<last id>` at the
end of a 5,002-event history, through the whole Django stack (the test client: middleware, session, DRF) on
PostgreSQL, in a database of its own (`stepwright_bench_polls`, recreated; `BENCH_POSTGRES_URL` names the
server). `python -m bench.designer --polls` runs only that.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAR_MS = 1500
POLL_BAR_MS = 50
POLL_DATABASE = "stepwright_bench_polls"
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POLLS = 300
NEW_PER_POLL = 20
# Its history has 5,002 events: 1,249 rounds of Inc and Loop (4 events each) between the start and the end.
LOOP_5002 = {
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Next": "Inc"},
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Loop"},
        "Loop": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.i", "NumericLessThan": 1249, "Next": "Inc"}],
            "Default": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def _run(test: str) -> str | None:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", test],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if run.returncode != 0:
        tail = (run.stdout + run.stderr).strip().splitlines()[-3:]
        print(f"skipped {test}: the browser test did not pass (" + " / ".join(tail) + ")")
        return None
    return run.stdout


def _polls() -> dict:
    """Time the history poll in this process: a 5,002-event execution, then polls after its last event, each
    after NEW_PER_POLL more events were appended (as a running execution's worker appends them), and polls that
    find nothing new. Milliseconds per request."""
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POLL_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POLL_DATABASE}")
    os.environ.update(DATABASE_URL=f"{SERVER_URL}/{POLL_DATABASE}", DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.pop("CELERY_BROKER_URL", None)  # nothing is enqueued: the steps run here
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from designer import services
    from executor import driver
    from executor import services as executor_services
    from executor.models import HistoryEvent

    call_command("migrate", verbosity=0)
    user = services.create_user(username="bench", email="", password="bench-password-1")
    team = services.create_team(user=user, name="bench")
    workflow = services.create_workflow(user=user, team=team, name="loop", definition=json.dumps(LOOP_5002))
    services.create_version(user=user, workflow=workflow, message="v1")
    pending: list[tuple[int, int]] = []
    driver.enqueue = lambda pk, seq, countdown=None: pending.append((pk, seq))
    execution = executor_services.start_execution(user=user, workflow=workflow, input={}, name="long")
    while pending:
        driver.advance(*pending.pop(0))
    events = list(execution.events.order_by("event_id"))
    # Watched as if still running: the worker appends 20 events (an Inc/Loop round's worth) between polls.
    execution.refresh_from_db()
    type(execution).objects.filter(pk=execution.pk).update(status="RUNNING", stopped_at=None)
    pattern = [e for e in events if e.type.startswith(("Pass", "Choice"))][:NEW_PER_POLL]
    last = events[-1].event_id
    client = Client()
    client.force_login(user)
    url = f"/api/executions/{execution.pk}/history/"
    assert client.get(url, {"after": 0, "limit": 1000}).status_code == 200  # warm: imports, caches, connection

    def poll(after: int) -> tuple[float, dict]:
        start = time.perf_counter()
        response = client.get(url, {"after": after, "limit": 1000})
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.content[:300]
        return elapsed, response.json()

    new, empty = [], []
    for _ in range(POLLS):
        HistoryEvent.objects.bulk_create(
            HistoryEvent(
                execution=execution, event_id=last + k + 1, previous_event_id=last + k, type=e.type,
                timestamp=timezone.now(), details=e.details,
            )
            for k, e in enumerate(pattern)
        )  # fmt: skip
        took, page = poll(last)
        assert len(page["events"]) == NEW_PER_POLL and page["next_after"] == last + NEW_PER_POLL
        new.append(took)
        last = page["next_after"]
        took, page = poll(last)
        assert page["events"] == []
        empty.append(took)
    return {"history": len(events), "new": new, "empty": empty}


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def poll_rows() -> list[tuple[str, str, float, int]]:
    run = subprocess.run([sys.executable, "-m", "bench.designer", "--polls"], cwd=ROOT, capture_output=True, text=True)
    found = re.search(r"^POLLS (.*)$", run.stdout, re.M)
    if run.returncode != 0 or not found:
        tail = (run.stdout + run.stderr).strip().splitlines()[-3:]
        print("skipped the history poll: it needs PostgreSQL (" + " / ".join(tail) + ")")
        return []
    result = json.loads(found[1])
    rows = []
    for key, what in (("new", f"{NEW_PER_POLL} new events"), ("empty", "nothing new")):
        values = result[key]
        median, p95 = statistics.median(values), _p95(values)
        rows.append((f"poll, {what}", f"median {median:.1f}, p95 {p95:.1f}", p95, POLL_BAR_MS))
    print(f"\nhistory polls: {len(result['new'])} of each, after event {result['history']} of a long history")
    return rows


def main() -> int:
    if "--polls" in sys.argv[1:]:
        print("POLLS " + json.dumps(_polls()))
        return 0
    rows = []
    out = _run("tests/e2e/test_designer_perf.py")
    found = re.search(r"open 500 states: ([\d, ms]+)", out or "")
    if found:
        timings = [float(t) for t in re.findall(r"(\d+) ms", found.group(1))]
        rows.append(("open 500 states (designer)", ", ".join(f"{t:.0f}" for t in timings), min(timings), 1500))
    out = _run("tests/e2e/test_runs.py::test_a_5000_event_history_opens_whole")
    found = re.search(r"(\d+) events: first events after (\d+) ms, all of them and the graph after (\d+) ms", out or "")
    if found:
        rows.append((f"open {found[1]} events, first", found[2], float(found[2]), 1000))
        rows.append((f"open {found[1]} events, all", found[3], float(found[3]), 1000))
    rows += poll_rows()
    print("\nThe browser app in headless Chromium")
    print("(the poll rows: median and p95 over many polls; the bar holds when p95 is under it)")
    print(f"{'workload':<30} {'runs (ms)':<24} {'best ms':>8} {'bar':>9}  holds")
    for name, runs, best, bar in rows:
        print(f"{name:<30} {runs:<24} {best:>8.1f} {f'< {bar}':>9}  {'yes' if best < bar else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
