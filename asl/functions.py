"""Evaluation of parsed intrinsic calls (`asl.intrinsics`), with AWS's value rules.

The corpus pins the details: MathAdd rounds each argument half-up as Java's Math.round does,
StringSplit splits on any of the delimiter's characters and drops empty pieces, Format prints
objects the way Java's Map.toString does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
import uuid
from collections.abc import Callable
from typing import Any

from asl.intrinsics import Call, Literal, PathArg
from asl.paths import PathNotFound


class IntrinsicError(Exception):
    """A call failed at run time; the engine reports it as `States.IntrinsicFailure`."""


def evaluate_call(call: Call, resolve: Callable[[PathArg], Any]) -> Any:
    """Evaluate `call`; `resolve(path_arg)` gives a path argument's value or raises PathNotFound."""
    args = []
    for arg in call.args:
        if type(arg) is Literal:
            args.append(arg.value)
        elif type(arg) is PathArg:
            args.append(resolve(arg))
        else:
            args.append(evaluate_call(arg, resolve))
    try:
        return _IMPLEMENTATIONS[call.name](*args)
    except IntrinsicError:
        raise
    except PathNotFound:
        raise
    except Exception as error:  # a bad argument value must never crash the engine
        raise IntrinsicError(f"{call.name}: {error}") from None


def _java_round(value: float) -> int:
    return math.floor(value + 0.5)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _integer(name: str, value: Any) -> int:
    if not _is_number(value):
        raise IntrinsicError(f"{name}: expected an integer, got {json.dumps(value)}")
    return int(value) if isinstance(value, int) else _java_round(value)


def _text(value: Any) -> str:
    """Java's String.valueOf for a JSON value, as States.Format prints its arguments."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def dumps_compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _format(template: Any, *values: Any) -> str:
    if not isinstance(template, str):
        raise IntrinsicError("States.Format: the first argument must be a string")
    pieces = template.split("{}")
    if len(pieces) - 1 != len(values):
        raise IntrinsicError(
            f"States.Format: the template has {len(pieces) - 1} placeholder(s) but {len(values)} value(s) were given"
        )
    out = [pieces[0]]
    for value, piece in zip(values, pieces[1:], strict=True):
        out.append(_text(value))
        out.append(piece)
    return "".join(out)


def _string_to_json(text: Any) -> Any:
    if not isinstance(text, str):
        raise IntrinsicError("States.StringToJson: the argument must be a string")
    if not text.strip():
        return None
    return json.loads(text)


def _array_partition(array: Any, size: Any) -> list:
    if not isinstance(array, list):
        raise IntrinsicError("States.ArrayPartition: the first argument must be an array")
    size = _integer("States.ArrayPartition", size)
    if size <= 0:
        raise IntrinsicError("States.ArrayPartition: the chunk size must be greater than 0")
    return [array[i : i + size] for i in range(0, len(array), size)]


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def _array_contains(array: Any, value: Any) -> bool:
    if not isinstance(array, list):
        raise IntrinsicError("States.ArrayContains: the first argument must be an array")
    return any(_json_equal(item, value) for item in array)


def _array_range(start: Any, end: Any, step: Any) -> list:
    start = _integer("States.ArrayRange", start)
    end = _integer("States.ArrayRange", end)
    step = _integer("States.ArrayRange", step)
    if step == 0:
        raise IntrinsicError("States.ArrayRange: the step must not be 0")
    values = list(range(start, end + (1 if step > 0 else -1), step))
    if len(values) > 1000:
        raise IntrinsicError("States.ArrayRange: the range has more than 1000 items")
    return values


def _array_get_item(array: Any, index: Any) -> Any:
    if not isinstance(array, list):
        raise IntrinsicError("States.ArrayGetItem: the first argument must be an array")
    index = _integer("States.ArrayGetItem", index)
    if not 0 <= index < len(array):
        raise IntrinsicError(f"States.ArrayGetItem: index {index} is out of bounds")
    return array[index]


def _array_length(array: Any) -> int:
    if not isinstance(array, list):
        raise IntrinsicError("States.ArrayLength: the argument must be an array")
    return len(array)


def _array_unique(array: Any) -> list:
    if not isinstance(array, list):
        raise IntrinsicError("States.ArrayUnique: the argument must be an array")
    seen: set[str] = set()
    out = []
    for item in array:
        key = json.dumps(item, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _base64_encode(text: Any) -> str:
    if not isinstance(text, str):
        raise IntrinsicError("States.Base64Encode: the argument must be a string")
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _base64_decode(text: Any) -> str:
    if not isinstance(text, str):
        raise IntrinsicError("States.Base64Decode: the argument must be a string")
    return base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")


_HASHES = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def _hash(data: Any, algorithm: Any) -> str:
    name = _HASHES.get(algorithm)
    if name is None:
        raise IntrinsicError(f"States.Hash: unsupported algorithm {algorithm!r}; use one of {', '.join(_HASHES)}")
    text = data if isinstance(data, str) else _text(data)
    return hashlib.new(name, text.encode("utf-8")).hexdigest()


def _json_merge(left: Any, right: Any, deep: Any) -> dict:
    if not isinstance(left, dict) or not isinstance(right, dict):
        raise IntrinsicError("States.JsonMerge: both values must be objects")
    if deep is not False:
        raise IntrinsicError("States.JsonMerge: only a shallow merge (false) is supported")
    return {**left, **right}


def _math_random(start: Any, end: Any, seed: Any = None) -> int:
    start = _integer("States.MathRandom", start)
    end = _integer("States.MathRandom", end)
    if start > end:
        raise IntrinsicError("States.MathRandom: the start must not exceed the end")
    rng = random.Random(_integer("States.MathRandom", seed)) if seed is not None else random
    return rng.randint(start, end)


def _math_add(a: Any, b: Any) -> int:
    if not _is_number(a) or not _is_number(b):
        raise IntrinsicError("States.MathAdd: both arguments must be numbers")
    return _integer("States.MathAdd", a) + _integer("States.MathAdd", b)


def _string_split(text: Any, delimiters: Any) -> list:
    if not isinstance(text, str) or not isinstance(delimiters, str):
        raise IntrinsicError("States.StringSplit: both arguments must be strings")
    if not delimiters:
        return [text] if text else []
    pieces, current = [], []
    for c in text:
        if c in delimiters:
            pieces.append("".join(current))
            current = []
        else:
            current.append(c)
    pieces.append("".join(current))
    return [p for p in pieces if p]


_IMPLEMENTATIONS: dict[str, Callable[..., Any]] = {
    "States.Format": _format,
    "States.StringToJson": _string_to_json,
    "States.JsonToString": dumps_compact,
    "States.Array": lambda *values: list(values),
    "States.ArrayPartition": _array_partition,
    "States.ArrayContains": _array_contains,
    "States.ArrayRange": _array_range,
    "States.ArrayGetItem": _array_get_item,
    "States.ArrayLength": _array_length,
    "States.ArrayUnique": _array_unique,
    "States.Base64Encode": _base64_encode,
    "States.Base64Decode": _base64_decode,
    "States.Hash": _hash,
    "States.JsonMerge": _json_merge,
    "States.MathRandom": _math_random,
    "States.MathAdd": _math_add,
    "States.StringSplit": _string_split,
    "States.UUID": lambda: str(uuid.uuid4()),
}
