"""The validator: `validate(definition) -> list[Diagnostic]`. Never raises on bad input."""

from __future__ import annotations

import json
from typing import Any

import yaml

from asl.diagnostics import ERROR, Diagnostic


def load_definition(definition: Any) -> tuple[Any, list[Diagnostic]]:
    """Turn a dict, JSON text or YAML text into a Python value, or diagnostics saying why not."""
    if isinstance(definition, (bytes, bytearray)):
        definition = definition.decode("utf-8", errors="replace")
    if not isinstance(definition, str):
        return definition, []
    try:
        return json.loads(definition), []
    except json.JSONDecodeError as json_error:
        try:
            return yaml.safe_load(definition), []
        except yaml.YAMLError as yaml_error:
            mark = getattr(yaml_error, "problem_mark", None)
            if definition.lstrip().startswith(("{", "[")):
                line, column, reason = json_error.lineno, json_error.colno, json_error.msg
            else:
                line = mark.line + 1 if mark else None
                column = mark.column + 1 if mark else None
                reason = getattr(yaml_error, "problem", None) or str(yaml_error)
            return None, [Diagnostic(ERROR, "SCHEMA_VALIDATION_FAILED", f"The definition is not valid JSON or YAML: {reason}", "", None, line, column)]


def validate(definition: Any, *, state_machine_type: str = "STANDARD", allow_placeholders: bool = False) -> list[Diagnostic]:
    """Every problem found in `definition`, errors and warnings alike."""
    value, problems = load_definition(definition)
    if problems:
        return problems
    if not isinstance(value, dict):
        return [Diagnostic(ERROR, "SCHEMA_VALIDATION_FAILED", "The definition must be a JSON object.", "")]
    for field in ("StartAt", "States"):
        if field not in value:
            problems.append(Diagnostic(ERROR, "MISSING_FIELD", f"The top-level field {field!r} is required.", f"/{field}"))
    return problems
