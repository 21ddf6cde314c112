"""Compact JSON for history events, reusing the text of containers that did not change.

States never mutate a value in place (ResultPath copies only along its path), so a large
document carried from state to state is the same Python object each time: its text is computed
once and spliced into every later event. The output equals
`json.dumps(value, separators=(",", ":"), ensure_ascii=False)`.
"""

from __future__ import annotations

import json
from typing import Any

_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_SPLICE_DEPTH = 2  # below this depth, json's C encoder does the whole container at once
_MAX_ENTRIES = 4096


class Serializer:
    __slots__ = ("_cache",)

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Any, str]] = {}

    def dumps(self, value: Any) -> str:
        t = type(value)
        if t is dict:
            entry = self._cache.get(id(value))
            if entry is not None and entry[0] is value:
                return entry[1]
            # A small flat object (the common case in loops) is one call into the C encoder.
            if len(value) <= 8 and not any(type(v) is dict or type(v) is list for v in value.values()):
                text = _encode(value)
                self._remember(value, text)
                return text
            return self._container(value, 0)
        if t is list:
            return self._container(value, 0)
        return _encode(value)

    def _remember(self, value: Any, text: str) -> None:
        cache = self._cache
        if len(cache) >= _MAX_ENTRIES:
            cache.clear()
        cache[id(value)] = (value, text)  # holding the value keeps its id from being reused

    def _container(self, value: Any, depth: int) -> str:
        cache = self._cache
        entry = cache.get(id(value))
        if entry is not None and entry[0] is value:
            return entry[1]
        if depth >= _SPLICE_DEPTH or not value:
            text = _encode(value)
        elif type(value) is dict:
            parts = []
            for key, item in value.items():
                t = type(item)
                inner = self._container(item, depth + 1) if t is dict or t is list else _encode(item)
                parts.append(_encode(key if type(key) is str else str(key)) + ":" + inner)
            text = "{" + ",".join(parts) + "}"
        else:
            text = (
                "["
                + ",".join(
                    self._container(item, depth + 1) if type(item) is dict or type(item) is list else _encode(item)
                    for item in value
                )
                + "]"
            )
        self._remember(value, text)
        return text
