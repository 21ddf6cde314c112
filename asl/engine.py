"""The stepping core: a serializable snapshot in; the new snapshot, the events and one effect out.

    step = start(machine, input, now_ms=…)            # → Step(snapshot, events, effect)
    step = resume(machine, step.snapshot, outcome, now_ms=…)

Pure states (Pass, Choice, Succeed, Fail and all data flow) run in a loop here; only effects
leave: `invoke` (a Task), `wait` (a Wait state or a retry back-off), `children` (the branches of a
Parallel or the iterations of a Map, each a child execution of a sub-machine), `paused` (a breakpoint,
for debugging local runs) and `finished`.
docs/adr/0001-step-engine.md describes the shapes. The snapshot is plain JSON; the caller hands
it back unchanged (the core updates it in place for speed and returns it).
"""

from __future__ import annotations

import os
import random
from typing import Any, NamedTuple

from asl import errors as E
from asl.dataflow import (
    Scope,
    apply_input_path,
    apply_result_path,
    evaluate_jsonata_template,
    evaluate_template,
)
from asl.errors import StatesError, matches
from asl.events import event, iso
from asl.fanout import (
    BRANCH,
    MAP_ITERATION,
    children_should_stop,
    items_read,
    map_outcome,
    parallel_outcome,
    results_written,
    run_map,
    run_parallel,
)
from asl.flow import run_choice, run_fail, run_pass, run_succeed, run_wait
from asl.model import JSONATA, Catcher, State, StateMachine
from asl.serial import Serializer
from asl.task import run_task, task_outcome

__all__ = [
    "BRANCH",
    "EXECUTION",
    "MAP_ITERATION",
    "Step",
    "children_should_stop",
    "paused_at",
    "resume",
    "set_breakpoints",
    "start",
    "start_child",
    "stop",
]

MAX_PAYLOAD_BYTES = 256 * 1024
MAX_HISTORY_EVENTS = 25_000
EXECUTION = "execution"


class Step(NamedTuple):
    snapshot: dict
    events: list[dict]
    effect: dict | None


# Execution names: uuid4() reads os.urandom (a system call) each time; a private generator,
# seeded from os.urandom and again in every forked child, is enough for a name.
_names = random.Random()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_names.seed)


def _execution_name() -> str:
    """A random version-4 UUID, as text."""
    bits = _names.getrandbits(128) & ~(0xF000 << 64) & ~(0xC000 << 48) | (0x4000 << 64) | (0x8000 << 48)
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def default_context(input: Any, now_ms: int, name: str | None = None, machine_name: str = "stepwright") -> dict:
    """The `$$` context object of a fresh execution (ARNs in a local region; the name a UUID, as AWS's)."""
    name = name or _execution_name()
    machine_arn = f"arn:aws:states:local:000000000000:stateMachine:{machine_name}"
    return {
        "Execution": {
            "Id": f"arn:aws:states:local:000000000000:execution:{machine_name}:{name}",
            "Input": input,
            "Name": name,
            "RoleArn": "arn:aws:iam::000000000000:role/stepwright",
            "StartTime": iso(now_ms),
            "RedriveCount": 0,
        },
        "StateMachine": {"Id": machine_arn, "Name": machine_name},
    }


