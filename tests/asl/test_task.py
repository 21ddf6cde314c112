import pytest

import asl
from asl.clock import VirtualClock
from tests.asl.helpers import machine, types

LAMBDA = "arn:aws:states:::lambda:invoke"


def task(**fields) -> dict:
    return machine(("T", {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}))


def test_a_mocked_result_flows_through_selector_and_result_path():
    definition = task(
        Parameters={"FunctionName": "f", "Payload.$": "$"},
        ResultSelector={"body.$": "$.Payload.body"},
        ResultPath="$.out",
    )
    result = asl.execute(definition, {"a": 1}, mocks={"T": [{"result": {"Payload": {"body": "hi"}}}]})
    assert result.output == {"a": 1, "out": {"body": "hi"}}
    assert types(result) == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    scheduled = result.history[2]["taskScheduledEventDetails"]
    assert scheduled["resourceType"] == "lambda" and scheduled["resource"] == "invoke"
    assert scheduled["parameters"] == '{"FunctionName":"f","Payload":{"a":1}}'


def test_a_handler_gets_the_parameters():
    seen = []

    def handler(parameters, call):
        seen.append((parameters, call["state"]))
        return {"ok": True}

    result = asl.execute(task(Parameters={"x.$": "$.x"}), {"x": 3}, handlers={"arn:aws:states:::lambda:*": handler})
    assert result.output == {"ok": True}
    assert seen == [({"x": 3}, "T")]


def test_a_handler_raising_task_failure_fails_the_task():
    def handler(parameters, call):
        raise asl.TaskFailure("Custom.Error", "it broke")

    result = asl.execute(task(), {}, handlers={LAMBDA: handler})
    assert (result.status, result.error, result.cause) == ("FAILED", "Custom.Error", "it broke")


def test_no_mock_and_no_handler_names_the_state_and_resource():
    result = asl.execute(task(), {})
    assert result.status == "FAILED"
    assert "'T'" in result.cause and LAMBDA in result.cause


def test_a_timeout_mock_is_a_states_timeout():
    result = asl.execute(task(TimeoutSeconds=5), {}, mocks={"T": [{"error": "States.Timeout", "timeout": True}]})
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert "TaskTimedOut" in types(result)


def test_retry_with_backoff_in_virtual_time():
    clock = VirtualClock(start_ms=0)
    definition = task(Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 2}])
    mocks = {"T": [{"error": "E", "cause": "c"}, {"error": "E", "cause": "c"}, {"result": 1}]}
    result = asl.execute(definition, {}, mocks=mocks, clock=clock)
    assert result.output == 1
    assert clock.now_ms() == (2 + 6) * 1000
    assert types(result).count("TaskScheduled") == 3
    assert types(result).count("TaskStateEntered") == 1


def test_max_delay_caps_the_backoff():
    clock = VirtualClock(start_ms=0)
    retry = {"ErrorEquals": ["E"], "IntervalSeconds": 10, "BackoffRate": 10, "MaxAttempts": 3, "MaxDelaySeconds": 15}
    mocks = {"T": [{"error": "E"}] * 3 + [{"result": 0}]}
    asl.execute(task(Retry=[retry]), {}, mocks=mocks, clock=clock)
    assert clock.now_ms() == (10 + 15 + 15) * 1000


def test_catch_puts_the_error_at_its_result_path():
    definition = machine(
        (
            "T",
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.err", "Next": "H"}],
                "End": True,
            },
        ),
        ("H", {"Type": "Pass", "End": True}),
    )
    result = asl.execute(definition, {"a": 1}, mocks={"T": [{"error": "Boom", "cause": "x"}]})
    assert result.output == {"a": 1, "err": {"Error": "Boom", "Cause": "x"}}
    assert types(result)[4:6] == ["TaskFailed", "TaskStateExited"]


@pytest.mark.parametrize(("error", "caught"), [("States.Timeout", False), ("Anything", True)])
def test_task_failed_does_not_catch_timeouts(error, caught):
    definition = machine(
        (
            "T",
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "H"}],
                "End": True,
            },
        ),
        ("H", {"Type": "Pass", "End": True}),
    )
    result = asl.execute(definition, {}, mocks={"T": [{"error": error, "timeout": error == "States.Timeout"}]})
    assert (result.status == "SUCCEEDED") is caught


def test_states_all_does_not_catch_a_runtime_error():
    definition = machine(
        (
            "T",
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "Parameters": {"x.$": "$.missing"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}],
                "End": True,
            },
        ),
        ("H", {"Type": "Pass", "End": True}),
    )
    result = asl.execute(definition, {}, mocks={"T": [{"result": 1}]})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")


def test_wait_for_task_token_passes_the_token():
    definition = task(
        Resource="arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters={"token.$": "$$.Task.Token"}
    )
    seen = {}

    def handler(parameters, call):
        seen.update(parameters=parameters, token=call["task_token"])
        return "done"

    assert asl.execute(definition, {}, handlers=handler).output == "done"
    assert seen["parameters"]["token"] == seen["token"]


def test_mock_config_file_is_accepted():
    config = {
        "StateMachines": {"M": {"TestCases": {"Happy": {"T": "OkThenFail"}}}},
        "MockedResponses": {"OkThenFail": {"0": {"Return": {"v": 1}}, "1-2": {"Throw": {"Error": "E", "Cause": "c"}}}},
    }
    assert asl.from_mock_config(config, "Happy") == {
        "T": [{"result": {"v": 1}}, {"error": "E", "cause": "c"}, {"error": "E", "cause": "c"}]
    }
    assert asl.execute(task(), {}, mocks=config).output == {"v": 1}


def test_a_handler_slower_than_timeout_seconds_times_out_on_a_real_clock():
    from asl.clock import RealClock

    def slow(parameters, call):
        import time

        time.sleep(1.2)
        return "late"

    result = asl.execute(task(TimeoutSeconds=1), {}, handlers=slow, clock=RealClock())
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
