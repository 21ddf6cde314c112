"""`python -m asl validate FILE… [--format text|json] [--type EXPRESS] [--allow-placeholders]`.

Text output is one line per diagnostic, `file:line:col: SEVERITY CODE message (pointer)`, the form
editors and CI logs link to. Exit status: 0 clean or warnings only, 1 an error, 2 a usage problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from asl.diagnostics import ERROR, Diagnostic
from asl.validation import validate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m asl validate", description="Validate Amazon States Language definitions (JSON or YAML)."
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="definition files; '-' reads standard input")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--type", dest="type", type=str.upper, choices=("STANDARD", "EXPRESS"), default="STANDARD")
    parser.add_argument(
        "--allow-placeholders",
        action="store_true",
        help="accept ${Name} substitutions and CloudFormation references as Resource values",
    )
    return parser


def format_text(path: str, diagnostic: Diagnostic) -> str:
    line = diagnostic.line or 1
    column = diagnostic.column or 1
    return (
        f"{path}:{line}:{column}: {diagnostic.severity} {diagnostic.code} {diagnostic.message}"
        f" ({diagnostic.location or '/'})"
    )


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    failed = False
    report: dict[str, list[dict]] = {}
    for path in args.files:
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            print(f"{path}: cannot read: {error.strerror or error}", file=sys.stderr)
            failed = True
            continue
        diagnostics = validate(text, state_machine_type=args.type, allow_placeholders=args.allow_placeholders)
        failed = failed or any(d.severity == ERROR for d in diagnostics)
        if args.format == "json":
            report[path] = [d.to_dict() for d in diagnostics]
        else:
            for diagnostic in diagnostics:
                print(format_text(path, diagnostic), file=out)
    if args.format == "json":
        json.dump(report, out, indent=2)
        out.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
