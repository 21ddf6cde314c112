"""Executions on AWS (the executor's `aws` backend): start, copy the history, stop, redrive, callbacks.

A STANDARD execution is started with StartExecution and recorded as an Execution row (backend `aws`)
with an AwsExecution beside it. A Celery task (`designer.aws.tasks.poll_aws_execution`) then copies
GetExecutionHistory pages into HistoryEvent rows, following nextToken from where it stopped, and takes
status and output from DescribeExecution, until the execution ends: every second while someone reads
it (the history API calls `watch`), backing off to a minute otherwise. An EXPRESS state machine runs
with StartSyncExecution and comes back finished with its output; AWS keeps no history for it.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from designer.aws.clients import Aws, AwsError
from designer.aws.models import AwsExecution, AwsLink
from designer.errors import Conflict, ServiceError
from designer.models import Activity, Workflow, WorkflowVersion
from designer.roles import Role
from designer.selectors import require_role
from designer.services import check_payload, record

log = logging.getLogger(__name__)

POLL_FAST = 1.0  # seconds between polls while someone watches
POLL_MAX = 60.0  # the slowest back-off otherwise
WATCH_SECONDS = 30  # a history request counts as watching for this long
REFRESH_EVERY = 1.0  # a watcher's request copies new events itself when the last poll is older
MAX_FAILED_POLLS = 20
HISTORY_PAGE = 1000  # AWS's largest page
RUNNING = "RUNNING"
# The local driver's sweeper re-enqueues RUNNABLE executions it thinks a worker lost, and the local engine
# would then run an AWS execution itself. AWS executions wait "for a callback" with no timer (wake_at
# NULL), which the sweeper never picks up: AWS is the callback.
REMOTE = "callback"


def _executor_models():
    from executor.models import Execution, HistoryEvent

    return Execution, HistoryEvent


def link_for(workflow: Workflow, connection_id: int | None = None) -> AwsLink:
    """The state machine the workflow is deployed to (through `connection_id`, or the latest one)."""
    links = workflow.aws_links.select_related("connection", "deployed_version")
    if connection_id is not None:
        links = links.filter(connection_id=connection_id)
    link = links.order_by("-updated_at", "-id").first()
    if link is None:
        raise ServiceError(
            "not_deployed",
            f"{workflow.name!r} is not deployed to AWS"
            + (" through that connection" if connection_id is not None else "")
            + ": deploy it first.",
            {"field": "/connection"} if connection_id is not None else {},
        )
    return link


def schedule(execution_id: int, countdown: float) -> None:
    """Poll the execution again in `countdown` seconds, once the current transaction commits."""
    from designer.aws.tasks import poll_aws_execution

    transaction.on_commit(lambda: poll_aws_execution.apply_async((execution_id,), countdown=countdown))


def _json(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _state_machine_of(execution_arn: str) -> str:
    """arn:…:execution:Machine:name (or :express:) -> arn:…:stateMachine:Machine."""
    parts = execution_arn.split(":")
    if len(parts) < 8 or parts[5] not in ("execution", "express"):
        raise ServiceError("invalid", "That is not an execution ARN.", {"field": "/execution_arn"})
    return ":".join([*parts[:5], "stateMachine", parts[6]])


def start(
    *,
    user: AbstractBaseUser,
    workflow: Workflow,
    input: Any,
    version: WorkflowVersion | None = None,
    name: str | None = None,
    connection_id: int | None = None,
):
    """Start the deployed state machine; Express runs synchronously and comes back finished."""
    Execution, _ = _executor_models()
    require_role(user, workflow.team, Role.RUNNER, "run workflows")
    link = link_for(workflow, connection_id)
    if link.connection.team_id != workflow.team_id:
        raise ServiceError("not_deployed", "The workflow is not deployed through one of its team's connections.")
    if version is not None and link.deployed_version_id != version.pk:
        deployed = link.deployed_version.number if link.deployed_version else "unknown"
        raise ServiceError(
            "version_not_deployed",
            f"AWS runs version {deployed} of {workflow.name!r}, not version {version.number}: deploy it first.",
            {"field": "/version"},
        )
    input = {} if input is None else input
    check_payload(input, "input")
    name = name or str(uuid.uuid4())
    if Execution.objects.filter(workflow=workflow, name=name, parent__isnull=True).exists():
        raise Conflict("execution_exists", f"The workflow already has an execution named {name!r}.", {"field": "/name"})
    aws = Aws(link.connection)
    express = link.type == "EXPRESS"
    params = {"stateMachineArn": link.state_machine_arn, "name": name, "input": json.dumps(input)}
    result = aws.sfn("start_sync_execution" if express else "start_execution", **params)
    with transaction.atomic():
        execution = Execution(
            workflow=workflow,
            version=link.deployed_version,
            backend="aws",
            name=name,
            input=input,
            started_by=user,
            remote_arn=result["executionArn"],
            waiting=REMOTE,
        )
        if express:
            _finish_from(execution, result)
        try:
            with transaction.atomic():
                execution.save()
        except IntegrityError:
            raise Conflict(
                "execution_exists",
                f"The workflow got another execution named {name!r} meanwhile; the run started on AWS anyway "
                f"({result['executionArn']}): open it from the list of AWS executions.",
                {"field": "/name", "execution_arn": result["executionArn"]},
            )
        AwsExecution.objects.create(
            execution=execution,
            connection=link.connection,
            state_machine_arn=link.state_machine_arn,
            express=express,
            polled_at=timezone.now() if express else None,
        )
        record(
            team=workflow.team,
            actor=user,
            verb=Activity.Verb.RAN,
            subject=workflow.name,
            workflow=workflow,
            execution=name,
            version=execution.version.number if execution.version else None,
            backend="aws",
        )
        if not express:
            schedule(execution.pk, POLL_FAST)
    return execution


def _finish_from(execution, described: dict) -> None:
    """Status, output, error and cause from DescribeExecution or StartSyncExecution."""
    execution.status = described.get("status", execution.status)
    if "output" in described:
        execution.output = _json(described["output"])
    if described.get("error") is not None or execution.status != RUNNING:
        execution.error = described.get("error", execution.error)
        execution.cause = described.get("cause", execution.cause)
    if described.get("stopDate"):
        execution.stopped_at = described["stopDate"]
    if described.get("redriveCount") is not None:
        execution.redrive_count = described["redriveCount"]


def _event_row(execution, event: dict):
    _, HistoryEvent = _executor_models()
    details = {key: value for key, value in event.items() if key not in ("id", "previousEventId", "type", "timestamp")}
    return HistoryEvent(
        execution=execution,
        event_id=event["id"],
        previous_event_id=event.get("previousEventId") or 0,
        type=event["type"],
        timestamp=event["timestamp"],
        details=json.loads(json.dumps(details, default=str)),
    )


def _copy_history(aws: Aws, execution, remote: AwsExecution) -> int:
    """New history events into HistoryEvent rows; how many were new."""
    _, HistoryEvent = _executor_models()
    last = execution.events.order_by("-event_id").values_list("event_id", flat=True).first() or 0
    token = remote.next_token or None
    added = 0
    while True:
        params: dict[str, Any] = {
            "executionArn": execution.remote_arn,
            "maxResults": HISTORY_PAGE,
            "includeExecutionData": True,
        }
        if token:
            params["nextToken"] = token
        try:
            page = aws.sfn("get_execution_history", **params)
        except AwsError as error:
            if token and error.details.get("aws_code") == "InvalidToken":
                token = None  # AWS's tokens expire: start again from the first page
                remote.next_token = ""
                continue
            raise
        rows = [_event_row(execution, event) for event in page.get("events", []) if event["id"] > last]
        if rows:
            HistoryEvent.objects.bulk_create(rows, ignore_conflicts=True)
            last = max(row.event_id for row in rows)
            added += len(rows)
        token = page.get("nextToken")
        if not token:
            return added
        remote.next_token = token  # a full page is behind us: the next poll goes on from here


def refresh(execution):
    """Bring the execution up to date from AWS: DescribeExecution, then the new history events."""
    remote = AwsExecution.objects.select_related("connection").get(execution=execution)
    if remote.express or remote.connection is None:
        return execution
    aws = Aws(remote.connection)
    described = aws.sfn("describe_execution", executionArn=execution.remote_arn)
    added = _copy_history(aws, execution, remote)
    _finish_from(execution, described)
    execution.save(update_fields=["status", "output", "error", "cause", "stopped_at", "redrive_count"])
    remote.polled_at = timezone.now()
    remote.idle_polls = 0 if added else remote.idle_polls + 1
    remote.failed_polls, remote.last_error = 0, ""
    remote.save(update_fields=["next_token", "polled_at", "idle_polls", "failed_polls", "last_error"])
    return execution


def watch(execution):
    """Someone reads this execution: poll quickly for a while, and copy what is new now if it is due."""
    remote = AwsExecution.objects.filter(execution=execution).first()
    if remote is None or remote.express:
        return execution
    now = timezone.now()
    AwsExecution.objects.filter(pk=remote.pk).update(watched_until=now + timedelta(seconds=WATCH_SECONDS))
    due = remote.polled_at is None or (now - remote.polled_at).total_seconds() >= REFRESH_EVERY
    unfinished = (
        execution.status == RUNNING or remote.polled_at is None or remote.polled_at < (execution.stopped_at or now)
    )
    if due and unfinished:
        try:
            refresh(execution)
        except ServiceError as error:
            log.warning("Execution %s: could not read it from AWS: %s", execution.pk, error.code)
    return execution


def poll(execution_id: int) -> float | None:
    """One poll by the Celery task; the countdown to the next one, or None when the execution ended."""
    Execution, _ = _executor_models()
    execution = Execution.objects.filter(pk=execution_id, backend="aws").first()
    remote = AwsExecution.objects.filter(execution_id=execution_id).first()
    if execution is None or remote is None or remote.express or remote.connection_id is None:
        return None
    try:
        refresh(execution)
    except ServiceError as error:
        failed = remote.failed_polls + 1
        AwsExecution.objects.filter(pk=remote.pk).update(failed_polls=failed, last_error=error.message[:2000])
        log.warning("Execution %s: poll %d failed: %s", execution_id, failed, error.code)
        if failed >= MAX_FAILED_POLLS:
            log.error("Execution %s: giving up polling AWS after %d failures", execution_id, failed)
            return None
        return min(POLL_MAX, 2.0**failed)
    remote.refresh_from_db()
    if execution.status != RUNNING:
        return None
    if remote.watched_until and remote.watched_until > timezone.now():
        return POLL_FAST
    return min(POLL_MAX, POLL_FAST * 2 ** min(remote.idle_polls, 6))


def stop(*, user: AbstractBaseUser, execution, error: str | None = None, cause: str | None = None):
    require_role(user, execution.workflow.team, Role.RUNNER, "stop executions")
    remote = AwsExecution.objects.select_related("connection").get(execution=execution)
    if execution.status != RUNNING:
        raise Conflict("not_running", f"The execution has already ended ({execution.status}).")
    if remote.connection is None:
        raise ServiceError("connection_gone", "The AWS connection this execution ran through was deleted.")
    params = {"executionArn": execution.remote_arn}
    if error is not None:
        params["error"] = error
    if cause is not None:
        params["cause"] = cause
    Aws(remote.connection).sfn("stop_execution", **params)
    return refresh(execution)


def redrive(*, user: AbstractBaseUser, execution):
    """RedriveExecution: a failed, timed-out or aborted STANDARD execution goes on from where it failed."""
    require_role(user, execution.workflow.team, Role.RUNNER, "redrive executions")
    remote = AwsExecution.objects.select_related("connection").get(execution=execution)
    if remote.express:
        raise ServiceError("express", "Express executions cannot be redriven.")
    if execution.status == RUNNING:
        raise Conflict("running", "The execution is still running.")
    if remote.connection is None:
        raise ServiceError("connection_gone", "The AWS connection this execution ran through was deleted.")
    Aws(remote.connection).sfn("redrive_execution", executionArn=execution.remote_arn, clientToken=str(uuid.uuid4()))
    execution.status, execution.stopped_at = RUNNING, None
    execution.save(update_fields=["status", "stopped_at"])
    schedule(execution.pk, POLL_FAST)
    return refresh(execution)


# --- executions started elsewhere ----------------------------------------------------------------


def list_remote(
    *,
    user: AbstractBaseUser,
    workflow: Workflow,
    connection_id: int | None = None,
    status: str | None = None,
    next_token: str | None = None,
) -> dict[str, Any]:
    """One page of the deployed state machine's executions on AWS, each with its Stepwright id if opened."""
    Execution, _ = _executor_models()
    require_role(user, workflow.team, Role.VIEWER, "see executions")
    link = link_for(workflow, connection_id)
    params: dict[str, Any] = {"stateMachineArn": link.state_machine_arn, "maxResults": 100}
    if status:
        params["statusFilter"] = status
    if next_token:
        params["nextToken"] = next_token
    page = Aws(link.connection).sfn("list_executions", **params)
    arns = [item["executionArn"] for item in page.get("executions", [])]
    opened = dict(Execution.objects.filter(workflow=workflow, remote_arn__in=arns).values_list("remote_arn", "pk"))
    return {
        "state_machine_arn": link.state_machine_arn,
        "express": link.type == "EXPRESS",
        "results": [
            {
                "arn": item["executionArn"],
                "name": item.get("name") or item["executionArn"].rsplit(":", 1)[-1],
                "status": item.get("status"),
                "started_at": item.get("startDate"),
                "stopped_at": item.get("stopDate"),
                "execution": opened.get(item["executionArn"]),
            }
            for item in page.get("executions", [])
        ],
        "next_token": page.get("nextToken"),
    }


