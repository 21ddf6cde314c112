"""Breakpoints in the stepping core: pause before a state, edit its input, step, continue."""

import json

import asl
from asl import engine

T0 = 1_700_000_000_000

LINE = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": 1, "ResultPath": "$.a", "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "Next": "C"},
        "C": {"Type": "Pass", "Next": "D"},
        "D": {"Type": "Succeed"},
    },
}
TASK = {
    "StartAt": "T",
    "States": {
        "T": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 2}],
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}
MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Inner",
                "States": {"Inner": {"Type": "Pass", "Parameters": {"v.$": "$"}, "End": True}},
            },
            "End": True,
        }
    },
}


def roundtrip(snapshot: dict) -> dict:
    """What a database does to a snapshot between two Celery tasks."""
    return json.loads(json.dumps(snapshot))


def types(events: list[dict]) -> list[str]:
    return [e["type"] for e in events]


def test_a_breakpoint_pauses_before_the_state_without_entering_it():
    machine = asl.parse(LINE)
    step = asl.start(machine, {"n": 2}, now_ms=T0, breakpoints=["B"])
    assert step.effect == {"type": "paused", "state": "B", "input": {"n": 2, "a": 1}}
    # A entered and left; B not entered; no event invented for the pause (AWS has none).
    assert types(step.events)[-1] == "PassStateExited"
    assert engine.paused_at(step.snapshot) == {"state": "B", "input": {"n": 2, "a": 1}}


def test_continue_enters_the_state_with_the_edited_input_and_runs_on():
    machine = asl.parse(LINE)
    step = asl.start(machine, {"n": 2}, now_ms=T0, breakpoints=["B"])
    step = asl.resume(machine, roundtrip(step.snapshot), {"continue": True, "input": {"n": 20}}, now_ms=T0 + 5)
    assert step.effect == {"type": "finished", "status": "SUCCEEDED", "output": {"doubled": 40}}
    entered = step.events[0]
    assert entered["type"] == "PassStateEntered"
    assert json.loads(entered["stateEnteredEventDetails"]["input"]) == {"n": 20}
    assert engine.paused_at(step.snapshot) is None


def test_continue_without_an_input_keeps_the_state_input():
    machine = asl.parse(LINE)
    step = asl.start(machine, {"n": 2}, now_ms=T0, breakpoints=["B"])
    step = asl.resume(machine, step.snapshot, {"continue": True}, now_ms=T0)
    assert step.effect["output"] == {"doubled": 4}


def test_step_runs_one_state_and_pauses_before_the_next():
    machine = asl.parse(LINE)
    step = asl.start(machine, {"n": 1}, now_ms=T0, breakpoints=["A"])
    assert step.effect["state"] == "A"
    step = asl.resume(machine, roundtrip(step.snapshot), {"continue": True, "step": True}, now_ms=T0)
    assert step.effect == {"type": "paused", "state": "B", "input": {"n": 1, "a": 1}}
    assert types(step.events) == ["PassStateEntered", "PassStateExited"]
    step = asl.resume(machine, roundtrip(step.snapshot), {"continue": True, "step": True}, now_ms=T0)
    assert step.effect == {"type": "paused", "state": "C", "input": {"doubled": 2}}
    # Continue (not step) runs to the end: C is no breakpoint.
    step = asl.resume(machine, roundtrip(step.snapshot), {"continue": True}, now_ms=T0)
    assert step.effect["status"] == "SUCCEEDED"
    assert "stepping" not in step.snapshot


def test_a_resume_without_continue_stays_paused_and_emits_nothing():
    machine = asl.parse(LINE)
    step = asl.start(machine, {"n": 1}, now_ms=T0, breakpoints=["C"])
    again = asl.resume(machine, roundtrip(step.snapshot), None, now_ms=T0 + 1000)
    assert again.effect == step.effect and again.events == []


