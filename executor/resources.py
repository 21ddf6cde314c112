"""Task resources for local runs, tried in this order: the test case's mocks, a local handler from the
settings, the HTTP Task, then a callback (a task token answered through the API or the UI).

A resolution is either an outcome for the engine (`{"result": …}` or `{"error", "cause"}`) or a Wait:
the task now waits for its token to be answered (SendTaskSuccess/Failure, or a nested execution ending).
"""

from __future__ import annotations

import fnmatch
import importlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction

from asl.mocks import call_handler, response_items
from executor.models import Execution, MockCount

HTTP_INVOKE = "arn:aws:states:::http:invoke"
START_EXECUTION = "arn:aws:states:::states:startExecution"


@dataclass(frozen=True)
class Wait:
    """The task waits until `token` is answered."""

    token: str


@dataclass
class MockHold:
    """A step transaction's use of its run's mock counters (MockCount rows, locked until it commits).

    A step waits for a counter another step holds only if waiting cannot close a cycle: it is the first
    counter of the transaction (two steps taking two counters in opposite orders would wait for each
    other), and the execution has never had children (a child holding a counter locks its parent's row
    when it finishes, while a parent's step would hold that row and wait for the counter). Otherwise
    a held counter raises Busy and the task is served in a later transaction."""

    may_wait: bool = True
    held: bool = False


class Busy(Exception):
    """Another step holds the mock counter and this one may not wait for it."""


def resolve(execution: Execution, effect: dict, context: dict, mocks: MockHold | None = None) -> dict | object:
    """Serve one Task invocation. A mock answers with its next response, counted per run (see MockCount)
    in the caller's transaction; raises Busy if `mocks` says not to wait for the counter and it is held."""
    state, resource = effect["state"], effect["resource"]
    waits = "task_token" in effect
    test_case = execution.test_case or (execution.parent and _root(execution).test_case)
    if test_case is not None and state in test_case.responses:
        return _next_mock(execution, state, test_case.responses[state], mocks or MockHold())
    handler = _handler_for(resource)
    if handler is not None:
        outcome = _call(handler, effect, context)
        return Wait(effect["task_token"]) if waits and "error" not in outcome else outcome
    if resource == HTTP_INVOKE:
        return http_invoke(effect["parameters"] or {})
    if resource.startswith(START_EXECUTION):
        return start_nested(execution, effect)
    connection = _root(execution).aws_connection if execution.parent_id else execution.aws_connection
    if connection is not None:
        from executor import aws_tasks

        if aws_tasks.serves(resource.removesuffix(".waitForTaskToken")):
            outcome = aws_tasks.invoke(connection, resource.removesuffix(".waitForTaskToken"), effect["parameters"])
            return Wait(effect["task_token"]) if waits and "error" not in outcome else outcome
    if ":activity:" in resource and resource.startswith("arn:"):
        # An activity: the task waits until an activity worker takes it (GetActivityTask) and answers.
        return Wait(effect.get("task_token") or f"activity:{execution.uuid}:{execution.sequence}")
    if waits:
        return Wait(effect["task_token"])
    return {
        "error": "States.Runtime",
        "cause": (
            f"Task state '{state}' cannot run locally: resource '{resource}' has no mock in the test case and no "
            "local handler (STEPWRIGHT_TASK_HANDLERS)."
        ),
    }


def _root(execution: Execution) -> Execution:
    while execution.parent_id is not None:
        execution = execution.parent
    return execution


def _next_mock(execution: Execution, state: str, responses: dict, mocks: MockHold) -> dict:
    items = response_items(responses)
    if execution.pk is None:  # the stand-in of a synchronous Express run (sfn/): one process, one count
        calls = vars(execution).setdefault("mock_calls", {})
        used = calls.get(state, 0)
        calls[state] = used + 1
    else:
        used = _count(_root(execution).pk, state, wait=mocks.may_wait and not mocks.held) - 1
        mocks.held = True
    if used >= len(items):
        return {
            "error": "States.Runtime",
            "cause": f"The mock for state '{state}' has {len(items)} response(s); invocation {used + 1} has none.",
        }
    return dict(items[used])


def _count(root_id: int, state: str, *, wait: bool) -> int:
    """Count one invocation of `state` in the run `root_id`; its number from 1. The counter's row stays
    locked until the step commits: a concurrent step of the same run waits (or, with wait=False, gets
    Busy), and a step rolled back has used nothing."""
    table = MockCount._meta.db_table  # names from the model, values as parameters
    with connection.cursor() as cursor:
        if not wait and connection.features.has_select_for_update_nowait:
            try:
                with transaction.atomic():  # a savepoint: a refused lock must not spoil the step
                    cursor.execute(
                        f"SELECT 1 FROM {table} WHERE execution_id = %s AND state = %s FOR UPDATE NOWAIT",
                        [root_id, state],
                    )
            except OperationalError as error:
                raise Busy(state) from error
        # PostgreSQL, and SQLite from 3.35 (UPSERT with RETURNING)
        cursor.execute(
            f"""
            INSERT INTO {table} (execution_id, state, used) VALUES (%s, %s, 1)
            ON CONFLICT (execution_id, state) DO UPDATE SET used = {table}.used + 1
            RETURNING used
            """,
            [root_id, state],
        )
        return cursor.fetchone()[0]


