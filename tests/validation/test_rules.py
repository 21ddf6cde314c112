"""Specific rules beyond the one-example-per-code table: scopes, query languages, resources, JSONata."""

from __future__ import annotations

import pytest

from asl import ERROR, validate


def errors(definition, **options) -> list[tuple[str, str]]:
    return [(d.code, d.location) for d in validate(definition, **options) if d.severity == ERROR]


def machine(states: dict, **top) -> dict:
    return {"StartAt": next(iter(states)), "States": states, **top}


def task(resource: str) -> dict:
    return machine({"A": {"Type": "Task", "Resource": resource, "TimeoutSeconds": 5, "End": True}})


def test_a_branch_cannot_jump_out_of_its_scope():
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "Out"}}}],
                "Next": "Out",
            },
            "Out": {"Type": "Succeed"},
        }
    )
    assert ("MISSING_TRANSITION_TARGET", "/States/P/Branches/0/States/In/Next") in errors(definition)


def test_unreachable_states_in_a_cycle_are_found():
    definition = machine(
        {"A": {"Type": "Succeed"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "Next": "B"}}
    )
    found = errors(definition)
    assert ("UNREACHABLE_STATE", "/States/B") in found
    assert ("UNREACHABLE_STATE", "/States/C") in found


def test_no_end_state_inside_a_map_processor():
    definition = machine(
        {
            "M": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "L", "States": {"L": {"Type": "Pass", "Next": "L"}}},
                "End": True,
            }
        }
    )
    assert ("MISSING_END_STATE", "/States/M/ItemProcessor/States") in errors(definition)


def test_jsonpath_state_cannot_go_back_in_a_jsonata_machine_but_can_in_a_distributed_child():
    downgrade = machine({"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}}, QueryLanguage="JSONata")
    assert ("QUERY_LANGUAGE_MISMATCH", "/States/A/QueryLanguage") in errors(downgrade)
    child = {"StartAt": "C", "States": {"C": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}}}
    distributed = machine(
        {
            "M": {
                "Type": "Map",
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, **child},
                "End": True,
            }
        },
        QueryLanguage="JSONata",
    )
    assert errors(distributed) == []


def test_jsonata_fields_in_a_jsonpath_state_are_a_mismatch():
    definition = machine({"A": {"Type": "Pass", "Output": "{% 1 %}", "End": True}})
    assert errors(definition) == [("QUERY_LANGUAGE_MISMATCH", "/States/A/Output")]


@pytest.mark.parametrize(
    ("expression", "allowed"),
    [
        ("{% $states.input.a %}", True),
        ("{% $states.input.a ?? 1 %}", False),  # JSONata 2.2 only; AWS runs 2.0.6
        ("{% $eval('1') %}", False),
        ("{% 10 + * 2 %}", False),
        ("{% $states.result %}", False),  # a Pass state has no result
        ("{% $states.input.a", False),
        ("just text", True),
    ],
)
def test_jsonata_expressions(expression, allowed):
    definition = machine({"A": {"Type": "Pass", "Output": expression, "End": True}}, QueryLanguage="JSONata")
    assert (errors(definition) == []) is allowed


def test_states_result_is_available_in_a_task_output_and_error_output_in_catch():
    definition = machine(
        {
            "A": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "f"},
                "Output": "{% $states.result.Payload %}",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "B"}],
                "TimeoutSeconds": 5,
                "End": True,
            },
            "B": {"Type": "Succeed"},
        },
        QueryLanguage="JSONata",
    )
    assert errors(definition) == []


