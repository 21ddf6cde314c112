"""The stepping core: a serializable snapshot in; the new snapshot, the events and one effect out.

    step = start(machine, input, now_ms=…)            # → Step(snapshot, events, effect)
    step = resume(machine, step.snapshot, outcome, now_ms=…)

Pure states (Pass, Choice, Succeed, Fail and all data flow) run in a loop here; only effects
leave: `invoke` (a Task), `wait` (a Wait state or a retry back-off), `children` (the branches of a
Parallel or the iterations of a Map, each a child execution of a sub-machine) and `finished`.
docs/adr/0001-step-engine.md describes the shapes. The snapshot is plain JSON; the caller hands
it back unchanged (the core updates it in place for speed and returns it).
"""

from __future__ import annotations

import random
from typing import Any, NamedTuple

from asl import errors as E
from asl.choice import parse_timestamp
from asl.dataflow import (
    Scope,
    apply_input_path,
    apply_result_path,
    dumps,
    evaluate_jsonata_template,
    evaluate_template,
    resolve_path,
)
from asl.errors import StatesError, matches
from asl.events import event, iso
from asl.jsonata import UNDEFINED
from asl.model import JSONATA, State, StateMachine
from asl.paths import PathNotFound
from asl.serial import Serializer

MAX_PAYLOAD_BYTES = 256 * 1024
MAX_HISTORY_EVENTS = 25_000
EXECUTION, MAP_ITERATION, BRANCH = "execution", "map_iteration", "branch"


class Step(NamedTuple):
    snapshot: dict
    events: list[dict]
    effect: dict | None


def default_context(input: Any, now_ms: int, name: str = "local", machine_name: str = "stepwright") -> dict:
    """The `$$` context object of a fresh execution (ARNs in the local partition)."""
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
) -> Step:
    """Begin an execution of `machine` (or of its sub-machine `ref`, for a child execution)."""
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
        "deadline_ms": now_ms + sub.timeout_seconds * 1000 if sub.timeout_seconds and kind == EXECUTION else None,
        "map_name": map_name,
        "map_index": map_index,
        "transitions": 0,
    }
    run = _Run(machine, snapshot, now_ms)
    if kind == EXECUTION:
        run.emit(
            "ExecutionStarted",
            {
                "input": dumps(input),
                "inputDetails": {"truncated": False},
                "roleArn": snapshot["context"]["Execution"]["RoleArn"],
            },
        )
    elif kind == MAP_ITERATION:
        run.emit("MapIterationStarted", {"name": map_name, "index": map_index})
    return run.advance()


def resume(machine: StateMachine, snapshot: dict, outcome: dict | None, *, now_ms: int) -> Step:
    """Continue after an effect: `outcome` is the task's result or error, nothing after a wait, or
    `{"children": [...], "last_event_id": n}` after child executions (see the ADR)."""
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
    return run.advance()


