"""The 18 `States.*` intrinsic functions: a tokenizer, a recursive-descent parser and a table of
signatures the validator can check calls against. Evaluation lives in `asl.functions`.

Grammar (as AWS accepts it):
    call     := NAME '(' [arg (',' arg)*] ')'
    arg      := call | STRING | NUMBER | 'true' | 'false' | 'null' | PATH
    STRING   := "'" ( '\\' any | not "'" )* "'"        (escapes: \\' \\{ \\} \\\\)
    PATH     := '$' … up to the next top-level ',' or ')'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asl.paths import CompiledPath, PathSyntaxError, PositionedSyntaxError, compile_path

__all__ = [
    "FUNCTIONS",
    "Call",
    "FunctionSpec",
    "IntrinsicSyntaxError",
    "Literal",
    "PathArg",
    "is_intrinsic",
    "parse_intrinsic",
]


class IntrinsicSyntaxError(PositionedSyntaxError):
    """An intrinsic call that cannot be parsed."""


# Argument types in FunctionSpec.args: what a literal argument must be. Paths are checked at run time.
ANY, STRING, NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT = (
    "any",
    "string",
    "number",
    "integer",
    "boolean",
    "array",
    "object",
)


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    name: str
    args: tuple[str, ...]  # the types of the fixed arguments
    min_args: int
    max_args: int | None  # None: any number (the last type repeats)


def _spec(name: str, *args: str, min_args: int | None = None, variadic: bool = False) -> FunctionSpec:
    return FunctionSpec(name, args, len(args) if min_args is None else min_args, None if variadic else len(args))


FUNCTIONS: dict[str, FunctionSpec] = {
    spec.name: spec
    for spec in (
        _spec("States.Format", STRING, ANY, min_args=1, variadic=True),
        _spec("States.StringToJson", STRING),
        _spec("States.JsonToString", ANY),
        _spec("States.Array", ANY, min_args=0, variadic=True),
        _spec("States.ArrayPartition", ARRAY, INTEGER),
        _spec("States.ArrayContains", ARRAY, ANY),
        _spec("States.ArrayRange", INTEGER, INTEGER, INTEGER),
        _spec("States.ArrayGetItem", ARRAY, INTEGER),
        _spec("States.ArrayLength", ARRAY),
        _spec("States.ArrayUnique", ARRAY),
        _spec("States.Base64Encode", STRING),
        _spec("States.Base64Decode", STRING),
        _spec("States.Hash", ANY, STRING),
        _spec("States.JsonMerge", OBJECT, OBJECT, BOOLEAN),
        _spec("States.MathRandom", INTEGER, INTEGER, INTEGER, min_args=2),
        _spec("States.MathAdd", NUMBER, NUMBER),
        _spec("States.StringSplit", STRING, STRING),
        _spec("States.UUID"),
    )
}


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any
    position: int


@dataclass(frozen=True, slots=True)
class PathArg:
    path: CompiledPath
    position: int


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple
    position: int
    text: str = ""  # the whole source text, for error messages


def is_intrinsic(text: Any) -> bool:
    """Whether a `.$` value is meant as an intrinsic call rather than a path (cheap prefix test)."""
    return isinstance(text, str) and text.lstrip().startswith("States.")


def parse_intrinsic(text: str) -> Call:
    """Parse `States.Name(args…)`, checking names and arity; raises IntrinsicSyntaxError."""
    parser = _Parser(text)
    parser.skip_spaces()
    call = parser.call()
    parser.skip_spaces()
    if parser.pos != len(text):
        raise IntrinsicSyntaxError("unexpected text after the closing ')'", parser.pos)
    return Call(call.name, call.args, call.position, text)


class _Parser:
    def __init__(self, text: str):
        if not isinstance(text, str):
            raise IntrinsicSyntaxError("an intrinsic function call must be a string", 0)
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def call(self) -> Call:
        start = self.pos
        end = start
        text = self.text
        while end < len(text) and (text[end].isalnum() or text[end] in "._"):
            end += 1
        name = text[start:end]
        if not name.startswith("States."):
            raise IntrinsicSyntaxError("expected an intrinsic function name such as States.Format", start)
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise IntrinsicSyntaxError(f"unknown intrinsic function {name!r}", start)
        self.pos = end
        self.skip_spaces()
        if self.peek() != "(":
            raise IntrinsicSyntaxError(f"expected '(' after {name}", self.pos)
        self.pos += 1
        args: list = []
        self.skip_spaces()
        if self.peek() == ")":
            self.pos += 1
        else:
            while True:
                self.skip_spaces()
                args.append(self.argument())
                self.skip_spaces()
                c = self.peek()
                if c == ",":
                    self.pos += 1
                    continue
                if c == ")":
                    self.pos += 1
                    break
                if not c:
                    raise IntrinsicSyntaxError(f"unclosed argument list of {name}", self.pos)
                raise IntrinsicSyntaxError(f"expected ',' or ')' but found {c!r}", self.pos)
        if len(args) < spec.min_args or (spec.max_args is not None and len(args) > spec.max_args):
            expected = (
                str(spec.min_args)
                if spec.min_args == spec.max_args
                else f"at least {spec.min_args}"
                if spec.max_args is None
                else f"{spec.min_args} to {spec.max_args}"
            )
            raise IntrinsicSyntaxError(f"{name} takes {expected} argument(s), got {len(args)}", start)
        _check_literal_types(spec, args)
        return Call(name, tuple(args), start)

    def argument(self) -> Any:
        c = self.peek()
        start = self.pos
        if c == "'":
            return Literal(self.string(), start)
        if c == "$":
            return PathArg(self.path(), start)
        if c == "-" or c.isdigit():
            return Literal(self.number(), start)
        if c.isalpha():
            for word, value in (("true", True), ("false", False), ("null", None)):
                if self.text.startswith(word, self.pos) and not self._ident_char(self.pos + len(word)):
                    self.pos += len(word)
                    return Literal(value, start)
            return self.call()
        if not c:
            raise IntrinsicSyntaxError("expected an argument", self.pos)
        raise IntrinsicSyntaxError(f"unexpected character {c!r}", self.pos)

    def _ident_char(self, i: int) -> bool:
        return i < len(self.text) and (self.text[i].isalnum() or self.text[i] in "._")

    def string(self) -> str:
        start = self.pos
        self.pos += 1
        out: list[str] = []
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            if c == "\\":
                if self.pos + 1 >= len(text):
                    break
                nxt = text[self.pos + 1]
                # \' \{ \} \\ are the documented escapes; keep any other backslash verbatim.
                out.append(nxt if nxt in "'{}\\" else "\\" + nxt)
                self.pos += 2
                continue
            if c == "'":
                self.pos += 1
                return "".join(out)
            out.append(c)
            self.pos += 1
        raise IntrinsicSyntaxError("unclosed string literal", start)

    def number(self) -> int | float:
        start = self.pos
        text = self.text
        end = start + 1 if text[start] == "-" else start
        while end < len(text) and (text[end].isdigit() or text[end] in ".eE+-"):
            if text[end] in "+-" and text[end - 1] not in "eE":
                break
            end += 1
        literal = text[start:end]
        self.pos = end
        try:
            return int(literal) if literal.lstrip("-").isdigit() else float(literal)
        except ValueError:
            raise IntrinsicSyntaxError(f"invalid number {literal!r}", start)

    def path(self) -> CompiledPath:
        start = self.pos
        text = self.text
        depth, quote, i = 0, None, start
        while i < len(text):
            c = text[i]
            if quote:
                if c == "\\":
                    i += 1
                elif c == quote:
                    quote = None
            elif c in "'\"" and depth:
                quote = c
            elif c in "[(":
                depth += 1
            elif c in "])":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                break
            i += 1
        source = text[start:i].rstrip()
        try:
            compiled = compile_path(source)
        except PathSyntaxError as error:
            raise IntrinsicSyntaxError(f"invalid path {source!r}: {error.message}", start + error.position)
        self.pos = start + len(source)
        return compiled


def _literal_type_ok(expected: str, value: Any) -> bool:
    if expected == ANY:
        return True
    if expected == STRING:
        return isinstance(value, str)
    if expected == BOOLEAN:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if expected == INTEGER:
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if expected == NUMBER:
        return isinstance(value, (int, float))
    return False  # arrays and objects cannot be written as literals


def _check_literal_types(spec: FunctionSpec, args: list) -> None:
    for i, arg in enumerate(args):
        if not isinstance(arg, Literal):
            continue
        expected = spec.args[min(i, len(spec.args) - 1)] if spec.args else ANY
        if not _literal_type_ok(expected, arg.value):
            raise IntrinsicSyntaxError(
                f"argument {i + 1} of {spec.name} must be of type {expected}, got {arg.value!r}", arg.position
            )
