"""Input and output processing, compiled once per field and applied as small pure functions.

JSONPath mode: a payload template (Parameters, ItemSelector, ResultSelector, Assign, Arguments of
a JSONPath Task) compiles to a tree of tuples: ("lit", value) | ("obj", ((key, node), …)) |
("arr", (node, …)) | ("path", CompiledPath, field) | ("call", Call, field).
JSONata mode: ("lit", value) | ("obj", …) | ("arr", …) | ("jsonata", JSONataExpression, field).

Values are never mutated in place: ResultPath copies only the dictionaries along its path, so a
state's input, the context object and earlier outputs may share structure safely.
"""

from __future__ import annotations

import json
from typing import Any

from asl.errors import (
    INTRINSIC_FAILURE,
    QUERY_EVALUATION_ERROR,
    RESULT_PATH_MATCH_FAILURE,
    RUNTIME,
    StatesError,
)
from asl.functions import IntrinsicError, evaluate_call
from asl.intrinsics import is_intrinsic, parse_intrinsic
from asl.jsonata import (
    UNDEFINED,
    JSONataEvaluationError,
    compile_jsonata,
    is_jsonata_template,
    strip_template,
)
from asl.paths import CompiledPath, PathNotFound, compile_path


def dumps(value: Any) -> str:
    """Compact JSON, as AWS prints payloads in causes and history events."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Scope:
    """What a path or expression can see: the context object and the workflow variables."""

    __slots__ = ("context", "variables")

    def __init__(self, context: dict, variables: dict):
        self.context = context
        self.variables = variables


# ---------------------------------------------------------------------------------- JSONPath


def compile_template(value: Any) -> tuple:
    """Compile a JSONPath-mode payload template; raises PathSyntaxError / IntrinsicSyntaxError."""
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            if key.endswith(".$") and isinstance(item, str):
                name = key[:-2]
                if is_intrinsic(item):
                    items.append((name, ("call", parse_intrinsic(item.strip()), key)))
                else:
                    items.append((name, ("path", compile_path(item), key)))
            else:
                items.append((key, compile_template(item)))
        if all(node[0] == "lit" for _, node in items):
            return ("lit", value)
        return ("obj", tuple(items))
    if isinstance(value, list):
        nodes = tuple(compile_template(item) for item in value)
        if all(node[0] == "lit" for node in nodes):
            return ("lit", value)
        return ("arr", nodes)
    return ("lit", value)


def resolve_path(path: CompiledPath, data: Any, scope: Scope) -> Any:
    """Find `path` against its root: `$` → data, `$$` → context, `$name` → a variable."""
    root = path.root
    if root == "$":
        return path.find(data)
    if root == "$$":
        return path.find(scope.context)
    variables = scope.variables
    if root not in variables:
        raise PathNotFound(path)
    return path.find(variables[root])


def evaluate_template(node: tuple, data: Any, scope: Scope) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "obj":
        return {key: evaluate_template(child, data, scope) for key, child in node[1]}
    if kind == "path":
        try:
            return resolve_path(node[1], data, scope)
        except PathNotFound:
            raise StatesError(
                RUNTIME,
                f"The JSONPath '{node[1].text}' specified for the field '{node[2]}' could not be found in the input "
                f"'{dumps(data)}'",
            ) from None
    if kind == "call":
        return _call(node[1], node[2], data, scope)
    return [evaluate_template(child, data, scope) for child in node[1]]


def _call(call: Any, field: str, data: Any, scope: Scope) -> Any:
    def resolve(arg: Any) -> Any:
        try:
            return resolve_path(arg.path, data, scope)
        except PathNotFound:
            raise StatesError(
                RUNTIME,
                f"The JSONPath '{arg.path.text}' specified for the field '{field}' could not be found in the input "
                f"'{dumps(data)}'",
            ) from None

    try:
        return evaluate_call(call, resolve)
    except IntrinsicError as error:
        raise StatesError(INTRINSIC_FAILURE, str(error)) from None


def apply_input_path(path: CompiledPath | None, present: bool, data: Any, scope: Scope) -> Any:
    """InputPath / OutputPath: absent keeps the value, null gives {}, a path selects."""
    if not present:
        return data
    if path is None:
        return {}
    try:
        return resolve_path(path, data, scope)
    except PathNotFound:
        raise StatesError(RUNTIME, f"Invalid path '{path.text}' : No results for path: {path.normalized()}") from None


def apply_result_path(path: CompiledPath | None, present: bool, state_input: Any, result: Any) -> Any:
    """ResultPath: absent or `$` gives the result, null keeps the input, a path sets the result into a copy."""
    if not present or (path is not None and not path.steps):
        return result
    if path is None:
        return state_input
    return _set_in(state_input, path.keys, result, path)


def _set_in(node: Any, keys: tuple, value: Any, path: CompiledPath) -> Any:
    if not keys:
        return value
    key = keys[0]
    if isinstance(key, str):
        if not isinstance(node, dict):
            raise StatesError(
                RESULT_PATH_MATCH_FAILURE,
                f"Unable to apply ResultPath '{path.text}' to input '{dumps(node)}'",
            )
        copy = dict(node)
        copy[key] = _set_in(node.get(key, {}), keys[1:], value, path)
        return copy
    if not isinstance(node, list) or not -len(node) <= key < len(node):
        raise StatesError(
            RESULT_PATH_MATCH_FAILURE, f"Unable to apply ResultPath '{path.text}' to input '{dumps(node)}'"
        )
    copy = list(node)
    copy[key] = _set_in(node[key], keys[1:], value, path)
    return copy


# ---------------------------------------------------------------------------------- JSONata


def compile_jsonata_template(value: Any, field: str = "") -> tuple:
    """Compile a JSONata-mode field (Arguments, Output, Assign values, …); raises JSONataSyntaxError."""
    if is_jsonata_template(value):
        return ("jsonata", compile_jsonata(strip_template(value)), field)
    if isinstance(value, dict):
        items = tuple(
            (key, compile_jsonata_template(item, f"{field}/{key}" if field else key)) for key, item in value.items()
        )
        if all(node[0] == "lit" for _, node in items):
            return ("lit", value)
        return ("obj", items)
    if isinstance(value, list):
        nodes = tuple(compile_jsonata_template(item, field) for item in value)
        if all(node[0] == "lit" for node in nodes):
            return ("lit", value)
        return ("arr", nodes)
    return ("lit", value)


def evaluate_jsonata_template(node: tuple, states: dict, variables: dict, *, keep_undefined: bool = False) -> Any:
    """Evaluate a compiled JSONata field; an undefined result is a States.QueryEvaluationError."""
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "jsonata":
        expression = node[1]
        try:
            value = expression.evaluate(states, variables)
        except JSONataEvaluationError as error:
            raise StatesError(QUERY_EVALUATION_ERROR, _jsonata_cause(expression.source, node[2], error)) from None
        if value is UNDEFINED and not keep_undefined:
            raise StatesError(
                QUERY_EVALUATION_ERROR,
                f"The JSONata expression '{expression.source}' specified for the field '{node[2]}' returned nothing "
                "(undefined).",
            )
        return value
    if kind == "obj":
        return {key: evaluate_jsonata_template(child, states, variables) for key, child in node[1]}
    return [evaluate_jsonata_template(child, states, variables) for child in node[1]]


def _jsonata_cause(source: str, field: str, error: JSONataEvaluationError) -> str:
    code = f"{error.code}: " if error.code else ""
    return (
        f"An error occurred while evaluating the JSONata expression '{source}' specified for the field '{field}': "
        f"{code}{error.message}"
    )
