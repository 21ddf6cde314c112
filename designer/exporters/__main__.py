"""`python -m designer.exporters FILE --format cloudformation|sam|terraform|json|yaml|iam-policy [...]`.

Exports a definition file (JSON or YAML) without a server; the API's export endpoint calls the
same `export` function for stored workflows.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from asl.validation import load_definition
from designer.exporters import FORMATS, TemplateOptions, export
from designer.exporters.cloudformation import LOG_LEVELS


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m designer.exporters", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="an ASL definition, JSON or YAML")
    parser.add_argument("--format", choices=sorted(FORMATS), default="cloudformation")
    parser.add_argument("--name", default="StateMachine", help="state machine name")
    parser.add_argument("--type", type=str.upper, choices=("STANDARD", "EXPRESS"), default="STANDARD")
    parser.add_argument("--role-arn", help="use this execution role instead of generating one")
    parser.add_argument("--log-level", type=str.upper, choices=LOG_LEVELS, default="OFF")
    parser.add_argument("--include-execution-data", action="store_true")
    parser.add_argument("--tracing", action="store_true", help="enable X-Ray tracing")
    args = parser.parse_args(argv)
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except OSError as error:
        print(f"{args.file}: cannot read: {error.strerror or error}", file=sys.stderr)
        return 1
    definition, problems = load_definition(text)
    if problems or not isinstance(definition, dict):
        reason = problems[0].message if problems else "the definition must be a JSON object"
        print(f"{args.file}: {reason}", file=sys.stderr)
        return 1
    options = TemplateOptions(
        name=args.name,
        state_machine_type=args.type,
        role_arn=args.role_arn,
        log_level=args.log_level,
        include_execution_data=args.include_execution_data,
        tracing=args.tracing,
    )
    sys.stdout.write(export(definition, args.format, options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