def stop(
    machine: StateMachine, snapshot: dict, *, now_ms: int, error: str | None = None, cause: str | None = None
) -> Step:
    """Abort a running execution (StopExecution)."""
    run = _Run(machine, snapshot, now_ms)
    if snapshot["status"] == "RUNNING":
        snapshot["status"] = "ABORTED"
        snapshot["error"], snapshot["cause"] = error, cause
        details: dict = {}
        if error is not None:
            details["error"] = error
        if cause is not None:
            details["cause"] = cause
        run.emit("ExecutionAborted", details)
    return run.step()


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

    def fail(self, error: str | None, cause: str | None) -> None:
        snap = self.snap
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
            self.emit("MapIterationFailed", {"name": snap["map_name"], "index": snap["map_index"]})

    def time_out(self) -> None:
        snap = self.snap
        snap["status"], snap["state"] = "TIMED_OUT", None
        snap["error"], snap["cause"] = E.TIMEOUT, None
        self.emit("ExecutionTimedOut", {})

    # ------------------------------------------------------------------ the loop

    def advance(self) -> Step:
        snap = self.snap
        states = self.sub.states
        while snap["status"] == "RUNNING" and self.effect is None:
            if snap["event_id"] > MAX_HISTORY_EVENTS:
                self.fail(
                    "States.Runtime",
                    f"The execution reached the limit of {MAX_HISTORY_EVENTS} events in its history.",
                )
                break
            state = states[snap["state"]]
            try:
                _HANDLERS[state.type](self, state)
            except StatesError as error:
                self.fail_state(state, error)
        return self.step()

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
        """A runtime failure in `state`: retry, catch or fail the execution."""
        cause = error.cause
        if error.error in _LOCATED_ERRORS and not getattr(error, "located", False):
            cause = (
                f"An error occurred while executing the state '{state.name}' (entered at the event id "
                f"#{self.snap['entered_id']}). {cause}"
            )
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
        snap = self.snap
        match_error = "States.TaskReported" if task_reported and error in E.NOT_CAUGHT_BY_ALL else error
        if retriable and state.retry:
            for i, retrier in enumerate(state.retry):
                if matches(retrier.error_equals, match_error) or matches(retrier.error_equals, error):
                    counts = snap["retries"] or [0] * len(state.retry)
                    snap["retries"] = counts
                    if counts[i] < retrier.max_attempts:
                        delay = retrier.interval_seconds * (retrier.backoff_rate ** counts[i])
                        if retrier.max_delay_seconds is not None:
                            delay = min(delay, retrier.max_delay_seconds)
                        if retrier.jitter == "FULL":
                            delay = random.uniform(0, delay)
                        counts[i] += 1
                        snap["phase"] = "retry"
                        self.effect = {"type": "wait", "until_ms": self.now + int(delay * 1000), "reason": "retry"}
                        self.effect["until"] = iso(self.effect["until_ms"])
                        return
                    break
        for catcher in state.catch:
            if matches(catcher.error_equals, match_error) or matches(catcher.error_equals, error):
                self.failed_event(state, state_failed)
                error_output = {"Error": error, "Cause": cause} if cause is not None else {"Error": error}
                if error is None:
                    error_output = {}
                if state.query_language == JSONATA:
                    states = {"input": snap["input"], "context": snap["context"], "errorOutput": error_output}
                    variables = snap["variables"]
                    if catcher.assign is not None:
                        assigned = evaluate_jsonata_template(catcher.assign, states, variables)
                    output = (
                        evaluate_jsonata_template(catcher.output, states, variables)
                        if catcher.output is not None
                        else error_output
                    )
                    if catcher.assign is not None:
                        variables.update(assigned)
                else:
                    if catcher.assign is not None:
                        assigned = evaluate_template(catcher.assign, error_output, self.scope())
                        snap["variables"].update(assigned)
                    output = apply_result_path(
                        catcher.result_path, catcher.has_result_path, snap["input"], error_output
                    )
                snap["retries"] = []
                self.exit(state, output, catcher.next)
                return
        self.failed_event(state, state_failed)
        self.fail(error, cause)

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
        if phase == "retry":
            # Back-off elapsed: run the state's body again, without a new Entered event.
            snap["phase"] = "retrying"
            count = sum(snap["retries"]) if snap["retries"] else 0
            self.set_state_context(state, count)
            return
        if phase == "wait":
            pending = snap["pending"]
            self.exit_with_jsonpath_or_jsonata(state, pending["effective"] if pending else snap["input"], None)
            return
        if phase == "task":
            _task_outcome(self, state, outcome)
            return
        if phase == "children":
            (_map_outcome if state.type == "Map" else _parallel_outcome)(self, state, outcome)
            return
        raise RuntimeError(f"resume called in phase {phase!r}")

    def exit_with_jsonpath_or_jsonata(self, state: State, effective: Any, result: Any) -> None:
        """The common tail of Wait, Succeed and Choice: OutputPath or Output, then leave."""
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


