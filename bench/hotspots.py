"""Profile ``asl.parse`` + ``asl.execute`` (or ``asl.validate``, or ``asl.parse`` alone) on one workload.

    python -m bench.hotspots loop_10k [--what execute|parse|validate] [--suite shared|own]
                             [--sort tottime|cumtime] [--limit 30] [--out FILE]

``--out FILE`` also saves the raw profile (for snakeviz, or ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import pstats
import sys
import time

from bench.workloads import NAMES, own_workloads, shared_workloads


def summary(result: object) -> str:
    if isinstance(result, list):
        return f"{len(result)} diagnostics"
    status = getattr(result, "status", None)
    return f"status {status}" if status is not None else type(result).__name__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hotspots", description=__doc__.split("\n\n")[0])
    parser.add_argument("workload", choices=NAMES)
    parser.add_argument("--what", choices=("execute", "parse", "validate"), default="execute")
    parser.add_argument("--suite", choices=("shared", "own"), default="shared")
    parser.add_argument("--sort", choices=("tottime", "cumtime"), default="tottime")
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--out", help="save the raw profile here")
    args = parser.parse_args(argv)

    import asl

    if not hasattr(asl, args.what):
        print(f"asl.{args.what} is not available yet", file=sys.stderr)
        return 1
    suite = shared_workloads() if args.suite == "shared" else []
    workload = next((w for w in suite or own_workloads() if w.name == args.workload), None)
    if workload is None:
        print(f"no workload {args.workload}", file=sys.stderr)
        return 1

    def once(data: object = None) -> object:
        if args.what == "validate":
            return asl.validate(workload.definition_text)
        if args.what == "parse":
            return asl.parse(workload.definition_text)
        machine = asl.parse(workload.definition_text) if hasattr(asl, "parse") else workload.definition_text
        return asl.execute(machine, data)

    once(copy.deepcopy(workload.input))  # warm-up: imports, caches
    data = copy.deepcopy(workload.input)  # the copy is made outside the timer and the profile
    t0 = time.perf_counter()
    once(data)
    plain = time.perf_counter() - t0
    data = copy.deepcopy(workload.input)
    profiler = cProfile.Profile()
    profiler.enable()
    result = once(data)
    profiler.disable()
    print(f"{workload.name} ({workload.suite}): {plain * 1000:.1f} ms without the profiler; {summary(result)}")
    stats = pstats.Stats(profiler).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.limit)
    if args.out:
        stats.dump_stats(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
