"""`make bench`: Stepwright's ASL interpreter against its peers, side by side in one run.

    python -m bench.run [--quick] [--only NAME ...] [--peers | --no-peers] [--suite auto|shared|own|all]
                        [--reps N] [--json FILE] [--strict]

Every workload runs on every engine, one fresh process per cell, one cell at a time:

- ``asl``: ``asl.parse`` + ``asl.execute`` in-process (bench/engines.py);
- ``aws-local-stepfunctions`` 3.0.0, the fastest peer, in Node (bench/peers/als.mjs);
- ``moto`` 5.2.5's port of LocalStack's interpreter, in-process (bench/engines.py).

It prints one table (median parse and execution time, transitions/s, peak memory, correct output,
asl's speed-up over each peer) and then the bars of issues 3 and 4. A benchmark, not a test: it exits
0 whatever the figures, unless ``--strict`` is given and a bar is missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.workloads import MOTO_HEAVY, NAMES, Workload, own_workloads, retryable_states, shared_workloads, wait_states

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PEERS = BENCH / "peers"
ALS_VERSION = "3.0.0"

# The bars (issue 3 "Bars", issue 4 "Bars").
BAR_VS_ALS = 1.5
BAR_VS_MOTO = 30.0
BAR_PARSE_MS = 50.0
BAR_VALIDATE_MS = 50.0


@dataclass
class Engine:
    key: str
    label: str
    reps: int
    budget_s: float
    fill_s: float
    timeout_s: float


@dataclass
class Cell:
    workload: Workload
    engine: Engine
    report: dict[str, Any] = field(default_factory=dict)
    skipped: str = ""

    @property
    def ok(self) -> bool:
        r = self.report
        return not self.skipped and r.get("available", False) and not r.get("crashed") and bool(r.get("exec_s"))

    @property
    def parse_s(self) -> float | None:
        times = self.report.get("parse_s")
        return statistics.median(times) if self.ok and times else None

    @property
    def exec_s(self) -> float | None:
        return statistics.median(self.report["exec_s"]) if self.ok else None

    @property
    def total_s(self) -> float | None:
        """Median of parse + execute over the runs (the time of one execution from definition text)."""
        if not self.ok:
            return None
        parses = self.report.get("parse_s") or [0.0] * len(self.report["exec_s"])
        return statistics.median(p + e for p, e in zip(parses, self.report["exec_s"], strict=True))

    @property
    def total_cpu_s(self) -> float | None:
        """Median of parse + execute in CPU time: what a busy machine does not inflate."""
        execs = self.report.get("exec_cpu_s")
        if not self.ok or not execs:
            return None
        parses = self.report.get("parse_cpu_s") or [0.0] * len(execs)
        return statistics.median(p + e for p, e in zip(parses, execs, strict=True))

    @property
    def correct(self) -> bool:
        r = self.report
        return self.ok and r.get("status") == "SUCCEEDED" and same_json(r.get("output"), self.workload.expected)


def same_json(a: Any, b: Any) -> bool:
    """JSON equality: numbers compare by value (1 == 1.0), but booleans are not numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


# ----------------------------------------------------------------------------------------------
# Running cells
# ----------------------------------------------------------------------------------------------


def _python_job(
    engine: str, workload: Workload, reps: int, budget_s: float, timeout_s: float, fill_s: float = 0.0
) -> dict:
    job = {
        "engine": engine,
        "definition_text": workload.definition_text,
        "input": workload.input,
        "reps": reps,
        "budget_s": budget_s,
        "fill_s": fill_s,
    }
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return _run_child([sys.executable, "-m", "bench.engines"], job, timeout_s, env)


