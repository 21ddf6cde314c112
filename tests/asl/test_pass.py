import asl
from tests.asl.helpers import machine, types


def test_it_passes_its_input_through():
    result = asl.execute(machine(("P", {"Type": "Pass", "End": True})), {"a": 1})
    assert result.status == "SUCCEEDED"
    assert result.output == {"a": 1}
    assert types(result) == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]


def test_result_and_result_path():
    definition = machine(("P", {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r.s", "End": True}))
    assert asl.execute(definition, {"a": 1}).output == {"a": 1, "r": {"s": {"x": 1}}}


def test_result_path_null_keeps_the_input():
    definition = machine(("P", {"Type": "Pass", "Result": 5, "ResultPath": None, "End": True}))
    assert asl.execute(definition, {"a": 1}).output == {"a": 1}


def test_input_path_parameters_and_output_path():
    definition = machine(
        (
            "P",
            {
                "Type": "Pass",
                "InputPath": "$.in",
                "Parameters": {"v.$": "$.v", "ctx.$": "$$.State.Name", "fixed": [1, {"k.$": "$.v"}]},
                "ResultPath": "$.out",
                "OutputPath": "$.out",
                "End": True,
            },
        )
    )
    assert asl.execute(definition, {"in": {"v": 7}}).output == {"v": 7, "ctx": "P", "fixed": [1, {"k": 7}]}


def test_the_input_is_never_mutated():
    data = {"a": {"b": 1}}
    definition = machine(("P", {"Type": "Pass", "Result": 2, "ResultPath": "$.a.c", "End": True}))
    assert asl.execute(definition, data).output == {"a": {"b": 1, "c": 2}}
    assert data == {"a": {"b": 1}}


def test_a_missing_input_path_is_a_runtime_error_with_aws_cause():
    definition = machine(("P", {"Type": "Pass", "InputPath": "$.nope", "End": True}))
    result = asl.execute(definition, {})
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert result.cause == (
        "An error occurred while executing the state 'P' (entered at the event id #2). "
        "Invalid path '$.nope' : No results for path: $['nope']"
    )


def test_an_output_over_256_kib_fails_with_data_limit_exceeded():
    definition = machine(("P", {"Type": "Pass", "Result": "x" * 300_000, "End": True}))
    result = asl.execute(definition, {})
    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")
    assert types(result) == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]