@cache
def _load(target: str) -> Callable | str:
    if target.startswith(("http://", "https://")):
        return target
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _handler_for(resource: str) -> Callable | str | None:
    handlers: dict[str, str] = getattr(settings, "STEPWRIGHT_TASK_HANDLERS", {})
    target = handlers.get(resource) or next(
        (t for pattern, t in handlers.items() if fnmatch.fnmatchcase(resource, pattern)), None
    )
    return _load(target) if target else None


def _call(handler: Callable | str, effect: dict, context: dict) -> dict:
    if isinstance(handler, str):
        return _post_json(handler, {"parameters": effect["parameters"], "context": context})
    return call_handler(handler, effect, context)


def _post_json(url: str, body: Any) -> dict:
    """A handler behind HTTP: POST the payload, the JSON answer is the result; a 4xx/5xx fails the task."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read().decode()
    except urllib.error.HTTPError as error:
        return {"error": f"HTTP.{error.code}", "cause": error.read().decode(errors="replace")[:32768]}
    except OSError as error:
        return {"error": "States.TaskFailed", "cause": f"The local handler at {url} did not answer: {error}"}
    return {"result": json.loads(text) if text.strip() else None}


def http_invoke(parameters: dict) -> dict:
    """The HTTP Task (arn:aws:states:::http:invoke), made for real: ApiEndpoint, Method, Headers,
    QueryParameters and RequestBody in; StatusCode, StatusText, Headers and ResponseBody out."""
    url = parameters.get("ApiEndpoint")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return {"error": "States.Runtime", "cause": "The HTTP Task needs an http(s) ApiEndpoint."}
    query = parameters.get("QueryParameters")
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query, doseq=True)
    body = parameters.get("RequestBody")
    data = None if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
    headers = {"Content-Type": "application/json", **(parameters.get("Headers") or {})}
    request = urllib.request.Request(url, data=data, headers=headers, method=parameters.get("Method", "GET"))
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, reason, raw, response_headers = response.status, response.reason, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, reason, raw, response_headers = error.code, error.reason, error.read(), error.headers
    except OSError as error:
        return {"error": "States.Http.Socket", "cause": f"The request to {url} failed: {error}"}
    text = raw.decode(errors="replace")
    try:
        response_body: Any = json.loads(text)
    except ValueError:
        response_body = text
    result = {
        "StatusCode": status,
        "StatusText": reason,
        "Headers": {k: [v] for k, v in response_headers.items()},
        "ResponseBody": response_body,
    }
    if status >= 400:
        return {"error": f"States.Http.StatusCode.{status}", "cause": json.dumps(result)}
    return {"result": result}


def execution_arn(execution: Execution) -> str:
    return f"arn:aws:states:local:000000000000:execution:{execution.workflow.name}:{execution.name}"


def start_nested(caller: Execution, effect: dict) -> dict | Wait:
    """`states:startExecution` of another workflow of the same team, as a local execution; with `.sync`
    or `.sync:2` the task waits for it to end (see driver.answer_nested_caller)."""
    from designer.errors import ServiceError
    from executor import services

    parameters = effect["parameters"] or {}
    arn = str(parameters.get("StateMachineArn", ""))
    target = caller.workflow.team.workflows.filter(name=arn.rsplit(":", 1)[-1], deleted_at__isnull=True).first()
    if target is None:
        return {"error": "StepFunctions.StateMachineDoesNotExistException",
                "cause": f"No workflow of this team is named by the StateMachineArn {arn!r}."}  # fmt: skip
    raw_input = parameters.get("Input", {})
    if isinstance(raw_input, str):
        try:
            raw_input = json.loads(raw_input)
        except ValueError:
            return {"error": "StepFunctions.InvalidExecutionInputException", "cause": "Input is not JSON."}
    sync = effect["resource"].split("startExecution", 1)[1].lstrip(".").replace(":", "")  # "", "sync", "sync2"
    token = f"nested:{sync}:{caller.uuid}:{caller.sequence}"
    try:
        nested = services.start_execution(
            user=None,
            workflow=target,
            input=raw_input,
            name=parameters.get("Name"),
            caller_token=token if sync else "",
        )
    except ServiceError as error:
        return {"error": "StepFunctions.InvalidDefinitionException", "cause": error.message}
    if sync:
        return Wait(token)
    return {"result": {"ExecutionArn": execution_arn(nested), "StartDate": nested.started_at.isoformat()}}


def nested_outcome(nested: Execution) -> dict:
    """What a `.sync` / `.sync:2` task returns when its nested execution ends (DescribeExecution's shape)."""
    as_json = nested.caller_token.startswith("nested:sync2:")  # .sync:2 gives JSON, .sync gives strings
    described = {
        "ExecutionArn": execution_arn(nested),
        "Name": nested.name,
        "StateMachineArn": f"arn:aws:states:local:000000000000:stateMachine:{nested.workflow.name}",
        "Status": nested.status,
        "StartDate": nested.started_at.isoformat(),
        "StopDate": nested.stopped_at.isoformat() if nested.stopped_at else None,
        "Input": nested.input if as_json else json.dumps(nested.input, separators=(",", ":")),
        "InputDetails": {"Included": True},
    }
    if nested.status == "SUCCEEDED":
        described["Output"] = nested.output if as_json else json.dumps(nested.output, separators=(",", ":"))
        described["OutputDetails"] = {"Included": True}
        return {"result": described}
    described.update({"Error": nested.error, "Cause": nested.cause})
    return {"error": "States.TaskFailed", "cause": json.dumps(described, separators=(",", ":"))}
