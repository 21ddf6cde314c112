"""The public entry points: `parse` and `execute`."""

from __future__ import annotations

import gc
from typing import Any

from asl.diagnostics import ERROR, DefinitionError, Diagnostic
from asl.model import StateMachine, compile_machine
from asl.runner import Result, run_machine
from asl.validation import load_definition, validate


def parse(definition: Any) -> StateMachine:
    """Validate and compile a definition (dict, JSON text or YAML text); raises DefinitionError."""
    # Loading, validating and compiling allocate many objects and create no garbage cycles:
    # pausing the cyclic collector keeps a big definition from paying for several collections.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(definition)
    finally:
        if enabled:
            gc.enable()


def _parse(definition: Any) -> StateMachine:
    value, problems = load_definition(definition)
    errors = [d for d in problems if d.severity == ERROR]
    templates: dict[int, tuple] = {}  # the validator compiles the payload templates; the compiler reuses them
    if not errors:
        errors = [d for d in validate(value, templates=templates) if d.severity == ERROR]
    if errors:
        if isinstance(definition, (str, bytes, bytearray)):
            # Only on the error path: validating the text itself gives every diagnostic its line/column.
            errors = [d for d in validate(definition) if d.severity == ERROR] or errors
        raise DefinitionError(errors)
    try:
        return compile_machine(value, templates)
    except Exception as error:  # anything the validator let through must still not crash later
        raise DefinitionError([Diagnostic(ERROR, "COMPILATION_FAILED", str(error), "")]) from error


def execute(
    definition_or_machine: Any,
    input: Any = None,
    *,
    mocks: dict | None = None,
    handlers: Any = None,
    context: dict | None = None,
    clock: Any = None,
) -> Result:
    """Run one execution to the end in-process and return its Result."""
    machine = definition_or_machine if isinstance(definition_or_machine, StateMachine) else parse(definition_or_machine)
    return run_machine(
        machine, {} if input is None else input, mocks=mocks, handlers=handlers, context=context, clock=clock
    )