def open_remote(*, user: AbstractBaseUser, workflow: Workflow, execution_arn: str, connection_id: int | None = None):
    """An execution started on AWS (console, schedule, another app) as an Execution Stepwright shows."""
    Execution, _ = _executor_models()
    require_role(user, workflow.team, Role.VIEWER, "see executions")
    link = link_for(workflow, connection_id)
    if _state_machine_of(execution_arn) != link.state_machine_arn:
        raise ServiceError(
            "other_state_machine",
            f"That execution is not of {link.state_machine_name}, the state machine {workflow.name!r} is deployed to.",
            {"field": "/execution_arn"},
        )
    existing = Execution.objects.filter(workflow=workflow, remote_arn=execution_arn).first()
    if existing is not None:
        return watch(existing)
    described = Aws(link.connection).sfn("describe_execution", executionArn=execution_arn)
    name = described.get("name") or execution_arn.rsplit(":", 1)[-1]
    if Execution.objects.filter(workflow=workflow, name=name, parent__isnull=True).exists():
        name = f"{name[:70]}-aws-{uuid.uuid4().hex[:4]}"
    with transaction.atomic():
        execution = Execution(
            workflow=workflow,
            version=None,
            backend="aws",
            name=name,
            input=_json(described.get("input")),
            remote_arn=execution_arn,
            waiting=REMOTE,
        )
        _finish_from(execution, described)
        execution.save()
        Execution.objects.filter(pk=execution.pk).update(started_at=described["startDate"])
        AwsExecution.objects.create(
            execution=execution, connection=link.connection, state_machine_arn=link.state_machine_arn
        )
        if execution.status == RUNNING:
            schedule(execution.pk, POLL_FAST)
    return refresh(Execution.objects.get(pk=execution.pk))


