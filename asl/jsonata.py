"""JSONata for `QueryLanguage: JSONata`, on top of jlens (docs/adr/0002-jsonata.md says why).

`compile_jsonata(expr)` parses once and raises JSONataSyntaxError; `JSONataExpression.evaluate`
binds `$states` and the workflow variables, guards time and depth, registers the functions AWS adds
(`$partition $range $hash $random $uuid $parse`) and turns every library failure into
JSONataEvaluationError, which the engine reports as `States.QueryEvaluationError`.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from typing import Any

import jlens

__all__ = [
    "AWS_FUNCTIONS",
    "UNDEFINED",
    "JSONataEvaluationError",
    "JSONataExpression",
    "JSONataSyntaxError",
    "compile_jsonata",
    "is_jsonata_template",
    "strip_template",
]

TIMEOUT_SECONDS = 10.0  # an unguarded recursion would hang the worker (JSONATA.md point 1)
MAX_DEPTH = 1_000


class _Undefined:
    """JSONata's `undefined` (no value), kept apart from JSON null."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED = _Undefined()


class JSONataSyntaxError(ValueError):
    def __init__(self, message: str, position: int = 0, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.position = position
        self.code = code


class JSONataEvaluationError(Exception):
    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code


def is_jsonata_template(value: Any) -> bool:
    """`{% expression %}` strings are JSONata; anything else is a literal."""
    return type(value) is str and value.startswith("{%") and value.endswith("%}") and len(value) >= 4


def strip_template(value: str) -> str:
    return value[2:-2].strip()


# ------------------------------------------------------------------------- AWS's extra functions


def _partition(array: Any, size: Any) -> list:
    if not isinstance(array, list):
        raise ValueError("$partition expects an array")
    size = int(size)
    if size <= 0:
        raise ValueError("$partition expects a positive chunk size")
    return [array[i : i + size] for i in range(0, len(array), size)]


def _range(start: Any, end: Any, step: Any) -> Any:
    start, end, step = int(start), int(end), int(step)
    if step == 0:
        raise ValueError("$range step must not be zero")
    values = list(range(start, end + (1 if step > 0 else -1), step))
    if len(values) > 1000:
        raise ValueError("$range produces more than 1000 items")
    # AWS returns a JSONata sequence, and a sequence of one is its single value.
    return values[0] if len(values) == 1 else values


_HASHES = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def _hash(value: Any, algorithm: Any) -> str:
    name = _HASHES.get(algorithm)
    if name is None:
        raise ValueError(f"$hash: unsupported algorithm {algorithm!r}")
    return hashlib.new(name, str(value).encode("utf-8")).hexdigest()


def _random(seed: Any = None) -> float:
    return random.Random(seed).random() if seed is not None else random.random()


def _uuid() -> str:
    return str(uuid.uuid4())


def _parse(text: Any) -> Any:
    return json.loads(text)


AWS_FUNCTIONS: dict[str, tuple[Any, str | None]] = {
    "partition": (_partition, None),
    "range": (_range, None),
    "hash": (_hash, None),
    "random": (_random, None),
    "uuid": (_uuid, None),
    "parse": (_parse, None),
}


# ------------------------------------------------------------------------------ compile / evaluate

_NEWER_OPERATORS = re.compile(r"\?\?|\?:")
_STRINGS_AND_COMMENTS = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|`[^`]*`|/\*.*?\*/", re.S)


class JSONataExpression:
    """A compiled expression, immutable and reusable across executions."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str, compiled: jlens.Expression):
        self.source = source
        self._compiled = compiled

    def __repr__(self) -> str:
        return f"JSONataExpression({self.source!r})"

    def evaluate(self, states: dict, variables: dict | None = None) -> Any:
        """The value of the expression, or UNDEFINED; raises JSONataEvaluationError."""
        bindings = dict(variables) if variables else {}
        bindings["states"] = states
        try:
            text = self._compiled.evaluate_json(None, bindings, timeout=TIMEOUT_SECONDS, max_depth=MAX_DEPTH)
        except Exception as error:  # every library failure is a query error (JSONATA.md point 4)
            raise JSONataEvaluationError(str(error), getattr(error, "code", None)) from None
        if text is None:
            return UNDEFINED
        return json.loads(text)


def compile_jsonata(expr: str) -> JSONataExpression:
    """Compile an expression (without the `{% %}`); raises JSONataSyntaxError."""
    if not isinstance(expr, str):
        raise JSONataSyntaxError("a JSONata expression must be a string")
    if not expr.strip():
        raise JSONataSyntaxError("the JSONata expression is empty")
    # AWS runs JSONata 2.0.6, which rejects the 2.2 operators `??` and `?:` (S0211).
    masked = _STRINGS_AND_COMMENTS.sub(lambda m: " " * len(m.group()), expr)
    newer = _NEWER_OPERATORS.search(masked)
    if newer:
        raise JSONataSyntaxError(
            f"The symbol '{newer.group()[0]}' cannot be used as a unary operator", newer.start(), "S0211"
        )
    try:
        compiled = jlens.Expression(expr)
    except Exception as error:
        raise JSONataSyntaxError(str(error), getattr(error, "position", 0) or 0, getattr(error, "code", None))
    for name, (implementation, signature) in AWS_FUNCTIONS.items():
        if "$" + name in expr:
            compiled.register_function(name, implementation, signature)
    return JSONataExpression(expr, compiled)
