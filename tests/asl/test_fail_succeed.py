import asl
from tests.asl.helpers import machine, types


def test_fail_with_error_and_cause():
    result = asl.execute(machine(("F", {"Type": "Fail", "Error": "Oops", "Cause": "because"})), {})
    assert (result.status, result.error, result.cause) == ("FAILED", "Oops", "because")
    assert types(result) == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    assert result.history[-1]["executionFailedEventDetails"] == {"error": "Oops", "cause": "because"}


def test_fail_paths_and_intrinsics():
    definition = machine(("F", {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('bad {}', $.n)"}))
    result = asl.execute(definition, {"e": "E1", "n": 3})
    assert (result.error, result.cause) == ("E1", "bad 3")


def test_fail_without_error_reports_none():
    result = asl.execute(machine(("F", {"Type": "Fail"})), {})
    assert (result.status, result.error, result.cause) == ("FAILED", None, None)


def test_succeed_applies_input_and_output_paths():
    definition = machine(("S", {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}))
    assert asl.execute(definition, {"a": {"b": 2}}).output == 2


def test_to_dict_is_what_the_cli_prints():
    result = asl.execute(machine(("S", {"Type": "Succeed"})), {"x": 1})
    assert result.to_dict() == {
        "status": "SUCCEEDED",
        "output": {"x": 1},
        "error": None,
        "cause": None,
        "history_types": ["ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"],
    }


def test_history_events_have_the_aws_shape():
    result = asl.execute(machine(("S", {"Type": "Succeed"})), {"x": 1})
    first, entered = result.history[0], result.history[1]
    assert first["id"] == 1 and first["previousEventId"] == 0
    assert first["executionStartedEventDetails"]["input"] == '{"x":1}'
    assert entered["previousEventId"] == 1
    assert entered["stateEnteredEventDetails"] == {
        "name": "S",
        "input": '{"x":1}',
        "inputDetails": {"truncated": False},
    }
    assert first["timestamp"].endswith("Z")
