"""History events in the `GetExecutionHistory` shape, built cheaply.

Timestamps are ISO 8601 strings in UTC with milliseconds; formatting is cached per millisecond
because a tight loop emits many events at the same (virtual) instant.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

_last_ms: int | None = None
_last_text = ""


def iso(ms: int) -> str:
    global _last_ms, _last_text
    if ms != _last_ms:
        _last_text = datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        _last_ms = ms
    return _last_text


# Details key per event type, for the types whose key is not derived from the type name.
_DETAILS_KEY = {
    "ExecutionStarted": "executionStartedEventDetails",
    "ExecutionSucceeded": "executionSucceededEventDetails",
    "ExecutionFailed": "executionFailedEventDetails",
    "ExecutionTimedOut": "executionTimedOutEventDetails",
    "ExecutionAborted": "executionAbortedEventDetails",
    "TaskScheduled": "taskScheduledEventDetails",
    "TaskStarted": "taskStartedEventDetails",
    "TaskSucceeded": "taskSucceededEventDetails",
    "TaskFailed": "taskFailedEventDetails",
    "TaskTimedOut": "taskTimedOutEventDetails",
    "TaskSubmitted": "taskSubmittedEventDetails",
    "MapStateStarted": "mapStateStartedEventDetails",
    "MapIterationStarted": "mapIterationStartedEventDetails",
    "MapIterationSucceeded": "mapIterationSucceededEventDetails",
    "MapIterationFailed": "mapIterationFailedEventDetails",
    "MapIterationAborted": "mapIterationAbortedEventDetails",
    "MapRunStarted": "mapRunStartedEventDetails",
    "MapRunFailed": "mapRunFailedEventDetails",
    "EvaluationFailed": "evaluationFailedEventDetails",
    "ExecutionRedriven": "executionRedrivenEventDetails",
}


def details_key(event_type: str) -> str | None:
    if event_type in _DETAILS_KEY:
        return _DETAILS_KEY[event_type]
    if event_type.endswith("StateEntered"):
        return "stateEnteredEventDetails"
    if event_type.endswith("StateExited"):
        return "stateExitedEventDetails"
    return None


_keys: dict[str, str | None] = {}


def event(event_id: int, previous_id: int, event_type: str, ms: int, details: dict[str, Any] | None) -> dict:
    e = {"id": event_id, "previousEventId": previous_id, "type": event_type, "timestamp": iso(ms)}
    if details is not None:
        try:
            key = _keys[event_type]
        except KeyError:
            key = _keys[event_type] = details_key(event_type)
        if key:
            e[key] = details
    return e
