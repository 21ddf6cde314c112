"""Expression checks: JSONPath, reference paths, intrinsic functions and JSONata.

The parsers are the interpreter's own (`asl.paths`, `asl.intrinsics`, `asl.jsonata`), so the
validator accepts exactly what the engine can run. Each check returns a diagnostic or None.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from asl.diagnostics import ERROR, Diagnostic
from asl.validation import codes

try:  # the engine's parsers; validation degrades to prefix checks while they are absent
    from asl.paths import PathSyntaxError, compile_path
except ImportError:  # pragma: no cover - only before asl.paths exists
    compile_path = None  # type: ignore[assignment]
    PathSyntaxError = ValueError  # type: ignore[assignment,misc]
try:
    from asl.intrinsics import IntrinsicSyntaxError, parse_intrinsic
except ImportError:  # pragma: no cover
    parse_intrinsic = None  # type: ignore[assignment]
    IntrinsicSyntaxError = ValueError  # type: ignore[assignment,misc]
try:
    from asl.jsonata import JSONataSyntaxError, compile_jsonata
except ImportError:  # pragma: no cover
    compile_jsonata = None  # type: ignore[assignment]
    JSONataSyntaxError = ValueError  # type: ignore[assignment,misc]

# Fail's ErrorPath/CausePath may call only the intrinsics that return a string.
STRING_INTRINSICS = {
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Format",
    "States.JsonToString",
    "States.Hash",
    "States.UUID",
}


def _error(code: str, message: str, pointer: str) -> Diagnostic:
    return Diagnostic(ERROR, code, message, pointer)


@lru_cache(maxsize=8192)
def path_problem(text: str) -> str | None:
    """Why `text` is not a JSONPath, or None."""
    if not text.startswith("$"):
        return "a path must start with '$' (input), '$$' (context object) or '$name' (a variable)"
    if compile_path is None:
        return None
    try:
        compile_path(text)
    except PathSyntaxError as error:
        return getattr(error, "message", str(error))
    except Exception as error:  # the parser must never take the validator down
        return f"unreadable path ({error})"
    return None


def check_path(text: Any, pointer: str, field: str) -> Diagnostic | None:
    if not isinstance(text, str):
        return None  # the schema reports wrong types
    problem = path_problem(text)
    if problem:
        return _error(codes.INVALID_JSONPATH, f"{field} {text!r} is not a valid JSONPath: {problem}.", pointer)
    return None


def check_reference_path(text: Any, pointer: str, field: str, *, input_only: bool = False) -> Diagnostic | None:
    """A reference path selects one node: names and indexes only. ResultPath must also start at `$`."""
    if not isinstance(text, str):
        return None
    problem = path_problem(text)
    if problem is None and compile_path is not None:
        compiled = compile_path(text)
        if not compiled.definite:
            problem = "a reference path may contain only names and array indexes (no wildcards, filters or slices)"
        elif input_only and compiled.root != "$":
            problem = "it must start with '$' (the state's input): the context object and variables cannot be written"
    elif problem is None and input_only and (text.startswith("$$") or text[1:2] not in ("", ".", "[")):
        problem = "it must start with '$' (the state's input)"
    if problem:
        return _error(
            codes.INVALID_REFERENCE_PATH, f"{field} {text!r} is not a valid reference path: {problem}.", pointer
        )
    return None


def is_intrinsic(text: str) -> bool:
    return text.lstrip().startswith("States.")


def _illegal_escape(text: str) -> str | None:
    """Inside an intrinsic's '...' literal AWS accepts only the escapes \\' \\{ \\} and \\\\."""
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "'":
            quoted = not quoted
        elif char == "\\" and quoted:
            following = text[i + 1 : i + 2]
            if following not in ("'", "{", "}", "\\"):
                return "\\" + following
            i += 1
        i += 1
    return None


def check_intrinsic(text: str, pointer: str, allowed: set[str] | None = None) -> Diagnostic | None:
    escape = _illegal_escape(text)
    if escape:
        return _error(
            codes.INVALID_INTRINSIC,
            f"Invalid escape {escape!r} in a string of {text[:60]!r}: inside '...' only \\', \\{{, \\}} and \\\\ "
            "are allowed (a double quote needs no escape).",
            pointer,
        )
    if parse_intrinsic is None:
        return None
    try:
        call = parse_intrinsic(text)
    except IntrinsicSyntaxError as error:
        message = getattr(error, "message", str(error))
        return _error(codes.INVALID_INTRINSIC, f"Invalid intrinsic function call {text!r}: {message}.", pointer)
    except Exception as error:
        return _error(codes.INVALID_INTRINSIC, f"Invalid intrinsic function call {text!r} ({error}).", pointer)
    if allowed is not None and call.name not in allowed:
        names = ", ".join(sorted(n.removeprefix("States.") for n in allowed))
        return _error(
            codes.INVALID_INTRINSIC,
            f"{call.name} cannot be used here; only a string-returning function ({names}).",
            pointer,
        )
    return None


def check_path_or_intrinsic(text: Any, pointer: str, field: str, allowed: set[str] | None = None) -> Diagnostic | None:
    if not isinstance(text, str):
        return _error(codes.INVALID_JSONPATH, f"{field} must be a string holding a path or an intrinsic call.", pointer)
    if is_intrinsic(text):
        return check_intrinsic(text, pointer, allowed)
    return check_path(text, pointer, field)


# ------------------------------------------------------------------------------------- JSONata

_STRING_LITERAL = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|/\*.*?\*/", re.S)
# JSONata 2.0.6 (what AWS runs) has neither of these; the Python libraries follow 2.2 and accept them.
_NEWER_OPERATORS = re.compile(r"\?\?|\?:")
_EVAL = re.compile(r"\$eval\s*\(")


def is_jsonata(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}") and len(value) >= 4


def check_jsonata_string(value: str, pointer: str) -> Diagnostic | None:
    """A string in a JSONata field: either a literal, or an expression between {% and %}."""
    opens, closes = value.startswith("{%"), value.endswith("%}")
    if not opens and not closes:
        return None
    if opens and not closes or len(value) < 4:
        return _error(
            codes.INVALID_JSONATA, "This JSONata expression starts with '{%' but does not end with '%}'.", pointer
        )
    if closes and not opens:
        return _error(
            codes.INVALID_JSONATA, "This JSONata expression ends with '%}' but does not start with '{%'.", pointer
        )
    return check_jsonata_expression(value[2:-2], pointer)


def check_jsonata_expression(expression: str, pointer: str) -> Diagnostic | None:
    if not expression.strip():
        return _error(codes.INVALID_JSONATA, "The JSONata expression between '{%' and '%}' is empty.", pointer)
    code_only = _STRING_LITERAL.sub('""', expression)
    newer = _NEWER_OPERATORS.search(code_only)
    if newer:
        return _error(
            codes.INVALID_JSONATA,
            f"The operator {newer.group()!r} needs JSONata 2.2; AWS Step Functions runs JSONata 2.0.6, which rejects it.",
            pointer,
        )
    if _EVAL.search(code_only):
        return _error(
            codes.INVALID_JSONATA, "$eval is not available in Step Functions; use $parse to read JSON text.", pointer
        )
    if compile_jsonata is None:
        return None
    try:
        compile_jsonata(expression)
    except JSONataSyntaxError as error:
        return _error(codes.INVALID_JSONATA, f"JSONata syntax error in {expression.strip()!r}: {error}.", pointer)
    except Exception as error:
        return _error(codes.INVALID_JSONATA, f"JSONata syntax error in {expression.strip()!r}: {error}.", pointer)
    return None


def jsonata_code(expression: str) -> str:
    """The expression with string literals and comments blanked, for token searches."""
    return _STRING_LITERAL.sub('""', expression)
