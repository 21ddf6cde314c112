"""Run one workload on one Python engine, in this process, and report the measurements as JSON.

``bench.run`` starts ``python -m bench.engines`` once per workload and engine, so every cell gets a
fresh interpreter (no warm caches from another engine, a clean peak-RSS reading) and a hung or
crashing engine costs one row, not the run. The job arrives on stdin as JSON::

    {"engine": "asl" | "moto" | "asl-static", "definition_text": "...", "input": ...,
     "reps": 5, "budget_s": 10.0, "fill_s": 1.0}

and the result leaves on stdout as one JSON object (see ``measure``). Times are in seconds, taken with
``time.perf_counter`` (and CPU time with ``time.process_time``) around the engine's own calls only: the definition is JSON text as read from a
file, the input a Python value (a fresh deep copy per run, made outside the timer).
"""

from __future__ import annotations

import copy
import gc
import json
import logging
import resource
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any


class PeakMemory:
    """Peak RSS growth over a stretch of code: the kernel's high-water mark, reset at the start.

    On Linux, writing 5 to /proc/self/clear_refs resets VmHWM to the current RSS, so the imports'
    own peak does not hide the run's. Where that is not possible, falls back to ru_maxrss.
    """

    def __init__(self) -> None:
        self.start = 0
        self.exact = True

    @staticmethod
    def _status(field: str) -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        raise OSError(field)

    def reset(self) -> None:
        gc.collect()
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
            self.start = self._status("VmRSS")
        except OSError:
            self.exact = False
            self.start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def growth(self) -> int:
        try:
            peak = self._status("VmHWM") if self.exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        except OSError:
            return 0
        return max(0, peak - self.start)


class Unavailable(Exception):
    """The engine cannot run here (not written yet, not installed); the message says why."""


# ----------------------------------------------------------------------------------------------
# Engines. Each returns (parse, execute): parse(text) -> machine, execute(machine, input) -> outcome
# where outcome is {"status", "output", "error", "cause"}.
# ----------------------------------------------------------------------------------------------


def asl_engine() -> tuple[Callable | None, Callable]:
    try:
        import asl
    except Exception as exc:  # a half-written package must not take the harness down
        raise Unavailable(f"import asl failed: {type(exc).__name__}: {exc}") from exc
    execute = getattr(asl, "execute", None)
    if execute is None:
        raise Unavailable("asl.execute is not available yet")
    parse = getattr(asl, "parse", None)

    def run(machine: Any, data: Any) -> dict:
        result = execute(machine, data)
        status = getattr(result, "status", None)
        return {
            "status": str(getattr(status, "value", status)),
            "output": getattr(result, "output", None),
            "error": getattr(result, "error", None),
            "cause": getattr(result, "cause", None),
        }

    return parse, run


def moto_engine() -> tuple[Callable, Callable]:
    """moto 5.2.5's port of LocalStack's interpreter, driven through its own execution worker.

    This is what ``StartSyncExecution`` does inside moto (``SyncExecutionWorker._execution_logic``):
    parse with the ANTLR grammar, build the Environment, add ExecutionStarted, evaluate the program.
    It skips only the boto3/HTTP layer and the backend's bookkeeping (ARNs, a deepcopy of the
    state machine), which would add their own cost to the peer. Retry waits are zeroed, as every
    engine here runs them on virtual time.
    """
    try:
        from moto.stepfunctions.parser.api import ExecutionStatus
        from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
        from moto.stepfunctions.parser.asl.eval.evaluation_details import (
            AWSExecutionDetails,
            EvaluationDetails,
            ExecutionDetails,
            StateMachineDetails,
        )
        from moto.stepfunctions.parser.asl.eval.program_state import ProgramEnded, ProgramError, ProgramTimedOut
        from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
        from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
        from moto.stepfunctions.parser.backend.execution_worker_comm import ExecutionWorkerCommunication
    except Exception as exc:
        raise Unavailable(f"moto's stepfunctions parser is not importable: {type(exc).__name__}: {exc}") from exc

    class _NoSleep:
        """Stands in for the `time` module inside moto's retrier: the retry wait takes no real time."""

        @staticmethod
        def sleep(seconds: float) -> None:
            return None

    retrier_decl.time = _NoSleep()
    # moto logs every caught failure at ERROR with a repr of the state; keep the table readable.
    logging.getLogger("moto").setLevel(logging.CRITICAL)

    class _Comm(ExecutionWorkerCommunication):
        def terminated(self) -> None:
            return None

    class _Worker(ExecutionWorker):
        def __init__(self, program: Any, details: EvaluationDetails):
            super().__init__(
                evaluation_details=details, exec_comm=_Comm(), cloud_watch_logging_session=None, activity_store={}
            )
            self._program = program

        def _get_evaluation_entrypoint(self) -> Any:
            return self._program

    account, region = "123456789012", "us-east-1"
    machine_arn = f"arn:aws:states:{region}:{account}:stateMachine:bench"
    role_arn = f"arn:aws:iam::{account}:role/bench"

    def parse(text: str) -> tuple[Any, str]:
        program, _tree = AmazonStateLanguageParser.parse(text)
        return program, text

    def run(machine: tuple[Any, str], data: Any) -> dict:
        import datetime

        program, text = machine
        details = EvaluationDetails(
            aws_execution_details=AWSExecutionDetails(account=account, region=region, role_arn=role_arn),
            execution_details=ExecutionDetails(
                arn=f"arn:aws:states:{region}:{account}:execution:bench:run",
                name="run",
                role_arn=role_arn,
                inpt=data,
                start_time=datetime.datetime.now(tz=datetime.UTC),
            ),
            state_machine_details=StateMachineDetails(arn=machine_arn, name="bench", typ="STANDARD", definition=text),
        )
        worker = _Worker(program, details)
        worker._execution_logic()
        state = worker.env.program_state()
        if isinstance(state, ProgramEnded):
            return {"status": ExecutionStatus.SUCCEEDED.value, "output": worker.env.states.get_input()}
        if isinstance(state, ProgramError):
            return {
                "status": "FAILED",
                "output": None,
                "error": state.error.get("error"),
                "cause": state.error.get("cause"),
            }
        if isinstance(state, ProgramTimedOut):
            return {"status": "TIMED_OUT", "output": None}
        return {"status": type(state).__name__, "output": None}

    return parse, run


