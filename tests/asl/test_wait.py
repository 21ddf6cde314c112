import time

import asl
from asl.clock import VirtualClock
from tests.asl.helpers import machine, types

END = ("End", {"Type": "Succeed"})


def test_a_long_wait_takes_no_real_time_but_moves_the_clock():
    clock = VirtualClock(start_ms=1_700_000_000_000)
    definition = machine(("W", {"Type": "Wait", "Seconds": 3600, "Next": "End"}), END)
    started = time.perf_counter()
    result = asl.execute(definition, {"a": 1}, clock=clock)
    assert time.perf_counter() - started < 1
    assert result.output == {"a": 1}
    assert clock.now_ms() == 1_700_000_000_000 + 3_600_000
    assert types(result) == [
        "ExecutionStarted",
        "WaitStateEntered",
        "WaitStateExited",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]


def test_timestamp_path_in_the_past_continues_at_once():
    definition = machine(("W", {"Type": "Wait", "TimestampPath": "$.t", "Next": "End"}), END)
    assert asl.execute(definition, {"t": "2024-01-01T00:00:00Z"}).status == "SUCCEEDED"


def test_seconds_path_must_be_a_non_negative_integer():
    definition = machine(("W", {"Type": "Wait", "SecondsPath": "$.s", "Next": "End"}), END)
    result = asl.execute(definition, {"s": -1})
    assert result.error == "States.Runtime"
    assert result.cause.endswith("The SecondsPath parameter references a negative value: $.s == -1")
    assert asl.execute(definition, {"s": 1.5}).error == "States.Runtime"


def test_an_invalid_timestamp_path_names_the_value():
    definition = machine(("W", {"Type": "Wait", "TimestampPath": "$.t", "Next": "End"}), END)
    result = asl.execute(definition, {"t": "2016-12-05T21:29:29"})
    assert result.cause.endswith(
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: "
        "$.t == 2016-12-05T21:29:29"
    )


def test_execution_timeout_stops_a_long_wait():
    definition = machine(("W", {"Type": "Wait", "Seconds": 60, "Next": "End"}), END, TimeoutSeconds=5)
    clock = VirtualClock(start_ms=0)
    result = asl.execute(definition, {}, clock=clock)
    assert result.status == "TIMED_OUT"
    assert clock.now_ms() == 5_000
    assert types(result)[-1] == "ExecutionTimedOut"


def test_a_real_clock_with_a_scale_shortens_waits_but_not_timestamps():
    from asl.clock import RealClock

    clock = RealClock(scale=0.01)
    before = clock.now_ms()
    started = time.perf_counter()
    asl.execute(machine(("W", {"Type": "Wait", "Seconds": 20, "Next": "End"}), END), {}, clock=clock)
    assert time.perf_counter() - started < 2
    assert clock.now_ms() - before >= 20_000


def test_the_execution_timeout_reaches_into_map_iterations():
    processor = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
    definition = machine(("M", {"Type": "Map", "ItemProcessor": processor, "End": True}), TimeoutSeconds=10)
    clock = VirtualClock(start_ms=0)
    result = asl.execute(definition, [1, 2], clock=clock)
    assert result.status == "TIMED_OUT"
    assert clock.now_ms() == 10_000
    assert types(result).count("ExecutionTimedOut") == 1