# ---------------------------------------------------------------------------------- the states


def _effective_input(run: _Run, state: State) -> Any:
    snap = run.snap
    if state.has_input_path:
        return apply_input_path(state.input_path, True, snap["input"], run.scope())
    return snap["input"]


def _finish_jsonpath(run: _Run, state: State, effective: Any, result: Any, next_state: str | None) -> None:
    """ResultSelector → Assign → ResultPath → OutputPath, then leave (Task, Map, Parallel, Pass)."""
    snap = run.snap
    scope = run.scope()
    if state.result_selector is not None:
        result = evaluate_template(state.result_selector, result, scope)
    if state.assign is not None:
        assigned = evaluate_template(state.assign, result, scope)
    output = apply_result_path(state.result_path, state.has_result_path, snap["input"], result)
    if state.has_output_path:
        output = apply_input_path(state.output_path, True, output, scope)
    if state.assign is not None:
        snap["variables"].update(assigned)
    run.exit(state, output, next_state)


def _finish_jsonata(run: _Run, state: State, result: Any, next_state: str | None) -> None:
    """Output and Assign see `$states.result`; both read the variables from before the state."""
    snap = run.snap
    states = run.states_binding({"result": result} if result is not UNDEFINED else None)
    variables = snap["variables"]
    assigned = evaluate_jsonata_template(state.assign, states, variables) if state.assign is not None else None
    if state.output is not None:
        output = evaluate_jsonata_template(state.output, states, variables)
    else:
        output = result if result is not UNDEFINED else snap["input"]
    if assigned:
        variables.update(assigned)
    run.exit(state, output, next_state)


def _pass(run: _Run, state: State) -> None:
    run.enter(state)
    snap = run.snap
    if state.query_language == JSONATA:
        _finish_jsonata(run, state, UNDEFINED, state.next)
        return
    effective = _effective_input(run, state)
    if state.parameters is not None:
        result = evaluate_template(state.parameters, effective, run.scope())
    elif state.has_result:
        result = state.result
    else:
        result = effective
    if state.assign is not None:
        assigned = evaluate_template(state.assign, result, run.scope())
    output = apply_result_path(state.result_path, state.has_result_path, snap["input"], result)
    if state.has_output_path:
        output = apply_input_path(state.output_path, True, output, run.scope())
    if state.assign is not None:
        snap["variables"].update(assigned)
    run.exit(state, output, state.next)


def _choice(run: _Run, state: State) -> None:
    run.enter(state)
    snap = run.snap
    if state.query_language == JSONATA:
        states = run.states_binding()
        variables = snap["variables"]
        for choice in state.choices:
            value = evaluate_jsonata_template(choice.predicate, states, variables)
            if value is True:
                assigned = evaluate_jsonata_template(choice.assign, states, variables) if choice.assign else None
                output = (
                    evaluate_jsonata_template(choice.output, states, variables)
                    if choice.output is not None
                    else evaluate_jsonata_template(state.output, states, variables)
                    if state.output is not None
                    else snap["input"]
                )
                if assigned:
                    variables.update(assigned)
                run.exit(state, output, choice.next)
                return
            if not isinstance(value, bool):
                raise StatesError(
                    E.QUERY_EVALUATION_ERROR,
                    f"The JSONata expression '{choice.predicate[1].source}' specified for the field 'Condition' "
                    f"returned an unexpected result type. Expected 'boolean', but was '{_json_type(value)}' for "
                    f"value: {dumps(value)}",
                )
        if state.default is None:
            raise StatesError(E.NO_CHOICE_MATCHED, "No Matches!")
        _choice_default(run, state, snap["input"])
        return
    effective = _effective_input(run, state)
    scope = run.scope()
    for choice in state.choices:
        if choice.predicate(effective, scope):
            if choice.assign is not None:
                snap["variables"].update(evaluate_template(choice.assign, effective, scope))
            output = effective
            if state.has_output_path:
                output = apply_input_path(state.output_path, True, effective, scope)
            run.exit(state, output, choice.next)
            return
    if state.default is None:
        raise StatesError(E.NO_CHOICE_MATCHED, "No Matches!")
    _choice_default(run, state, effective)


