"""Profile the durable executor in-process: CPU per start and per execution, and where it goes.

    python -m bench.executor_hotspots [tasks_10_handler|pass_choice_20] [--executions 200]
                                      [--sort tottime|cumtime] [--limit 30] [--out FILE]

Starts the executions through `executor.services.start_execution` with the Celery publish held back,
then runs each one's steps with `executor.driver.advance` in this process, as a worker would. Prints the
Python CPU time per start and per execution, the PostgreSQL backend's CPU time for each (read from
/proc, so only with a local server), and the profile of the execution phase (`--what start` for the
starts). Uses the bench's own database (`stepwright_bench`, recreated), like bench.executor.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

from bench import executor as bench


def _backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, when it runs on this machine."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _per(before: float | None, after: float | None, count: int) -> str:
    return "n/a" if before is None or after is None else f"{(after - before) / count * 1000:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.executor_hotspots", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "workload", nargs="?", default="tasks_10_handler", choices=("tasks_10_handler", "pass_choice_20")
    )
    parser.add_argument("--executions", type=int, default=200)
    parser.add_argument("--what", choices=("execute", "start"), default="execute", help="the phase to print")
    parser.add_argument("--sort", choices=("tottime", "cumtime"), default="cumtime")
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--out", help="save the raw profile of the printed phase here")
    args = parser.parse_args(argv)
    try:
        bench._recreate_database()
    except Exception as error:
        print(f"needs PostgreSQL ({bench.SERVER_URL}): {error}", file=sys.stderr)
        return 1
    os.environ.update(bench._environment())
    sys.path.insert(0, str(bench.ROOT))
    import django

    django.setup()
    import json

    from django.core.management import call_command

    from designer import services as designer_services
    from executor import driver, services
    from executor.models import Execution

    call_command("migrate", verbosity=0)
    owner = designer_services.create_user(username="bench", email="", password="bench-password-1")
    team = designer_services.create_team(user=owner, name="bench")
    definition, make_input = bench.WORKLOADS[args.workload]
    workflow = designer_services.create_workflow(
        user=owner, team=team, name=args.workload, definition=json.dumps(definition)
    )
    designer_services.create_version(user=owner, workflow=workflow, message="bench")
    held: list[tuple[int, int]] = []
    driver.enqueue = lambda pk, sequence, countdown=None: held.append((pk, sequence))

    # One of each first: imports, the machine cache, the connection.
    services.start_execution(user=owner, workflow=workflow, input=make_input(0))
    driver.advance(*held.pop())

    n = args.executions
    profiles = {"start": cProfile.Profile(), "execute": cProfile.Profile()}
    timings: dict[str, tuple[float, float | None, float | None]] = {}

    def measure(phase: str, work, profiled: bool) -> None:
        """Once without the profiler (the figures), once more with it (the profile)."""
        backend, cpu = _backend_cpu(), time.process_time()
        if profiled:
            profiles[phase].runcall(work)
        else:
            work()
            timings[phase] = (time.process_time() - cpu, backend, _backend_cpu())

    def start() -> None:
        for i in range(n):
            services.start_execution(user=owner, workflow=workflow, input=make_input(i))

    for profiled in (False, True):
        measure("start", start, profiled)
    batches = [held[:n], held[n:]]
    for profiled, batch in zip((False, True), batches, strict=True):
        measure("execute", lambda batch=batch: [driver.advance(pk, sequence) for pk, sequence in batch], profiled)
    unfinished = Execution.objects.filter(workflow=workflow, status="RUNNING").count()
    start_cpu, start_b0, start_b1 = timings["start"]
    exec_cpu, exec_b0, exec_b1 = timings["execute"]
    print(f"{args.workload}: {n} executions (each phase profiled on {n} more); {unfinished} left running")
    print(f"  per start:     {start_cpu / n * 1000:.2f} ms Python CPU, {_per(start_b0, start_b1, n)} PostgreSQL")
    print(f"  per execution: {exec_cpu / n * 1000:.2f} ms Python CPU, {_per(exec_b0, exec_b1, n)} PostgreSQL")
    print("  (without Celery: its publish adds to a start, and a worker its own share per task, ~1 ms each)")
    stats = pstats.Stats(profiles[args.what]).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.limit)
    if args.out:
        stats.dump_stats(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
