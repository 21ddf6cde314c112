"""`python -m asl run DEFINITION [--input FILE|JSON] [--mocks FILE] [--mock-config FILE --test-case NAME] [--real-time]`"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from asl.api import execute, parse
from asl.clock import RealClock, VirtualClock
from asl.diagnostics import DefinitionError
from asl.mocks import from_mock_config


def _json_arg(value: str | None) -> Any:
    """A path to a JSON file, or JSON text."""
    if value is None:
        return {}
    path = Path(value)
    if path.is_file():
        return json.loads(path.read_text())
    return json.loads(value)


def run_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m asl run", description="Run a state machine in-process.")
    parser.add_argument("definition", help="ASL definition file (JSON or YAML)")
    parser.add_argument("--input", help="execution input: a JSON file or JSON text")
    parser.add_argument("--mocks", help='JSON file {"StateName": [{"result": …} | {"error": …, "cause": …}, …]}')
    parser.add_argument("--mock-config", help="Step Functions Local MockConfigFile")
    parser.add_argument("--test-case", help="test case of the MockConfigFile")
    parser.add_argument("--real-time", action="store_true", help="wait in real time instead of virtual time")
    parser.add_argument("--scale", type=float, default=1.0, help="with --real-time: multiply waits by this")
    parser.add_argument("--history", action="store_true", help="include the full history in the output")
    args = parser.parse_args(argv)

    mocks = None
    if args.mocks:
        mocks = json.loads(Path(args.mocks).read_text())
    if args.mock_config:
        if not args.test_case:
            parser.error("--mock-config needs --test-case")
        mocks = from_mock_config(json.loads(Path(args.mock_config).read_text()), args.test_case)
    try:
        machine = parse(Path(args.definition).read_text())
    except DefinitionError as error:
        print(
            json.dumps(
                {"status": "INVALID_DEFINITION", "diagnostics": [d.to_dict() for d in error.diagnostics]}, indent=2
            )
        )
        return 2
    clock = RealClock(args.scale) if args.real_time else VirtualClock()
    result = execute(machine, _json_arg(args.input), mocks=mocks, clock=clock)
    out = result.to_dict()
    if args.history:
        out["history"] = result.history
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0 if result.status == "SUCCEEDED" else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m asl {run,validate} …")
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run_main(rest)
    if command == "validate":
        try:
            from asl.validation.cli import main as validate_main
        except ImportError:
            print("python -m asl validate is not available yet", file=sys.stderr)
            return 2
        return validate_main(rest)
    print(f"unknown command {command!r}; use run or validate", file=sys.stderr)
    return 2
