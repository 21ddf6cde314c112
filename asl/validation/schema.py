"""Structure: check a definition against asl/schema/asl.schema.json and turn each error into a diagnostic."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from asl.diagnostics import ERROR, Diagnostic
from asl.validation import codes
from asl.validation.pointers import join
from asl.validation.schema_source import SCHEMA_PATH

# Fields that exist in only one query language, to explain an "unknown field" better.
JSONPATH_ONLY = {
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultPath",
    "ResultSelector",
    "Result",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
    "MaxItemsPath",
    "MaxItemsPerBatchPath",
    "MaxInputBytesPerBatchPath",
    "Variable",
}
JSONATA_ONLY = {"Arguments", "Output", "Items", "Condition"}


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def check(value: Any) -> list[Diagnostic]:
    try:
        errors = list(_validator().iter_errors(value))
    except RecursionError:
        return [Diagnostic(ERROR, codes.SCHEMA_VALIDATION_FAILED, "The definition is nested too deeply to check.", "")]
    found: list[Diagnostic] = []
    for error in errors:
        found.extend(_diagnostics(error))
    return found


def _pointer(error: ValidationError) -> str:
    pointer = ""
    for token in error.absolute_path:
        pointer = join(pointer, token)
    return pointer


def _field(pointer: str) -> str:
    name = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    return name or "the definition"


def _diagnostics(error: ValidationError) -> list[Diagnostic]:
    pointer = _pointer(error)
    kind = error.validator
    instance = error.instance
    if kind == "required":
        missing = [f for f in error.validator_value if isinstance(instance, dict) and f not in instance]
        where = _field(pointer) if pointer else "The state machine"
        return [
            Diagnostic(ERROR, codes.MISSING_FIELD, f"{where} needs the field {name!r}.", join(pointer, name))
            for name in missing
        ]
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = error.schema.get("properties", {})
        return [_unknown(pointer, name, error.schema) for name in instance if name not in allowed]
    if kind == "const" and pointer.endswith("/QueryLanguage"):
        return [
            Diagnostic(
                ERROR,
                codes.QUERY_LANGUAGE_MISMATCH,
                "QueryLanguage cannot be 'JSONPath' here: the whole state machine is JSONata. "
                "Remove the field, or set JSONPath on the state machine and JSONata on the states that need it.",
                pointer,
            )
        ]
    if kind == "pattern" and error.validator_value.startswith("^\\{%"):
        return [_not_enclosed(pointer, instance)]
    if kind == "anyOf":
        required = [s["required"][0] for s in error.validator_value if "required" in s]
        if required and isinstance(instance, dict):
            return [
                Diagnostic(
                    ERROR,
                    codes.MISSING_FIELD,
                    f"{_field(pointer)} needs one of the fields {', '.join(required)}.",
                    pointer,
                )
            ]
        if isinstance(instance, str) and any(s.get("$ref") == "#/$defs/jsonata" for s in error.validator_value):
            return [_not_enclosed(pointer, instance)]
    return [Diagnostic(ERROR, codes.SCHEMA_VALIDATION_FAILED, _message(error, pointer), pointer)]


def _not_enclosed(pointer: str, instance: Any) -> Diagnostic:
    return Diagnostic(
        ERROR,
        codes.INVALID_JSONATA,
        f"{_field(pointer)} must be a JSONata expression written as '{{% expression %}}', got {_short(instance)}.",
        pointer,
    )


def _unknown(pointer: str, name: str, schema_node: dict) -> Diagnostic:
    location = join(pointer, name)
    title = schema_node.get("title", "")
    if ("(JSONata)" in title and name in JSONPATH_ONLY) or ("(JSONPath)" in title and name in JSONATA_ONLY):
        this, other = ("JSONata", "JSONPath") if "(JSONata)" in title else ("JSONPath", "JSONata")
        return Diagnostic(
            ERROR,
            codes.QUERY_LANGUAGE_MISMATCH,
            f"{name!r} is a {other} field, but this {title.split(' (')[0]} uses {this}: "
            + (
                "write Arguments, Output, Assign or a Condition with {% %} expressions instead."
                if this == "JSONata"
                else 'set "QueryLanguage": "JSONata" on the state (or the state machine), or use the JSONPath fields.'
            ),
            location,
        )
    where = f"a {title}" if title else f"'{_field(pointer)}'"
    return Diagnostic(ERROR, codes.UNKNOWN_FIELD, f"The field {name!r} is not allowed in {where}.", location)


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(error: ValidationError, pointer: str) -> str:
    field = _field(pointer)
    kind, expected = error.validator, error.validator_value
    got = _short(error.instance)
    if kind == "type":
        wanted = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{field} must be of type {wanted}, got {got}."
    if kind == "enum":
        return f"{field} must be one of {', '.join(map(str, expected))}, got {got}."
    if kind == "minimum":
        return f"{field} must be at least {expected}, got {got}."
    if kind == "maximum":
        return f"{field} must be at most {expected}, got {got}."
    if kind == "minItems":
        return f"{field} cannot be empty."
    if kind == "anyOf":
        return f"{field} must be {_describe_any(expected)}, got {got}."
    return f"{field}: {error.message}"


def _describe_any(options: list) -> str:
    words = []
    for option in options:
        if option.get("$ref") == "#/$defs/jsonata":
            words.append("a JSONata expression '{% ... %}'")
        elif "type" in option:
            word = f"a{'n' if option['type'][0] in 'aeiou' else ''} {option['type']}"
            if "minimum" in option:
                word += f" >= {option['minimum']}"
            if "maximum" in option:
                word += f" <= {option['maximum']}"
            words.append(word)
    return " or ".join(words) or "valid"
