"""The durable executor's throughput: persisted state transitions per second on real services.

    python -m bench.executor [--executions 100] [--workers 2] [--only tasks_10_handler …]

PostgreSQL and Redis as in CI (DATABASE_URL / CELERY_BROKER_URL, or the local servers on 127.0.0.1),
a database of its own (`stepwright_bench`, recreated), and real `celery worker` processes. Transitions
are counted as AWS bills them: every state entered.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "stepwright_bench"
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/9")
CLIENTS = 4  # threads starting executions at once, as API clients would
HANDLER = "arn:aws:lambda:us-east-1:123456789012:function:bench-add"


def pass_choice_loop(rounds: int = 10) -> dict:
    """20 states: 18 Pass in a chain, a Choice that loops `rounds` times, and a Succeed."""
    states: dict = {}
    for i in range(18):
        state: dict = {"Type": "Pass", "Next": f"P{i + 1}" if i < 17 else "Again"}
        if i == 0:
            state.update(Parameters={"round.$": "States.MathAdd($.round, 1)"})
        states[f"P{i}"] = state
    states["Again"] = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.round", "NumericLessThan": rounds, "Next": "P0"}],
        "Default": "Done",
    }
    states["Done"] = {"Type": "Succeed"}
    return {"Comment": "bench: pure states", "StartAt": "P0", "States": states}


def ten_tasks() -> dict:
    states = {
        f"T{i}": {
            "Type": "Task",
            "Resource": HANDLER,
            "Parameters": {"n.$": "$.n"},
            "TimeoutSeconds": 30,
            **({"Next": f"T{i + 1}"} if i < 9 else {"End": True}),
        }
        for i in range(10)
    }
    return {"Comment": "bench: local handler tasks", "StartAt": "T0", "States": states}


def wait_3s() -> dict:
    return {
        "Comment": "bench: a wait holds no worker",
        "StartAt": "Nap",
        "States": {"Nap": {"Type": "Wait", "Seconds": 3, "End": True}},
    }


# name -> (definition, input of the i-th execution)
WORKLOADS = {
    "pass_choice_20": (pass_choice_loop(), lambda i: {"round": 0}),
    "tasks_10_handler": (ten_tasks(), lambda i: {"n": i}),
    "wait_3s": (wait_3s(), lambda i: {}),
}


def add_one(parameters: dict, invocation: dict) -> dict:
    return {"n": parameters["n"] + 1}


def _environment() -> dict:
    return dict(
        os.environ,
        DATABASE_URL=f"{SERVER_URL}/{DATABASE}",
        CELERY_BROKER_URL=BROKER_URL,
        STEPWRIGHT_TASK_HANDLERS=json.dumps({HANDLER: "bench.executor:add_one"}),
        DJANGO_SETTINGS_MODULE="config.settings",
    )


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def _start_workers(count: int, log_dir: Path, tag: str = "") -> list[subprocess.Popen]:
    workers = []
    for n in range(count):
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "WARNING",
            "--concurrency", "1", "--without-gossip", "--without-mingle", "--hostname", f"bench{tag}{n}@%h",
        ]  # fmt: skip
        if n == 0:
            command += ["--beat", "--schedule", str(log_dir / "beat")]
        log = (log_dir / f"worker-{n}.log").open("w")
        workers.append(
            subprocess.Popen(command, cwd=ROOT, env=_environment(), stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        )  # fmt: skip
    return workers


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def _measure(name: str, definition: dict, make_input, executions: int, *, burst: bool = False) -> dict:
    """From the first start to the last end. With `burst`, the executions are created first and their
    first steps all queued at once: the executor's own throughput, without the cost of starting."""
    from django.db import connection
    from django.db.models import Count

    from designer import services as designer_services
    from designer.models import Team
    from executor import driver, services
    from executor.models import Execution, HistoryEvent
    from executor.tasks import step_execution

    owner = Team.objects.get(name="bench").memberships.get().user
    team = Team.objects.get(name="bench")
    label = f"{name} (burst)" if burst else name
    workflow = designer_services.create_workflow(user=owner, team=team, name=label, definition=json.dumps(definition))
    designer_services.create_version(user=owner, workflow=workflow, message="bench")
    held: list[tuple[int, int]] = []

    def start(i: int) -> None:
        services.start_execution(user=owner, workflow=workflow, input=make_input(i))

    def client(indices: range) -> None:
        # One client's starts, over one connection kept for all of them as a web process keeps it
        # (CONN_MAX_AGE); each client thread has its own, closed when it is done.
        try:
            for i in indices:
                start(i)
        finally:
            connection.close()

    if burst:
        real_enqueue, driver.enqueue = driver.enqueue, lambda pk, seq, countdown=None: held.append((pk, seq))
        try:
            for i in range(executions):
                start(i)
        finally:
            driver.enqueue = real_enqueue
    started = time.perf_counter()
    if burst:
        for pk, sequence in held:
            step_execution.apply_async((pk, sequence))
    else:
        # Started by several clients at once, as through the API; the clock runs from the first start.
        with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
            list(clients.map(client, [range(k, executions, CLIENTS) for k in range(CLIENTS)]))
        print(f"  {name}: {executions} started in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    deadline = time.monotonic() + 600
    while Execution.objects.filter(workflow=workflow, status="RUNNING").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    statuses = dict(
        Execution.objects.filter(workflow=workflow)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    transitions = HistoryEvent.objects.filter(execution__workflow=workflow, type__endswith="StateEntered").count()
    return {
        "workload": label,
        "executions": executions,
        "succeeded": statuses.get("SUCCEEDED", 0),
        "transitions": transitions,
        "seconds": elapsed,
        "per_second": transitions / elapsed if elapsed else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--executions", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="+", choices=WORKLOADS, help="run these workloads alone (all by default)")
    args = parser.parse_args(argv)
    chosen = set(args.only or WORKLOADS)
    try:
        _recreate_database()
        import redis

        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping()
    except Exception as error:  # no PostgreSQL or Redis here: say so instead of failing the whole bench
        print(f"executor bench skipped: it needs PostgreSQL ({SERVER_URL}) and Redis ({BROKER_URL}): {error}")
        return 0
    os.environ.update(_environment())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from config.celery import app
    from designer import services as designer_services

    call_command("migrate", verbosity=0)
    owner = designer_services.create_user(username="bench", email="", password="bench-password-1")
    designer_services.create_team(user=owner, name="bench")
    app.control.purge()
    with tempfile.TemporaryDirectory() as logs:
        workers = _start_workers(args.workers, Path(logs))
        try:
            time.sleep(3)  # let the workers connect before the clock starts
            rows = [
                _measure(name, *WORKLOADS[name], args.executions, burst=burst)
                for burst in (False, True)
                for name in ("pass_choice_20", "tasks_10_handler")
                if name in chosen
            ]
        finally:
            _stop(workers)
        waits = None
        if "wait_3s" in chosen:
            # A wait holds no worker: 200 executions that wait 3 s, on ONE worker process of concurrency 1.
            workers = _start_workers(1, Path(logs), tag="w")
            try:
                time.sleep(3)
                waits = _measure("wait_3s", *WORKLOADS["wait_3s"], 200)
            finally:
                _stop(workers)
    print(_table(rows, waits, args))
    return 0


def _table(rows: list[dict], waits: dict | None, args: argparse.Namespace) -> str:
    bars = {"pass_choice_20": 5000, "tasks_10_handler": 1000}
    lines = [
        f"\nDurable executor: PostgreSQL + Redis, {args.workers} worker processes (concurrency 1 each), "
        f"{args.executions} executions per workload",
        f"{'workload':<24} {'succeeded':>9} {'transitions':>11} {'seconds':>8} {'transitions/s':>13} {'bar':>12}  holds",
    ]
    for row in rows:
        bar = bars[row["workload"].removesuffix(" (burst)")]
        holds = "yes" if row["per_second"] >= bar and row["succeeded"] == row["executions"] else "NO"
        lines.append(
            f"{row['workload']:<24} {row['succeeded']:>5}/{row['executions']:<3} {row['transitions']:>11} "
            f"{row['seconds']:>8.2f} {row['per_second']:>13,.0f} {f'>= {bar:,}/s':>12}  {holds}"
        )
    if waits is not None:
        holds = "yes" if waits["seconds"] <= 15 and waits["succeeded"] == waits["executions"] else "NO"
        lines.append(
            f"{'wait_3s, 1 worker':<24} {waits['succeeded']:>5}/{waits['executions']:<3} {waits['transitions']:>11} "
            f"{waits['seconds']:>8.2f} {'':>13} {'<= 15 s':>12}  {holds}"
        )
    lines.append(
        "(burst: the executions exist before the clock starts and their first steps are queued at once — the "
        "executor's own throughput; the other rows include starting them through the service, 4 clients at once)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
