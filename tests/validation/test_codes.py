"""One case per diagnostic code: the code is reported, at the expected JSON pointer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asl import validate
from asl.validation.codes import CODES

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work"


def machine(states: dict, start: str = "A", **top) -> dict:
    return {"StartAt": start, "States": states, **top}


def task(**fields) -> dict:
    return {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": 60, "End": True, **fields}


def mapped(processor_extra: dict | None = None, **fields) -> dict:
    processor = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}, **(processor_extra or {})}
    return {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}


DISTRIBUTED = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}

# code -> (definition, expected location, validate() options)
CASES: dict[str, tuple[object, str, dict]] = {
    "MISSING_DESCRIPTION": ("   ", "", {}),
    "INVALID_JSON_DESCRIPTION": ('{"StartAt": "A",', "", {}),
    "DUPLICATE_KEY": ('{"StartAt": "A", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', "/StartAt", {}),
    "SCHEMA_VALIDATION_FAILED": (machine({"A": {"Type": "Wait", "Seconds": -1, "End": True}}), "/States/A/Seconds", {}),
    "MISSING_FIELD": (machine({"A": {"Type": "Task", "End": True}}), "/States/A/Resource", {}),
    "UNKNOWN_FIELD": (machine({"A": {"Type": "Succeed", "Extra": 1}}), "/States/A/Extra", {}),
    "MUTUALLY_EXCLUSIVE_FIELDS": (
        machine({"A": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": True}}),
        "/States/A/SecondsPath",
        {},
    ),
    "MISSING_TRANSITION_TARGET": (machine({"A": {"Type": "Pass", "Next": "B"}}), "/States/A/Next", {}),
    "INVALID_TRANSITION": (machine({"A": {"Type": "Pass", "Next": "A", "End": True}}), "/States/A/End", {}),
    "UNREACHABLE_STATE": (machine({"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}), "/States/B", {}),
    "MISSING_END_STATE": (machine({"A": {"Type": "Pass", "Next": "A"}}), "/States", {}),
    "DUPLICATE_STATE_NAME": (
        machine(
            {
                "A": {
                    "Type": "Parallel",
                    "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}],
                    "End": True,
                }
            }
        ),
        "/States/A/Branches/0/States/A",
        {},
    ),
    "INVALID_STATE_NAME": (machine({"A" * 81: {"Type": "Succeed"}}, start="A" * 81), "/States/" + "A" * 81, {}),
    "INVALID_JSONPATH": (
        machine({"A": {"Type": "Pass", "InputPath": "input", "End": True}}),
        "/States/A/InputPath",
        {},
    ),
    "INVALID_REFERENCE_PATH": (
        machine({"A": {"Type": "Pass", "ResultPath": "$$.Execution", "End": True}}),
        "/States/A/ResultPath",
        {},
    ),
    "INVALID_INTRINSIC": (
        machine({"A": {"Type": "Pass", "Parameters": {"x.$": "States.Format('a \\\"b')"}, "End": True}}),
        "/States/A/Parameters/x.$",
        {},
    ),
    "INVALID_JSONATA": (
        machine({"A": {"Type": "Pass", "Output": "{% $states.input", "End": True}}, QueryLanguage="JSONata"),
        "/States/A/Output",
        {},
    ),
    "DUPLICATE_PAYLOAD_FIELD": (
        machine({"A": {"Type": "Pass", "Parameters": {"a": 1, "a.$": "$.a"}, "End": True}}),
        "/States/A/Parameters/a.$",
        {},
    ),
    "QUERY_LANGUAGE_MISMATCH": (
        machine({"A": {"Type": "Pass", "InputPath": "$.a", "End": True}}, QueryLanguage="JSONata"),
        "/States/A/InputPath",
        {},
    ),
    "INVALID_VARIABLE_NAME": (
        machine({"A": {"Type": "Pass", "Assign": {"my var": 1}, "End": True}}),
        "/States/A/Assign/my var",
        {},
    ),
    "INVALID_CHOICE_RULE": (
        machine(
            {
                "A": {"Type": "Choice", "Choices": [{"Variable": "$.a", "Next": "B"}], "Default": "B"},
                "B": {"Type": "Succeed"},
            }
        ),
        "/States/A/Choices/0",
        {},
    ),
    "INVALID_ERROR_NAME": (
        machine({"A": task(Retry=[{"ErrorEquals": ["States.ALL", "Custom"]}])}),
        "/States/A/Retry/0/ErrorEquals",
        {},
    ),
    "INVALID_TIMESTAMP": (
        machine({"A": {"Type": "Wait", "Timestamp": "2024-01-01 10:00", "End": True}}),
        "/States/A/Timestamp",
        {},
    ),
    "INVALID_TIMEOUT": (machine({"A": task(HeartbeatSeconds=60)}), "/States/A/HeartbeatSeconds", {}),
    "INVALID_MAP_LABEL": (machine({"A": mapped(DISTRIBUTED, Label="a b")}), "/States/A/Label", {}),
    "INVALID_MAP_CONFIG": (
        machine({"A": mapped({"ProcessorConfig": {"Mode": "DISTRIBUTED"}})}),
        "/States/A/ItemProcessor/ProcessorConfig/ExecutionType",
        {},
    ),
    "INVALID_RESOURCE": (machine({"A": task(Resource="arn:aws:states:::dynamodb:query")}), "/States/A/Resource", {}),
    "EXPRESS_UNSUPPORTED": (
        machine({"A": task(Resource="arn:aws:states:::sqs:sendMessage.waitForTaskToken")}),
        "/States/A/Resource",
        {"state_machine_type": "EXPRESS"},
    ),
    "LOOP_WITHOUT_EXIT": (
        machine(
            {
                "A": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": "End"}],
                    "Default": "B",
                },
                "B": {"Type": "Pass", "Next": "C"},
                "C": {"Type": "Pass", "Next": "B"},
                "End": {"Type": "Succeed"},
            }
        ),
        "/States/B",
        {},
    ),
    "HISTORY_LIMIT_RISK": (
        machine(
            {
                "A": {"Type": "Pass", "Next": "B"},
                "B": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.go", "IsPresent": True, "Next": "A"}],
                    "Default": "C",
                },
                "C": {"Type": "Succeed"},
            }
        ),
        "/States/A",
        {},
    ),
    "PAYLOAD_SIZE_RISK": (
        machine({"A": {"Type": "Pass", "Result": {"blob": "x" * 250_000}, "End": True}}),
        "/States/A/Result",
        {},
    ),
    "TASK_WITHOUT_TIMEOUT": (
        machine({"A": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": True}}),
        "/States/A",
        {},
    ),
    "LAMBDA_WITHOUT_RETRY": (machine({"A": task()}), "/States/A", {}),
    "VARIABLE_NOT_ASSIGNED": (
        machine({"A": {"Type": "Pass", "Parameters": {"x.$": "$nowhere"}, "End": True}}),
        "/States/A/Parameters/x.$",
        {},
    ),
    "NO_DOLLAR": (
        machine({"A": {"Type": "Pass", "Parameters": {"x": "$.a"}, "End": True}}),
        "/States/A/Parameters/x",
        {},
    ),
    "PASS_RESULT_IS_STATIC": (
        machine({"A": {"Type": "Pass", "Result": {"x.$": "$.a"}, "End": True}}),
        "/States/A/Result/x.$",
        {},
    ),
}


def test_every_code_has_a_case():
    assert set(CASES) == set(CODES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_is_reported_at_its_location(code):
    definition, location, options = CASES[code]
    diagnostics = validate(definition, **options)
    found = [(d.code, d.location) for d in diagnostics]
    assert (code, location) in found, found
    severity = CODES[code][0]
    assert all(d.severity == severity for d in diagnostics if d.code == code)


def test_every_code_is_documented():
    page = (Path(__file__).resolve().parents[2] / "docs" / "validation-codes.md").read_text()
    documented = set(re.findall(r"^### `([A-Z_]+)`", page, re.M))
    assert documented == set(CODES)


def test_every_reported_code_is_known_with_its_severity():
    from tests.validation.corpus import CONFORMANCE, VALIDATION, cases, definition

    for folder in (VALIDATION, CONFORMANCE):
        for case in cases(folder):
            for diagnostic in validate(definition(case)):
                assert diagnostic.code in CODES, (case["name"], diagnostic.code)
                assert diagnostic.severity == CODES[diagnostic.code][0], (case["name"], diagnostic.code)