def _choice_default(run: _Run, state: State, effective: Any) -> None:
    snap = run.snap
    if state.query_language == JSONATA:
        output = snap["input"]
        if state.output is not None:
            output = evaluate_jsonata_template(state.output, run.states_binding(), snap["variables"])
        if state.assign is not None:
            snap["variables"].update(evaluate_jsonata_template(state.assign, run.states_binding(), snap["variables"]))
    else:
        output = effective
        if state.assign is not None:
            snap["variables"].update(evaluate_template(state.assign, effective, run.scope()))
        if state.has_output_path:
            output = apply_input_path(state.output_path, True, effective, run.scope())
    run.exit(state, output, state.default)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _succeed(run: _Run, state: State) -> None:
    run.enter(state)
    effective = _effective_input(run, state) if state.query_language != JSONATA else run.snap["input"]
    run.exit_with_jsonpath_or_jsonata(state, effective, None)


def _fail(run: _Run, state: State) -> None:
    run.enter(state)
    snap = run.snap
    if state.query_language == JSONATA:
        states = run.states_binding()
        error = evaluate_jsonata_template(state.error, states, snap["variables"]) if state.error else None
        cause = evaluate_jsonata_template(state.cause, states, snap["variables"]) if state.cause else None
    else:
        error = _fail_value(run, state.error, "ErrorPath")
        cause = _fail_value(run, state.cause, "CausePath")
    snap["retries"] = []
    run.fail(error, cause)


def _fail_value(run: _Run, node: tuple | None, field: str) -> Any:
    if node is None:
        return None
    if node[0] == "path":
        path = node[1]
        data = run.snap["input"]
        try:
            return resolve_path(path, data, run.scope())
        except PathNotFound:
            raise StatesError(
                E.RUNTIME,
                f"The JSONPath '{path.text}' specified for the field '{field}' could not be found in the input "
                f"'{dumps(data)}'",
            ) from None
    return evaluate_template(node, run.snap["input"], run.scope())


def _wait(run: _Run, state: State) -> None:
    run.enter(state)
    snap = run.snap
    kind, value = state.wait_kind, state.wait_value
    if state.query_language == JSONATA:
        value = evaluate_jsonata_template(value, run.states_binding(), snap["variables"])
        effective = snap["input"]
        if kind == "Seconds":
            if not _is_int(value) or value < 0:
                raise StatesError(
                    E.QUERY_EVALUATION_ERROR,
                    f"The JSONata expression specified for the field 'Seconds' returned an unexpected value: {dumps(value)}",
                )
            until = run.now + int(value) * 1000
        else:
            moment = parse_timestamp(value)
            if moment is None:
                raise StatesError(
                    E.QUERY_EVALUATION_ERROR,
                    f"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {value}",
                )
            until = int(moment.timestamp() * 1000)
    else:
        effective = _effective_input(run, state)
        if kind == "Seconds":
            until = run.now + int(value[1] * 1000)
        elif kind == "Timestamp":
            moment = parse_timestamp(value[1])
            until = int(moment.timestamp() * 1000) if moment else run.now
        elif kind == "SecondsPath":
            try:
                seconds = resolve_path(value, effective, run.scope())
            except PathNotFound:
                raise StatesError(
                    E.RUNTIME, f"The SecondsPath parameter does not reference an input value: {value.text}"
                ) from None
            if not _is_int(seconds):
                raise StatesError(
                    E.RUNTIME,
                    f"The SecondsPath parameter cannot be parsed as a long value: {value.text} == {_plain(seconds)}",
                )
            if seconds < 0:
                raise StatesError(
                    E.RUNTIME, f"The SecondsPath parameter references a negative value: {value.text} == {seconds}"
                )
            until = run.now + int(seconds) * 1000
        else:
            try:
                stamp = resolve_path(value, effective, run.scope())
            except PathNotFound:
                raise StatesError(
                    E.RUNTIME, f"The TimestampPath parameter does not reference an input value: {value.text}"
                ) from None
            moment = parse_timestamp(stamp)
            if moment is None:
                raise StatesError(
                    E.RUNTIME,
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                    f"format string: {value.text} == {_plain(stamp)}",
                )
            until = int(moment.timestamp() * 1000)
    snap["phase"] = "wait"
    snap["pending"] = {"effective": effective} if effective is not snap["input"] else None
    if until <= run.now:
        run.exit_with_jsonpath_or_jsonata(state, effective, None)
        return
    deadline = snap.get("deadline_ms")
    run.effect = {"type": "wait", "until_ms": until if deadline is None else min(until, deadline), "reason": "wait"}
    run.effect["until"] = iso(run.effect["until_ms"])