def answer_task(
    *,
    user: AbstractBaseUser,
    workflow: Workflow,
    token: str,
    success: bool | None,
    output: Any = None,
    error: str | None = None,
    cause: str | None = None,
    connection_id: int | None = None,
) -> None:
    """SendTaskSuccess (`success` True), SendTaskFailure (False) or SendTaskHeartbeat (None) for a task
    of an AWS execution waiting on `.waitForTaskToken`."""
    require_role(user, workflow.team, Role.RUNNER, "answer tasks")
    link = link_for(workflow, connection_id)
    aws = Aws(link.connection)
    try:
        if success is None:
            aws.sfn("send_task_heartbeat", taskToken=token)
        elif success:
            check_payload(output, "output")
            aws.sfn("send_task_success", taskToken=token, output=json.dumps(output))
        else:
            params = {"taskToken": token}
            if error is not None:
                params["error"] = error
            if cause is not None:
                params["cause"] = cause
            aws.sfn("send_task_failure", **params)
    except AwsError as failure:
        if failure.details.get("aws_code") in ("InvalidToken", "TaskDoesNotExist", "TaskTimedOut"):
            raise ServiceError(
                "invalid_token",
                "No task on AWS is waiting for this token (it was answered, timed out, or never existed).",
                {"field": "/token", **failure.details},
            )
        raise