@pytest.mark.parametrize(
    ("resource", "placeholders", "allowed"),
    [
        ("arn:aws:lambda:us-east-1:123456789012:function:f", False, True),
        ("arn:aws:lambda:us-east-1:123456789012:function:f:live", False, True),
        ("arn:aws:lambda:us-east-1:123456789012:function:f:", False, False),
        ("arn:aws:states:::aws-sdk:s3:getObject", False, True),
        ("arn:aws:states:::dynamodb:query", False, False),
        ("arn:aws:states:::lambda:invoke.sync", False, False),
        ("arn:aws:states:::states:startExecution.sync:2", False, True),
        ("arn:aws:states:us-east-1:123456789012:activity:approve", False, True),
        ("${WorkerArn}", False, False),
        ("${WorkerArn}", True, True),
        ("${WorkerArn", True, False),
        ("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f", True, True),
    ],
)
def test_resources(resource, placeholders, allowed):
    assert (errors(task(resource), allow_placeholders=placeholders) == []) is allowed


def test_cloudformation_references_need_placeholder_mode():
    definition = task("x")
    definition["States"]["A"]["Resource"] = {"Fn::GetAtt": ["Fn", "Arn"]}
    assert errors(definition) == [("INVALID_RESOURCE", "/States/A/Resource")]
    assert errors(definition, allow_placeholders=True) == []


@pytest.mark.parametrize(
    "resource",
    ["arn:aws:states:::states:startExecution.sync", "arn:aws:states:us-east-1:123456789012:activity:approve"],
)
def test_express_forbids_sync_callbacks_and_activities_but_standard_allows_them(resource):
    definition = task(resource)
    assert errors(definition) == []
    assert errors(definition, state_machine_type="EXPRESS") == [("EXPRESS_UNSUPPORTED", "/States/A/Resource")]


def test_states_all_must_be_last_and_reserved_names_must_exist():
    definition = task("arn:aws:states:::lambda:invoke")
    definition["States"]["A"]["Parameters"] = {"FunctionName": "f"}
    definition["States"]["A"]["Retry"] = [
        {"ErrorEquals": ["States.ALL"]},
        {"ErrorEquals": ["States.Typo", "Custom.Error"]},
    ]
    assert errors(definition) == [
        ("INVALID_ERROR_NAME", "/States/A/Retry/0/ErrorEquals"),
        ("INVALID_ERROR_NAME", "/States/A/Retry/1/ErrorEquals/0"),
    ]


def test_choice_rules_check_operands_and_nesting():
    definition = machine(
        {
            "C": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.a", "NumericEquals": "1", "Next": "E"},
                    {"Not": {"Variable": "$.b", "IsPresent": True, "Next": "E"}, "Next": "E"},
                    {"Variable": "$.t", "TimestampEquals": "yesterday", "Next": "E"},
                    {"Variable": "States.Format('x')", "IsPresent": True, "Next": "E"},
                ],
                "Default": "E",
            },
            "E": {"Type": "Succeed"},
        }
    )
    found = errors(definition)
    assert ("SCHEMA_VALIDATION_FAILED", "/States/C/Choices/0/NumericEquals") in found
    assert ("UNKNOWN_FIELD", "/States/C/Choices/1/Not/Next") in found
    assert ("INVALID_TIMESTAMP", "/States/C/Choices/2/TimestampEquals") in found
    assert ("INVALID_JSONPATH", "/States/C/Choices/3/Variable") in found


def test_map_label_and_distributed_only_fields():
    definition = machine(
        {
            "M": {
                "Type": "Map",
                "Label": "x" * 41,
                "ItemReader": {"Resource": "arn:aws:states:::s3:getObject"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        }
    )
    found = errors(definition)
    assert ("INVALID_MAP_LABEL", "/States/M/Label") in found
    assert ("INVALID_MAP_CONFIG", "/States/M/ItemReader") in found


def test_every_problem_is_reported_not_just_the_first():
    definition = machine(
        {
            "A": {"Type": "Pass", "Next": "Nowhere", "Bogus": 1},
            "B": {"Type": "Wait", "End": True},
        }
    )
    codes = {code for code, _ in errors(definition)}
    assert {"MISSING_TRANSITION_TARGET", "UNKNOWN_FIELD", "UNREACHABLE_STATE", "MUTUALLY_EXCLUSIVE_FIELDS"} <= codes