def _is_int(value: Any) -> bool:
    return type(value) is int or (type(value) is float and value.is_integer() and False)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else dumps(value)


# ---------------------------------------------------------------------------------- Task


def _task(run: _Run, state: State) -> None:
    snap = run.snap
    if snap["phase"] != "retrying":
        run.enter(state)
    snap["phase"] = "task"
    scope = run.scope()
    if state.query_language == JSONATA:
        states = run.states_binding()
        parameters = (
            evaluate_jsonata_template(state.arguments, states, snap["variables"])
            if state.arguments is not None
            else None
        )
        effective = snap["input"]
        timeout = _jsonata_number(run, state.timeout, states)
        heartbeat = _jsonata_number(run, state.heartbeat, states)
    else:
        effective = _effective_input(run, state)
        parameters = (
            evaluate_template(state.parameters, effective, scope) if state.parameters is not None else effective
        )
        timeout = _number_field(run, state.timeout, effective)
        heartbeat = _number_field(run, state.heartbeat, effective)
    resource = state.resource
    details = {
        "resourceType": _resource_type(resource),
        "resource": _resource_name(resource),
        "region": "us-east-1",
        "parameters": dumps(parameters if parameters is not None else {}),
    }
    if timeout is not None:
        details["timeoutInSeconds"] = timeout
    if heartbeat is not None:
        details["heartbeatInSeconds"] = heartbeat
    run.emit("TaskScheduled", details)
    snap["pending"] = {"effective": effective} if effective is not snap["input"] else None
    effect = {
        "type": "invoke",
        "state": state.name,
        "resource": resource,
        "parameters": parameters,
        "timeout_seconds": timeout,
        "heartbeat_seconds": heartbeat,
        "attempt": sum(snap["retries"]) if snap["retries"] else 0,
    }
    if resource.endswith(".waitForTaskToken"):
        effect["task_token"] = f"{snap['context']['Execution']['Id']}:{snap['event_id']}"
    if state.credentials is not None:
        effect["credentials"] = state.credentials
    run.effect = effect


def _resource_type(resource: str) -> str:
    parts = resource.split(":")
    if len(parts) >= 6 and parts[2] == "states" and parts[5]:
        return parts[5]
    return parts[2] if len(parts) > 2 else resource


def _resource_name(resource: str) -> str:
    parts = resource.split(":")
    if len(parts) >= 7 and parts[2] == "states":
        return ":".join(parts[6:])
    return resource


def _number_field(run: _Run, node: tuple | None, effective: Any) -> int | None:
    if node is None:
        return None
    if node[0] == "lit":
        return node[1]
    try:
        value = resolve_path(node[1], effective, run.scope())
    except PathNotFound:
        raise StatesError(E.RUNTIME, f"The {node[2]} field refers to a missing value: {node[1].text}") from None
    if not _is_int(value) or value <= 0:
        raise StatesError(
            E.RUNTIME,
            f'The {node[2]} field refers to value "{_plain(value)}" which is not a valid integer: {node[1].text}',
        )
    return value