# --- what an AWS execution waits for ---------------------------------------------------------------

_TASK_OUTCOMES = {"TaskSucceeded", "TaskFailed", "TaskTimedOut", "TaskSubmitFailed", "TaskStartFailed"}
_TOKEN_KEYS = {"token", "tasktoken", "task_token"}


def _token_in(definition_params: Any, scheduled: Any) -> str | None:
    """The token in a TaskScheduled event's parameters, found where the definition put `$$.Task.Token`."""
    if not isinstance(definition_params, dict) or not isinstance(scheduled, dict):
        return None
    for key, value in definition_params.items():
        if key.endswith(".$") and value == "$$.Task.Token":
            found = scheduled.get(key[:-2])
            return found if isinstance(found, str) else None
        if isinstance(value, str) and "$states.context.Task.Token" in value:  # JSONata
            found = scheduled.get(key)
            return found if isinstance(found, str) else None
        if isinstance(value, dict):
            inner = scheduled.get(key[:-2] if key.endswith(".$") else key)
            if isinstance(inner, str):
                inner = _json(inner)  # MessageBody sent as a JSON string
            found = _token_in(value, inner)
            if found:
                return found
    return None


def _token_guess(scheduled: Any) -> str | None:
    """Without the definition: a value under a key named like a token."""
    if isinstance(scheduled, str):
        scheduled = _json(scheduled)
    if not isinstance(scheduled, dict):
        return None
    for key, value in scheduled.items():
        if key.lower() in _TOKEN_KEYS and isinstance(value, str) and len(value) >= 16:
            return value
        found = _token_guess(value) if isinstance(value, (dict, str)) else None
        if found:
            return found
    return None


