"""Writes for executions: start, stop, answer callbacks, manage test cases."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from designer.errors import Conflict, ServiceError
from designer.models import Activity, Membership, ValidationStatus, Workflow, WorkflowVersion
from designer.roles import Role, at_least
from designer.selectors import require_role
from designer.services import check_payload, record
from executor import breakpoints as bp
from executor import driver
from executor.models import Execution, Status, TaskToken, TestCase


@transaction.atomic
def start_execution(
    *,
    user: AbstractBaseUser | None,
    workflow: Workflow,
    input: Any = None,
    version: WorkflowVersion | None = None,
    name: str | None = None,
    test_case: TestCase | None = None,
    caller_token: str = "",
    aws_connection=None,
    context: dict | None = None,
    breakpoints: list[str] | None = None,
) -> Execution:
    """Start a local execution of a version (the latest by default); refuses one with validation errors.
    `breakpoints`: state names it pauses before (debugging)."""
    if version is None:
        version = _latest_version(workflow, user)
    elif user is not None:
        require_role(user, workflow.team_id, Role.RUNNER, "run workflows")
    if version is None:
        raise ServiceError("no_version", "Save a version of the workflow first: executions run a saved version.")
    if version.validation_status == ValidationStatus.INVALID:
        errors = [d for d in version.diagnostics if d.get("severity") == "ERROR"]
        raise ServiceError(
            "invalid_definition",
            f"Version {version.number} has {len(errors)} validation error(s); fix them and save a new version.",
            {"diagnostics": errors},
        )
    input = {} if input is None else input
    check_payload(input, "input")
    spec: dict = {}
    if context:  # merged into the `$$` context object at the first step, e.g. the sfn endpoint's ARNs
        spec["context_overrides"] = context
    if breakpoints:  # the first step hands them to the core
        spec["breakpoints"] = bp.check_names(version, breakpoints)
    execution = Execution(
        workflow=workflow,
        version=version,
        name=name or str(uuid.uuid4()),
        input=input,
        started_by=user,
        test_case=test_case,
        caller_token=caller_token,
        aws_connection=aws_connection,
        effect=spec or None,
    )
    if name is None:
        execution.save()  # a fresh UUID cannot collide: no savepoint needed
    else:
        try:
            with transaction.atomic():
                execution.save()
        except IntegrityError:
            raise Conflict(
                "execution_exists", f"The workflow already has an execution named {name!r}.", {"field": "/name"}
            )
    driver.enqueue(execution.pk, 0)
    record(
        team=workflow.team,
        actor=user,
        verb=Activity.Verb.RAN,
        subject=workflow.name,
        workflow=workflow,
        execution=execution.name,
        version=version.number,
    )
    return execution


def _latest_version(workflow: Workflow, user: AbstractBaseUser | None) -> WorkflowVersion | None:
    """The version a start runs by default, and the user's role in the team, in one query: every start
    asks both. Plain SQL, since the ORM took longer to build this query than PostgreSQL to answer it; the
    definition text is left for the driver to read (once per worker process)."""
    query = f"""
        SELECT v.id, v.workflow_id, v.number, v.validation_status, m.role
        FROM {WorkflowVersion._meta.db_table} v
        LEFT JOIN {Membership._meta.db_table} m ON m.team_id = %s AND m.user_id = %s
        WHERE v.workflow_id = %s ORDER BY v.number DESC LIMIT 1
    """  # names from the models, values as parameters
    params = [workflow.team_id, user.pk if user is not None else None, workflow.pk]
    version = next(iter(WorkflowVersion.objects.raw(query, params)), None)
    if user is not None and (version is None or not at_least(version.role, Role.RUNNER)):
        require_role(user, workflow.team_id, Role.RUNNER, "run workflows")  # raises the right error
    return version


@transaction.atomic
def stop_execution(
    *, user: AbstractBaseUser, execution: Execution, error: str | None = None, cause: str | None = None
) -> Execution:
    require_role(user, execution.workflow.team, Role.RUNNER, "stop executions")
    if execution.status != Status.RUNNING:
        raise Conflict("not_running", f"The execution has already ended ({execution.status}).")
    bp.abort_paused_children(execution)  # first: children's rows before the parent's, the one lock order
    driver.stop(execution, error=error, cause=cause)
    execution.refresh_from_db()
    return execution


def _local_running(execution: Execution, action: str) -> None:
    if execution.backend != Execution.Backend.LOCAL:
        raise ServiceError("local_only", f"Only local runs can {action}: AWS has no breakpoints.")
    if execution.status != Status.RUNNING:
        raise Conflict("not_running", f"The execution has already ended ({execution.status}).")


@transaction.atomic
def continue_execution(
    *, user: AbstractBaseUser, execution: Execution, input: Any = None, edited: bool = False, step: bool = False
) -> Execution:
    """Let an execution paused at a breakpoint enter its state, with an edited input if `edited`; with
    `step`, it pauses again before its next state."""
    require_role(user, execution.workflow.team, Role.RUNNER, "continue executions")
    _local_running(execution, "pause")
    if edited:
        check_payload(input, "input")
    if not bp.continue_paused(execution, step=step, input=input, edited=edited):
        raise Conflict("not_paused", "The execution is not paused at a breakpoint.")
    execution.refresh_from_db()
    return execution


@transaction.atomic
def continue_all(*, user: AbstractBaseUser, execution: Execution, step: bool = False) -> list[int]:
    """Let every execution of the run that waits at a breakpoint (itself, or its Map iterations and Parallel
    branches) go on, in one transaction; the ids continued, oldest pause first. With `step`, each pauses
    again before its next state."""
    require_role(user, execution.workflow.team, Role.RUNNER, "continue executions")
    _local_running(execution, "pause")
    found = [p["execution"] for p in bp.paused_in(execution)]
    # rows locked in id order: two users pressing it at once wait for each other instead of deadlocking
    done = {pk for pk in sorted(found) if bp.continue_paused(Execution(pk=pk), step=step)}
    if not done:
        raise Conflict("not_paused", "Nothing in this execution is paused at a breakpoint.")
    return [pk for pk in found if pk in done]


@transaction.atomic
def set_breakpoints(*, user: AbstractBaseUser, execution: Execution, breakpoints: list[str]) -> list[str]:
    """Replace the breakpoints of a running execution (its running Map iterations and branches too)."""
    require_role(user, execution.workflow.team, Role.RUNNER, "set breakpoints")
    _local_running(execution, "have breakpoints")
    return bp.replace(execution, bp.check_names(execution.version, breakpoints))


REDRIVE_WINDOW = timedelta(days=14)  # AWS redrives executions that stopped in the last 14 days
MAX_REDRIVES = 1000


@transaction.atomic
def redrive_execution(*, user: AbstractBaseUser, execution: Execution) -> Execution:
    """Run a failed, timed-out or aborted execution again from the state where it stopped (AWS's rules)."""
    require_role(user, execution.workflow.team, Role.RUNNER, "redrive executions")
    if execution.status not in (Status.FAILED, Status.TIMED_OUT, Status.ABORTED):
        raise Conflict(
            "not_redrivable", f"Only a failed, timed-out or aborted execution can be redriven ({execution.status})."
        )
    if execution.stopped_at and execution.stopped_at < timezone.now() - REDRIVE_WINDOW:
        raise Conflict("not_redrivable", "Executions can be redriven for 14 days after they stop.")
    if execution.redrive_count >= MAX_REDRIVES:
        raise Conflict("not_redrivable", f"An execution can be redriven {MAX_REDRIVES} times at most.")
    try:
        driver.redrive(execution)
    except ValueError as error:
        raise Conflict("not_redrivable", str(error))
    execution.refresh_from_db()
    return execution


def _open_token(user: AbstractBaseUser, token: str) -> TaskToken:
    found = (
        TaskToken.objects.select_for_update()
        .select_related("execution__workflow__team")
        .filter(token=token, execution__workflow__team__memberships__user=user)
        .first()
    )
    if found is None:
        raise ServiceError("invalid_token", "No task is waiting for this token.", {"field": "/token"})
    require_role(user, found.execution.workflow.team, Role.RUNNER, "answer tasks")
    if found.answered_at is not None or found.execution.status != Status.RUNNING:
        raise ServiceError(
            "task_timed_out", "This token was already answered, or its task timed out.", {"field": "/token"}
        )
    return found


@transaction.atomic
def send_task_success(*, user: AbstractBaseUser, token: str, output: Any) -> Execution:
    check_payload(output, "output")
    found = _open_token(user, token)
    found.answered_at, found.outcome = timezone.now(), {"result": output}
    found.save(update_fields=["answered_at", "outcome"])
    driver.answer_callback(found, {"result": output})
    return found.execution


@transaction.atomic
def send_task_failure(*, user: AbstractBaseUser, token: str, error: str | None, cause: str | None) -> Execution:
    found = _open_token(user, token)
    outcome = {"error": error, "cause": cause}
    found.answered_at, found.outcome = timezone.now(), outcome
    found.save(update_fields=["answered_at", "outcome"])
    driver.answer_callback(found, outcome)
    return found.execution


@transaction.atomic
def send_task_heartbeat(*, user: AbstractBaseUser, token: str) -> None:
    found = _open_token(user, token)
    found.heartbeat_at = timezone.now()
    found.save(update_fields=["heartbeat_at"])
    driver.heartbeat(found)


# --- test cases (Step Functions Local's MockConfigFile) -----------------------------------------------


def _check_responses(responses: dict) -> None:
    for state, response in responses.items():
        where = f"/responses/{state}"
        if not isinstance(response, dict) or not response:
            raise ServiceError(
                "invalid", f"The mocked response for {state!r} must be a non-empty object.", {"field": where}
            )
        for key, body in response.items():
            first, _, last = str(key).partition("-")
            if not first.isdigit() or (last and not last.isdigit()):
                raise ServiceError(
                    "invalid",
                    f"{key!r} is not an invocation number or range like '0' or '1-3'.",
                    {"field": f"{where}/{key}"},
                )
            if not isinstance(body, dict) or len({"Return", "Throw"} & set(body)) != 1:
                raise ServiceError(
                    "invalid", "Each mocked invocation has exactly one of Return or Throw.", {"field": f"{where}/{key}"}
                )


@transaction.atomic
def save_test_case(
    *, user: AbstractBaseUser, workflow: Workflow, name: str, responses: dict, test_case: TestCase | None = None
) -> TestCase:
    require_role(user, workflow.team, Role.EDITOR, "edit test cases")
    _check_responses(responses)
    test_case = test_case or TestCase(workflow=workflow)
    test_case.name, test_case.responses = name, responses
    try:
        with transaction.atomic():
            test_case.save()
    except IntegrityError:
        raise Conflict("name_taken", f"The workflow already has a test case named {name!r}.", {"field": "/name"})
    return test_case


@transaction.atomic
def delete_test_case(*, user: AbstractBaseUser, test_case: TestCase) -> None:
    require_role(user, test_case.workflow.team, Role.EDITOR, "edit test cases")
    test_case.delete()


def export_mock_config(workflow: Workflow) -> dict:
    """The workflow's test cases as a MockConfigFile that Step Functions Local reads."""
    cases, responses = {}, {}
    for test_case in workflow.test_cases.order_by("name"):
        cases[test_case.name] = {}
        for state, response in test_case.responses.items():
            key = f"{test_case.name}.{state}"
            cases[test_case.name][state] = key
            responses[key] = response
    return {"StateMachines": {workflow.name: {"TestCases": cases}}, "MockedResponses": responses}


@transaction.atomic
def import_mock_config(*, user: AbstractBaseUser, workflow: Workflow, config: Any) -> list[TestCase]:
    """Every test case of the file (of this workflow's state machine, or of its only one) as test cases."""
    if not isinstance(config, dict) or not isinstance(config.get("StateMachines"), dict):
        raise ServiceError("invalid", "A MockConfigFile has a StateMachines object.", {"field": "/StateMachines"})
    machines = config["StateMachines"]
    machine = machines.get(workflow.name) or (next(iter(machines.values())) if len(machines) == 1 else None)
    if not isinstance(machine, dict):
        raise ServiceError(
            "invalid", f"The file has no state machine named {workflow.name!r}.", {"field": "/StateMachines"}
        )
    responses = config.get("MockedResponses") or {}
    saved = []
    for case_name, mapping in (machine.get("TestCases") or {}).items():
        case_responses = {}
        for state, response_name in mapping.items():
            if response_name not in responses:
                raise ServiceError(
                    "invalid",
                    f"MockedResponses has no {response_name!r}.",
                    {"field": f"/StateMachines/{workflow.name}/TestCases/{case_name}/{state}"},
                )
            case_responses[state] = responses[response_name]
        existing = workflow.test_cases.filter(name=case_name).first()
        saved.append(
            save_test_case(user=user, workflow=workflow, name=case_name, responses=case_responses, test_case=existing)
        )
    return saved