def _jsonata_number(run: _Run, node: tuple | None, states: dict) -> int | None:
    if node is None:
        return None
    if node[0] == "path":
        return _number_field(run, node, run.snap["input"])
    return evaluate_jsonata_template(node, states, run.snap["variables"])


def _task_outcome(run: _Run, state: State, outcome: dict) -> None:
    snap = run.snap
    resource_type, resource = _resource_type(state.resource), _resource_name(state.resource)
    run.emit("TaskStarted", {"resourceType": resource_type, "resource": resource})
    if "result" in outcome:
        result = outcome["result"]
        run.emit("TaskSucceeded", {"resourceType": resource_type, "resource": resource, "output": dumps(result)})
        pending = snap["pending"]
        effective = pending["effective"] if pending else snap["input"]
        if state.query_language == JSONATA:
            _finish_jsonata(run, state, result, state.next)
        else:
            _finish_jsonpath(run, state, effective, result, state.next)
        return
    error, cause = outcome.get("error"), outcome.get("cause")
    if outcome.get("timeout"):
        error = error or E.TIMEOUT
        cause = cause if cause is not None else ""
        details = {"resourceType": resource_type, "resource": resource, "error": error}
        if cause:
            details["cause"] = cause
        run.emit("TaskTimedOut", details)
    else:
        details = {"resourceType": resource_type, "resource": resource}
        if error is not None:
            details["error"] = error
        if cause is not None:
            details["cause"] = cause
        run.emit("TaskFailed", details)
    # An error the task itself reports is catchable by States.ALL even when it is named
    # States.DataLimitExceeded (recorded on AWS); only the engine's own limit errors are terminal.
    run.handle_error(state, error, cause, task_reported=True)


# ---------------------------------------------------------------------------------- Parallel and Map


def _parallel(run: _Run, state: State) -> None:
    snap = run.snap
    if snap["phase"] != "retrying":
        run.enter(state)
    if state.query_language == JSONATA:
        states = run.states_binding()
        effective = (
            evaluate_jsonata_template(state.arguments, states, snap["variables"])
            if state.arguments is not None
            else snap["input"]
        )
    else:
        effective = _effective_input(run, state)
        if state.parameters is not None:
            effective = evaluate_template(state.parameters, effective, run.scope())
    run.emit("ParallelStateStarted", None)
    snap["phase"] = "children"
    snap["pending"] = None
    run.effect = {
        "type": "children",
        "state": state.name,
        "max_concurrency": 0,
        "tolerated_failure_count": 0,
        "tolerated_failure_percentage": 0,
        "children": [
            {
                "ref": ref,
                "kind": BRANCH,
                "input": effective,
                "context": _child_context(snap["context"]),
                "variables": snap["variables"],
            }
            for ref in state.branches
        ],
    }


def _child_context(context: dict) -> dict:
    return {key: value for key, value in context.items() if key not in ("State", "Map", "Task")}


def _parallel_outcome(run: _Run, state: State, outcome: dict) -> None:
    results = outcome.get("children", [])
    for child in results:
        if child and child.get("status") != "SUCCEEDED":
            run.handle_error(state, child.get("error"), child.get("cause"))
            return
    run.emit("ParallelStateSucceeded", None)
    output = [child["output"] for child in results]
    _finish_children(run, state, output)


def _finish_children(run: _Run, state: State, result: Any) -> None:
    if state.query_language == JSONATA:
        _finish_jsonata(run, state, result, state.next)
    else:
        _finish_jsonpath(run, state, None, result, state.next)