def _run_child(command: list[str], job: dict, timeout_s: float, env: dict | None = None) -> dict:
    try:
        done = subprocess.run(
            command, input=json.dumps(job), capture_output=True, text=True, timeout=timeout_s, cwd=REPO, env=env
        )
    except subprocess.TimeoutExpired:
        return {"available": True, "crashed": f"timed out after {timeout_s:.0f} s"}
    if done.returncode != 0 or not done.stdout.strip():
        tail = (done.stderr or "").strip().splitlines()[-3:]
        return {"available": True, "crashed": f"exit {done.returncode}: " + " | ".join(tail)}
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"available": True, "crashed": "unreadable report: " + done.stdout[:200]}


def node_peer_status() -> str:
    """'' when aws-local-stepfunctions can run here, or why not. Installs it from the lock file if missing."""
    if not shutil.which("node"):
        return "node is not installed"
    package = PEERS / "node_modules" / "aws-local-stepfunctions" / "package.json"
    if not package.is_file():
        if not shutil.which("npm"):
            return "bench/peers/node_modules missing and npm is not installed"
        print("bench: installing the Node peer (npm ci --prefix bench/peers) ...", file=sys.stderr, flush=True)
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(PEERS)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0 or not package.is_file():
            return "npm ci --prefix bench/peers failed: " + " ".join(done.stderr.strip().splitlines()[-2:])
    version = json.loads(package.read_text()).get("version")
    if version != ALS_VERSION:
        return f"bench/peers has aws-local-stepfunctions {version}, not {ALS_VERSION}: run npm ci --prefix bench/peers"
    return ""


def run_cell(cell: Cell, node_status: str) -> None:
    w, e = cell.workload, cell.engine
    if e.key == "als":
        if node_status:
            cell.report = {"available": False, "reason": node_status}
            return
        job = {
            "definition_text": w.definition_text,
            "input": w.input,
            "reps": e.reps,
            "budget_s": e.budget_s,
            "fill_s": e.fill_s,
            "retry_states": retryable_states(w.definition),
            "wait_states": wait_states(w.definition),
        }
        cell.report = _run_child(["node", str(PEERS / "als.mjs")], job, e.timeout_s)
    else:
        cell.report = _python_job(e.key, w, e.reps, e.budget_s, e.timeout_s, e.fill_s)


# ----------------------------------------------------------------------------------------------
# Printing
# ----------------------------------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


def _ratio(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}x" if x >= 100 else f"{x:.1f}x" if x >= 10 else f"{x:.2f}x"


def speedup(peer: Cell, ours: Cell, *, peer_exec_only: bool = False, cpu: bool = False) -> float | None:
    if cpu:
        mine, theirs = ours.total_cpu_s, peer.total_cpu_s
        return theirs / mine if mine and theirs is not None else None
    mine = ours.total_s
    theirs = peer.exec_s if peer_exec_only else peer.total_s
    if not mine or theirs is None:
        return None
    return theirs / mine


def render_table(rows: list[tuple[Workload, list[Cell]]]) -> str:
    header = [
        "workload",
        "engine",
        "parse ms",
        "exec ms",
        "total ms",
        "transitions/s",
        "peak MiB",
        "correct",
        "runs",
        "asl speed-up / note",
    ]
    lines: list[list[str]] = []
    for workload, cells in rows:
        ours = cells[0]
        label = workload.name + ("" if workload.suite in ("shared", "shared=own") else f" ({workload.suite})")
        for k, cell in enumerate(cells):
            name = label if k == 0 else ""
            if cell.skipped:
                lines.append([name, cell.engine.label, "", "", "", "", "", "", "", f"skipped: {cell.skipped}"])
                continue
            r = cell.report
            if not r.get("available", False):
                lines.append([name, cell.engine.label, "", "", "", "", "", "", "", f"n/a: {r.get('reason')}"])
                continue
            if not cell.ok:
                lines.append(
                    [name, cell.engine.label, "", "", "", "", "", "no", "", f"error: {r.get('crashed', 'no run')}"]
                )
                continue
            exec_s = cell.exec_s
            rate = workload.transitions / exec_s if exec_s else None
            peak = r.get("peak_rss_bytes")
            correct = (
                "yes"
                if cell.correct
                else f"NO ({r.get('status')}{': ' + str(r.get('error')) if r.get('error') else ''})"
            )
            lines.append(
                [
                    name,
                    cell.engine.label,
                    _ms(cell.parse_s),
                    _ms(exec_s),
                    _ms(cell.total_s),
                    f"{rate:,.0f}" if rate else "-",
                    f"{peak / 2**20:.1f}" if peak is not None else "-",
                    correct,
                    str(len(r["exec_s"])),
                    "" if k == 0 else _ratio(speedup(cell, ours)),
                ]
            )
    widths = [
        max(len(header[i]), *(len(line[i]) for line in lines)) if lines else len(header[i]) for i in range(len(header))
    ]
    right = {2, 3, 4, 5, 6, 8, 9}

    def fmt(cols: list[str]) -> str:
        return "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cols)).rstrip()

    out = [fmt(header), fmt(["-" * w for w in widths])]
    previous = None
    for line in lines:
        if line[0] and previous is not None:
            out.append("")
        out.append(fmt(line))
        previous = line
    return "\n".join(out)


