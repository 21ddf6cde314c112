"""JSONPath as Step Functions uses it: `$` (state input), `$$` (context object) and `$name` (a variable).

`compile_path(text)` parses once; the compiled path's `find(data)` evaluates it many times. Definite
paths (only names and indexes) take a tight loop; indefinite ones (wildcards, slices, filters,
unions, `..`) return a list of every match, as Jayway JsonPath (which AWS uses) does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CompiledPath",
    "PathNotFound",
    "PathSyntaxError",
    "compile_path",
    "compile_reference_path",
    "is_reference_path",
]


class PositionedSyntaxError(ValueError):
    """Text that cannot be parsed; `position` is the 0-based offset of the problem in it."""

    def __init__(self, message: str, position: int = 0):
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position


class PathSyntaxError(PositionedSyntaxError):
    """A path that cannot be parsed."""


class PathNotFound(LookupError):
    """A definite path that selects nothing in the given data."""

    def __init__(self, path: CompiledPath):
        super().__init__(path.text)
        self.path = path


# Step kinds, kept as small tuples so evaluation does no attribute lookups.
KEY, INDEX, WILD, SLICE, UNION, FILTER, DESCEND = "key", "index", "wild", "slice", "union", "filter", "descend"
_DEFINITE = (KEY, INDEX)
_NAME_RE = re.compile(r"[^.\[\]\s()'\"@,=<>!&|]+")
_VAR_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class CompiledPath:
    """A parsed path. `root` is `$`, `$$` or the variable name; `steps` are (kind, arg) tuples."""

    text: str
    root: str
    steps: tuple
    definite: bool
    keys: tuple | None  # for definite paths: the keys/indexes to follow, in order

    @property
    def is_context(self) -> bool:
        return self.root == "$$"

    @property
    def variable(self) -> str | None:
        return None if self.root in ("$", "$$") else self.root

    @property
    def is_reference(self) -> bool:
        """A reference path selects one node by names and indexes only (ResultPath, `…Path` fields)."""
        return self.definite

    def normalized(self) -> str:
        """Jayway's normalized form (`$['a'][0]`), used in AWS's error causes."""
        parts = ["$"]
        for kind, arg in self.steps:
            if kind == KEY:
                parts.append(f"['{arg}']")
            elif kind == INDEX:
                parts.append(f"[{arg}]")
            elif kind == WILD:
                parts.append("[*]")
            else:
                parts.append("[...]")
        return "".join(parts)

    def find(self, data: Any) -> Any:
        """The value at this path in `data` (the root already resolved); raises PathNotFound."""
        keys = self.keys
        if keys is not None:
            node = data
            for key in keys:
                # `type(...) is` is the hot path of every data-flow field: cheaper than isinstance.
                tn = type(node)
                if tn is dict:
                    if type(key) is not str:
                        raise PathNotFound(self)
                    try:
                        node = node[key]
                    except KeyError:
                        raise PathNotFound(self) from None
                elif tn is list:
                    if type(key) is not int or not -len(node) <= key < len(node):
                        raise PathNotFound(self)
                    node = node[key]
                else:
                    raise PathNotFound(self)
            return node
        return _select(data, self.steps, 0)

    def exists(self, data: Any) -> bool:
        try:
            value = self.find(data)
        except PathNotFound:
            return False
        return self.definite or value != []


def _select(data: Any, steps: tuple, start: int) -> list:
    nodes = [data]
    for kind, arg in steps[start:]:
        out: list = []
        for node in nodes:
            if kind == KEY:
                if isinstance(node, dict) and arg in node:
                    out.append(node[arg])
            elif kind == INDEX:
                if isinstance(node, list) and -len(node) <= arg < len(node):
                    out.append(node[arg])
            elif kind == WILD:
                if isinstance(node, dict):
                    out.extend(node.values())
                elif isinstance(node, list):
                    out.extend(node)
            elif kind == SLICE:
                if isinstance(node, list):
                    out.extend(node[slice(*arg)])
            elif kind == UNION:
                for item in arg:
                    if (
                        isinstance(item, int)
                        and isinstance(node, list)
                        and -len(node) <= item < len(node)
                        or isinstance(item, str)
                        and isinstance(node, dict)
                        and item in node
                    ):
                        out.append(node[item])
            elif kind == FILTER:
                members = node if isinstance(node, list) else list(node.values()) if isinstance(node, dict) else []
                out.extend(m for m in members if arg.matches(m))
            elif kind == DESCEND:
                _descend(node, arg, out)
        nodes = out
    return nodes


def _descend(node: Any, name: str | None, out: list) -> None:
    if isinstance(node, dict):
        if name is None:
            out.extend(node.values())
        elif name in node:
            out.append(node[name])
        for value in node.values():
            _descend(value, name, out)
    elif isinstance(node, list):
        if name is None:
            out.extend(node)
        for value in node:
            _descend(value, name, out)


# ---------------------------------------------------------------------------------------- parser

_cache: dict[str, CompiledPath] = {}


def compile_path(text: str) -> CompiledPath:
    """Parse a JSONPath (`$…`, `$$…` or `$variable…`); raises PathSyntaxError."""
    cached = _cache.get(text)
    if cached is not None:
        return cached
    compiled = _Parser(text).parse()
    if len(_cache) < 10_000:
        _cache[text] = compiled
    return compiled


def compile_reference_path(text: str) -> CompiledPath:
    """Parse a reference path (names and indexes only); raises PathSyntaxError otherwise."""
    compiled = compile_path(text)
    if not compiled.definite:
        raise PathSyntaxError("a reference path may contain only names and indexes", 0)
    return compiled


def is_reference_path(text: str) -> bool:
    try:
        compile_reference_path(text)
    except PathSyntaxError:
        return False
    return True


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def fail(self, message: str, position: int | None = None) -> PathSyntaxError:
        return PathSyntaxError(message, self.pos if position is None else position)

    def parse(self) -> CompiledPath:
        text = self.text
        if not isinstance(text, str):
            raise PathSyntaxError("a path must be a string", 0)
        if not text.startswith("$"):
            raise self.fail("a path must start with '$'")
        if text.startswith("$$"):
            root, self.pos = "$$", 2
        else:
            match = _VAR_RE.match(text, 1)
            if match:
                root, self.pos = match.group(), match.end()
            else:
                root, self.pos = "$", 1
        steps = []
        while self.pos < len(text):
            steps.append(self.step())
        steps_t = tuple(steps)
        definite = all(kind in _DEFINITE for kind, _ in steps_t)
        keys = tuple(arg for _, arg in steps_t) if definite else None
        return CompiledPath(text, root, steps_t, definite, keys)

    def step(self) -> tuple:
        text, c = self.text, self.text[self.pos]
        if c == ".":
            if text.startswith("..", self.pos):
                self.pos += 2
                if self.pos < len(text) and text[self.pos] == "*":
                    self.pos += 1
                    return (DESCEND, None)
                if self.pos < len(text) and text[self.pos] == "[":
                    inner = self.bracket()
                    if inner[0] != KEY:
                        raise self.fail("only a name may follow '..['")
                    return (DESCEND, inner[1])
                return (DESCEND, self.name())
            self.pos += 1
            if self.pos < len(text) and text[self.pos] == "*":
                self.pos += 1
                return (WILD, None)
            return (KEY, self.name())
        if c == "[":
            return self.bracket()
        raise self.fail(f"unexpected character {c!r}")

    def name(self) -> str:
        match = _NAME_RE.match(self.text, self.pos)
        if not match:
            raise self.fail("expected a name")
        self.pos = match.end()
        return match.group()

    def bracket(self) -> tuple:
        start = self.pos
        self.pos += 1
        self.skip_spaces()
        text = self.text
        if self.pos >= len(text):
            raise self.fail("unclosed '['", start)
        c = text[self.pos]
        if c == "*":
            self.pos += 1
            step = (WILD, None)
        elif c == "?":
            step = (FILTER, self.filter())
        elif c in "'\"":
            names = [self.quoted()]
            self.skip_spaces()
            while self.peek() == ",":
                self.pos += 1
                self.skip_spaces()
                names.append(self.quoted())
                self.skip_spaces()
            step = (KEY, names[0]) if len(names) == 1 else (UNION, tuple(names))
        else:
            step = self.index_or_slice()
        self.skip_spaces()
        if self.peek() != "]":
            raise self.fail("expected ']'")
        self.pos += 1
        return step

    def index_or_slice(self) -> tuple:
        numbers: list[int | None] = [self.integer(optional=True)]
        self.skip_spaces()
        if self.peek() == ":":
            while self.peek() == ":" and len(numbers) < 3:
                self.pos += 1
                self.skip_spaces()
                numbers.append(self.integer(optional=True))
                self.skip_spaces()
            return (SLICE, tuple(numbers))
        if numbers[0] is None:
            raise self.fail("expected an index, a quoted name, '*' or a filter")
        indexes = [numbers[0]]
        while self.peek() == ",":
            self.pos += 1
            self.skip_spaces()
            indexes.append(self.integer())
            self.skip_spaces()
        return (INDEX, indexes[0]) if len(indexes) == 1 else (UNION, tuple(indexes))

    def integer(self, optional: bool = False) -> int | None:
        match = re.compile(r"-?\d+").match(self.text, self.pos)
        if not match:
            if optional:
                return None
            raise self.fail("expected an integer")
        self.pos = match.end()
        return int(match.group())

    def quoted(self) -> str:
        quote = self.peek()
        if quote not in ("'", '"'):
            raise self.fail("expected a quoted name")
        start = self.pos
        self.pos += 1
        out = []
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            if c == "\\" and self.pos + 1 < len(text):
                # Jayway unescapes only the quote itself; any other backslash stays in the name.
                nxt = text[self.pos + 1]
                out.append(nxt if nxt == quote else c + nxt)
                self.pos += 2
                continue
            if c == quote:
                self.pos += 1
                return "".join(out)
            out.append(c)
            self.pos += 1
        raise self.fail("unclosed quoted name", start)

    def filter(self) -> _Filter:
        # `?(` expression `)`: find the matching parenthesis, respecting quotes.
        start = self.pos
        self.pos += 1
        if self.peek() != "(":
            raise self.fail("expected '(' after '?'")
        depth, i, text, quote = 0, self.pos, self.text, None
        while i < len(text):
            c = text[i]
            if quote:
                if c == "\\":
                    i += 1
                elif c == quote:
                    quote = None
            elif c in "'\"":
                quote = c
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        else:
            raise self.fail("unclosed filter expression", start)
        source = text[self.pos + 1 : i]
        expr = _FilterParser(source, self.pos + 1).parse()
        self.pos = i + 1
        return expr

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1


# ---------------------------------------------------------------------------------------- filters

_MISSING = object()
_FILTER_TOKEN = re.compile(
    r"\s*(?:(?P<op>==|!=|<=|>=|<|>|&&|\|\||!|\(|\))"
    r"|(?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<str>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
    r"|(?P<word>true|false|null)"
    r"|(?P<path>[@$](?:\.[^.\s\[\]()=<>!&|]+|\[[^\]]*\])*))"
)


@dataclass(frozen=True, slots=True)
class _Filter:
    """A filter `[?(…)]` compiled to a tree of ('op', left, right) / ('path', CompiledPath) / ('lit', v)."""

    tree: tuple

    def matches(self, item: Any) -> bool:
        return bool(_truthy(_eval_filter(self.tree, item)))


def _truthy(value: Any) -> bool:
    return value is not _MISSING and value is not False and value is not None


def _eval_filter(node: tuple, item: Any) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "path":
        try:
            return node[1].find(item)
        except PathNotFound:
            return _MISSING
    if kind == "not":
        return not _truthy(_eval_filter(node[1], item))
    op, left = node[1], _eval_filter(node[2], item)
    if op == "&&":
        return _truthy(left) and _truthy(_eval_filter(node[3], item))
    if op == "||":
        return _truthy(left) or _truthy(_eval_filter(node[3], item))
    right = _eval_filter(node[3], item)
    if left is _MISSING or right is _MISSING:
        return False
    if op == "==":
        return left == right and type(left) is type(right) or _both_numbers(left, right) and left == right
    if op == "!=":
        return not (left == right and (type(left) is type(right) or _both_numbers(left, right)))
    if not (_both_numbers(left, right) or (isinstance(left, str) and isinstance(right, str))):
        return False
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def _both_numbers(a: Any, b: Any) -> bool:
    return (
        isinstance(a, (int, float))
        and isinstance(b, (int, float))
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    )


class _FilterParser:
    def __init__(self, source: str, offset: int):
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(source):
            if source[pos:].strip() == "":
                break
            match = _FILTER_TOKEN.match(source, pos)
            if not match or match.end() == pos:
                raise PathSyntaxError("invalid filter expression", offset + pos)
            kind = match.lastgroup
            self.tokens.append((kind, match.group(kind), offset + match.start(kind)))
            pos = match.end()
        self.i = 0
        self.offset = offset + len(source)

    def parse(self) -> _Filter:
        tree = self.disjunction()
        if self.i != len(self.tokens):
            raise PathSyntaxError("unexpected token in filter", self.tokens[self.i][2])
        return _Filter(tree)

    def next_is(self, *ops: str) -> str | None:
        if self.i < len(self.tokens) and self.tokens[self.i][0] == "op" and self.tokens[self.i][1] in ops:
            self.i += 1
            return self.tokens[self.i - 1][1]
        return None

    def disjunction(self) -> tuple:
        left = self.conjunction()
        while self.next_is("||"):
            left = ("bin", "||", left, self.conjunction())
        return left

    def conjunction(self) -> tuple:
        left = self.comparison()
        while self.next_is("&&"):
            left = ("bin", "&&", left, self.comparison())
        return left

    def comparison(self) -> tuple:
        left = self.unary()
        op = self.next_is("==", "!=", "<=", ">=", "<", ">")
        if op:
            return ("bin", op, left, self.unary())
        return left

    def unary(self) -> tuple:
        if self.next_is("!"):
            return ("not", self.unary())
        if self.next_is("("):
            inner = self.disjunction()
            if not self.next_is(")"):
                raise PathSyntaxError("expected ')' in filter", self.offset)
            return inner
        if self.i >= len(self.tokens):
            raise PathSyntaxError("unexpected end of filter", self.offset)
        kind, value, pos = self.tokens[self.i]
        self.i += 1
        if kind == "num":
            return ("lit", float(value) if any(c in value for c in ".eE") else int(value))
        if kind == "str":
            return ("lit", re.sub(r"\\(.)", r"\1", value[1:-1]))
        if kind == "word":
            return ("lit", {"true": True, "false": False, "null": None}[value])
        if kind == "path":
            return ("path", compile_path("$" + value[1:]))
        raise PathSyntaxError(f"unexpected {value!r} in filter", pos)
