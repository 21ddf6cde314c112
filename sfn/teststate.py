"""TestState: one state run in-process, with an optional mocked result, as AWS's TestState API.

The state under test becomes the start of a small machine whose other states are `Succeed` stubs named
like the states it can go to, so the run stops where the state hands over; the first stub entered is the
`nextState`. Retry is taken off the state: a failure its retriers cover comes back RETRIABLE, as on AWS
(one attempt per call; `stateConfiguration.retrierRetryCount` says how many were made already).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import asl
from asl.errors import matches
from sfn.errors import SfnError, validation

SINGLE = "TestState"


def _targets(state: dict) -> tuple[set[str], set[str]]:
    normal = {state.get("Next"), state.get("Default")} | {c.get("Next") for c in state.get("Choices", [])}
    caught = {c.get("Next") for c in state.get("Catch", []) if isinstance(c, dict)}
    return {t for t in normal if isinstance(t, str)}, {t for t in caught if isinstance(t, str)}


def _retriable(retry: list | None, error: str | None, attempts_made: int) -> bool:
    for retrier in retry or []:
        if isinstance(retrier, dict) and matches(tuple(retrier.get("ErrorEquals", ())), error, reported_by_task=True):
            return attempts_made < retrier.get("MaxAttempts", 3)
    return False


def run(params: dict, handler_for_mock) -> dict:
    try:
        definition = json.loads(params["definition"])
    except ValueError as error:
        raise SfnError("InvalidDefinition", f"Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: {error}'")
    state_name = params.get("stateName")
    query_language = None
    if state_name is not None:
        if not isinstance(definition, dict) or state_name not in (definition.get("States") or {}):
            raise validation(f"The definition has no state named '{state_name}'.")
        state = definition["States"][state_name]
        query_language = definition.get("QueryLanguage")
    else:
        state, state_name = definition, SINGLE
    if not isinstance(state, dict):
        raise SfnError("InvalidDefinition", "Invalid State Machine Definition: 'a state is a JSON object'")
    state = copy.deepcopy(state)
    retry = state.pop("Retry", None)
    normal, caught = _targets(state)
    internal = state_name if state_name not in normal | caught else f"{state_name}.tested"
    machine: dict[str, Any] = {
        "StartAt": internal,
        "States": {internal: state, **{t: {"Type": "Succeed"} for t in normal | caught}},
    }
    if query_language:
        machine["QueryLanguage"] = query_language
    try:
        value = json.loads(params.get("input") or "{}")
    except ValueError as error:
        raise SfnError("InvalidExecutionInput", f"Invalid execution input: '{error}'")
    seen: dict[str, Any] = {}
    handler = handler_for_mock(params.get("mock"), seen)
    try:
        result = asl.execute(machine, value, handlers=handler)
    except asl.DefinitionError as error:
        problems = ", ".join(f"'{d.code}: {d.message} at {d.location or '/'}'" for d in error.diagnostics[:10])
        raise SfnError("InvalidDefinition", f"Invalid State Machine Definition: {problems}")
    return _outcome(params, state_name, result, normal, caught, retry, value, seen)


def _outcome(params, state_name, result, normal, caught, retry, value, seen) -> dict:
    stubs = normal | caught
    entered = [
        e["stateEnteredEventDetails"]["name"]
        for e in result.history
        if e["type"].endswith("StateEntered") and e["stateEnteredEventDetails"]["name"] in stubs
    ]
    next_state = entered[0] if entered else None
    failures = [e for e in result.history if e["type"].endswith("Failed") and e["type"] != "ExecutionFailed"]
    failure = next(iter(v for e in failures for k, v in e.items() if k.endswith("EventDetails")), {})
    out: dict[str, Any] = {}
    level = params.get("inspectionLevel") or "INFO"
    if result.status == "SUCCEEDED" and next_state in caught and failure:
        error, cause = failure.get("error"), failure.get("cause")
        if _retriable(retry, error, (params.get("stateConfiguration") or {}).get("retrierRetryCount", 0)):
            out.update(status="RETRIABLE", nextState=state_name, error=error, cause=cause)
        else:
            out.update(status="CAUGHT_ERROR", nextState=next_state, error=error, cause=cause)
            out["output"] = json.dumps(result.output, separators=(",", ":"))
    elif result.status == "SUCCEEDED":
        out.update(status="SUCCEEDED", output=json.dumps(result.output, separators=(",", ":")))
        if next_state:
            out["nextState"] = next_state
    else:
        attempts = (params.get("stateConfiguration") or {}).get("retrierRetryCount", 0)
        if _retriable(retry, result.error, attempts):
            out.update(status="RETRIABLE", nextState=state_name, error=result.error, cause=result.cause)
        else:
            out.update(status="FAILED", error=result.error, cause=result.cause)
    if level in ("DEBUG", "TRACE"):
        inspection = {"input": json.dumps(value, separators=(",", ":"))}
        if "parameters" in seen:
            inspection["afterParameters"] = json.dumps(seen["parameters"], separators=(",", ":"))
        if "result" in seen:
            inspection["result"] = json.dumps(seen["result"], separators=(",", ":"))
        if "output" in out:
            inspection["afterResultPath"] = out["output"]
        out["inspectionData"] = inspection
    return {k: v for k, v in out.items() if v is not None}
