"""Canonical ASL text: the same definition always gives the same bytes, fields in the order people
read them (Type first, transitions last), so exports diff cleanly between versions."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

TOP_ORDER = ("Comment", "QueryLanguage", "StartAt", "TimeoutSeconds", "Version", "States")
STATE_ORDER = (
    "Type",
    "Comment",
    "QueryLanguage",
    "Resource",
    "Credentials",
    "InputPath",
    "Items",
    "ItemsPath",
    "ItemReader",
    "ItemSelector",
    "ItemBatcher",
    "Parameters",
    "Arguments",
    "Result",
    "Choices",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "ResultSelector",
    "ResultWriter",
    "ResultPath",
    "OutputPath",
    "Output",
    "Assign",
    "Error",
    "ErrorPath",
    "Cause",
    "CausePath",
    "Retry",
    "Catch",
    "Default",
    "Next",
    "End",
)
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_:.-]+)\}")


def _ordered(value: dict, order: tuple[str, ...]) -> dict:
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(value.items(), key=lambda item: (rank.get(item[0], len(order)), item[0])))


def canonical(definition: dict) -> dict:
    """The definition with the top level, every state and every nested machine in canonical field order.
    Payloads (Parameters, Arguments, Result, ...) keep their own order: it is the user's data."""
    return _machine(definition, top=True)


def _machine(machine: Any, top: bool = False) -> Any:
    if not isinstance(machine, dict):
        return machine
    result = (
        _ordered(machine, TOP_ORDER) if top else _ordered(machine, ("Comment", "ProcessorConfig", "StartAt", "States"))
    )
    states = result.get("States")
    if isinstance(states, dict):
        result["States"] = {name: _state(state) for name, state in states.items()}
    return result


def _state(state: Any) -> Any:
    if not isinstance(state, dict):
        return state
    result = _ordered(state, STATE_ORDER)
    if isinstance(result.get("Branches"), list):
        result["Branches"] = [_machine(branch) for branch in result["Branches"]]
    for key in ("ItemProcessor", "Iterator"):
        if isinstance(result.get(key), dict):
            result[key] = _machine(result[key])
    return result


def to_json(definition: dict) -> str:
    """Pretty, canonical JSON with a final newline."""
    return json.dumps(canonical(definition), indent=2, ensure_ascii=False) + "\n"


class _Dumper(yaml.SafeDumper):
    """Block style, key order kept, and multi-line strings as literal blocks."""


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def to_yaml(definition: dict) -> str:
    return yaml.dump(canonical(definition), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def placeholders(definition: Any) -> list[str]:
    """Names of the `${Name}` substitutions used anywhere in the definition, in order of appearance.
    CloudFormation pseudo parameters (`${AWS::Region}`) are left out: they need no substitution."""
    found: dict[str, None] = {}
    stack = [definition]
    while stack:
        value = stack.pop(0)
        if isinstance(value, dict):
            stack[:0] = list(value.values())
        elif isinstance(value, list):
            stack[:0] = list(value)
        elif isinstance(value, str) and "${" in value:
            for name in PLACEHOLDER.findall(value):
                if "::" not in name:
                    found.setdefault(name, None)
    return list(found)
