"""The Step Functions actions: each takes the caller and the request's JSON and returns the response's JSON.

Lookups are scoped to the caller's team (the ARN's account must be the team's); writes go through the
designer's and executor's services, which check the key's user's role.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

import asl
from designer.errors import ServiceError
from designer.models import Workflow, WorkflowVersion
from designer.roles import Role
from designer.selectors import latest_version, require_role
from executor import resources
from executor import services as executor_services
from executor.backends import get_backend
from executor.models import Execution, HistoryEvent, Status, TaskToken, TestCase
from sfn import arns, services
from sfn.errors import SfnError, missing, validation
from sfn.models import Alias, ExecutionOrigin, MachineSettings
from sfn.sigv4 import Caller

Action = Callable[[Caller, dict], dict]
ACTIONS: dict[str, Action] = {}

# AWS's rule for names: 1-80 characters, none of whitespace, brackets, wildcards or " # % \ ^ | ~ ` $ & , ; : /
_NAME = re.compile(r"^[^\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$")
_TYPES = ("STANDARD", "EXPRESS")
_DATA_KEYS = {"input", "output", "inputDetails", "outputDetails", "parameters"}


def action(fn: Action) -> Action:
    ACTIONS["".join(part.title() for part in fn.__name__.split("_"))] = fn
    return fn


# --- request helpers ------------------------------------------------------------------------------


def _get(params: dict, name: str, kind: type = str, *, required: bool = False, default: Any = None) -> Any:
    value = params.get(name)
    if value is None:
        if required:
            raise missing(name)
        return default
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise SfnError("SerializationException", f"Unexpected value for {name}.")
    return value


def _max_results(params: dict, default: int = 100, cap: int = 1000) -> int:
    value = _get(params, "maxResults", int, default=0)
    if value < 0 or value > cap:
        raise validation(
            f"1 validation error detected: Value '{value}' at 'maxResults' failed to satisfy constraint: Member "
            f"must have value less than or equal to {cap}"
        )
    return value or default


def _token(params: dict) -> dict:
    token = _get(params, "nextToken")
    if token is None:
        return {}
    try:
        value = json.loads(base64.urlsafe_b64decode(token.encode()))
        if not isinstance(value, dict):
            raise ValueError
        return value
    except ValueError:
        raise SfnError("InvalidToken", "Invalid Token: 'Invalid token'")


def _next_token(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def _page(items: list, params: dict, default: int = 100) -> tuple[list, dict]:
    """An offset page of `items` and the response's nextToken (if more)."""
    limit = _max_results(params, default)
    offset = _token(params).get("offset", 0)
    if not isinstance(offset, int) or offset < 0:
        raise SfnError("InvalidToken", "Invalid Token: 'Invalid token'")
    page = items[offset : offset + limit]
    more = {"nextToken": _next_token({"offset": offset + limit})} if offset + limit < len(items) else {}
    return page, more


def _name(params: dict, field: str = "name", *, required: bool = True) -> str | None:
    name = _get(params, field, required=required)
    if name is not None and not _NAME.match(name):
        raise SfnError("InvalidName", f"Invalid Name: '{name}'")
    return name


