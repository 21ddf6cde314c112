"""The Task state: schedule (an `invoke` effect), then the outcome the shell reports back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asl import errors as E
from asl.dataflow import (
    dumps,
    evaluate_jsonata_template,
    evaluate_template,
    resolve_path,
)
from asl.errors import StatesError
from asl.flow import effective_input, finish_jsonata, finish_jsonpath, is_int, plain
from asl.model import JSONATA, State
from asl.paths import PathNotFound

if TYPE_CHECKING:
    from asl.engine import _Run as Run


def run_task(run: Run, state: State) -> None:
    snap = run.snap
    if snap["phase"] != "retrying":
        run.enter(state)
    snap["phase"] = "task"
    token = None
    if state.resource.endswith(".waitForTaskToken"):
        # The token must exist before Parameters are evaluated: they pass it on as `$$.Task.Token`.
        attempt = sum(snap["retries"]) if snap["retries"] else 0
        scope = snap.get("scope", "")  # a Map iteration's or branch's place: unique among the execution's tokens
        token = f"{snap['context']['Execution']['Id']}#{scope}{state.name}#{snap['entered_id']}#{attempt}"
        snap["context"] = {**snap["context"], "Task": {"Token": token}}
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
        effective = effective_input(run, state)
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
    snap["pending"] = None
    effect = {
        "type": "invoke",
        "state": state.name,
        "resource": resource,
        "parameters": parameters,
        "timeout_seconds": timeout,
        "heartbeat_seconds": heartbeat,
        "attempt": sum(snap["retries"]) if snap["retries"] else 0,
    }
    if token is not None:
        effect["task_token"] = token
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


def _number_field(run: Run, node: tuple | None, effective: Any) -> int | None:
    if node is None:
        return None
    if node[0] == "lit":
        return node[1]
    try:
        value = resolve_path(node[1], effective, run.scope())
    except PathNotFound:
        raise StatesError(E.RUNTIME, f"The {node[2]} field refers to a missing value: {node[1].text}") from None
    if not is_int(value) or value <= 0:
        raise StatesError(
            E.RUNTIME,
            f'The {node[2]} field refers to value "{plain(value)}" which is not a valid integer: {node[1].text}',
        )
    return value


def _jsonata_number(run: Run, node: tuple | None, states: dict) -> int | None:
    if node is None:
        return None
    if node[0] == "path":
        return _number_field(run, node, run.snap["input"])
    return evaluate_jsonata_template(node, states, run.snap["variables"])


def task_outcome(run: Run, state: State, outcome: dict) -> None:
    resource_type, resource = _resource_type(state.resource), _resource_name(state.resource)
    run.emit("TaskStarted", {"resourceType": resource_type, "resource": resource})
    if "result" in outcome:
        result = outcome["result"]
        run.emit("TaskSucceeded", {"resourceType": resource_type, "resource": resource, "output": dumps(result)})
        if state.query_language == JSONATA:
            finish_jsonata(run, state, result, state.next)
        else:
            finish_jsonpath(run, state, result, state.next)
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
    run.handle_error(state, error, cause, task_reported=True)
