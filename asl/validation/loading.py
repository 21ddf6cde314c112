"""Turn a dict, JSON text or YAML text into a value, and map JSON pointers back to line/column.

JSON is parsed with the C decoder; positions are found only when a diagnostic needs them, by
indexing one container at a time (`JsonLocator`), so a clean 400 KB definition costs one
`json.loads`. YAML keeps the marks of every node while it is built.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import Any

import yaml

from asl.diagnostics import ERROR, Diagnostic
from asl.validation import codes
from asl.validation.pointers import join, split

Locator = Callable[[str], "tuple[int, int] | None"]


@dataclass
class Loaded:
    value: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    locate: Locator | None = None  # pointer -> (line, column), 1-based; None for dict input
    ok: bool = True


def load(definition: Any) -> Loaded:
    """Never raises: a definition that cannot be read comes back with ok=False and a diagnostic."""
    if isinstance(definition, (bytes, bytearray)):
        definition = bytes(definition).decode("utf-8", errors="replace")
    if definition is None or (isinstance(definition, str) and not definition.strip()):
        return _failed(codes.MISSING_DESCRIPTION, "The definition is empty: give a JSON or YAML state machine.")
    if not isinstance(definition, str):
        return Loaded(definition)
    text = definition.lstrip("\ufeff")
    if text.lstrip()[:1] in ("{", "["):
        return _load_json(text)
    return _load_yaml(text)


def _failed(code: str, message: str, line: int | None = None, column: int | None = None) -> Loaded:
    return Loaded(None, [Diagnostic(ERROR, code, message, "", None, line, column)], None, ok=False)


# ------------------------------------------------------------------------------------------ JSON


_duplicates = threading.local()  # .found: id of an object with a repeated key -> those keys, per thread


def _object(pairs: list[tuple[str, Any]]) -> dict:
    """object_pairs_hook that remembers which objects had a repeated key (the last value wins, as in json)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        repeated = [k for k, _ in pairs if k in seen or seen.add(k)]
        _duplicates.found[id(result)] = repeated
    return result


def _not_json(name: str) -> Any:
    # Python's json reads NaN and Infinity; JSON (and AWS) do not.
    raise ValueError(f"{name} is not a JSON value")


# Built once: json.loads(text, object_pairs_hook=...) would build a decoder (and its scanner) per call.
_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_not_json)
_PLAIN_DECODER = json.JSONDecoder()


def _load_json(text: str) -> Loaded:
    _duplicates.found = found = {}
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        return _failed(
            codes.INVALID_JSON_DESCRIPTION, f"The definition is not valid JSON: {error.msg}.", error.lineno, error.colno
        )
    except (RecursionError, ValueError) as error:
        return _failed(codes.INVALID_JSON_DESCRIPTION, f"The definition cannot be read as JSON: {error}.")
    finally:
        _duplicates.found = None
    locator = JsonLocator(text)
    loaded = Loaded(value, locate=locator.locate)
    if found:
        for pointer, keys in _find_objects(value, found):
            for key in dict.fromkeys(keys):
                loaded.diagnostics.append(_duplicate(join(pointer, key), key))
    return loaded


def _duplicate(pointer: str, key: str) -> Diagnostic:
    return Diagnostic(
        ERROR, codes.DUPLICATE_KEY, f"The key {key!r} appears more than once in this object; keep one.", pointer
    )


