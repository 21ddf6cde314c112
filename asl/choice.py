"""Choice rules compiled to plain Python predicates `(data, scope) -> bool`.

A comparison whose operands have the wrong type is false, never an error (the corpus checks
every operator over a matrix of JSON types). A Variable path that selects nothing is also false,
except for IsPresent, which exists to ask exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from asl.dataflow import Scope, resolve_path
from asl.paths import PathNotFound, compile_path

Predicate = Callable[[Any, Scope], bool]
_MISSING = object()

_TIMESTAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE)


def parse_timestamp(value: Any) -> datetime | None:
    """An RFC 3339 date-time with a zone (`Z` or `±hh:mm`), or None."""
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        return None
    text = value.upper().replace("Z", "+00:00")
    fraction = _TIMESTAMP.match(value).group(7)
    if fraction and len(fraction) > 7:  # Python takes at most microseconds
        text = text.replace(fraction, fraction[:7])
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _string_matches(pattern: str) -> Callable[[str], bool]:
    # `*` is a wildcard; `\*` and `\\` are a literal star and backslash.
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "*" else re.escape(c))
        i += 1
    regex = re.compile("".join(out), re.S)
    return lambda value: regex.fullmatch(value) is not None


def _compare(kind: str, op: str) -> Callable[[Any, Any], bool]:
    """A two-operand comparison of `kind` (String, Numeric, Boolean, Timestamp) and `op`."""
    if kind == "String":
        check: Callable[[Any], bool] = lambda v: type(v) is str  # noqa: E731
        convert: Callable[[Any], Any] = lambda v: v  # noqa: E731
    elif kind == "Numeric":
        check = _is_number
        convert = lambda v: v  # noqa: E731
    elif kind == "Boolean":
        check = lambda v: type(v) is bool  # noqa: E731
        convert = lambda v: v  # noqa: E731
    else:
        check = lambda v: parse_timestamp(v) is not None  # noqa: E731
        convert = parse_timestamp
    relation = _RELATIONS[op]

    def compare(a: Any, b: Any) -> bool:
        return check(a) and check(b) and relation(convert(a), convert(b))

    return compare


_OPERATOR = re.compile(
    r"^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$"
)
_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "IsNull": lambda v: v is None,
    "IsNumeric": _is_number,
    "IsString": lambda v: type(v) is str,
    "IsBoolean": lambda v: type(v) is bool,
    "IsTimestamp": lambda v: parse_timestamp(v) is not None,
}


_RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "GreaterThan": lambda a, b: a > b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThanEquals": lambda a, b: a >= b,
}


def _numeric_literal(variable: Any, relation: str, literal: Any) -> Predicate:
    """The hot path of loops: a numeric literal against a definite input path."""
    compare = _RELATIONS[relation]

    def numeric(data: Any, scope: Scope) -> bool:
        try:
            v = variable.find(data)
        except PathNotFound:
            return False
        return (type(v) is int or type(v) is float) and compare(v, literal)

    return numeric


def compile_rule(rule: dict) -> Predicate:
    """Compile one Choice rule (with or without Next) into a predicate."""
    if "And" in rule:
        parts = [compile_rule(r) for r in rule["And"]]
        return lambda data, scope: all(p(data, scope) for p in parts)
    if "Or" in rule:
        parts = [compile_rule(r) for r in rule["Or"]]
        return lambda data, scope: any(p(data, scope) for p in parts)
    if "Not" in rule:
        inner = compile_rule(rule["Not"])
        return lambda data, scope: not inner(data, scope)
    variable = compile_path(rule["Variable"])
    is_input = variable.root == "$"

    def read(data: Any, scope: Scope) -> Any:
        try:
            return variable.find(data) if is_input else resolve_path(variable, data, scope)
        except PathNotFound:
            return _MISSING

    for name, value in rule.items():
        if name in ("Variable", "Next", "Comment", "Assign"):
            continue
        if name == "IsPresent":
            expected = value is True
            return lambda data, scope: (read(data, scope) is not _MISSING) == expected
        if name in _TYPE_TESTS:
            test, expected = _TYPE_TESTS[name], value is True

            def type_test(data: Any, scope: Scope, test=test, expected=expected) -> bool:
                found = read(data, scope)
                return found is not _MISSING and test(found) == expected

            return type_test
        if name in ("StringMatches",):
            matcher = _string_matches(value)
            return lambda data, scope: type(v := read(data, scope)) is str and matcher(v)
        match = _OPERATOR.match(name)
        if match:
            compare = _compare(match.group(1), match.group(2))
            if match.group(3):
                other = compile_path(value)

                def path_compare(data: Any, scope: Scope, other=other, compare=compare) -> bool:
                    left = read(data, scope)
                    if left is _MISSING:
                        return False
                    try:
                        right = resolve_path(other, data, scope)
                    except PathNotFound:
                        return False
                    return compare(left, right)

                return path_compare
            if match.group(1) == "Numeric" and _is_number(value) and is_input and variable.keys is not None:
                return _numeric_literal(variable, match.group(2), value)
            return lambda data, scope, compare=compare, value=value: (
                (v := read(data, scope)) is not _MISSING and compare(v, value)
            )
    raise ValueError(f"unsupported Choice rule: {sorted(rule)}")