def waiting_tasks(execution) -> list[dict[str, Any]]:
    """The `.waitForTaskToken` tasks of a running AWS execution that have no answer yet, with their tokens
    (as far as the copied history shows them), so Stepwright can answer them."""
    if execution.status != RUNNING:
        return []
    from designer.diff import flatten_states

    events = list(execution.events.order_by("event_id"))
    by_id = {event.event_id: event for event in events}
    after: dict[int, list] = {}
    for event in events:
        after.setdefault(event.previous_event_id, []).append(event)
    states: dict[str, dict] = {}
    if execution.version is not None:
        value = _json(execution.version.definition)
        if isinstance(value, dict):
            states = {name: state for name, (_, state) in flatten_states(value).items() if isinstance(state, dict)}
    waiting = []
    for event in events:
        details = event.details.get("taskScheduledEventDetails") or {}
        if event.type != "TaskScheduled" or not str(details.get("resource", "")).endswith(".waitForTaskToken"):
            continue
        following = after.get(event.event_id, [])
        following += [
            e for started in following if started.type == "TaskStarted" for e in after.get(started.event_id, [])
        ]
        if any(e.type in _TASK_OUTCOMES for e in following):
            continue
        entered = by_id.get(event.previous_event_id)
        state = (entered.details.get("stateEnteredEventDetails") or {}).get("name") if entered else None
        parameters = _json(details.get("parameters"))
        definition = states.get(state or "", {})
        token = _token_in(definition.get("Parameters") or definition.get("Arguments"), parameters)
        waiting.append(
            {
                "state": state,
                "event_id": event.event_id,
                "resource": f"{details.get('resourceType', '')}:{details.get('resource', '')}",
                "token": token or _token_guess(parameters),
            }
        )
    return waiting


def console_url(execution_arn: str) -> str:
    region = execution_arn.split(":")[3]
    return f"https://{region}.console.aws.amazon.com/states/home?region={region}#/v2/executions/details/{execution_arn}"


def details_of(*, user: AbstractBaseUser, execution) -> dict[str, Any]:
    """The AWS side of an execution: where it runs, how the copy goes, and what it waits for."""
    require_role(user, execution.workflow.team, Role.VIEWER, "see executions")
    remote = AwsExecution.objects.select_related("connection").filter(execution=execution).first()
    if remote is None:
        raise ServiceError("not_aws", "This execution does not run on AWS.")
    return {
        "execution": execution.pk,
        "execution_arn": execution.remote_arn,
        "state_machine_arn": remote.state_machine_arn,
        "connection": {"id": remote.connection_id, "name": remote.connection.name} if remote.connection else None,
        "express": remote.express,
        "history_on_aws": not remote.express,
        "note": "Express executions keep no history on AWS: only the result is shown." if remote.express else "",
        "polled_at": remote.polled_at,
        "last_error": remote.last_error,
        "console_url": console_url(execution.remote_arn),
        "waiting_tasks": waiting_tasks(execution),
    }