# ----------------------------------------------------------------------------------------------


def _repeat(reps: int, budget_s: float, once: Callable[[int], None], fill_s: float = 0.0, max_reps: int = 200) -> None:
    """Call ``once(k)`` at least ``reps`` times (fewer if that would run past ``budget_s``), then keep
    going up to ``max_reps`` while the whole stays within ``fill_s``: cheap workloads get enough
    runs for a steady median, expensive ones their minimum."""
    start = time.perf_counter()
    for k in range(max(reps, max_reps)):
        before = time.perf_counter()
        once(k)
        now = time.perf_counter()
        projected = (now - start) + (now - before)  # the time spent once the next run ends
        if projected > (budget_s if k + 1 < reps else fill_s):
            break


def measure_static(text: str, reps: int, budget: float) -> dict:
    """``asl.validate`` and ``asl.parse`` of one definition (JSON text), each on its own."""
    report: dict[str, Any] = {"engine": "asl-static", "available": True}
    try:
        import asl
    except Exception as exc:
        return {"engine": "asl-static", "available": False, "reason": f"import asl failed: {type(exc).__name__}: {exc}"}
    for name in ("validate", "parse"):
        function = getattr(asl, name, None)
        if function is None:
            report[f"{name}_reason"] = f"asl.{name} is not available yet"
            continue
        times: list[float] = []
        cpu: list[float] = []
        value: Any = None

        def once(_k: int, function: Callable = function, times: list[float] = times, cpu: list[float] = cpu) -> None:
            nonlocal value
            c0, t0 = time.process_time(), time.perf_counter()
            value = function(text)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)

        try:
            _repeat(reps, budget, once)
        except Exception as exc:
            report[f"{name}_reason"] = f"asl.{name} raised {type(exc).__name__}: {exc}"
            continue
        report[f"{name}_s"] = times
        report[f"{name}_cpu_s"] = cpu  # CPU time: what a loaded machine does not inflate
        if name == "validate":
            report["validate_errors"] = sum(1 for d in value if str(getattr(d, "severity", "")) == "ERROR")
            report["validate_diagnostics"] = len(value)
    return report


def measure(job: dict) -> dict:
    engine = job["engine"]
    text: str = job["definition_text"]
    reps = max(1, int(job.get("reps", 5)))
    budget = float(job.get("budget_s", 10.0))
    fill = float(job.get("fill_s", 0.0))
    report: dict[str, Any] = {"engine": engine, "available": True}

    if engine == "asl-static":
        return measure_static(text, reps, budget)

    try:
        parse, run = {"asl": asl_engine, "moto": moto_engine}[engine]()
    except Unavailable as exc:
        return {"engine": engine, "available": False, "reason": str(exc)}

    data = job.get("input")
    parse_times: list[float] = []
    exec_times: list[float] = []
    parse_cpu: list[float] = []
    exec_cpu: list[float] = []
    outcome: dict[str, Any] = {}
    memory = PeakMemory()

    def once(k: int) -> None:
        nonlocal outcome
        fresh = copy.deepcopy(data)
        if k == 0:
            memory.reset()
        c0, t0 = time.process_time(), time.perf_counter()
        machine = parse(text) if parse is not None else text
        c1, t1 = time.process_time(), time.perf_counter()
        outcome = run(machine, fresh)
        c2, t2 = time.process_time(), time.perf_counter()
        if parse is not None:
            parse_times.append(t1 - t0)
            parse_cpu.append(c1 - c0)
        exec_times.append(t2 - t1)
        exec_cpu.append(c2 - c1)
        if k == 0:
            report["peak_rss_bytes"] = memory.growth()

    try:
        _repeat(reps, budget, once, fill)
    except Exception as exc:
        report.update(
            crashed=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(limit=8),
        )
    report.update(
        parse_s=parse_times if parse is not None else None,
        exec_s=exec_times,
        parse_cpu_s=parse_cpu if parse is not None else None,
        exec_cpu_s=exec_cpu,
        **outcome,
    )
    if parse is None:
        report["note"] = "asl.parse missing: execute time includes parsing"
    return report


def main() -> int:
    job = json.loads(sys.stdin.read())
    out, sys.stdout = sys.stdout, sys.stderr  # whatever an engine prints must not spoil the report
    try:
        report = measure(job)
    finally:
        sys.stdout = out
    json.dump(report, out, default=repr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