def test_a_retry_or_a_task_outcome_never_pauses_again():
    machine = asl.parse(TASK)
    step = asl.start(machine, {}, now_ms=T0, breakpoints=["T"])
    assert step.effect["type"] == "paused"
    step = asl.resume(machine, step.snapshot, {"continue": True}, now_ms=T0)
    assert step.effect["type"] == "invoke"
    step = asl.resume(machine, step.snapshot, {"error": "Boom", "cause": "x"}, now_ms=T0)
    assert step.effect["type"] == "wait" and step.effect["reason"] == "retry"
    step = asl.resume(machine, step.snapshot, None, now_ms=T0 + 1000)
    assert step.effect["type"] == "invoke"  # the retry runs the task again; no pause
    step = asl.resume(machine, step.snapshot, {"result": 7}, now_ms=T0 + 1000)
    assert step.effect == {"type": "finished", "status": "SUCCEEDED", "output": 7}


def test_a_breakpoint_inside_a_map_pauses_each_iteration():
    machine = asl.parse(MAP)
    step = asl.start(machine, [1, 2], now_ms=T0, breakpoints=["Inner"])
    children = step.effect["children"]
    assert [c["breakpoints"] for c in children] == [["Inner"], ["Inner"]]
    results = []
    for child in children:
        sub = asl.start_child(machine, child, now_ms=T0)
        assert sub.effect == {"type": "paused", "state": "Inner", "input": child["input"]}
        sub = asl.resume(machine, roundtrip(sub.snapshot), {"continue": True, "input": child["input"] * 10}, now_ms=T0)
        results.append({"status": sub.effect["status"], "output": sub.effect["output"]})
    step = asl.resume(machine, step.snapshot, {"children": results}, now_ms=T0)
    assert step.effect["output"] == [{"v": 10}, {"v": 20}]


def test_breakpoints_can_change_while_paused_and_an_empty_set_leaves_no_trace():
    machine = asl.parse(LINE)
    step = asl.start(machine, {"n": 1}, now_ms=T0, breakpoints=["A"])
    snapshot = engine.set_breakpoints(roundtrip(step.snapshot), ["C", "D"])
    step = asl.resume(machine, snapshot, {"continue": True}, now_ms=T0)
    assert step.effect["state"] == "C"
    snapshot = engine.set_breakpoints(step.snapshot, [])
    assert "breakpoints" not in snapshot
    step = asl.resume(machine, snapshot, {"continue": True}, now_ms=T0)
    assert step.effect["status"] == "SUCCEEDED"


def test_stop_works_on_a_paused_execution():
    machine = asl.parse(LINE)
    step = asl.start(machine, {"n": 1}, now_ms=T0, breakpoints=["B"])
    step = asl.stop(machine, step.snapshot, now_ms=T0, error="Halt")
    assert step.effect["status"] == "ABORTED" and types(step.events) == ["ExecutionAborted"]


def test_a_paused_execution_past_its_deadline_times_out():
    machine = asl.parse({**LINE, "TimeoutSeconds": 5})
    step = asl.start(machine, {"n": 1}, now_ms=T0, breakpoints=["B"])
    step = asl.resume(machine, step.snapshot, {"continue": True}, now_ms=T0 + 6000)
    assert step.effect["status"] == "TIMED_OUT"


def _run(machine, input, outcomes, **options) -> tuple[list[dict], asl.Step]:
    context = engine.default_context(input, T0, name="x")
    step = asl.start(machine, input, now_ms=T0, context=context, **options)
    events = list(step.events)
    for outcome in outcomes:
        step = asl.resume(machine, step.snapshot, outcome, now_ms=T0)
        events += step.events
    return events, step


def test_without_breakpoints_the_history_and_snapshot_are_unchanged():
    for definition, input, outcomes in (
        (LINE, {"n": 3}, []),
        (TASK, {}, [{"result": 1}]),
        (MAP, [1], [{"children": [{"status": "SUCCEEDED", "output": 1}]}]),
    ):
        machine = asl.parse(definition)
        plain_events, plain = _run(machine, input, outcomes)
        for options in ({"breakpoints": []}, {"breakpoints": ["Nope"]}):
            events, step = _run(machine, input, outcomes, **options)
            assert events == plain_events and step.effect == plain.effect
        assert "breakpoints" not in plain.snapshot and "stepping" not in plain.snapshot
        assert plain.effect["type"] == "finished"