def start(
    machine: StateMachine,
    input: Any,
    *,
    now_ms: int,
    context: dict | None = None,
    variables: dict | None = None,
    ref: str = "",
    kind: str = EXECUTION,
    first_event_id: int = 0,
    map_name: str | None = None,
    map_index: int | None = None,
    deadline_ms: int | None = None,
    breakpoints: Any = None,
    scope: str = "",
) -> Step:
    """Begin an execution of `machine` (or of its sub-machine `ref`, for a child execution).

    `breakpoints`: state names to pause before (a `paused` effect); names are unique machine-wide, so
    one set serves the sub-machines too, and the children inherit it."""
    sub = machine.submachine(ref)
    snapshot = {
        "v": 1,
        "status": "RUNNING",
        "kind": kind,
        "ref": ref,
        "state": sub.start_at,
        "phase": "enter",
        "input": input,
        "context": context if context is not None else default_context(input, now_ms),
        "variables": dict(variables) if variables else {},
        "event_id": first_event_id,
        "entered_id": 0,
        "retries": [],
        "pending": None,
        # The execution's TimeoutSeconds; a child inherits its parent's deadline.
        "deadline_ms": now_ms + sub.timeout_seconds * 1000
        if sub.timeout_seconds and kind == EXECUTION
        else deadline_ms,
        "map_name": map_name,
        "map_index": map_index,
        "transitions": 0,
    }
    if breakpoints:
        set_breakpoints(snapshot, breakpoints)
    if scope:
        snapshot["scope"] = scope
    run = _Run(machine, snapshot, now_ms)
    if kind == EXECUTION:
        run.emit(
            "ExecutionStarted",
            {
                "input": run.dumps(input),
                "inputDetails": {"truncated": False},
                "roleArn": snapshot["context"]["Execution"]["RoleArn"],
            },
        )
    elif kind == MAP_ITERATION:
        run.emit("MapIterationStarted", {"name": map_name, "index": map_index})
    return run.advance()


def start_child(machine: StateMachine, child: dict, *, now_ms: int, first_event_id: int = 0) -> Step:
    """Begin one child of a `children` effect (a Map iteration or Parallel branch) from its spec, as the
    effect gave it: the one place that knows what a spec carries into `start`."""
    return start(
        machine,
        child["input"],
        now_ms=now_ms,
        context=child["context"],
        variables=child.get("variables"),
        ref=child["ref"],
        kind=child["kind"],
        first_event_id=first_event_id,
        map_name=child.get("name"),
        map_index=child.get("index"),
        deadline_ms=child.get("deadline_ms"),  # the execution's TimeoutSeconds holds inside children too
        breakpoints=child.get("breakpoints"),
        scope=child.get("scope", ""),  # its task tokens' place in the execution's tree
    )


def resume(machine: StateMachine, snapshot: dict, outcome: dict | None, *, now_ms: int) -> Step:
    """Continue after an effect: `outcome` is the task's result or error, nothing after a wait,
    `{"children": [...], "last_event_id": n}` after child executions, or after a `paused` effect
    `{"continue": True, "input": edited (optional), "step": bool}` (see the ADR)."""
    run = _Run(machine, snapshot, now_ms)
    if snapshot["status"] != "RUNNING":
        return Step(snapshot, [], _finished_effect(snapshot))
    outcome = outcome or {}
    if "last_event_id" in outcome:
        snapshot["event_id"] = max(snapshot["event_id"], outcome["last_event_id"])
    deadline = snapshot.get("deadline_ms")
    if deadline is not None and now_ms >= deadline:
        run.time_out()
        return run.step()
    try:
        run.on_outcome(outcome)
    except StatesError as error:
        run.fail_state(run.state, error)
    except Exception as error:
        run.internal_error(run.state, error)
    return run.advance()


def set_breakpoints(snapshot: dict, names: Any) -> dict:
    """Replace the breakpoints of a snapshot (of a running execution too: they count from its next state).
    No breakpoints leave no trace in the snapshot, so a run without them is exactly as before."""
    names = sorted(set(names or ()))
    if names:
        snapshot["breakpoints"] = names
    else:
        snapshot.pop("breakpoints", None)
    return snapshot


def paused_at(snapshot: dict) -> dict | None:
    """`{"state", "input"}` when the execution waits at a breakpoint (or a step), else None."""
    if snapshot.get("status") == "RUNNING" and snapshot.get("phase") == "paused":
        return {"state": snapshot["state"], "input": snapshot["input"]}
    return None


def stop(
    machine: StateMachine, snapshot: dict, *, now_ms: int, error: str | None = None, cause: str | None = None
) -> Step:
    """Abort a running execution (StopExecution)."""
    run = _Run(machine, snapshot, now_ms)
    if snapshot["status"] == "RUNNING":
        run.remember_for_redrive()
        snapshot["status"] = "ABORTED"
        snapshot["error"], snapshot["cause"] = error, cause
        details: dict = {}
        if error is not None:
            details["error"] = error
        if cause is not None:
            details["cause"] = cause
        run.emit("ExecutionAborted", details)
    return run.step()


