"""How fast the browser app opens big things, in headless Chromium.

    python -m bench.designer

Runs the end-to-end tests that open them (they assert only that everything opened) and prints the times
they measured: a 500-state workflow in the designer (issue 7's bar: under 1.5 s) and an execution with a
5,000-event history (issue 8's bar: about a second).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAR_MS = 1500


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


def main() -> int:
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
    print("\nThe browser app in headless Chromium")
    print(f"{'workload':<30} {'runs (ms)':<18} {'best ms':>8} {'bar':>9}  holds")
    for name, runs, best, bar in rows:
        print(f"{name:<30} {runs:<18} {best:>8.0f} {f'< {bar}':>9}  {'yes' if best < bar else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
