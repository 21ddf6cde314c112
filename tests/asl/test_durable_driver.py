"""Drive the corpus the way the durable executor will: every snapshot goes through JSON between
two calls, and children run as separate executions fanned back in. The outcome must equal
`asl.execute`'s, so the two shells share every rule."""

import json
from pathlib import Path

import pytest

import asl
from asl import engine
from asl.mocks import Resources

CORPUS = Path(__file__).parents[2].parent / "shared" / "conformance"
T0 = 1_700_000_000_000


def stored(value):
    """What a JSON column gives back."""
    return json.loads(json.dumps(value))


def drive(machine, step, resources, now):
    while step.effect["type"] != "finished":
        effect = stored(step.effect)
        if effect["type"] == "invoke":
            outcome = resources.invoke(effect, step.snapshot["context"])
        elif effect["type"] == "wait":
            now = max(now, effect["until_ms"])
            outcome = None
        else:
            results, failed = [], 0
            for child in effect["children"]:
                if engine.children_should_stop(effect, failed):
                    results.append(None)
                    continue
                child_step = asl.start_child(machine, child, now_ms=now)
                finished, now = drive(machine, child_step, resources, now)
                results.append(finished)
                failed += finished["status"] != "SUCCEEDED"
            outcome = {"children": results}
        step = asl.resume(machine, stored(step.snapshot), outcome, now_ms=now)
    return stored(step.effect), now


def cases():
    if not CORPUS.is_dir():
        return []
    return [pytest.param(p, id=f"{p.parent.name}/{p.stem}") for p in sorted(CORPUS.glob("*/*.json"))]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the conformance corpus is not at {CORPUS}")
@pytest.mark.parametrize("path", cases())
def test_the_durable_shape_gives_the_in_process_result(path):
    case = json.loads(path.read_text())
    machine = asl.parse(case["definition"])
    named = {"Execution": {"Name": "durable"}}
    clock = asl.clock.VirtualClock(T0)
    expected = asl.execute(machine, case["input"], mocks=case.get("mocks"), clock=clock, context=named)
    context = engine.default_context(case["input"], T0, name="durable")
    step = asl.start(machine, stored(case["input"]), now_ms=T0, context=context)
    finished, _ = drive(machine, step, Resources(case.get("mocks"), None), T0)
    assert finished["status"] == expected.status
    random = any(word in json.dumps(case["definition"]) for word in ("MathRandom", "UUID", "$random", "$uuid"))
    if expected.status == "SUCCEEDED" and not random:
        assert finished["output"] == expected.output
    else:
        assert (finished.get("error"), finished.get("cause")) == (expected.error, expected.cause)
