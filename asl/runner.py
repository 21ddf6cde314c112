"""`execute`: one execution run to the end in-process, on the same stepping core the durable
executor uses. Child executions (Map iterations, Parallel branches) run here one after another,
their events spliced into the parent's history in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asl import engine
from asl.clock import VirtualClock
from asl.mocks import NoResource, Resources
from asl.model import StateMachine


@dataclass
class Result:
    status: str
    output: Any = None
    error: str | None = None
    cause: str | None = None
    history: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "output": self.output,
            "error": self.error,
            "cause": self.cause,
            "history_types": [e["type"] for e in self.history],
        }


class _Environment:
    def __init__(self, machine: StateMachine, resources: Resources, clock: Any):
        self.machine = machine
        self.resources = resources
        self.clock = clock
        self.history: list[dict] = []


def run_machine(
    machine: StateMachine,
    input: Any,
    *,
    mocks: dict | None = None,
    handlers: Any = None,
    context: dict | None = None,
    clock: Any = None,
) -> Result:
    clock = clock or VirtualClock()
    env = _Environment(machine, Resources(mocks, handlers), clock)
    now = clock.now_ms()
    name = ((context or {}).get("Execution") or {}).get("Name")
    full_context = engine.default_context(input, now, name=name)
    if context:
        for key, value in context.items():
            full_context[key] = {**full_context.get(key, {}), **value} if isinstance(value, dict) else value
    step = engine.start(machine, input, now_ms=now, context=full_context)
    snapshot = _drive(env, step)
    return Result(
        status=snapshot["status"],
        output=snapshot.get("output"),
        error=snapshot.get("error"),
        cause=snapshot.get("cause"),
        history=env.history,
    )


def _drive(env: _Environment, step: engine.Step) -> dict:
    machine, clock, history = env.machine, env.clock, env.history
    history.extend(step.events)
    snapshot, effect = step.snapshot, step.effect
    while effect is not None and effect["type"] != "finished":
        kind = effect["type"]
        if kind == "invoke":
            started = clock.now_ms()
            try:
                outcome = env.resources.invoke(effect, snapshot["context"])
            except NoResource as missing:
                outcome = {"error": "States.Runtime", "cause": str(missing)}
            # On a real clock a handler slower than TimeoutSeconds timed out (its result is dropped).
            timeout = effect.get("timeout_seconds")
            if timeout and clock.now_ms() - started > timeout * 1000:
                outcome = {"error": "States.Timeout", "timeout": True}
        elif kind == "wait":
            clock.sleep_until(effect["until_ms"])
            outcome = None
        else:
            outcome = _run_children(env, snapshot, effect)
        step = engine.resume(machine, snapshot, outcome, now_ms=clock.now_ms())
        history.extend(step.events)
        snapshot, effect = step.snapshot, step.effect
    return snapshot


def _run_children(env: _Environment, snapshot: dict, effect: dict) -> dict:
    results: list[dict | None] = []
    last = snapshot["event_id"]
    # A Distributed Map's iterations are executions of their own: their events stay out of
    # the parent's history (AWS shows only MapRunStarted/MapRunSucceeded there).
    separate = effect.get("distributed", False)
    parent_history = env.history
    failed = 0
    for child in effect["children"]:
        if engine.children_should_stop(effect, failed):
            results.append(None)
            continue
        step = engine.start_child(env.machine, child, now_ms=env.clock.now_ms(), first_event_id=0 if separate else last)
        if separate:
            env.history = []
        done = _drive(env, step)
        env.history = parent_history
        if not separate:
            last = done["event_id"]
        result = {"status": done["status"]}
        for key in ("output", "error", "cause"):
            if key in done:
                result[key] = done[key]
        results.append(result)
        failed += done["status"] != "SUCCEEDED"
    return {"children": results, "last_event_id": last}
