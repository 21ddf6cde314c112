"""A definition the validator accepts never crashes the engine, whatever the input."""

import json
from pathlib import Path

import pytest

import asl

CORPUS = Path(__file__).parents[2].parent / "shared" / "validation"


def definitions():
    if not CORPUS.is_dir():
        return []
    out = []
    for path in sorted(CORPUS.glob("*/*.json")):
        definition = json.loads(path.read_text())["definition"]
        if isinstance(definition, dict) and "raw" not in definition:
            out.append(pytest.param(definition, id=path.stem))
    return out


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the validation corpus is not at {CORPUS}")
@pytest.mark.parametrize("definition", definitions())
def test_execute_ends_with_a_status_or_raises_definition_error(definition):
    try:
        machine = asl.parse(definition)
    except asl.DefinitionError:
        return
    for data in ({"a": 1}, None):
        result = asl.execute(machine, data, handlers=lambda parameters, call: {})
        assert result.status in ("SUCCEEDED", "FAILED", "TIMED_OUT")
        json.dumps(result.history)


def test_a_failing_handler_fails_the_task_not_the_caller():
    def broken(parameters, call):
        raise ZeroDivisionError("division by zero")

    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": True}},
    }
    result = asl.execute(definition, {}, handlers=broken)
    assert (result.status, result.error, result.cause) == ("FAILED", "ZeroDivisionError", "division by zero")