REDRIVABLE = ("FAILED", "TIMED_OUT", "ABORTED")


def redrive(machine: StateMachine, snapshot: dict, *, now_ms: int) -> Step:
    """RedriveExecution: run a failed, timed-out or aborted execution again from the state where it
    stopped, with that state's input, after an `ExecutionRedriven` event (AWS's rules). A Map or Parallel
    state runs again whole. Raises ValueError when there is nothing to redrive."""
    origin = snapshot.get("redrive_from")
    if snapshot["status"] not in REDRIVABLE or not origin:
        raise ValueError("Only a failed, timed-out or aborted execution that got past its start can be redriven.")
    context = snapshot["context"]["Execution"]
    context["RedriveCount"] = context.get("RedriveCount", 0) + 1
    sub = machine.submachine(snapshot["ref"])
    for key in ("output", "error", "cause", "redrive_from", "stepping"):
        snapshot.pop(key, None)
    snapshot.update(
        status="RUNNING",
        state=origin["state"],
        phase="enter",
        input=origin["input"],
        retries=[],
        pending=None,
        # The execution's TimeoutSeconds counts again from the redrive, as on AWS.
        deadline_ms=now_ms + sub.timeout_seconds * 1000 if sub.timeout_seconds else None,
    )
    run = _Run(machine, snapshot, now_ms)
    run.emit("ExecutionRedriven", {"redriveCount": context["RedriveCount"]})
    return run.advance()


def _finished_effect(snapshot: dict) -> dict:
    effect = {"type": "finished", "status": snapshot["status"]}
    for key in ("output", "error", "cause"):
        if key in snapshot:
            effect[key] = snapshot[key]
    return effect