def _find_objects(value: Any, wanted: dict[int, list[str]]) -> list[tuple[str, list[str]]]:
    found = []
    stack = [("", value)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                found.append((pointer, wanted[id(node)]))
            stack.extend((join(pointer, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((join(pointer, i), v) for i, v in enumerate(node))
    return found


_WS = re.compile(r"[ \t\n\r]*")


class JsonLocator:
    """Finds where a JSON pointer's key (or value) starts in the text, indexing containers lazily."""

    def __init__(self, text: str):
        self.text = text
        self.decoder = _PLAIN_DECODER
        self._index: dict[tuple, dict[str, tuple[int, int]] | None] = {}
        self._lines: list[int] | None = None

    def locate(self, pointer: str) -> tuple[int, int] | None:
        try:
            offset = self._offset(split(pointer))
        except (ValueError, IndexError, RecursionError):
            return None
        return None if offset is None else self._line_column(offset)

    def _offset(self, tokens: list[str]) -> int | None:
        position = _WS.match(self.text, 0).end()
        best = position
        for depth in range(len(tokens)):
            children = self._children(tuple(tokens[:depth]), position)
            entry = children.get(tokens[depth]) if children else None
            if entry is None:
                return best  # the nearest existing ancestor: where a missing field belongs
            key_position, position = entry
            best = key_position
        return best

    def _children(self, path: tuple, position: int) -> dict[str, tuple[int, int]] | None:
        if path not in self._index:
            self._index[path] = self._scan(position)
        return self._index[path]

    def _scan(self, position: int) -> dict[str, tuple[int, int]] | None:
        text, skip = self.text, _WS.match
        opener = text[position : position + 1]
        if opener not in ("{", "["):
            return None
        children: dict[str, tuple[int, int]] = {}
        position = skip(text, position + 1).end()
        index = 0
        while position < len(text) and text[position] not in "}]":
            key_position = position
            if opener == "{":
                key, position = scanstring(text, position + 1)
                position = skip(text, position).end() + 1  # past ':'
                position = skip(text, position).end()
            else:
                key = str(index)
                index += 1
            value_position = position
            _, position = self.decoder.raw_decode(text, position)
            children[key] = (key_position, value_position)
            position = skip(text, position).end()
            if text[position : position + 1] == ",":
                position = skip(text, position + 1).end()
        return children

    def _line_column(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._lines, offset)
        start = self._lines[line - 1] if line else 0
        return line + 1, offset - start + 1


# ------------------------------------------------------------------------------------------ YAML


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML, but timestamps stay strings (ASL wants RFC 3339 text) and CloudFormation tags
    (`!Ref`, `!Sub`, `!GetAtt` ...) become their long form, so templates' definitions load."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"Ref": value} if suffix == "Ref" else {f"Fn::{suffix}": value}


_YamlLoader.add_multi_constructor("!", _cfn_tag)


def _load_yaml(text: str) -> Loaded:
    try:
        loader = _YamlLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return _failed(codes.MISSING_DESCRIPTION, "The definition is empty: give a JSON or YAML state machine.")
            value = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "unreadable YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        return _failed(
            codes.INVALID_JSON_DESCRIPTION, f"The definition is not valid JSON or YAML: {reason}.", line, column
        )
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        return _failed(codes.INVALID_JSON_DESCRIPTION, f"The definition is not valid JSON or YAML: {error}.")
    marks: dict[str, tuple[int, int]] = {}
    loaded = Loaded(value)
    _walk_yaml(node, "", marks, loaded.diagnostics, set())
    loaded.value = _json_compatible(value)

    def locate(pointer: str) -> tuple[int, int] | None:
        while True:
            if pointer in marks:
                return marks[pointer]
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]

    loaded.locate = locate
    return loaded


def _walk_yaml(node: yaml.Node, pointer: str, marks: dict, diagnostics: list, active: set) -> None:
    if id(node) in active:  # an alias that contains itself
        return
    active.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
            child = join(pointer, key)
            marks.setdefault(child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            if key in seen:  # point at the repeat, not at the first occurrence
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                diagnostics.append(dataclasses.replace(_duplicate(child, key), line=line, column=column))
            seen.add(key)
            _walk_yaml(value_node, child, marks, diagnostics, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = join(pointer, index)
            marks.setdefault(child, (item.start_mark.line + 1, item.start_mark.column + 1))
            _walk_yaml(item, child, marks, diagnostics, active)
    active.discard(id(node))
    if not pointer:
        marks.setdefault("", (node.start_mark.line + 1, node.start_mark.column + 1))


def _json_compatible(value: Any, depth: int = 0) -> Any:
    """YAML allows non-string keys, dates and sets; ASL is JSON, so make keys strings and dates text."""
    if depth > 200:
        return None
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: _json_compatible(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_compatible(v, depth + 1) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
