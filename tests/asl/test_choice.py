import pytest

import asl
from tests.asl.helpers import machine

YES = ("Yes", {"Type": "Pass", "Result": "yes", "End": True})
NO = ("No", {"Type": "Pass", "Result": "no", "End": True})


def choose(rule: dict, data) -> str:
    definition = machine(("C", {"Type": "Choice", "Choices": [{**rule, "Next": "Yes"}], "Default": "No"}), YES, NO)
    result = asl.execute(definition, data)
    assert result.status == "SUCCEEDED", result.cause
    return result.output


@pytest.mark.parametrize(
    ("rule", "data", "expected"),
    [
        ({"Variable": "$.s", "StringEquals": "a"}, {"s": "a"}, "yes"),
        ({"Variable": "$.s", "StringEqualsPath": "$.t"}, {"s": "a", "t": "a"}, "yes"),
        ({"Variable": "$.s", "StringLessThan": "b"}, {"s": "a"}, "yes"),
        ({"Variable": "$.s", "StringGreaterThanEquals": "b"}, {"s": "a"}, "no"),
        ({"Variable": "$.s", "StringMatches": "log-*.txt"}, {"s": "log-1.txt"}, "yes"),
        ({"Variable": "$.s", "StringMatches": "a\\*b"}, {"s": "a*b"}, "yes"),
        ({"Variable": "$.s", "StringMatches": "a\\*b"}, {"s": "axb"}, "no"),
        ({"Variable": "$.n", "NumericEquals": 1}, {"n": 1.0}, "yes"),
        ({"Variable": "$.n", "NumericEquals": 1}, {"n": "1"}, "no"),
        ({"Variable": "$.n", "NumericEquals": 1}, {"n": True}, "no"),
        ({"Variable": "$.n", "NumericGreaterThanPath": "$.m"}, {"n": 2, "m": 1}, "yes"),
        ({"Variable": "$.b", "BooleanEquals": False}, {"b": False}, "yes"),
        ({"Variable": "$.b", "BooleanEquals": False}, {"b": 0}, "no"),
        ({"Variable": "$.t", "TimestampEquals": "2024-01-01T00:00:00Z"}, {"t": "2024-01-01T01:00:00+01:00"}, "yes"),
        ({"Variable": "$.t", "TimestampLessThan": "2024-01-01T00:00:00Z"}, {"t": "2023-12-31T23:59:59.5Z"}, "yes"),
        ({"Variable": "$.t", "TimestampLessThan": "2024-01-01T00:00:00Z"}, {"t": "yesterday"}, "no"),
        ({"Variable": "$.x", "IsPresent": False}, {}, "yes"),
        ({"Variable": "$.x", "IsNull": True}, {"x": None}, "yes"),
        ({"Variable": "$.x", "IsNumeric": True}, {"x": 1.5}, "yes"),
        ({"Variable": "$.x", "IsString": True}, {"x": 1}, "no"),
        ({"Variable": "$.x", "IsBoolean": True}, {"x": False}, "yes"),
        ({"Variable": "$.x", "IsTimestamp": True}, {"x": "2024-01-01T00:00:00Z"}, "yes"),
        ({"Variable": "$.missing", "StringEquals": "a"}, {}, "no"),
        (
            {"And": [{"Variable": "$.n", "NumericGreaterThan": 1}, {"Variable": "$.n", "NumericLessThan": 3}]},
            {"n": 2},
            "yes",
        ),
        ({"Or": [{"Variable": "$.n", "NumericEquals": 9}, {"Variable": "$.n", "NumericEquals": 2}]}, {"n": 2}, "yes"),
        ({"Not": {"Variable": "$.n", "NumericEquals": 2}}, {"n": 2}, "no"),
        ({"Variable": "$$.Execution.Input.n", "NumericEquals": 2}, {"n": 2}, "yes"),
    ],
)
def test_operators(rule, data, expected):
    assert choose(rule, data) == expected


def test_no_match_without_default_fails():
    definition = machine(
        ("C", {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Yes"}]}), YES
    )
    result = asl.execute(definition, {"n": 2})
    assert (result.status, result.error) == ("FAILED", "States.NoChoiceMatched")


def test_jsonata_condition_and_output():
    definition = machine(
        (
            "C",
            {
                "Type": "Choice",
                "QueryLanguage": "JSONata",
                "Choices": [{"Condition": "{% $states.input.n > 1 %}", "Next": "Yes", "Output": {"big": True}}],
                "Default": "No",
            },
        ),
        ("Yes", {"Type": "Succeed"}),
        NO,
    )
    assert asl.execute(definition, {"n": 2}).output == {"big": True}