class _Run:
    """One call into the core: mutable working state around the snapshot."""

    __slots__ = ("dumps", "effect", "events", "machine", "now", "snap", "sub")

    def __init__(self, machine: StateMachine, snapshot: dict, now_ms: int):
        self.machine = machine
        self.sub = machine.submachine(snapshot["ref"])
        self.snap = snapshot
        self.now = now_ms
        self.events: list[dict] = []
        self.effect: dict | None = None
        self.dumps = Serializer().dumps

    @property
    def state(self) -> State:
        return self.sub.states[self.snap["state"]]

    # ------------------------------------------------------------------ events and endings

    def emit(self, event_type: str, details: dict | None) -> int:
        snap = self.snap
        previous = snap["event_id"]
        snap["event_id"] = previous + 1
        self.events.append(event(previous + 1, previous, event_type, self.now, details))
        return previous + 1

    def step(self) -> Step:
        if self.snap["status"] != "RUNNING" and self.effect is None:
            self.effect = _finished_effect(self.snap)
        return Step(self.snap, self.events, self.effect)

    def succeed(self, output: Any, output_text: str | None = None) -> None:
        snap = self.snap
        snap["status"], snap["output"], snap["state"] = "SUCCEEDED", output, None
        kind = snap["kind"]
        if kind == EXECUTION:
            text = output_text if output_text is not None else self.dumps(output)
            self.emit("ExecutionSucceeded", {"output": text, "outputDetails": {"truncated": False}})
        elif kind == MAP_ITERATION:
            self.emit("MapIterationSucceeded", {"name": snap["map_name"], "index": snap["map_index"]})

    def remember_for_redrive(self) -> None:
        """Where a redrive would start again: the state that was running, with its input."""
        snap = self.snap
        if snap["state"] is not None:
            snap["redrive_from"] = {"state": snap["state"], "input": snap["input"]}

    def fail(self, error: str | None, cause: str | None) -> None:
        snap = self.snap
        self.remember_for_redrive()
        snap["status"], snap["error"], snap["cause"], snap["state"] = "FAILED", error, cause, None
        kind = snap["kind"]
        if kind == EXECUTION:
            details: dict = {}
            if error is not None:
                details["error"] = error
            if cause is not None:
                details["cause"] = cause
            self.emit("ExecutionFailed", details)
        elif kind == MAP_ITERATION:
            # AWS records only name and index here; the iteration's error and cause are ours to add, so a
            # watcher sees why an iteration failed without searching its events (clients ignore extra keys).
            details = {"name": snap["map_name"], "index": snap["map_index"]}
            if error is not None:
                details["error"] = error
            if cause is not None:
                details["cause"] = cause
            self.emit("MapIterationFailed", details)

    def time_out(self) -> None:
        snap = self.snap
        self.remember_for_redrive()
        snap["status"], snap["state"] = "TIMED_OUT", None
        snap["error"], snap["cause"] = E.TIMEOUT, None
        if snap["kind"] == EXECUTION:  # a child just stops; its parent reports the time-out
            self.emit("ExecutionTimedOut", {})

    # ------------------------------------------------------------------ the loop

    def advance(self) -> Step:
        snap = self.snap
        states = self.sub.states
        # Debugging only: without breakpoints or a step in progress this is one test per state.
        breakpoints = snap.get("breakpoints")
        watch = frozenset(breakpoints or ()) if breakpoints or snap.get("stepping") else None
        while snap["status"] == "RUNNING" and self.effect is None:
            if snap["event_id"] > MAX_HISTORY_EVENTS:
                self.fail(
                    "States.Runtime",
                    f"The execution reached the limit of {MAX_HISTORY_EVENTS} events in its history.",
                )
                break
            state = states[snap["state"]]
            # Only before *entering* a state ("enter"), never when resuming inside one (a retry, a task's outcome).
            if watch is not None and snap["phase"] == "enter" and (state.name in watch or snap.get("stepping")):
                self.pause(state)
                break
            try:
                _HANDLERS[state.type](self, state)
            except StatesError as error:
                self.fail_state(state, error)
            except Exception as error:  # an engine bug must end the execution, never crash the caller
                self.internal_error(state, error)
        if self.effect is not None and self.effect["type"] == "children":
            # Where each child sits in the execution's tree ("2.0/" is the first child of its second fan-out),
            # so its task tokens are its own: run durably, every child numbers its events from 1.
            fanout = snap.get("fanouts", 0) + 1
            snap["fanouts"] = fanout
            for index, child in enumerate(self.effect["children"]):
                child["scope"] = f"{snap.get('scope', '')}{fanout}.{index}/"
                if breakpoints:
                    child["breakpoints"] = breakpoints  # a breakpoint inside a Map pauses that iteration
        return self.step()

    def pause(self, state: State) -> None:
        """Stop before entering `state`: no event (AWS has none for it); `resume` with `continue` enters it."""
        snap = self.snap
        snap["phase"] = "paused"
        snap.pop("stepping", None)
        self.effect = {"type": "paused", "state": state.name, "input": snap["input"]}

    def on_continue(self, outcome: dict) -> None:
        snap = self.snap
        if not outcome.get("continue"):
            # A redelivered step, or a wake-up for the deadline that has not come: still paused.
            self.effect = {"type": "paused", "state": snap["state"], "input": snap["input"]}
            return
        if "input" in outcome:
            snap["input"] = outcome["input"]
        if outcome.get("step"):
            snap["stepping"] = True
        # Any phase but "enter" makes the state's handler enter it, and the loop not pause again.
        snap["phase"] = "continued"

    def internal_error(self, state: State, error: Exception) -> None:
        self.fail(E.RUNTIME, f"Internal error in state '{state.name}': {type(error).__name__}: {error}")

    def enter(self, state: State) -> None:
        snap = self.snap
        snap["transitions"] += 1
        snap["entered_id"] = self.emit(
            state.type + "StateEntered",
            {"name": state.name, "input": self.dumps(snap["input"]), "inputDetails": {"truncated": False}},
        )
        snap["retries"] = []
        self.set_state_context(state, 0)

    def set_state_context(self, state: State, retry_count: int) -> None:
        # A new context dict per state: an earlier output may hold the old one (`"x.$": "$$"`).
        context = dict(self.snap["context"])
        if state.type == "Task":
            context["State"] = {"Name": state.name, "EnteredTime": iso(self.now), "RetryCount": retry_count}
        else:
            context["State"] = {"Name": state.name, "EnteredTime": iso(self.now)}
        self.snap["context"] = context

    def exit(self, state: State, output: Any, next_state: str | None) -> None:
        """Leave `state` with `output`: the Exited event, then the next state or the end."""
        text = self.dumps(output)
        if len(text) > MAX_PAYLOAD_BYTES and len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES:
            raise StatesError(
                E.DATA_LIMIT_EXCEEDED,
                f"The state/task '{state.name}' returned a result with a size exceeding the maximum number of bytes "
                "service limit.",
            )
        self.emit(
            state.type + "StateExited",
            {"name": state.name, "output": text, "outputDetails": {"truncated": False}},
        )
        snap = self.snap
        if next_state is None and (state.end or state.type == "Succeed"):
            self.succeed(output, text)
            return
        snap["state"], snap["phase"], snap["input"], snap["pending"] = next_state, "enter", output, None

    def fail_state(self, state: State, error: StatesError) -> None:
        """A runtime failure in `state`: retry, catch or fail the execution. An error while
        catching (a catcher's Output failing, say) fails the execution with that error."""
        try:
            self._fail_state(state, error)
        except StatesError as nested:
            if self.snap["status"] == "RUNNING":
                self.fail(nested.error, self.locate(state, nested))

    def locate(self, state: State, error: StatesError) -> str | None:
        if error.error not in _LOCATED_ERRORS:
            return error.cause
        return (
            f"An error occurred while executing the state '{state.name}' (entered at the event id "
            f"#{self.snap['entered_id']}). {error.cause}"
        )

    def _fail_state(self, state: State, error: StatesError) -> None:
        cause = self.locate(state, error)
        state_failed = False
        if error.error == E.QUERY_EVALUATION_ERROR:
            details = {"error": error.error, "cause": cause, "state": state.name}
            self.emit("EvaluationFailed", details)
            state_failed = True
        self.handle_error(
            state, error.error, cause, retriable=error.error not in (E.DATA_LIMIT_EXCEEDED,), state_failed=state_failed
        )

    def handle_error(
        self,
        state: State,
        error: str | None,
        cause: str | None,
        *,
        retriable: bool = True,
        state_failed: bool = False,
        task_reported: bool = False,
    ) -> None:
        """Retry if a retrier matches and has attempts left, else catch, else fail the execution."""
        if retriable and self._retry(state, error, task_reported):
            return
        for catcher in state.catch:
            if matches(catcher.error_equals, error, reported_by_task=task_reported):
                self.failed_event(state, state_failed)
                self._catch(state, catcher, error, cause)
                return
        self.failed_event(state, state_failed)
        self.fail(error, cause)

    def _retry(self, state: State, error: str | None, task_reported: bool) -> bool:
        """Schedule the back-off of the first matching retrier; False when none applies (any more)."""
        snap = self.snap
        for i, retrier in enumerate(state.retry):
            if not matches(retrier.error_equals, error, reported_by_task=task_reported):
                continue
            counts = snap["retries"] or [0] * len(state.retry)
            snap["retries"] = counts
            if counts[i] >= retrier.max_attempts:
                return False  # the first matching retrier decides, even when it is spent
            delay = retrier.interval_seconds * (retrier.backoff_rate ** counts[i])
            if retrier.max_delay_seconds is not None:
                delay = min(delay, retrier.max_delay_seconds)
            if retrier.jitter == "FULL":
                delay = random.uniform(0, delay)
            counts[i] += 1
            snap["phase"] = "retry"
            until = self.now + int(delay * 1000)
            self.effect = {"type": "wait", "until_ms": until, "until": iso(until), "reason": "retry"}
            return True
        return False

    def _catch(self, state: State, catcher: Catcher, error: str | None, cause: str | None) -> None:
        """Leave `state` through `catcher` with the error output ({"Error", "Cause"})."""
        snap = self.snap
        error_output = {} if error is None else {"Error": error} if cause is None else {"Error": error, "Cause": cause}
        if state.query_language == JSONATA:
            states = {"input": snap["input"], "context": snap["context"], "errorOutput": error_output}
            variables = snap["variables"]
            assigned = evaluate_jsonata_template(catcher.assign, states, variables) if catcher.assign else None
            output = (
                evaluate_jsonata_template(catcher.output, states, variables)
                if catcher.output is not None
                else error_output
            )
            if assigned:
                variables.update(assigned)
        else:
            if catcher.assign is not None:
                snap["variables"].update(evaluate_template(catcher.assign, error_output, self.scope()))
            output = apply_result_path(catcher.result_path, catcher.has_result_path, snap["input"], error_output)
        snap["retries"] = []
        self.exit(state, output, catcher.next)

    def failed_event(self, state: State, state_failed: bool) -> None:
        """Map and Parallel report their own failure once their children ran (or JSONata failed)."""
        if self.snap["phase"] != "children" and not state_failed:
            return
        if state.type == "Map":
            if self.snap["pending"] and self.snap["pending"].get("distributed"):
                self.emit("MapRunFailed", {})
            self.emit("MapStateFailed", {})
        elif state.type == "Parallel":
            self.emit("ParallelStateFailed", {})

    def scope(self) -> Scope:
        return Scope(self.snap["context"], self.snap["variables"])

    def states_binding(self, extra: dict | None = None) -> dict:
        snap = self.snap
        bound = {"input": snap["input"], "context": snap["context"]}
        if extra:
            bound.update(extra)
        return bound

    # ------------------------------------------------------------------ outcomes of effects

    def on_outcome(self, outcome: dict) -> None:
        snap = self.snap
        state = self.state
        phase = snap["phase"]
        if phase == "paused":
            self.on_continue(outcome)
            return
        if phase == "retry":
            # Back-off elapsed: run the state's body again, without a new Entered event.
            snap["phase"] = "retrying"
            count = sum(snap["retries"]) if snap["retries"] else 0
            self.set_state_context(state, count)
            return
        if phase == "wait":
            pending = snap["pending"]
            self.leave_plain(state, pending["effective"] if pending else snap["input"])
            return
        if phase == "task":
            task_outcome(self, state, outcome)
            return
        if phase == "read_items":
            items_read(self, state, outcome)
            return
        if phase == "write_results":
            results_written(self, state, outcome)
            return
        if phase == "children":
            (map_outcome if state.type == "Map" else parallel_outcome)(self, state, outcome)
            return
        raise RuntimeError(f"resume called in phase {phase!r}")

    def leave_plain(self, state: State, effective: Any) -> None:
        """The tail of states without a result (Wait, Succeed): Assign, OutputPath or Output, then leave."""
        snap = self.snap
        if state.query_language == JSONATA:
            output = snap["input"]
            if state.output is not None:
                output = evaluate_jsonata_template(state.output, self.states_binding(), snap["variables"])
            if state.assign is not None:
                snap["variables"].update(
                    evaluate_jsonata_template(state.assign, self.states_binding(), snap["variables"])
                )
        else:
            if state.assign is not None:
                snap["variables"].update(evaluate_template(state.assign, effective, self.scope()))
            output = apply_input_path(state.output_path, state.has_output_path, effective, self.scope())
        self.exit(state, output, state.next)


_LOCATED_ERRORS = frozenset({E.RUNTIME, E.QUERY_EVALUATION_ERROR, E.INTRINSIC_FAILURE, E.RESULT_PATH_MATCH_FAILURE})


_HANDLERS = {
    "Pass": run_pass,
    "Choice": run_choice,
    "Succeed": run_succeed,
    "Fail": run_fail,
    "Wait": run_wait,
    "Task": run_task,
    "Parallel": run_parallel,
    "Map": run_map,
}