def bar_lines(rows: list[tuple[Workload, list[Cell]]], static: dict | None, static_name: str) -> tuple[list[str], bool]:
    """The bars of issues 3 and 4, each as PASS / FAIL / N/A, and whether all that could be measured passed."""
    lines: list[str] = []
    all_pass = True

    def add(state: str, text: str) -> None:
        nonlocal all_pass
        if state == "FAIL":
            all_pass = False
        lines.append(f"  [{state:4}] {text}")

    bar_rows = [(w, cells) for w, cells in rows if w.suite in ("shared", "shared=own")] or rows
    suite_note = (
        "../shared/bench" if bar_rows is not rows or any(w.suite != "own" for w, _ in rows) else "own workloads"
    )
    ours = [cells[0] for _, cells in bar_rows]
    if not any(cell.ok for cell in ours):
        reason = next((c.report.get("reason") or c.report.get("crashed") for c in ours if not c.ok), "no asl run")
        add("N/A", f"issue 3 speed bars: {reason}")
    else:
        for key, label, bar in (
            ("als", f"aws-local-stepfunctions {ALS_VERSION}", BAR_VS_ALS),
            ("moto", "moto", BAR_VS_MOTO),
        ):
            ratios = []
            strict = []
            missing = []
            by_cpu = []
            for workload, cells in bar_rows:
                peer = next((c for c in cells if c.engine.key == key), None)
                if peer is None:
                    continue
                ratio = speedup(peer, cells[0])
                if ratio is None:
                    missing.append(workload.name)
                    continue
                ratios.append((ratio, workload.name))
                cpu_ratio = speedup(peer, cells[0], cpu=True)
                if cpu_ratio is not None:
                    by_cpu.append((cpu_ratio, workload.name))
                if key == "als" and workload.transitions >= 100:  # where execution, not parsing, dominates
                    strict.append((speedup(peer, cells[0], peer_exec_only=True), workload.name))
            if not ratios:
                add(
                    "N/A",
                    f"issue 3: asl >= {bar}x faster than {label}: no measurement"
                    + (f" ({', '.join(missing)})" if missing else ""),
                )
                continue
            worst, where = min(ratios)
            state = "PASS" if worst >= bar and not missing else ("FAIL" if worst < bar else "N/A")
            slow = [f"{name} {_ratio(r)}" for r, name in sorted(ratios) if r < bar]
            text = f"issue 3: asl (parse+exec) >= {bar:g}x faster than {label} (parse+exec) on every workload: worst {_ratio(worst)} on {where}"
            if slow:
                text += "; below the bar: " + ", ".join(slow)
            if missing:
                text += f"; not measured: {', '.join(missing)}"
            add(state, text)
            if by_cpu:
                cpu_worst, cpu_where = min(by_cpu)
                cpu_slow = [f"{name} {_ratio(r)}" for r, name in sorted(by_cpu) if r < bar]
                lines.append(
                    f"         (in CPU time: worst {_ratio(cpu_worst)} on {cpu_where}"
                    + ("; below the bar: " + ", ".join(cpu_slow) if cpu_slow else "; all above the bar")
                    + ")"
                )
            strict = sorted((r, n) for r, n in strict if r is not None)
            if strict:
                lines.append(
                    "         (asl's parse+exec against the peer's execution alone, on the workloads of 100+ transitions: "
                    + ", ".join(f"{n} {_ratio(r)}" for r, n in strict)
                    + ")"
                )
        wrong = [f"{w.name}" for w, cells in bar_rows if cells[0].ok and not cells[0].correct]
        if wrong:
            add("FAIL", f"asl gave a wrong output on: {', '.join(wrong)}")
    if static is None:
        add("N/A", "issues 3/4: no 2,000-state definition selected (--only)")
    elif not static.get("available", False) or static.get("crashed"):
        add("N/A", f"issues 3/4 on {static_name}: {static.get('reason') or static.get('crashed')}")
    else:
        for key, issue, what, bar in (
            ("parse", "issue 3", "asl.parse", BAR_PARSE_MS),
            ("validate", "issue 4", "asl.validate", BAR_VALIDATE_MS),
        ):
            times = static.get(f"{key}_s")
            if not times:
                add("N/A", f"{issue}: {what} of {static_name} < {bar:g} ms: {static.get(f'{key}_reason')}")
                continue
            ms = statistics.median(times) * 1000
            cpu = static.get(f"{key}_cpu_s")
            cpu_note = f", CPU time {statistics.median(cpu) * 1000:.2f} ms" if cpu else ""
            extra = ""
            if key == "validate":
                extra = (
                    f"; {static.get('validate_diagnostics', 0)} diagnostics, {static.get('validate_errors', 0)} errors"
                )
            add(
                "PASS" if ms < bar else "FAIL",
                f"{issue}: {what} of {static_name}, from JSON text, < {bar:g} ms: {ms:.2f} ms (median of {len(times)}{cpu_note}{extra})",
            )
    load = os.getloadavg()[0]
    lines.insert(
        0, f"Bars (on {suite_note}, peers measured in this run; load average now {load:.2f} on {os.cpu_count()} cpus):"
    )
    return lines, all_pass


