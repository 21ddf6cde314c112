"""The stepping API the durable executor is built on: snapshots are JSON, effects leave the core."""

import json

import asl
from asl import engine

T0 = 1_700_000_000_000


def roundtrip(snapshot: dict) -> dict:
    """What a database does to a snapshot between two Celery tasks."""
    return json.loads(json.dumps(snapshot))


def test_pure_states_run_to_the_end_in_one_call():
    machine = asl.parse({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}})
    step = asl.start(machine, {"x": 1}, now_ms=T0)
    assert step.effect == {"type": "finished", "status": "SUCCEEDED", "output": {"x": 1}}
    assert [e["type"] for e in step.events][-1] == "ExecutionSucceeded"


def test_a_task_is_an_invoke_effect_and_the_result_resumes_it():
    machine = asl.parse(
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "TimeoutSeconds": 30,
                    "HeartbeatSeconds": 10,
                    "Parameters": {"p.$": "$.x"},
                    "End": True,
                }
            },
        }
    )
    step = asl.start(machine, {"x": 5}, now_ms=T0)
    assert step.effect == {
        "type": "invoke",
        "state": "T",
        "resource": "arn:aws:states:::lambda:invoke",
        "parameters": {"p": 5},
        "timeout_seconds": 30,
        "heartbeat_seconds": 10,
        "attempt": 0,
    }
    snapshot = roundtrip(step.snapshot)
    step = asl.resume(machine, snapshot, {"result": {"ok": 1}}, now_ms=T0 + 100)
    assert step.effect["type"] == "finished" and step.effect["output"] == {"ok": 1}
    assert [e["type"] for e in step.events] == ["TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]
    assert step.events[0]["id"] == 4


def test_a_wait_is_a_wait_effect():
    machine = asl.parse({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}})
    step = asl.start(machine, {}, now_ms=T0)
    assert step.effect["type"] == "wait" and step.effect["until_ms"] == T0 + 10_000
    step = asl.resume(machine, roundtrip(step.snapshot), None, now_ms=T0 + 10_000)
    assert step.effect["status"] == "SUCCEEDED"


def test_a_map_asks_for_children_and_fans_them_back_in():
    machine = asl.parse(
        {
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "MaxConcurrency": 2,
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                    "End": True,
                }
            },
        }
    )
    step = asl.start(machine, [10, 20], now_ms=T0)
    effect = step.effect
    assert effect["type"] == "children" and effect["max_concurrency"] == 2
    assert [c["ref"] for c in effect["children"]] == ["/States/M/ItemProcessor"] * 2
    assert [c["input"] for c in effect["children"]] == [10, 20]
    json.dumps(effect)  # children specs travel through the broker

    results = []
    for child in effect["children"]:  # what workers elsewhere would do, each with its own snapshot
        child_step = asl.start_child(machine, child, now_ms=T0)
        assert child_step.events[0]["type"] == "MapIterationStarted"
        assert child_step.effect["type"] == "finished"
        results.append({"status": child_step.effect["status"], "output": child_step.effect["output"]})
    step = asl.resume(machine, roundtrip(step.snapshot), {"children": results}, now_ms=T0 + 1)
    assert step.effect == {"type": "finished", "status": "SUCCEEDED", "output": [10, 20]}


def test_children_should_stop_after_an_untolerated_failure():
    effect = {"children": [{}] * 10, "tolerated_failure_count": 1, "tolerated_failure_percentage": 0}
    assert not engine.children_should_stop(effect, 1)
    assert engine.children_should_stop(effect, 2)
    assert engine.children_should_stop({"children": [{}] * 3}, 1)
    # The first form, still used by callers: the finished children's results.
    assert not engine.children_should_stop(effect, [{"status": "FAILED"}])
    assert engine.children_should_stop(effect, [{"status": "FAILED"}, {"status": "SUCCEEDED"}, {"status": "FAILED"}])


def test_stop_aborts():
    machine = asl.parse({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}})
    step = asl.start(machine, {}, now_ms=T0)
    step = asl.stop(machine, step.snapshot, now_ms=T0 + 1, error="User", cause="stopped")
    assert step.effect["status"] == "ABORTED"
    assert step.events[-1]["type"] == "ExecutionAborted"


def test_a_machine_is_reusable_across_executions():
    machine = asl.parse(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"k": 1}, "ResultPath": "$.r", "End": True}}}
    )
    assert asl.execute(machine, {"a": 1}).output == {"a": 1, "r": {"k": 1}}
    assert asl.execute(machine, {"a": 2}).output == {"a": 2, "r": {"k": 1}}


def test_a_bad_definition_raises_definition_error():
    try:
        asl.parse({"States": {}})
    except asl.DefinitionError as error:
        assert error.diagnostics
    else:
        raise AssertionError("expected DefinitionError")


def test_execute_takes_the_execution_name_from_context():
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id"}, "End": True}},
    }
    result = asl.execute(definition, {}, context={"Execution": {"Name": "nightly-42"}})
    assert result.output["id"].endswith(":nightly-42")


def test_definition_errors_from_text_carry_line_and_column():
    text = '{"StartAt": "A",\n "States": {"A": {"Type": "Pass", "End": true},\n "A": {"Type": "Succeed"}}}'
    try:
        asl.parse(text)
    except asl.DefinitionError as error:
        assert any(d.line == 3 for d in error.diagnostics), error.diagnostics
    else:
        raise AssertionError("expected DefinitionError")
