"""A fast yes/no check against the ASL schema, compiled into closures.

`jsonschema` gives precise errors but takes ~350 ms on a 2,000-state definition, mostly in the
`if Type == ...` dispatch. Valid definitions are the common case, so they are first checked by this
compiled predicate (about 30x faster: the Type dispatch becomes a dict lookup) and only a definition
it rejects goes through `jsonschema` for the diagnostics. It understands exactly the keywords the
schema uses and refuses any other at compile time, and a test checks it agrees with `jsonschema`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "$defs", "title", "description"}
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


class _Compiler:
    def __init__(self, root: dict):
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, target: str) -> Check:
        if target not in self.refs:
            slot: list[Check] = []
            self.refs[target] = lambda v: slot[0](v)  # placeholder while compiling a recursive reference
            node: Any = self.root
            for token in target.lstrip("#/").split("/"):
                node = node[token]
            slot.append(self.compile(node))
            self.refs[target] = slot[0]
        return self.refs[target]

    def compile(self, schema: dict) -> Check:
        checks: list[Check] = []
        keys = set(schema) - _IGNORED
        if "$ref" in keys:
            checks.append(self.ref(schema["$ref"]))
        if "type" in keys:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            tests = [_TYPES[n] for n in names]
            checks.append(tests[0] if len(tests) == 1 else _any(tests))
        if "enum" in keys:
            options = schema["enum"]
            if all(type(o) is str for o in options):
                # the usual case (Type, QueryLanguage, Mode...): one set lookup instead of _same per option
                names = frozenset(options)
                checks.append(lambda v, names=names: isinstance(v, str) and v in names)
            else:
                checks.append(lambda v, options=options: any(_same(v, o) for o in options))
        if "const" in keys:
            constant = schema["const"]
            if type(constant) is str:
                checks.append(lambda v, constant=constant: isinstance(v, str) and v == constant)
            else:
                checks.append(lambda v, constant=constant: _same(v, constant))
        if "minimum" in keys:
            low = schema["minimum"]
            checks.append(lambda v, low=low: not _is_number(v) or v >= low)
        if "maximum" in keys:
            high = schema["maximum"]
            checks.append(lambda v, high=high: not _is_number(v) or v <= high)
        if "pattern" in keys:
            search = re.compile(schema["pattern"]).search
            checks.append(lambda v, search=search: not isinstance(v, str) or search(v) is not None)
        if "minItems" in keys:
            count = schema["minItems"]
            checks.append(lambda v, count=count: not isinstance(v, list) or len(v) >= count)
        if "items" in keys:
            item = self.compile(schema["items"])
            checks.append(lambda v, item=item: not isinstance(v, list) or all(item(x) for x in v))
        if "required" in keys:
            needed = schema["required"]
            if len(needed) == 1:
                (only,) = needed
                checks.append(lambda v, only=only: not isinstance(v, dict) or only in v)
            else:
                checks.append(lambda v, needed=needed: not isinstance(v, dict) or all(k in v for k in needed))
        if "properties" in keys or "additionalProperties" in keys:
            checks.append(self.object(schema))
        if "anyOf" in keys:
            options = [self.compile(s) for s in schema["anyOf"]]
            checks.append(lambda v, options=options: any(o(v) for o in options))
        if "allOf" in keys:
            checks.append(self.all_of(schema["allOf"]))
        if "if" in keys:
            test = self.compile(schema["if"])
            then = self.compile(schema.get("then", {}))
            other = self.compile(schema.get("else", {}))
            checks.append(lambda v: then(v) if test(v) else other(v))
        unknown = keys - {
            "$ref",
            "type",
            "enum",
            "const",
            "minimum",
            "maximum",
            "pattern",
            "minItems",
            "items",
            "required",
            "properties",
            "additionalProperties",
            "anyOf",
            "allOf",
            "if",
            "then",
            "else",
        }
        if unknown:
            raise ValueError(f"fastcheck does not understand {sorted(unknown)}")
        return _all(checks)

    def object(self, schema: dict) -> Check:
        properties = {k: self.compile(s) for k, s in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        extra_check = None if extra is True else (lambda v: False) if extra is False else self.compile(extra)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                test = properties.get(key)
                if test is not None:
                    if not test(item):
                        return False
                elif extra_check is not None and not extra_check(item):
                    return False
            return True

        return check

    def all_of(self, parts: list[dict]) -> Check:
        table = self.discriminated(parts)
        if table is None:
            compiled = [self.compile(p) for p in parts]
            return lambda v: all(c(v) for c in compiled)
        field, branches = table

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            tag = value.get(field)
            branch = branches.get(tag) if isinstance(tag, str) else None
            return branch(value) if branch is not None else True

        return check

    def discriminated(self, parts: list[dict]) -> tuple[str, dict[str, Check]] | None:
        """allOf: [{if: {properties: {F: {const: "x"}}, required: [F]}, then: S}, ...] -> (F, {x: S})."""
        field = None
        branches: dict[str, Check] = {}
        for part in parts:
            condition = part.get("if", {})
            props = condition.get("properties", {})
            if set(part) != {"if", "then"} or set(condition) != {"properties", "required"} or len(props) != 1:
                return None
            ((name, test),) = props.items()
            if condition["required"] != [name] or set(test) != {"const"} or not isinstance(test["const"], str):
                return None
            if field not in (None, name):
                return None
            field = name
            branches[test["const"]] = self.compile(part["then"])
        return (field, branches) if field else None


def _all(checks: list[Check]) -> Check:
    # Unrolled for the common small cases: a generator per value is the main cost on big definitions.
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    if len(checks) == 3:
        first, second, third = checks
        return lambda v: first(v) and second(v) and third(v)

    def every(v: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a generator per value is the cost this avoids
            if not check(v):
                return False
        return True

    return every


def _any(checks: list[Check]) -> Check:
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) or second(v)
    return lambda v: any(c(v) for c in checks)


def compile_schema(schema: dict) -> Check:
    return _Compiler(schema).compile(schema)
