"""The benchmark's workloads are well-formed and their expected outputs are right (no timing here)."""

from __future__ import annotations

import json

import pytest

from bench.run import same_json, select_workloads
from bench.workloads import (
    NAMES,
    SHARED_BENCH,
    count_states,
    own_workloads,
    retryable_states,
    shared_workloads,
)

try:
    import asl
except Exception:  # a broken asl must not hide whether the workloads themselves are right
    asl = None

FULL = own_workloads()
SMALL = own_workloads(small=True)
TERMINAL = {"Succeed", "Fail"}


def _targets(state: dict) -> list[str]:
    found = [state["Next"]] if "Next" in state else []
    found += [rule["Next"] for rule in state.get("Choices", []) if "Next" in rule]
    found += [state["Default"]] if "Default" in state else []
    found += [catcher["Next"] for catcher in state.get("Catch", [])]
    return found


def _check_scope(machine: dict, seen: set[str], where: str) -> None:
    states = machine["States"]
    assert machine["StartAt"] in states, f"{where}: StartAt {machine['StartAt']!r} is not a state"
    for name, state in states.items():
        assert name not in seen, f"{where}: state name {name!r} is used twice in the machine"
        seen.add(name)
        for target in _targets(state):
            assert target in states, f"{where}/{name}: {target!r} is not a state of its scope"
        if state["Type"] not in TERMINAL and state["Type"] != "Choice":
            assert ("Next" in state) != bool(state.get("End")), f"{where}/{name}: exactly one of Next and End"
        for branch in state.get("Branches", []):
            _check_scope(branch, seen, f"{where}/{name}/Branches")
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                _check_scope(state[key], seen, f"{where}/{name}/{key}")
    # a terminal state is reachable from StartAt
    reachable, todo = set(), [machine["StartAt"]]
    while todo:
        name = todo.pop()
        if name not in reachable:
            reachable.add(name)
            todo.extend(_targets(states[name]))
    assert any(states[n]["Type"] in TERMINAL or states[n].get("End") for n in reachable), f"{where}: no way to end"


@pytest.mark.parametrize(
    "workload", FULL + SMALL, ids=[f"{w.name}-full" for w in FULL] + [f"{w.name}-small" for w in SMALL]
)
def test_workload_is_well_formed(workload):
    assert workload.name in NAMES
    _check_scope(workload.definition, set(), workload.name)
    assert json.loads(workload.definition_text) == workload.definition
    json.dumps(workload.input), json.dumps(workload.expected)  # plain JSON values
    assert workload.transitions >= 1 and workload.retries >= 0


def test_full_sizes_match_the_readme_table():
    by_name = {w.name: w for w in FULL}
    assert list(by_name) == list(NAMES)
    assert {name: w.transitions for name, w in by_name.items()} == {
        "noop": 1,
        "loop_10k": 10_001,
        "map_1000": 3_002,
        "map_1000_c10": 3_002,
        "map_1000_legacy": 3_002,
        "parallel_100": 502,
        "dataflow_heavy": 2_001,
        "big_definition": 2,
        "retry_catch": 1_001,
    }
    assert count_states(by_name["big_definition"].definition) == 2000
    assert count_states(by_name["parallel_100"].definition) == 502
    assert len(json.dumps(by_name["dataflow_heavy"].input)) > 50_000
    assert by_name["retry_catch"].retries == 300
    assert retryable_states(by_name["retry_catch"].definition) == ["Attempt"]


@pytest.mark.skipif(not SHARED_BENCH.is_dir(), reason="../shared/bench is not there")
def test_own_workloads_reproduce_the_shared_ones():
    shared = {w.name: w for w in shared_workloads()}
    assert set(shared) == set(NAMES)
    for workload in FULL:
        twin = shared[workload.name]
        assert (workload.transitions, workload.retries, workload.state_count) == (
            twin.transitions,
            twin.retries,
            twin.state_count,
        )
        if workload.name != "big_definition":  # ours carries more data-flow fields per state
            assert workload.same_as(twin), workload.name
    chosen = select_workloads("auto", None)
    assert [w.name for w in chosen] == [*NAMES, "big_definition"]
    assert [w.suite for w in chosen].count("shared=own") == len(NAMES) - 1


def test_json_equality_is_strict_about_booleans():
    assert same_json({"a": [1, 2.0]}, {"a": [1.0, 2]})
    assert not same_json(True, 1)
    assert not same_json({"a": 1}, {"a": 1, "b": None})
    assert not same_json([1], [1, 1])


@pytest.mark.parametrize("workload", SMALL, ids=[w.name for w in SMALL])
def test_moto_peer_agrees_with_the_expected_outputs(workload):
    """An independent engine (moto's interpreter, as the bench drives it) reaches the expected outputs."""
    pytest.importorskip("moto.stepfunctions.parser.asl.parse.asl_parser")
    from bench.engines import measure

    report = measure(
        {"engine": "moto", "definition_text": workload.definition_text, "input": workload.input, "reps": 1}
    )
    assert report.get("crashed") is None, report.get("traceback")
    assert report["status"] == "SUCCEEDED"
    assert same_json(report["output"], workload.expected)


@pytest.mark.skipif(not hasattr(asl, "validate"), reason="asl.validate is not available")
def test_validator_reports_no_error_on_the_workloads():
    for workload in SMALL + [w for w in FULL if w.name == "big_definition"]:
        errors = [d for d in asl.validate(workload.definition_text) if str(d.severity) == "ERROR"]
        assert errors == [], workload.name


@pytest.mark.skipif(not hasattr(asl, "execute"), reason="asl.execute is not available yet (interpreter not landed)")
@pytest.mark.parametrize("workload", SMALL, ids=[w.name for w in SMALL])
def test_asl_execute_reaches_the_expected_output(workload):
    result = asl.execute(workload.definition_text, workload.input)
    status = getattr(result.status, "value", result.status)
    assert status == "SUCCEEDED", (result.error, result.cause)
    assert same_json(result.output, workload.expected)


def test_the_harness_prints_its_table_without_peers(capsys):
    """`python -m bench.run` end to end on the smallest workload, whatever state asl is in."""
    from bench.run import main

    assert main(["--no-peers", "--suite", "own", "--only", "noop", "--reps", "1"]) == 0
    printed = capsys.readouterr().out
    assert "stepwright asl" in printed and "Bars (on own workloads" in printed
