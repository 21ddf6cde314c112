"""The validator compiles each JSONPath payload template while checking it and `asl.parse` hands
the result to `compile_machine`: it must be exactly what `asl.dataflow.compile_template` gives."""

from __future__ import annotations

import json
from typing import Any

from asl.dataflow import compile_template
from asl.model import compile_machine
from asl.validation import load_definition, validate
from tests.validation.corpus import BIG_DEFINITION, CONFORMANCE, VALIDATION, cases, definition, require


def _containers(value: Any):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _containers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _containers(item)


def _check(source: Any) -> int:
    value, problems = load_definition(source)
    if value is None or any(d.severity == "ERROR" for d in problems):
        return 0
    templates: dict[int, tuple] = {}
    diagnostics = validate(value, templates=templates)
    by_id = {id(c): c for c in _containers(value) if isinstance(c, (dict, list))}
    assert set(templates) <= set(by_id)
    for key, node in templates.items():
        assert node == compile_template(by_id[key])
    if templates and not any(d.severity == "ERROR" for d in diagnostics):
        shared, plain = compile_machine(value, templates), compile_machine(value)
        for ref, machine in plain.submachines.items():
            for name, state in machine.states.items():
                other = shared.submachines[ref].states[name]
                # repr: compiled JSONata expressions have no __eq__
                for field in ("parameters", "result_selector", "assign", "item_selector"):
                    assert repr(getattr(other, field)) == repr(getattr(state, field)), (ref, name, field)
                assert repr([c.assign for c in other.catch]) == repr([c.assign for c in state.catch])
                assert repr([c.assign for c in other.choices]) == repr([c.assign for c in state.choices])
    return len(templates)


def test_templates_of_the_conformance_corpus():
    assert sum(_check(case["definition"]) for case in cases(CONFORMANCE)) > 0


def test_templates_of_the_validation_corpus():
    assert sum(_check(definition(case)) for case in cases(VALIDATION)) > 0


def test_templates_of_the_big_definition():
    require(BIG_DEFINITION.parent)
    assert _check(BIG_DEFINITION.read_text()) == 1998


def test_nested_templates_and_intrinsics():
    parameters = {
        "a": 1,
        "b.$": "$.x",
        "c": [1, {"d.$": "States.Format('{}', $.y)"}, [2, 3]],
        "e": {"f": "g", "h": ["$.literal"]},
        "i": [{"j.$": "$$.Execution.Id"}],
        "k.$": "  States.StringToJson($.s)",
        "v.$": "$var.z",
    }
    text = json.dumps(
        {
            "StartAt": "P",
            "States": {
                "P": {"Type": "Pass", "Parameters": parameters, "Assign": {"var": 1}, "Next": "Q"},
                "Q": {"Type": "Pass", "Parameters": {"lit": [1, 2, {"x": None}]}, "End": True},
            },
        }
    )
    assert _check(text) == 3