def _map(run: _Run, state: State) -> None:
    snap = run.snap
    if snap["phase"] != "retrying":
        run.enter(state)
    scope = run.scope()
    jsonata = state.query_language == JSONATA
    if jsonata:
        states = run.states_binding()
        variables = snap["variables"]
        if state.items is not None:
            items = evaluate_jsonata_template(state.items, states, variables, keep_undefined=True)
            if not isinstance(items, list):
                node = state.items
                source = node[1].source if node[0] == "jsonata" else dumps(node[1])
                if items is UNDEFINED:
                    raise StatesError(
                        E.QUERY_EVALUATION_ERROR,
                        f"The JSONata expression '{source}' specified for the field 'Items' returned an unsupported "
                        "result type.",
                    )
                raise StatesError(
                    E.QUERY_EVALUATION_ERROR,
                    f"The JSONata expression '{source}' specified for the field 'Items' returned an unexpected result "
                    f"type. Expected 'array', but was '{_json_type(items)}' for value: {dumps(items)}",
                )
        else:
            items = snap["input"]
            if not isinstance(items, list):
                raise StatesError(E.QUERY_EVALUATION_ERROR, f"Map state input must be an array but was: {dumps(items)}")
        effective = snap["input"]
    else:
        effective = _effective_input(run, state)
        if state.items_path is not None:
            try:
                items = resolve_path(state.items_path, effective, scope)
            except PathNotFound:
                raise StatesError(
                    E.RUNTIME,
                    f"Invalid path '{state.items_path.text}' : No results for path: {state.items_path.normalized()}",
                ) from None
        else:
            items = effective
        if not isinstance(items, list):
            raise StatesError(
                E.RUNTIME,
                f"Invalid path '{state.items_path.text if state.items_path else '$'}' : The value of the path is not an array: {dumps(items)}",
            )
    if state.item_batcher:
        items = _batch(run, state, items, effective)
    max_concurrency = _map_number(run, state.max_concurrency, "MaxConcurrency", effective, integer=True)
    if not jsonata:
        # AWS reports the Map as started before it reads the tolerated failures (the corpus shows it).
        run.emit("MapStateStarted", {"length": len(items)})
    count = _map_number(run, state.tolerated_count, "ToleratedFailureCount", effective, integer=True)
    percentage = _map_number(run, state.tolerated_percentage, "ToleratedFailurePercentage", effective, integer=False)
    if count is not None and count < 0:
        raise StatesError(E.RUNTIME, "ToleratedFailureCount cannot be negative.")
    if percentage is not None and not 0 <= percentage <= 100:
        raise StatesError(E.RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
    children = []
    base_context = _child_context(snap["context"])
    for index, item in enumerate(items):
        context = dict(base_context)
        context["Map"] = {"Item": {"Index": index, "Value": item}}
        if state.item_selector is not None:
            if jsonata:
                selector_states = {"input": snap["input"], "context": context}
                child_input = evaluate_jsonata_template(state.item_selector, selector_states, snap["variables"])
            else:
                child_input = evaluate_template(state.item_selector, effective, Scope(context, snap["variables"]))
        else:
            child_input = item
        children.append(
            {
                "ref": state.processor,
                "kind": MAP_ITERATION,
                "index": index,
                "name": state.name,
                "input": child_input,
                "context": context,
                "variables": snap["variables"],
            }
        )
    if jsonata:
        run.emit("MapStateStarted", {"length": len(children)})
    if state.distributed:
        run.emit("MapRunStarted", {"mapRunArn": f"{snap['context']['Execution']['Id']}/{state.name}"})
    snap["phase"] = "children"
    snap["pending"] = {
        "tolerated_failure_count": count or 0,
        "tolerated_failure_percentage": percentage or 0,
        "distributed": state.distributed,
    }
    run.effect = {
        "type": "children",
        "state": state.name,
        "max_concurrency": max_concurrency or 0,
        "tolerated_failure_count": count or 0,
        "tolerated_failure_percentage": percentage or 0,
        "distributed": state.distributed,
        "children": children,
    }


def _batch(run: _Run, state: State, items: list, effective: Any) -> list:
    batcher = state.item_batcher
    size = batcher.get("MaxItemsPerBatch")
    if size is None and "MaxItemsPerBatchPath" in batcher:
        from asl.paths import compile_path

        size = resolve_path(compile_path(batcher["MaxItemsPerBatchPath"]), effective, run.scope())
    size = size or len(items) or 1
    batch_input = batcher.get("BatchInput", {})
    return [{"BatchInput": batch_input, "Items": items[i : i + size]} for i in range(0, len(items), size)]


def _map_number(run: _Run, node: tuple | None, field: str, effective: Any, *, integer: bool) -> Any:
    if node is None:
        return None
    if node[0] == "lit":
        return node[1]
    if node[0] == "path":
        try:
            value = resolve_path(node[1], effective, run.scope())
        except PathNotFound:
            raise StatesError(E.RUNTIME, f"The {field}Path field refers to a missing value: {node[1].text}") from None
        raw = value
        value = _coerce_number(value, integer)
        if value is None:
            kind = "integer" if integer else "float"
            raise StatesError(
                E.RUNTIME,
                f'The {field}Path field refers to value "{_plain(raw)}" which is not a valid {kind}: {node[1].text}',
            )
        return value
    return evaluate_jsonata_template(node, run.states_binding(), run.snap["variables"])


def _coerce_number(value: Any, integer: bool) -> Any:
    """AWS reads these fields leniently: a number, or a string holding one."""
    if type(value) is str:
        try:
            value = int(value) if integer else float(value)
        except ValueError:
            return None
    if integer:
        return value if type(value) is int else None
    return value if type(value) in (int, float) else None


def children_should_stop(effect: dict, results: list) -> bool:
    """Whether the failures among `results` (finished children so far) already fail the Map or
    Parallel, so no further child need start. Shared by every shell that runs children."""
    failed = sum(1 for r in results if r and r.get("status") != "SUCCEEDED")
    if not failed:
        return False
    if effect.get("tolerated_failure_count") or effect.get("tolerated_failure_percentage"):
        return _over_tolerance(effect, failed)
    return True


def _over_tolerance(effect: dict, failed: int) -> bool:
    total = len(effect["children"])
    count = effect.get("tolerated_failure_count") or 0
    percentage = effect.get("tolerated_failure_percentage") or 0
    if failed <= count:
        return False
    return not (total and failed * 100 / total <= percentage)


def _map_outcome(run: _Run, state: State, outcome: dict) -> None:
    results = outcome.get("children", [])
    effect_like = {"children": results, **(run.snap["pending"] or {})}
    effect_like.setdefault("tolerated_failure_count", 0)
    effect_like.setdefault("tolerated_failure_percentage", 0)
    failures = [r for r in results if r and r.get("status") != "SUCCEEDED"]
    if failures and _over_tolerance(effect_like, len(failures)) or any(r is None for r in results):
        first = failures[0] if failures else {}
        if effect_like["tolerated_failure_count"] or effect_like["tolerated_failure_percentage"]:
            run.handle_error(
                state,
                E.EXCEEDED_TOLERATED_FAILURE,
                "The specified tolerance threshold was exceeded.",
            )
        else:
            run.handle_error(state, first.get("error"), first.get("cause"))
        return
    if run.snap["pending"].get("distributed"):
        run.emit("MapRunSucceeded", None)
    run.emit("MapStateSucceeded", None)
    output = [r["output"] if r.get("status") == "SUCCEEDED" else _failed_item(r) for r in results]
    _finish_children(run, state, output)


def _failed_item(result: dict) -> Any:
    return {"Error": result.get("error"), "Cause": result.get("cause")}


_HANDLERS = {
    "Pass": _pass,
    "Choice": _choice,
    "Succeed": _succeed,
    "Fail": _fail,
    "Wait": _wait,
    "Task": _task,
    "Parallel": _parallel,
    "Map": _map,
}
