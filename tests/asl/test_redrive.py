"""RedriveExecution on the stepping core: again from the state that failed, with its input."""

import asl
from asl.engine import start

FLAKY = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Result": {"ready": True}, "ResultPath": "$.prep", "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True},
    },
}


def test_a_failed_execution_runs_again_from_the_failed_state_with_its_input():
    machine = asl.parse(FLAKY)
    step = start(machine, {"order": 1}, now_ms=0)
    assert step.effect["type"] == "invoke"
    failed = asl.resume(machine, step.snapshot, {"error": "Boom", "cause": "card declined"}, now_ms=10)
    assert failed.snapshot["status"] == "FAILED"

    again = asl.redrive(machine, failed.snapshot, now_ms=20)
    assert [e["type"] for e in again.events] == ["ExecutionRedriven", "TaskStateEntered", "TaskScheduled"]
    assert again.events[0]["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert again.effect["state"] == "Charge"
    assert again.effect["parameters"] == {"order": 1, "prep": {"ready": True}}
    done = asl.resume(machine, again.snapshot, {"result": {"charged": True}}, now_ms=30)
    assert (done.snapshot["status"], done.snapshot["output"]) == ("SUCCEEDED", {"charged": True})
    assert done.snapshot["context"]["Execution"]["RedriveCount"] == 1


def test_an_aborted_execution_can_be_redriven_but_a_succeeded_one_cannot():
    machine = asl.parse(FLAKY)
    step = start(machine, {}, now_ms=0)
    aborted = asl.stop(machine, step.snapshot, now_ms=5)
    assert asl.redrive(machine, aborted.snapshot, now_ms=6).effect["state"] == "Charge"
    done = asl.resume(machine, start(machine, {}, now_ms=0).snapshot, {"result": 1}, now_ms=1)
    try:
        asl.redrive(machine, done.snapshot, now_ms=2)
    except ValueError as error:
        assert "redriven" in str(error)
    else:
        raise AssertionError("a succeeded execution was redriven")