# ----------------------------------------------------------------------------------------------


def select_workloads(suite: str, only: list[str] | None) -> list[Workload]:
    """auto: ../shared/bench when present, plus the own workloads that differ from it; own alone otherwise."""
    shared = shared_workloads()
    if suite == "shared" and not shared:
        raise SystemExit("bench: --suite shared, but ../shared/bench is not there (set STEPWRIGHT_SHARED_BENCH)")
    own = own_workloads() if suite != "shared" else []
    if suite == "own":
        chosen = own
    elif suite == "all":
        chosen = shared + own
    else:
        by_name = {w.name: w for w in shared}
        chosen = list(shared)
        for workload in own:
            twin = by_name.get(workload.name)
            if twin is not None and twin.same_as(workload):
                twin.suite = "shared=own"  # the generator reproduces it exactly: measured once
            elif suite == "auto":
                chosen.append(workload)
    if only:
        unknown = sorted(set(only) - {w.name for w in chosen})
        if unknown:
            raise SystemExit(f"bench: unknown workload(s) {', '.join(unknown)}; known: {', '.join(NAMES)}")
        chosen = [w for w in chosen if w.name in only]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs; moto only on its light workloads")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these workloads")
    parser.add_argument(
        "--peers", action=argparse.BooleanOptionalAction, default=True, help="measure the peers too (default)"
    )
    parser.add_argument(
        "--suite",
        choices=("auto", "shared", "own", "all"),
        default="auto",
        help="auto: ../shared/bench when present plus the own workloads that differ from it",
    )
    parser.add_argument(
        "--reps",
        type=int,
        help="exactly N runs per cell for asl and aws-local-stepfunctions (default: at least 7, quick 3, "
        "and more while a cell stays under 1 s)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every measurement to FILE")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a bar is missed")
    args = parser.parse_args(argv)

    reps = args.reps or (3 if args.quick else 7)
    fill = 0.0 if args.reps else (0.3 if args.quick else 1.0)  # cheap cells keep running up to this long
    engines = [Engine("asl", "stepwright asl", reps, 10.0, fill, 300.0)]
    if args.peers:
        als_reps = reps if args.quick or args.reps else max(reps, 5)
        engines.append(Engine("als", f"aws-local-stepfunctions {ALS_VERSION}", als_reps, 10.0, fill, 300.0))
        try:
            moto_version = metadata.version("moto")
        except metadata.PackageNotFoundError:
            moto_version = "?"
        engines.append(Engine("moto", f"moto {moto_version}", 1 if args.quick else 3, 5.0, fill, 400.0))

    workloads = select_workloads(args.suite, args.only)
    shared_present = any(w.suite != "own" for w in workloads)
    node_status = node_peer_status() if args.peers else ""
    started = time.perf_counter()
    print(
        f"bench: {len(workloads)} workloads x {len(engines)} engines; python {platform.python_version()}, "
        f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}; {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        file=sys.stderr,
        flush=True,
    )

    rows: list[tuple[Workload, list[Cell]]] = []
    for workload in workloads:
        cells = []
        for engine in engines:
            cell = Cell(workload, engine)
            if engine.key == "moto" and args.quick and workload.name in MOTO_HEAVY:
                cell.skipped = "--quick"
            elif engine.key == "moto" and workload.suite == "own" and args.suite == "auto" and shared_present:
                cell.skipped = "not on extra own rows"
            else:
                t0 = time.perf_counter()
                run_cell(cell, node_status)
                note = "ok" if cell.ok else (cell.report.get("reason") or cell.report.get("crashed") or "?")
                print(
                    f"  {workload.name:<16} {engine.label:<30} {time.perf_counter() - t0:6.1f} s  {note}",
                    file=sys.stderr,
                    flush=True,
                )
            cells.append(cell)
        rows.append((workload, cells))

    big = next((w for w in workloads if w.name == "big_definition" and w.suite != "own"), None) or next(
        (w for w in workloads if w.name == "big_definition"), None
    )
    static = None
    if big is not None:
        static = _python_job("asl-static", big, 3 if args.quick else 9, 5.0, 120.0)

    print(flush=True)
    print(render_table(rows))
    print()
    print(
        "parse: definition JSON text -> the engine's machine; exec: running it on the input; total: median of\n"
        "parse+exec. transitions/s: the workload's transitions / exec. peak MiB: growth of the process's peak RSS\n"
        "(VmHWM, reset just before) in the first run. asl speed-up: the peer's total / asl's total.\n"
        "Retry waits run on virtual time on every engine."
    )
    print()
    lines, all_pass = bar_lines(
        rows,
        static,
        f"the {'own' if big.suite == 'own' else 'shared'} {big.name} ({big.state_count:,} states)" if big else "",
    )
    print("\n".join(lines), flush=True)
    print(f"\nbench: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "cells": [
                        {
                            "workload": w.name,
                            "suite": w.suite,
                            "engine": c.engine.key,
                            "skipped": c.skipped,
                            "transitions": w.transitions,
                            "correct": c.correct,
                            **{k: v for k, v in c.report.items() if k != "output"},
                        }
                        for w, cells in rows
                        for c in cells
                    ],
                    "static": static,
                },
                indent=1,
                default=repr,
            )
        )
    return 1 if args.strict and not all_pass else 0


if __name__ == "__main__":
    sys.exit(main())