def _json(text: str, code: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise SfnError(code, f"Invalid {what}: '{error}'")


def _ts(when: datetime | None) -> float | None:
    return None if when is None else round(when.timestamp(), 3)


def _compact(value: dict) -> dict:
    return {k: v for k, v in value.items() if v is not None}


# --- lookups --------------------------------------------------------------------------------------


class Target:
    """What a state machine ARN names: the machine, one of its versions or aliases, and a test case."""

    def __init__(self, workflow: Workflow, version: WorkflowVersion | None, alias: Alias | None, case: str | None):
        self.workflow, self.version, self.alias, self.test_case = workflow, version, alias, case


def _live(caller: Caller, name: str) -> Workflow | None:
    return Workflow.objects.filter(team=caller.team, name=name, deleted_at__isnull=True).select_related("team").first()


def _invalid_arn(text: str) -> SfnError:
    return SfnError("InvalidArn", f"Invalid Arn: 'Resource type not valid in this context: {text}'")


def _target(caller: Caller, text: str, *, qualified: bool = True, test_case: bool = False) -> Target:
    plain, _, case = text.partition("#") if test_case else (text, "", "")
    arn = arns.parse(plain)
    if arn is None or arn.kind != "stateMachine":
        raise _invalid_arn(text)
    gone = SfnError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{plain}'")
    if arn.team_id != caller.team.pk:
        raise gone
    workflow = _live(caller, arn.resource)
    if workflow is not None:
        return Target(workflow, None, None, case or None)
    name, _, qualifier = arn.resource.rpartition(":")
    workflow = _live(caller, name) if name else None
    if workflow is None:
        raise gone
    if not qualified:
        raise validation(f"Invalid Arn: 'A qualified ARN is not accepted here: {plain}'")
    if qualifier.isdigit():
        version = workflow.versions.filter(number=int(qualifier)).first()
        if version is None:
            raise SfnError("StateMachineDoesNotExist", f"State Machine Version Does Not Exist: '{plain}'")
        return Target(workflow, version, None, case or None)
    alias = workflow.sfn_aliases.filter(name=qualifier).first()
    if alias is None:
        raise SfnError("ResourceNotFound", f"Resource not found: '{plain}'", extra={"resourceName": plain})
    return Target(workflow, None, alias, case or None)


def _execution(caller: Caller, text: str) -> Execution:
    arn = arns.parse(text)
    if arn is None or arn.kind != "execution":
        raise _invalid_arn(text)
    machine, _, name = arn.resource.rpartition(":")
    execution = None
    if arn.team_id == caller.team.pk and machine:
        execution = (
            Execution.objects.filter(
                workflow__team=caller.team,
                workflow__name=machine,
                workflow__deleted_at__isnull=True,
                name=name,
                parent__isnull=True,
            )
            .select_related("workflow__team", "version", "test_case")
            .first()
        )
    if execution is None:
        raise SfnError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{text}'")
    return execution


def _machine_arn(caller: Caller, workflow: Workflow, qualifier: str | int | None = None) -> str:
    return arns.state_machine(caller.region, workflow.team_id, workflow.name, qualifier)


def _execution_arn(caller: Caller, execution: Execution) -> str:
    return arns.execution(caller.region, execution.workflow.team_id, execution.workflow.name, execution.name)


def _role_arn(caller: Caller, machine: MachineSettings) -> str:
    return machine.role_arn or f"arn:aws:iam::{arns.account_for(caller.team.pk)}:role/stepwright"


def _diagnostics_error(diagnostics: list[asl.Diagnostic]) -> SfnError:
    errors = [d for d in diagnostics if d.severity == asl.ERROR]
    listed = ", ".join(f"'{d.code}: {d.message} at {d.location or '/'}'" for d in errors[:10])
    return SfnError(
        "InvalidDefinition",
        f"Invalid State Machine Definition: {listed}",
        extra={"diagnostics": [d.to_dict() for d in errors]},
    )


def _check_definition(definition: str, machine_type: str) -> None:
    errors = [d for d in asl.validate(definition, state_machine_type=machine_type) if d.severity == asl.ERROR]
    if errors:
        raise _diagnostics_error(errors)


def _options(params: dict) -> dict[str, Any]:
    options = {}
    for field, key in (
        ("logging_configuration", "loggingConfiguration"),
        ("tracing_configuration", "tracingConfiguration"),
        ("encryption_configuration", "encryptionConfiguration"),
    ):
        if params.get(key) is not None:
            options[field] = _get(params, key, dict)
    return options


def _tags(params: dict) -> list[dict[str, str]]:
    tags = _get(params, "tags", list, default=[])
    for tag in tags:
        if not isinstance(tag, dict) or not isinstance(tag.get("key"), str) or not tag["key"]:
            raise validation("Each tag needs a key.")
        if "=" in tag["key"]:
            raise validation(f"Tag keys cannot contain '=': {tag['key']!r}.")
    return [{"key": t["key"], "value": t.get("value") or ""} for t in tags]


# --- state machines -------------------------------------------------------------------------------


@action
def create_state_machine(caller: Caller, params: dict) -> dict:
    name = _name(params)
    definition = _get(params, "definition", required=True)
    role_arn = _get(params, "roleArn", required=True)
    machine_type = _get(params, "type", default="STANDARD")
    if machine_type not in _TYPES:
        raise validation(
            f"Value '{machine_type}' at 'type' failed to satisfy constraint: Member must satisfy "
            "enum value set: [STANDARD, EXPRESS]"
        )
    _check_definition(definition, machine_type)
    tags = _tags(params)
    existing = _live(caller, name)
    if existing is not None:
        machine = services.settings_of(existing)
        same = (
            services.current_definition(existing) == definition
            and machine.type == machine_type
            and _role_arn(caller, machine) == role_arn
        )
        if not same:
            raise SfnError(
                "StateMachineAlreadyExists", f"State Machine Already Exists: '{_machine_arn(caller, existing)}'"
            )
        version = latest_version(existing)
        out = {"stateMachineArn": _machine_arn(caller, existing), "creationDate": _ts(existing.created_at)}
        if params.get("publish") and version is not None:
            out["stateMachineVersionArn"] = _machine_arn(caller, existing, version.number)
        return out
    workflow, version = services.create_state_machine(
        user=caller.user,
        team=caller.team,
        name=name,
        definition=definition,
        type=machine_type,
        role_arn=role_arn,
        tags=tags,
        options=_options(params),
    )
    out = {"stateMachineArn": _machine_arn(caller, workflow), "creationDate": _ts(workflow.created_at)}
    if params.get("publish"):
        services.publish_version(user=caller.user, workflow=workflow, description=params.get("versionDescription"))
        out["stateMachineVersionArn"] = _machine_arn(caller, workflow, version.number)
    return out


def _describe(caller: Caller, workflow: Workflow, version: WorkflowVersion | None) -> dict:
    machine = services.settings_of(workflow)
    definition = version.definition if version is not None else services.current_definition(workflow)
    current = version or latest_version(workflow)
    out = {
        "stateMachineArn": _machine_arn(caller, workflow, version.number if version else None),
        "name": workflow.name,
        "status": "ACTIVE",
        "definition": definition,
        "roleArn": _role_arn(caller, machine),
        "type": machine.type,
        "creationDate": _ts(version.created_at if version else workflow.created_at),
        "loggingConfiguration": machine.logging_configuration or {"level": "OFF", "includeExecutionData": False},
        "tracingConfiguration": machine.tracing_configuration or {"enabled": False},
        "encryptionConfiguration": machine.encryption_configuration or {"type": "AWS_OWNED_KEY"},
    }
    if current is not None:
        out["revisionId"] = current.content_hash
    if version is not None:
        out["description"] = machine.published.get(str(version.number), version.message)
    elif workflow.description:
        out["description"] = workflow.description[:256]
    return out


@action
def describe_state_machine(caller: Caller, params: dict) -> dict:
    target = _target(caller, _get(params, "stateMachineArn", required=True))
    if target.alias is not None:
        raise _invalid_arn(params["stateMachineArn"])
    return _describe(caller, target.workflow, target.version)


@action
def list_state_machines(caller: Caller, params: dict) -> dict:
    workflows = list(
        Workflow.objects.filter(team=caller.team, deleted_at__isnull=True)
        .select_related("sfn_settings")
        .order_by("created_at", "id")
    )
    page, more = _page(workflows, params)
    items = [
        {
            "stateMachineArn": _machine_arn(caller, w),
            "name": w.name,
            "type": services.settings_of(w).type,
            "creationDate": _ts(w.created_at),
        }
        for w in page
    ]
    return {"stateMachines": items, **more}


@action
def update_state_machine(caller: Caller, params: dict) -> dict:
    target = _target(caller, _get(params, "stateMachineArn", required=True), qualified=False)
    definition = _get(params, "definition")
    role_arn = _get(params, "roleArn")
    options = _options(params)
    if definition is None and role_arn is None and not options:
        raise SfnError(
            "MissingRequiredParameter",
            "Either the definition, the roleArn, the loggingConfiguration, the tracingConfiguration or the "
            "encryptionConfiguration must be specified",
        )
    workflow = target.workflow
    if definition is not None:
        _check_definition(definition, services.settings_of(workflow).type)
    version = services.update_state_machine(
        user=caller.user, workflow=workflow, definition=definition, role_arn=role_arn, options=options
    )
    out: dict[str, Any] = {"updateDate": _ts(timezone.now())}
    if version is not None:
        out["revisionId"] = version.content_hash
    if params.get("publish"):
        version = services.publish_version(
            user=caller.user, workflow=workflow, description=params.get("versionDescription")
        )
        out["stateMachineVersionArn"] = _machine_arn(caller, workflow, version.number)
    return out


@action
def delete_state_machine(caller: Caller, params: dict) -> dict:
    from designer import services as designer_services

    text = _get(params, "stateMachineArn", required=True)
    try:
        target = _target(caller, text, qualified=False)
    except SfnError as error:
        if error.code == "StateMachineDoesNotExist":
            return {}  # deleting what is gone succeeds, as on AWS
        raise
    designer_services.delete_workflow(user=caller.user, workflow=target.workflow)
    return {}


@action
def validate_state_machine_definition(caller: Caller, params: dict) -> dict:
    definition = _get(params, "definition", required=True)
    machine_type = _get(params, "type", default="STANDARD")
    if machine_type not in _TYPES:
        raise validation(f"Value '{machine_type}' at 'type' failed to satisfy constraint")
    severity = _get(params, "severity", default="ERROR")
    limit = _max_results(params, default=100, cap=100)
    diagnostics = asl.validate(definition, state_machine_type=machine_type)
    shown = [d for d in diagnostics if d.severity == asl.ERROR or severity == "WARNING"]
    items = [
        _compact({"severity": d.severity, "code": d.code, "message": d.message, "location": d.location or None})
        for d in shown[:limit]
    ]
    failed = any(d.severity == asl.ERROR for d in diagnostics)
    return {"result": "FAIL" if failed else "OK", "diagnostics": items, "truncated": len(shown) > limit}


# --- versions and aliases ---------------------------------------------------------------------------


@action
def publish_state_machine_version(caller: Caller, params: dict) -> dict:
    target = _target(caller, _get(params, "stateMachineArn", required=True), qualified=False)
    revision = _get(params, "revisionId")
    current = latest_version(target.workflow)
    if revision is not None and (current is None or current.content_hash != revision):
        raise SfnError(
            "ConflictException",
            "Failed to publish the State Machine version: the revisionId does not match the latest revision.",
        )
    version = services.publish_version(
        user=caller.user, workflow=target.workflow, description=_get(params, "description")
    )
    return {
        "creationDate": _ts(version.created_at),
        "stateMachineVersionArn": _machine_arn(caller, target.workflow, version.number),
    }


@action
def list_state_machine_versions(caller: Caller, params: dict) -> dict:
    target = _target(caller, _get(params, "stateMachineArn", required=True), qualified=False)
    versions = list(target.workflow.versions.order_by("-number"))
    page, more = _page(versions, params)
    items = [
        {"stateMachineVersionArn": _machine_arn(caller, target.workflow, v.number), "creationDate": _ts(v.created_at)}
        for v in page
    ]
    return {"stateMachineVersions": items, **more}


@action
def delete_state_machine_version(caller: Caller, params: dict) -> dict:
    raise validation(
        "Stepwright keeps every version of a workflow: versions are immutable history and cannot be deleted."
    )


def _routing(caller: Caller, workflow: Workflow, params: dict) -> list[dict]:
    routes = _get(params, "routingConfiguration", list, required=True)
    if not 1 <= len(routes) <= 2:
        raise validation("An alias routes to one or two versions.")
    out = []
    for route in routes:
        version_arn = route.get("stateMachineVersionArn") if isinstance(route, dict) else None
        weight = route.get("weight") if isinstance(route, dict) else None
        if not isinstance(version_arn, str) or not isinstance(weight, int) or not 0 <= weight <= 100:
            raise validation("Each route has a stateMachineVersionArn and a weight from 0 to 100.")
        target = _target(caller, version_arn)
        if target.version is None or target.workflow.pk != workflow.pk:
            raise validation(f"Not a version of this state machine: '{version_arn}'")
        out.append({"version": target.version.number, "weight": weight})
    if sum(r["weight"] for r in out) != 100:
        raise validation("The weights of an alias's routes add up to 100.")
    return out


def _routes_out(caller: Caller, alias: Alias) -> list[dict]:
    return [
        {"stateMachineVersionArn": _machine_arn(caller, alias.workflow, r["version"]), "weight": r["weight"]}
        for r in alias.routing
    ]


@action
def create_state_machine_alias(caller: Caller, params: dict) -> dict:
    name = _name(params)
    if name.isdigit():
        raise SfnError("InvalidName", f"Invalid Name: '{name}' (an alias name cannot be a number)")
    routes = _get(params, "routingConfiguration", list, required=True)
    first = routes[0].get("stateMachineVersionArn") if routes and isinstance(routes[0], dict) else None
    if not isinstance(first, str):
        raise validation("Each route has a stateMachineVersionArn.")
    workflow = _target(caller, first).workflow
    require_role(caller.user, workflow.team, Role.EDITOR, "create aliases")
    routing = _routing(caller, workflow, params)
    description = _get(params, "description", default="")
    with transaction.atomic():
        alias = workflow.sfn_aliases.filter(name=name).first()
        if alias is not None:
            if alias.routing != routing or alias.description != description:
                raise SfnError("ConflictException", f"Alias already exists: '{_machine_arn(caller, workflow, name)}'")
        else:
            alias = Alias.objects.create(workflow=workflow, name=name, description=description, routing=routing)
    return {"stateMachineAliasArn": _machine_arn(caller, workflow, name), "creationDate": _ts(alias.created_at)}


def _alias(caller: Caller, params: dict) -> Alias:
    text = _get(params, "stateMachineAliasArn", required=True)
    target = _target(caller, text)
    if target.alias is None:
        raise _invalid_arn(text)
    return target.alias


@action
def describe_state_machine_alias(caller: Caller, params: dict) -> dict:
    alias = _alias(caller, params)
    return _compact(
        {
            "stateMachineAliasArn": _machine_arn(caller, alias.workflow, alias.name),
            "name": alias.name,
            "description": alias.description or None,
            "routingConfiguration": _routes_out(caller, alias),
            "creationDate": _ts(alias.created_at),
            "updateDate": _ts(alias.updated_at),
        }
    )


@action
def update_state_machine_alias(caller: Caller, params: dict) -> dict:
    alias = _alias(caller, params)
    require_role(caller.user, alias.workflow.team, Role.EDITOR, "edit aliases")
    if params.get("routingConfiguration") is not None:
        alias.routing = _routing(caller, alias.workflow, params)
    if params.get("description") is not None:
        alias.description = _get(params, "description")
    alias.save()
    return {"updateDate": _ts(alias.updated_at)}


@action
def delete_state_machine_alias(caller: Caller, params: dict) -> dict:
    alias = _alias(caller, params)
    require_role(caller.user, alias.workflow.team, Role.EDITOR, "delete aliases")
    alias.delete()
    return {}


@action
def list_state_machine_aliases(caller: Caller, params: dict) -> dict:
    target = _target(caller, _get(params, "stateMachineArn", required=True), qualified=False)
    aliases = list(target.workflow.sfn_aliases.order_by("name"))
    page, more = _page(aliases, params)
    items = [
        {"stateMachineAliasArn": _machine_arn(caller, target.workflow, a.name), "creationDate": _ts(a.created_at)}
        for a in page
    ]
    return {"stateMachineAliases": items, **more}


# --- executions -----------------------------------------------------------------------------------


def _version_to_run(target: Target) -> WorkflowVersion | None:
    if target.alias is not None:
        routes = target.alias.routing
        number = random.choices([r["version"] for r in routes], weights=[r["weight"] for r in routes])[0]
        return target.workflow.versions.get(number=number)
    return target.version


def _test_case(target: Target) -> TestCase | None:
    if target.test_case is None:
        return None
    case = target.workflow.test_cases.filter(name=target.test_case).first() or _from_mock_config_file(target)
    if case is None:
        raise validation(
            f"The state machine '{target.workflow.name}' has no test case '{target.test_case}' (add it as a test "
            "case of the workflow, or PUT a MockConfigFile to /api/workflows/<id>/test-cases/mock-config/)."
        )
    return case


def _from_mock_config_file(target: Target) -> TestCase | None:
    """A test case from the server's MockConfigFile (STEPWRIGHT_SFN_MOCK_CONFIG, as SFN Local's
    SFN_MOCK_CONFIG), kept as a test case of the workflow the first time it is used."""
    path = os.environ.get("STEPWRIGHT_SFN_MOCK_CONFIG")
    if not path:
        return None
    try:
        config = json.loads(Path(path).read_text())
        cases = config["StateMachines"][target.workflow.name]["TestCases"]
        responses = {state: config["MockedResponses"][name] for state, name in cases[target.test_case].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    case, _ = TestCase.objects.get_or_create(
        workflow=target.workflow, name=target.test_case, defaults={"responses": responses}
    )
    return case


def _input(params: dict) -> Any:
    text = _get(params, "input", default="{}")
    return _json(text, "InvalidExecutionInput", "execution input")


@action
def start_execution(caller: Caller, params: dict) -> dict:
    target = _target(caller, _get(params, "stateMachineArn", required=True), test_case=True)
    name = _name(params, required=False)
    value = _input(params)
    workflow = target.workflow
    if name is not None:
        existing = Execution.objects.filter(workflow=workflow, name=name, parent__isnull=True).first()
        if existing is not None:
            if existing.status == Status.RUNNING and existing.input == value:
                return {"executionArn": _execution_arn(caller, existing), "startDate": _ts(existing.started_at)}
            raise SfnError("ExecutionAlreadyExists", f"Execution Already Exists: '{_execution_arn(caller, existing)}'")
    name = name or str(uuid.uuid4())
    # `$$.Execution.Id` and `$$.StateMachine.Id` inside the run are the ARNs this endpoint hands out.
    context = {
        "Execution": {"Id": arns.execution(caller.region, workflow.team_id, workflow.name, name)},
        "StateMachine": {
            "Id": arns.state_machine(caller.region, workflow.team_id, workflow.name),
            "Name": workflow.name,
        },
    }
    try:
        execution = executor_services.start_execution(
            user=caller.user,
            workflow=workflow,
            input=value,
            version=_version_to_run(target),
            name=name,
            test_case=_test_case(target),
            context=context,
        )
    except ServiceError as error:
        raise _start_error(error, caller, workflow, name)
    if target.version is not None or target.alias is not None:
        ExecutionOrigin.objects.create(execution=execution, alias_name=target.alias.name if target.alias else "")
    return {"executionArn": _execution_arn(caller, execution), "startDate": _ts(execution.started_at)}


def _start_error(error: Exception, caller: Caller, workflow: Workflow, name: str | None) -> Exception:
    code = getattr(error, "code", "")
    if code == "execution_exists":
        arn = arns.execution(caller.region, workflow.team_id, workflow.name, name or "")
        return SfnError("ExecutionAlreadyExists", f"Execution Already Exists: '{arn}'")
    if code == "payload_too_large":
        return SfnError("InvalidExecutionInput", error.message)
    if code == "invalid_definition":
        return SfnError("InvalidDefinition", error.message, extra={"diagnostics": error.details.get("diagnostics")})
    return error


def _has_origin(execution: Execution) -> bool:
    try:
        return execution.sfn_origin is not None
    except ExecutionOrigin.DoesNotExist:
        return False


def _execution_out(caller: Caller, execution: Execution, *, include_data: bool = True) -> dict:
    out = {
        "executionArn": _execution_arn(caller, execution),
        "stateMachineArn": _machine_arn(caller, execution.workflow),
        "name": execution.name,
        "status": execution.status,
        "startDate": _ts(execution.started_at),
        "stopDate": _ts(execution.stopped_at),
        "redriveCount": execution.redrive_count,
    }
    if _has_origin(execution):  # started by a version or alias ARN
        out["stateMachineVersionArn"] = _machine_arn(caller, execution.workflow, execution.version.number)
        if execution.sfn_origin.alias_name:
            out["stateMachineAliasArn"] = _machine_arn(caller, execution.workflow, execution.sfn_origin.alias_name)
    if include_data:
        out["input"] = services.dumps(execution.input)
        out["inputDetails"] = {"included": True}
        if execution.status == Status.SUCCEEDED:
            out["output"] = services.dumps(execution.output)
            out["outputDetails"] = {"included": True}
    if execution.error is not None:
        out["error"] = execution.error
    if execution.cause is not None:
        out["cause"] = execution.cause
    return _compact(out)


@action
def describe_execution(caller: Caller, params: dict) -> dict:
    execution = _execution(caller, _get(params, "executionArn", required=True))
    execution = get_backend(execution.backend).describe(execution)
    out = _execution_out(caller, execution)
    reason = _not_redrivable(execution)
    out["redriveStatus"] = "NOT_REDRIVABLE" if reason else "REDRIVABLE"
    if reason:
        out["redriveStatusReason"] = reason
    return out


def _not_redrivable(execution: Execution) -> str | None:
    """Why AWS would refuse to redrive the execution, or None when it can be redriven."""
    if execution.status not in (Status.FAILED, Status.TIMED_OUT, Status.ABORTED):
        return f"Execution is {execution.status}"
    if execution.stopped_at and execution.stopped_at < timezone.now() - executor_services.REDRIVE_WINDOW:
        return "Execution stopped more than 14 days ago"
    if execution.redrive_count >= executor_services.MAX_REDRIVES:
        return f"Execution was redriven {execution.redrive_count} times"
    return None


@action
def redrive_execution(caller: Caller, params: dict) -> dict:
    execution = _execution(caller, _get(params, "executionArn", required=True))
    reason = _not_redrivable(execution)
    if reason is not None:
        raise SfnError("ExecutionNotRedrivable", f"Execution is not redrivable: {reason}: '{params['executionArn']}'")
    try:
        execution = get_backend(execution.backend).redrive(user=caller.user, execution=execution)
    except ServiceError as error:
        if error.code == "not_redrivable":
            raise SfnError("ExecutionNotRedrivable", error.message)
        raise
    redriven = execution.events.filter(type="ExecutionRedriven").order_by("-event_id").first()
    return {"redriveDate": _ts(redriven.timestamp if redriven else timezone.now())}


@action
def list_executions(caller: Caller, params: dict) -> dict:
    text = _get(params, "stateMachineArn")
    if text is None:
        raise validation("Must provide a StateMachine ARN or MapRun ARN")
    target = _target(caller, text)
    executions = Execution.objects.filter(workflow=target.workflow, parent__isnull=True)
    if target.version is not None:
        executions = executions.filter(version=target.version)
    if target.alias is not None:
        executions = executions.filter(sfn_origin__alias_name=target.alias.name)
    status = _get(params, "statusFilter")
    if status is not None:
        executions = executions.filter(status=status)
    executions = list(
        executions.select_related("workflow", "version", "sfn_origin")
        .defer("snapshot", "effect")
        .order_by("-started_at", "-id")
    )
    page, more = _page(executions, params)
    items = []
    for execution in page:
        item = _execution_out(caller, execution, include_data=False)
        item.pop("error", None), item.pop("cause", None)
        items.append(item)
    return {"executions": items, **more}


@action
def stop_execution(caller: Caller, params: dict) -> dict:
    execution = _execution(caller, _get(params, "executionArn", required=True))
    require_role(caller.user, execution.workflow.team, Role.RUNNER, "stop executions")
    if execution.status == Status.RUNNING:
        execution = get_backend(execution.backend).stop(
            user=caller.user, execution=execution, error=_get(params, "error"), cause=_get(params, "cause")
        )
    return {"stopDate": _ts(execution.stopped_at or timezone.now())}


def _strip_data(details: dict) -> dict:
    return {
        key: {k: v for k, v in value.items() if k not in _DATA_KEYS} if isinstance(value, dict) else value
        for key, value in details.items()
    }


def _event_out(event: HistoryEvent, include_data: bool) -> dict:
    details = event.details if include_data else _strip_data(event.details)
    return {
        "timestamp": _ts(event.timestamp),
        "type": event.type,
        "id": event.event_id,
        "previousEventId": event.previous_event_id,
        **details,
    }


@action
def get_execution_history(caller: Caller, params: dict) -> dict:
    execution = _execution(caller, _get(params, "executionArn", required=True))
    execution = get_backend(execution.backend).describe(execution)
    limit = _max_results(params)
    reverse = bool(_get(params, "reverseOrder", bool, default=False))
    include_data = bool(_get(params, "includeExecutionData", bool, default=True))
    token = _token(params)
    events = execution.events.all()
    if reverse:
        if "before" in token:
            events = events.filter(event_id__lt=token["before"])
        events = events.order_by("-event_id")
    else:
        if "after" in token:
            events = events.filter(event_id__gt=token["after"])
        events = events.order_by("event_id")
    if any(not isinstance(v, int) for v in token.values()):
        raise SfnError("InvalidToken", "Invalid Token: 'Invalid token'")
    rows = list(events[: limit + 1])
    out: dict[str, Any] = {"events": [_event_out(e, include_data) for e in rows[:limit]]}
    if len(rows) > limit:
        out["nextToken"] = _next_token({"before" if reverse else "after": rows[limit - 1].event_id})
    return out


@action
def describe_state_machine_for_execution(caller: Caller, params: dict) -> dict:
    execution = _execution(caller, _get(params, "executionArn", required=True))
    version = execution.version
    described = _describe(caller, execution.workflow, version)
    out = {
        "stateMachineArn": _machine_arn(caller, execution.workflow),
        "name": execution.workflow.name,
        "definition": version.definition if version else described["definition"],
        "roleArn": described["roleArn"],
        "updateDate": _ts(version.created_at if version else execution.workflow.updated_at),
        "loggingConfiguration": described["loggingConfiguration"],
        "tracingConfiguration": described["tracingConfiguration"],
        "encryptionConfiguration": described["encryptionConfiguration"],
    }
    if version is not None:
        out["revisionId"] = version.content_hash
    return out


# --- callbacks -------------------------------------------------------------------------------------


def _task_token(caller: Caller, params: dict) -> str:
    token = _get(params, "taskToken", required=True)
    if not TaskToken.objects.filter(token=token, execution__workflow__team=caller.team).exists():
        raise SfnError("InvalidToken", "Invalid Token: 'Invalid token'")
    return token


def _callback(call: Callable[[], Any]) -> dict:
    try:
        call()
    except ServiceError as error:
        if error.code == "invalid_token":
            raise SfnError("InvalidToken", "Invalid Token: 'Invalid token'")
        if error.code == "task_timed_out":
            raise SfnError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
        if error.code == "payload_too_large":
            raise SfnError("InvalidOutput", error.message)
        raise
    return {}


@action
def send_task_success(caller: Caller, params: dict) -> dict:
    token = _task_token(caller, params)
    output = _json(_get(params, "output", required=True), "InvalidOutput", "output")
    return _callback(lambda: executor_services.send_task_success(user=caller.user, token=token, output=output))


@action
def send_task_failure(caller: Caller, params: dict) -> dict:
    token = _task_token(caller, params)
    error, cause = _get(params, "error"), _get(params, "cause")
    return _callback(
        lambda: executor_services.send_task_failure(user=caller.user, token=token, error=error, cause=cause)
    )


@action
def send_task_heartbeat(caller: Caller, params: dict) -> dict:
    token = _task_token(caller, params)
    return _callback(lambda: executor_services.send_task_heartbeat(user=caller.user, token=token))


# --- synchronous Express executions -----------------------------------------------------------------


def _local_handler(test_case: TestCase | None) -> Callable:
    """Task resources for an in-process run, resolved as the durable executor resolves them."""
    stand_in = Execution(test_case=test_case)  # unsaved: resources counts its mocks in memory

    def handle(parameters: Any, effect: dict) -> Any:
        outcome = resources.resolve(stand_in, effect, effect.get("context") or {})
        if not isinstance(outcome, dict):  # resources.Wait: a callback or a nested .sync execution
            raise asl.TaskFailure("States.Runtime", "A synchronous execution cannot wait for a callback.")
        if "error" in outcome:
            raise asl.TaskFailure(outcome["error"], outcome.get("cause"), timeout=bool(outcome.get("timeout")))
        return outcome.get("result")

    return handle


@action
def start_sync_execution(caller: Caller, params: dict) -> dict:
    target = _target(caller, _get(params, "stateMachineArn", required=True), test_case=True)
    workflow = target.workflow
    if services.settings_of(workflow).type != "EXPRESS":
        raise SfnError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
    require_role(caller.user, workflow.team, Role.RUNNER, "run workflows")
    name = _name(params, required=False) or str(uuid.uuid4())
    value = _input(params)
    version = _version_to_run(target) or latest_version(workflow)
    if version is None:
        raise validation("The state machine has no version to run.")
    test_case = _test_case(target)
    machine_arn = _machine_arn(caller, workflow)
    run = uuid.uuid4().hex
    execution_arn = arns.express_execution(caller.region, workflow.team_id, workflow.name, name, run)
    context = {
        "Execution": {"Id": execution_arn, "Name": name, "RoleArn": _role_arn(caller, services.settings_of(workflow))},
        "StateMachine": {"Id": machine_arn, "Name": workflow.name},
    }
    started = timezone.now()
    try:
        result = asl.execute(version.definition, value, handlers=_local_handler(test_case), context=context)
    except asl.DefinitionError as error:
        raise _diagnostics_error(error.diagnostics)
    stopped = timezone.now()
    _record_sync(caller, workflow, version, name, value, result, started, stopped, test_case)
    out = {
        "executionArn": execution_arn,
        "stateMachineArn": machine_arn,
        "name": name,
        "startDate": _ts(started),
        "stopDate": _ts(stopped),
        "status": result.status,
        "input": services.dumps(value),
        "inputDetails": {"included": True},
        "billingDetails": {
            "billedMemoryUsedInMB": 64,
            "billedDurationInMilliseconds": max(100, int((stopped - started).total_seconds() * 1000)),
        },
    }
    if result.status == "SUCCEEDED":
        out["output"] = services.dumps(result.output)
        out["outputDetails"] = {"included": True}
    else:
        out["error"], out["cause"] = result.error, result.cause
    return _compact(out)


def _record_sync(caller, workflow, version, name, value, result, started, stopped, test_case) -> None:
    """Keep the finished run as an execution of the workflow, so the designer shows it."""
    try:
        with transaction.atomic():
            execution = Execution.objects.create(
                workflow=workflow,
                version=version,
                name=name,
                status=result.status,
                input=value,
                output=result.output if result.status == "SUCCEEDED" else None,
                error=result.error,
                cause=result.cause,
                stopped_at=stopped,
                started_by=caller.user,
                test_case=test_case,
                sequence=1,
            )
            Execution.objects.filter(pk=execution.pk).update(started_at=started)
            HistoryEvent.objects.bulk_create(
                HistoryEvent(
                    execution=execution,
                    event_id=event["id"],
                    previous_event_id=event["previousEventId"],
                    type=event["type"],
                    timestamp=datetime.fromisoformat(event["timestamp"]),
                    details={k: v for k, v in event.items() if k not in ("id", "previousEventId", "type", "timestamp")},
                )
                for event in result.history
            )
    except IntegrityError:
        raise SfnError(
            "ExecutionAlreadyExists",
            f"Execution Already Exists: '{arns.execution(caller.region, workflow.team_id, workflow.name, name)}'",
        )


@action
def test_state(caller: Caller, params: dict) -> dict:
    from sfn import teststate

    _get(params, "definition", required=True)
    require_role(caller.user, caller.team, Role.RUNNER, "test states")

    def handler_for_mock(mock: dict | None, seen: dict) -> Callable:
        local = _local_handler(None)

        def handle(parameters: Any, effect: dict) -> Any:
            seen["parameters"] = parameters
            if mock is None:
                seen["result"] = local(parameters, effect)
            elif mock.get("errorOutput") is not None:
                error = mock["errorOutput"]
                raise asl.TaskFailure(error.get("error") or "States.TaskFailed", error.get("cause"))
            else:
                seen["result"] = _json(mock.get("result") or "null", "ValidationException", "mock result")
            return seen["result"]

        return handle

    return teststate.run(params, handler_for_mock)


# --- activities ------------------------------------------------------------------------------------


@action
def create_activity(caller: Caller, params: dict) -> dict:
    from sfn import activities

    activity = activities.create(caller, _name(params), _tags(params))
    return {"activityArn": activities.arn_of(caller, activity), "creationDate": _ts(activity.created_at)}


@action
def describe_activity(caller: Caller, params: dict) -> dict:
    from sfn import activities

    activity = activities.get(caller, _get(params, "activityArn", required=True))
    return {
        "activityArn": activities.arn_of(caller, activity),
        "name": activity.name,
        "creationDate": _ts(activity.created_at),
        "encryptionConfiguration": {"type": "AWS_OWNED_KEY"},
    }


@action
def list_activities(caller: Caller, params: dict) -> dict:
    from sfn import activities
    from sfn.models import Activity

    page, more = _page(list(Activity.objects.filter(team=caller.team).order_by("created_at", "id")), params)
    items = [
        {"activityArn": activities.arn_of(caller, a), "name": a.name, "creationDate": _ts(a.created_at)} for a in page
    ]
    return {"activities": items, **more}


@action
def delete_activity(caller: Caller, params: dict) -> dict:
    from sfn import activities

    try:
        activity = activities.get(caller, _get(params, "activityArn", required=True))
    except SfnError as error:
        if error.code == "ActivityDoesNotExist":
            return {}
        raise
    activities.delete(caller, activity)
    return {}


@action
def get_activity_task(caller: Caller, params: dict) -> dict:
    from sfn import activities

    activity = activities.get(caller, _get(params, "activityArn", required=True))
    return activities.take_task(caller, activity, _get(params, "workerName", default=""))


# --- tags -----------------------------------------------------------------------------------------


def _tagged(caller: Caller, text: str):
    arn = arns.parse(text)
    if arn is not None and arn.kind == "activity":
        from sfn.models import Activity

        found = Activity.objects.filter(team=caller.team, name=arn.resource).first()
        if found is not None and arn.team_id == caller.team.pk:
            return found
    elif arn is not None and arn.kind == "stateMachine":
        try:
            target = _target(caller, text, qualified=False)
        except SfnError:
            target = None
        if target is not None:
            return target.workflow
    elif arn is None:
        raise _invalid_arn(text)
    raise SfnError("ResourceNotFound", f"Resource not found: '{text}'", extra={"resourceName": text})


@action
def list_tags_for_resource(caller: Caller, params: dict) -> dict:
    resource = _tagged(caller, _get(params, "resourceArn", required=True))
    return {"tags": services.list_to_tags(resource.tags)}


def _save_tags(caller: Caller, resource, tags: list[str]) -> None:
    from designer import services as designer_services

    if isinstance(resource, Workflow):
        designer_services.update_workflow(user=caller.user, workflow=resource, tags=tags)
    else:
        require_role(caller.user, resource.team, Role.EDITOR, "tag activities")
        resource.tags = tags
        resource.save(update_fields=["tags"])


@action
def tag_resource(caller: Caller, params: dict) -> dict:
    resource = _tagged(caller, _get(params, "resourceArn", required=True))
    tags = _tags({"tags": _get(params, "tags", list, required=True)})
    _save_tags(caller, resource, services.merge_tags(resource.tags, tags))
    return {}


@action
def untag_resource(caller: Caller, params: dict) -> dict:
    resource = _tagged(caller, _get(params, "resourceArn", required=True))
    keys = set(_get(params, "tagKeys", list, required=True))
    kept = [t for t in services.list_to_tags(resource.tags) if t["key"] not in keys]
    _save_tags(caller, resource, services.tags_to_list(kept))
    return {}
