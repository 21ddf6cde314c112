"""The validator: `validate(definition) -> list[Diagnostic]`. Never raises on bad input.

Steps: load (dict, JSON or YAML text, with positions) -> structure (the JSON Schema in
asl/schema/asl.schema.json) -> semantics (graph, expressions, resources, warnings) -> attach the
state name and line/column to each diagnostic.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from asl.diagnostics import ERROR, Diagnostic
from asl.validation import codes, fastcheck, schema, semantics
from asl.validation.loading import load
from asl.validation.pointers import state_of

__all__ = ["load_definition", "validate"]


@cache
def _quick_check() -> fastcheck.Check:
    return fastcheck.compile_schema(schema.schema())


def load_definition(definition: Any) -> tuple[Any, list[Diagnostic]]:
    """Turn a dict, JSON text or YAML text into a Python value, or diagnostics saying why not."""
    loaded = load(definition)
    return loaded.value, loaded.diagnostics


def validate(
    definition: Any,
    *,
    state_machine_type: str = "STANDARD",
    allow_placeholders: bool = False,
    templates: dict[int, tuple] | None = None,
) -> list[Diagnostic]:
    """Every problem found in `definition`, errors first, then warnings.

    `state_machine_type` is STANDARD or EXPRESS (EXPRESS forbids `.sync` and `.waitForTaskToken`).
    `allow_placeholders` accepts template Resources: `${Name}` substitutions, CloudFormation
    references and any URI, for definitions that are deployed through a template.
    `templates`, when a dict, receives the JSONPath payload templates compiled while checking
    them (id of the template in `definition` -> compiled form): `asl.parse` hands it to
    `compile_machine` so that each template is walked once.
    """
    try:
        return _validate(definition, state_machine_type, allow_placeholders, templates)
    except RecursionError:
        return [Diagnostic(ERROR, codes.SCHEMA_VALIDATION_FAILED, "The definition is nested too deeply to check.", "")]
    except Exception as error:  # a validator bug must not take the caller down; say so instead
        return [
            Diagnostic(
                ERROR, codes.SCHEMA_VALIDATION_FAILED, f"The validator could not check this definition: {error!r}.", ""
            )
        ]


def _validate(
    definition: Any, state_machine_type: str, allow_placeholders: bool, templates: dict[int, tuple] | None
) -> list[Diagnostic]:
    loaded = load(definition)
    if not loaded.ok:
        return loaded.diagnostics
    value = loaded.value
    found = list(loaded.diagnostics)
    if not isinstance(value, dict):
        found.append(
            Diagnostic(
                ERROR,
                codes.SCHEMA_VALIDATION_FAILED,
                "The definition must be a JSON object with StartAt and States.",
                "",
            )
        )
        return _finish(found, loaded.locate)
    if not _quick_check()(value):
        found.extend(schema.check(value))
    context = semantics.Context(
        state_machine_type=state_machine_type, allow_placeholders=allow_placeholders, templates=templates
    )
    semantics.check(value, context)
    found.extend(context.diagnostics)
    return _finish(found, loaded.locate)


def _finish(found: list[Diagnostic], locate: Any) -> list[Diagnostic]:
    seen: set[tuple] = set()
    result: list[Diagnostic] = []
    for diagnostic in sorted(found, key=lambda d: d.severity != ERROR):  # stable: errors first, order kept
        key = (diagnostic.code, diagnostic.location, diagnostic.message)
        if key in seen:
            continue
        seen.add(key)
        changes: dict[str, Any] = {}
        if diagnostic.state is None:
            state = state_of(diagnostic.location)
            if state is not None:
                changes["state"] = state
        if locate is not None and diagnostic.line is None:
            position = locate(diagnostic.location)
            if position:
                changes["line"], changes["column"] = position
        result.append(dataclasses.replace(diagnostic, **changes) if changes else diagnostic)
    return result
