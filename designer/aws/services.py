"""Writes on the AWS side: connections, deploy plans and deploys, imports, drift.

Connection writes are keyword-only functions in one transaction, like designer.services. A deploy is
not one transaction on purpose: its Deployment record is committed first and updated as the attempt
goes, so a failure half-way leaves a record that says what was done on AWS and what was not.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

import asl
from designer import services as designer_services
from designer.aws import clients, crypto
from designer.aws.clients import Aws, AwsError
from designer.aws.models import AwsConnection, AwsLink, Deployment
from designer.diff import diff_definitions
from designer.errors import Conflict, ServiceError
from designer.exporters import policy_for, to_json
from designer.models import Activity, Team, Workflow, WorkflowVersion
from designer.roles import Role
from designer.selectors import latest_version, require_role

log = logging.getLogger(__name__)
Verb = Activity.Verb
Mode = AwsConnection.AuthMode

ROLE_POLICY_NAME = "stepwright-execution"
# Seconds to wait between tries while a fresh or changed role propagates through IAM (AWS: up to ~10 s).
IAM_PROPAGATION_DELAYS = (2, 3, 5, 8, 10)
STATE_MACHINE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
LOG_GROUP_ARN = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:]+(:\*)?$")
LOG_LEVELS = ("OFF", "ALL", "ERROR", "FATAL")


# --- connections --------------------------------------------------------------------------------


def _check_connection_fields(fields: dict[str, Any], connection: AwsConnection) -> None:
    mode = fields.get("auth_mode", connection.auth_mode)
    role_arn = fields.get("role_arn", connection.role_arn)
    if mode == Mode.ASSUME_ROLE and not ROLE_ARN.match(role_arn or ""):
        raise ServiceError(
            "invalid",
            "Assuming a role needs the role's ARN (arn:aws:iam::123456789012:role/Name).",
            {"field": "/role_arn"},
        )
    endpoint = fields.get("endpoint_url", connection.endpoint_url)
    if endpoint:
        if not re.match(r"^https?://[^\s/]+", endpoint):
            raise ServiceError(
                "invalid", "The endpoint URL must start with http:// or https://.", {"field": "/endpoint_url"}
            )
        if mode != Mode.ACCESS_KEY and not clients.trusted_endpoint(endpoint):
            raise ServiceError(
                "untrusted_endpoint",
                "A custom endpoint with the server's own credentials must be a trusted host "
                f"({clients.TRUSTED_ENDPOINT_HOSTS_ENV}); use an access key pair for other endpoints.",
                {"field": "/endpoint_url"},
            )


def _set_keys(connection: AwsConnection, fields: dict[str, Any]) -> None:
    """Move an access key pair from `fields` into the encrypted column (and out of `fields`)."""
    key_id = fields.pop("access_key_id", None)
    secret = fields.pop("secret_access_key", None)
    token = fields.pop("session_token", None)
    mode = fields.get("auth_mode", connection.auth_mode)
    if mode != Mode.ACCESS_KEY:
        if key_id or secret:
            raise ServiceError(
                "invalid", "An access key pair is only for the access_key auth mode.", {"field": "/access_key_id"}
            )
        connection.secret_ciphertext, connection.access_key_hint = "", ""
        return
    if key_id is None and secret is None and connection.secret_ciphertext:
        return  # keeping the stored pair
    if not key_id or not secret:
        raise ServiceError(
            "invalid",
            "The access_key auth mode needs both access_key_id and secret_access_key.",
            {"field": "/secret_access_key" if key_id else "/access_key_id"},
        )
    connection.secret_ciphertext = crypto.encrypt(
        {"access_key_id": key_id, "secret_access_key": secret, "session_token": token or ""}
    )
    connection.access_key_hint = key_id[-4:]


def _save_connection(connection: AwsConnection) -> AwsConnection:
    try:
        with transaction.atomic():
            connection.save()
    except IntegrityError:
        raise Conflict(
            "name_taken", f"The team already has a connection named {connection.name!r}.", {"field": "/name"}
        )
    return connection


@transaction.atomic
def create_connection(*, user: AbstractBaseUser, team: Team, **fields: Any) -> AwsConnection:
    require_role(user, team, Role.OWNER, "manage AWS connections")
    connection = AwsConnection(team=team, created_by=user)
    _check_connection_fields(fields, connection)
    _set_keys(connection, fields)
    for key, value in fields.items():
        setattr(connection, key, value)
    _save_connection(connection)
    designer_services.record(
        team=team, actor=user, verb=Verb.CREATED, subject=f"AWS connection {connection.name}", region=connection.region
    )
    return connection


@transaction.atomic
def update_connection(*, user: AbstractBaseUser, connection: AwsConnection, **fields: Any) -> AwsConnection:
    require_role(user, connection.team, Role.OWNER, "manage AWS connections")
    _check_connection_fields(fields, connection)
    had_keys = connection.secret_ciphertext
    _set_keys(connection, fields)
    changed = sorted(key for key, value in fields.items() if getattr(connection, key) != value)
    for key, value in fields.items():
        setattr(connection, key, value)
    if connection.secret_ciphertext != had_keys:
        changed.append("access key")
    if changed:
        connection.account_id, connection.tested_at = "", None
        _save_connection(connection)
        designer_services.record(
            team=connection.team,
            actor=user,
            verb=Verb.UPDATED,
            subject=f"AWS connection {connection.name}",
            fields=changed,
        )
    return connection


@transaction.atomic
def delete_connection(*, user: AbstractBaseUser, connection: AwsConnection) -> None:
    require_role(user, connection.team, Role.OWNER, "manage AWS connections")
    name = connection.name
    connection.delete()
    designer_services.record(team=connection.team, actor=user, verb=Verb.DELETED, subject=f"AWS connection {name}")


def check_connection(*, user: AbstractBaseUser, connection: AwsConnection) -> dict[str, str]:
    """sts:GetCallerIdentity through the connection: which account and identity it reaches."""
    require_role(user, connection.team, Role.EDITOR, "use AWS connections")
    identity = Aws(connection).sts("get_caller_identity")
    connection.account_id, connection.tested_at = identity["Account"], timezone.now()
    connection.save(update_fields=["account_id", "tested_at"])
    return {"account": identity["Account"], "arn": identity["Arn"], "region": connection.region}


# --- definitions --------------------------------------------------------------------------------


def definition_hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _parse(text: str, what: str) -> dict:
    value, problems = asl.validation.load_definition(text)
    if problems or not isinstance(value, dict):
        raise ServiceError(
            "invalid_definition",
            f"The {what} definition cannot be read as JSON or YAML.",
            {"diagnostics": [p.to_dict() for p in problems]},
        )
    return value


def _aws_definition(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# --- deploy -------------------------------------------------------------------------------------


@dataclass
class DeployOptions:
    """What a deploy does besides sending the definition. The defaults give a plain STANDARD machine."""

    name: str = ""
    type: str = ""  # left out: the linked state machine's, else STANDARD
    role_arn: str = ""
    create_role: bool = False
    role_name: str = ""
    alias: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    log_level: str = "OFF"
    log_group_arn: str = ""
    include_execution_data: bool = False
    tracing: bool = False

    def logging_configuration(self) -> dict:
        if self.log_level == "OFF":
            return {"level": "OFF", "includeExecutionData": False}
        return {
            "level": self.log_level,
            "includeExecutionData": self.include_execution_data,
            "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": self.log_group_arn}}],
        }


def default_name(workflow: Workflow) -> str:
    """orders flow (v2) -> orders-flow-v2: a valid state machine name."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", workflow.name).strip("-") or f"workflow-{workflow.pk}"
    return name[:80]


def _check_options(options: DeployOptions, workflow: Workflow, connection: AwsConnection) -> DeployOptions:
    """Fill what was left out from the state machine the workflow is linked to through `connection` (so a
    redeploy, or the first deploy of an imported workflow, is one click), then check everything."""
    link = (
        workflow.aws_links.filter(connection=connection)
        .filter(state_machine_name=options.name or F("state_machine_name"))
        .order_by("-updated_at", "-id")
        .first()
    )
    if link is not None:
        options.name = options.name or link.state_machine_name
        options.type = options.type or link.type
        if not options.role_arn and not options.create_role:
            options.role_arn = link.role_arn
    options.name = options.name or default_name(workflow)
    options.type = options.type or "STANDARD"
    if not STATE_MACHINE_NAME.match(options.name):
        raise ServiceError("invalid", "A state machine name has 1 to 80 letters, digits, - and _.", {"field": "/name"})
    if options.type not in ("STANDARD", "EXPRESS"):
        raise ServiceError("invalid", "The type is STANDARD or EXPRESS.", {"field": "/type"})
    if options.create_role:
        if options.role_arn:
            raise ServiceError(
                "invalid", "Either give a role ARN or let Stepwright create the role, not both.", {"field": "/role_arn"}
            )
        options.role_name = options.role_name or f"stepwright-{options.name}"[:64]
        if not re.match(r"^[\w+=,.@-]{1,64}$", options.role_name):
            raise ServiceError(
                "invalid", "An IAM role name has 1 to 64 letters, digits and +=,.@_-.", {"field": "/role_name"}
            )
    elif not ROLE_ARN.match(options.role_arn):
        raise ServiceError(
            "invalid",
            "Say which execution role the state machine uses (role_arn), or set create_role.",
            {"field": "/role_arn"},
        )
    if options.log_level not in LOG_LEVELS:
        raise ServiceError("invalid", f"The log level is one of {', '.join(LOG_LEVELS)}.", {"field": "/log_level"})
    if options.log_level != "OFF" and not LOG_GROUP_ARN.match(options.log_group_arn):
        raise ServiceError("invalid", "Logging needs the CloudWatch Logs log group's ARN.", {"field": "/log_group_arn"})
    if options.alias and not STATE_MACHINE_NAME.match(options.alias):
        raise ServiceError("invalid", "An alias name has 1 to 80 letters, digits, - and _.", {"field": "/alias"})
    return options


@dataclass
class _Target:
    """Everything a plan and a deploy share: the definition, where it goes, and what is there now."""

    version: WorkflowVersion
    definition: dict
    text: str
    digest: str
    options: DeployOptions
    account: str
    partition: str
    arn: str
    current: dict | None
    role_arn: str
    policy: dict
    link: AwsLink | None
    tags_now: dict[str, str]


def _resolve_version(workflow: Workflow, version: WorkflowVersion | int | None) -> WorkflowVersion:
    if isinstance(version, WorkflowVersion):
        return version
    if version is None:
        found = latest_version(workflow)
        if found is None:
            raise ServiceError("no_version", "Save a version of the workflow first: deploys are made from versions.")
        return found
    found = workflow.versions.filter(number=version).first()
    if found is None:
        raise ServiceError("version_not_found", f"The workflow has no version {version}.", {"field": "/version"})
    return found


def _target(aws: Aws, workflow: Workflow, version: WorkflowVersion, options: DeployOptions) -> _Target:
    if version.validation_status == "invalid":
        raise ServiceError(
            "invalid_version",
            f"Version {version.number} has validation errors; fix them and save a new version before deploying.",
            {"diagnostics": version.diagnostics},
        )
    definition = _parse(version.definition, f"version {version.number}")
    identity = aws.sts("get_caller_identity")
    account = identity["Account"]
    partition = identity["Arn"].split(":")[1] if identity.get("Arn", "").startswith("arn:") else "aws"
    region = aws.connection.region
    arn = f"arn:{partition}:states:{region}:{account}:stateMachine:{options.name}"
    try:
        current = aws.sfn("describe_state_machine", stateMachineArn=arn)
    except AwsError as error:
        if error.code != "aws_state_machine_missing":
            raise
        current = None
    role_arn = options.role_arn or f"arn:{partition}:iam::{account}:role/{options.role_name}"
    policy = policy_for(
        definition,
        partition=partition,
        region=region,
        account=account,
        state_machine_name=options.name,
        logging=options.log_level != "OFF",
        tracing=options.tracing,
    )
    link = AwsLink.objects.filter(connection=aws.connection, state_machine_arn=arn).select_related("workflow").first()
    tags_now: dict[str, str] = {}
    if current is not None and options.tags:
        listed = aws.sfn("list_tags_for_resource", resourceArn=arn).get("tags", [])
        tags_now = {tag["key"]: tag["value"] for tag in listed}
    return _Target(
        version=version,
        definition=definition,
        text=to_json(definition),
        digest=definition_hash(definition),
        options=options,
        account=account,
        partition=partition,
        arn=arn,
        current=current,
        role_arn=role_arn,
        policy=policy,
        link=link,
        tags_now=tags_now,
    )


def trust_policy(target: _Target) -> dict:
    """Step Functions may assume the role, only for this account's state machines (no confused deputy)."""
    region = target.arn.split(":")[3]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "states.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": target.account},
                    "ArnLike": {
                        "aws:SourceArn": f"arn:{target.partition}:states:{region}:{target.account}:stateMachine:*"
                    },
                },
            }
        ],
    }


def _differences(target: _Target) -> list[str]:
    """What differs between the deploy and the state machine on AWS; empty when nothing does."""
    current, options = target.current, target.options
    if current is None:
        return ["state machine"]
    found = []
    if _aws_definition(current.get("definition", "")) != target.definition:
        found.append("definition")
    if current.get("roleArn") != target.role_arn:
        found.append("role")
    logging_now = current.get("loggingConfiguration") or {"level": "OFF"}
    wanted = options.logging_configuration()
    if (logging_now.get("level") or "OFF") != wanted["level"] or (
        wanted["level"] != "OFF"
        and (
            bool(logging_now.get("includeExecutionData")) != wanted["includeExecutionData"]
            or logging_now.get("destinations") != wanted["destinations"]
        )
    ):
        found.append("logging")
    if bool((current.get("tracingConfiguration") or {}).get("enabled")) != options.tracing:
        found.append("tracing")
    if any(target.tags_now.get(key) != value for key, value in options.tags.items()):
        found.append("tags")
    return found


def _linked_elsewhere(target: _Target, workflow: Workflow) -> Workflow | None:
    return target.link.workflow if target.link is not None and target.link.workflow_id != workflow.pk else None


def plan_deploy(
    *,
    user: AbstractBaseUser,
    workflow: Workflow,
    connection: AwsConnection,
    version: WorkflowVersion | int | None = None,
    options: DeployOptions,
) -> dict[str, Any]:
    """What a deploy would do: create or update, the definition diff against AWS, the role and its policy."""
    require_role(user, workflow.team, Role.EDITOR, "deploy workflows")
    return plan_deploy_unchecked(workflow=workflow, connection=connection, version=version, options=options)


def plan_deploy_unchecked(
    *,
    workflow: Workflow,
    connection: AwsConnection,
    version: WorkflowVersion | int | None = None,
    options: DeployOptions,
) -> dict[str, Any]:
    """plan_deploy without the role check, for the command line (whoever runs manage.py owns the server)."""
    _same_team(workflow, connection)
    options = _check_options(options, workflow, connection)
    target = _target(Aws(connection), workflow, _resolve_version(workflow, version), options)
    differences = _differences(target)
    deployed = _aws_definition(target.current["definition"]) if target.current else None
    warnings = []
    if target.current and target.current.get("type") != options.type:
        warnings.append(
            f"The state machine on AWS is {target.current.get('type')}; AWS cannot change the type of an existing "
            "state machine, so this deploy will be refused. Deploy under another name."
        )
    if target.current and deployed is None:
        warnings.append("The definition on AWS is not JSON Stepwright can read; it will be replaced.")
    other = _linked_elsewhere(target, workflow)
    if other is not None:
        warnings.append(f"This state machine belongs to the workflow {other.name!r}; deploying here is refused.")
    return {
        "action": "update" if target.current else "create",
        "already_deployed": not differences and not options.alias,
        "changes": differences,
        "state_machine_name": options.name,
        "state_machine_arn": target.arn,
        "account": target.account,
        "region": connection.region,
        "type": options.type,
        "version": target.version.number,
        "definition": target.text,
        "diff": diff_definitions(deployed, target.definition) if isinstance(deployed, dict) else None,
        "role": {
            "arn": target.role_arn,
            "create": options.create_role,
            "name": options.role_name if options.create_role else "",
            "policy": target.policy,
            "trust_policy": trust_policy(target) if options.create_role else None,
        },
        "policy": target.policy,
        "warnings": warnings,
    }


def _same_team(workflow: Workflow, connection: AwsConnection) -> None:
    if workflow.team_id != connection.team_id:
        raise ServiceError(
            "connection_not_found",
            f"The team of {workflow.name!r} has no such AWS connection.",
            {"field": "/connection"},
        )


class _Attempt:
    """The Deployment row of one attempt, saved after every step so a crash still tells the story."""

    def __init__(self, deployment: Deployment):
        self.deployment = deployment

    def step(self, name: str, **details: Any) -> None:
        self.deployment.steps = [*self.deployment.steps, {"step": name, "at": timezone.now().isoformat(), **details}]
        self.deployment.save(update_fields=["steps"])

    def save(self, **fields: Any) -> None:
        for key, value in fields.items():
            setattr(self.deployment, key, value)
        self.deployment.save(update_fields=list(fields))


def _ensure_role(aws: Aws, target: _Target, attempt: _Attempt) -> bool:
    """Create or update the execution role with the generated policy; True when IAM changed."""
    name = target.options.role_name
    trust = json.dumps(trust_policy(target))
    policy = json.dumps(target.policy)
    try:
        role = aws.iam("get_role", RoleName=name)["Role"]
    except AwsError as error:
        if error.code != "aws_no_such_entity":
            raise
        role = None
    changed = False
    if role is None:
        aws.iam(
            "create_role",
            RoleName=name,
            AssumeRolePolicyDocument=trust,
            Description=f"Execution role of the Step Functions state machine {target.options.name} (Stepwright)",
            Tags=[{"Key": "managed-by", "Value": "stepwright"}],
        )
        attempt.step("create_role", role_arn=target.role_arn)
        changed = True
    else:
        tags = {tag["Key"]: tag["Value"] for tag in role.get("Tags") or []}
        if tags.get("managed-by") != "stepwright":
            raise Conflict(
                "role_not_ours",
                f"An IAM role named {name} exists and Stepwright did not create it, so it is left alone: give its "
                "ARN as role_arn to use it, or choose another role_name.",
                {"field": "/role_name"},
            )
        if _policy_document(role.get("AssumeRolePolicyDocument")) != json.loads(trust):
            aws.iam("update_assume_role_policy", RoleName=name, PolicyDocument=trust)
            attempt.step("update_trust_policy", role_arn=target.role_arn)
            changed = True
    try:
        existing = _policy_document(
            aws.iam("get_role_policy", RoleName=name, PolicyName=ROLE_POLICY_NAME)["PolicyDocument"]
        )
    except AwsError as error:
        if error.code != "aws_no_such_entity":
            raise
        existing = None
    if not target.policy["Statement"]:
        # Nothing to allow (Pass, Choice, Wait…): IAM refuses an empty policy, so the role has none.
        if existing is not None:
            aws.iam("delete_role_policy", RoleName=name, PolicyName=ROLE_POLICY_NAME)
            attempt.step("delete_role_policy", role_arn=target.role_arn, policy_name=ROLE_POLICY_NAME)
            changed = True
    elif existing != target.policy:
        aws.iam("put_role_policy", RoleName=name, PolicyName=ROLE_POLICY_NAME, PolicyDocument=policy)
        attempt.step("put_role_policy", role_arn=target.role_arn, policy_name=ROLE_POLICY_NAME)
        changed = True
    return changed


def _policy_document(document: Any) -> Any:
    """IAM hands policy documents back URL-encoded text, or (boto3) already decoded."""
    if isinstance(document, str):
        from urllib.parse import unquote

        try:
            return json.loads(unquote(document))
        except ValueError:
            return document
    return document


def _role_not_ready(error: AwsError) -> bool:
    text = (error.details.get("aws_message") or "").lower()
    return error.code in ("aws_access_denied", "aws_invalid_arn") and ("assume" in text or "role" in text)


def _with_fresh_role(fn, *, role_changed: bool, attempt: _Attempt):
    """`fn()`, retried while a role we just created or changed propagates through IAM."""
    delays = list(IAM_PROPAGATION_DELAYS) if role_changed else []
    while True:
        try:
            return fn()
        except AwsError as error:
            if not delays or not _role_not_ready(error):
                raise
            delay = delays.pop(0)
            attempt.step("wait_for_iam", seconds=delay, aws_message=error.details.get("aws_message", ""))
            clients.sleep(delay)


def deploy(
    *,
    user: AbstractBaseUser | None,
    workflow: Workflow,
    connection: AwsConnection,
    version: WorkflowVersion | int | None = None,
    options: DeployOptions,
) -> Deployment:
    """Deploy a version: create or update the state machine and check what AWS stored.

    Returns the Deployment (outcome succeeded or already_deployed). On failure the Deployment is saved
    with AWS's error and the steps that were done, and the error is raised with the deployment's id.
    `user=None` is the command line, which checks nothing (whoever runs manage.py owns the server).
    """
    if user is not None:
        require_role(user, workflow.team, Role.EDITOR, "deploy workflows")
    _same_team(workflow, connection)
    options = _check_options(options, workflow, connection)
    version = _resolve_version(workflow, version)
    attempt = _Attempt(
        Deployment.objects.create(
            workflow=workflow,
            version=version,
            connection=connection,
            connection_name=connection.name,
            region=connection.region,
            created_by=user,
            state_machine_name=options.name,
            type=options.type,
            options=asdict(options),
        )
    )
    log.info("Deploying %s v%d to %s as %s", workflow.name, version.number, connection.name, options.name)
    try:
        _deploy(Aws(connection), workflow, attempt, options)
    except ServiceError as error:
        attempt.save(
            outcome=Deployment.Outcome.FAILED,
            finished_at=timezone.now(),
            error_code=error.code,
            error_message=error.message,
            aws_error={k: v for k, v in error.details.items() if k.startswith("aws_") or k == "operation"}
            if isinstance(error.details, dict)
            else {},
        )
        log.warning("Deploy %d of %s failed: %s", attempt.deployment.pk, workflow.name, error.code)
        done = [step["step"] for step in attempt.deployment.steps if step["step"] != "wait_for_iam"]
        details = dict(error.details) if isinstance(error.details, dict) else {"details": error.details}
        details.update(deployment=attempt.deployment.pk, done_on_aws=done)
        if done:
            error.message += f" Already done on AWS before the failure: {', '.join(done)}."
        raise type(error)(error.code, error.message, details, status_code=error.status_code)
    deployment = attempt.deployment
    designer_services.record(
        team=workflow.team,
        actor=user,
        verb=Verb.DEPLOYED,
        subject=workflow.name,
        workflow=workflow,
        version=version.number,
        connection=connection.name,
        state_machine=deployment.state_machine_arn,
        outcome=deployment.outcome,
    )
    return deployment


def _deploy(aws: Aws, workflow: Workflow, attempt: _Attempt, options: DeployOptions) -> None:
    deployment = attempt.deployment
    target = _target(aws, workflow, deployment.version, options)
    attempt.save(
        state_machine_arn=target.arn,
        role_arn=target.role_arn,
        definition_hash=target.digest,
        policy=target.policy if options.create_role else {},
        action=Deployment.Action.UPDATE if target.current else Deployment.Action.CREATE,
    )
    other = _linked_elsewhere(target, workflow)
    if other is not None:
        raise Conflict(
            "linked_elsewhere",
            f"The state machine {options.name} belongs to the workflow {other.name!r}; deploy under another name.",
        )
    current = target.current
    if current is not None and current.get("type") != options.type:
        raise Conflict(
            "type_change",
            f"{options.name} is {current.get('type')} on AWS and AWS cannot change the type of a state machine; "
            "deploy under another name or delete it on AWS first.",
        )
    role_changed = _ensure_role(aws, target, attempt) if options.create_role else False
    if current is not None and not role_changed and not _differences(target) and not options.alias:
        _link(target, workflow, aws.connection, current.get("tags"))
        attempt.save(
            action=Deployment.Action.NONE, outcome=Deployment.Outcome.ALREADY_DEPLOYED, finished_at=timezone.now()
        )
        return
    common = {
        "definition": target.text,
        "roleArn": target.role_arn,
        "loggingConfiguration": options.logging_configuration(),
        "tracingConfiguration": {"enabled": options.tracing},
        "publish": True,
        "versionDescription": f"Stepwright: {workflow.name} v{deployment.version.number}"[:256],
    }
    tags = [{"key": key, "value": value} for key, value in sorted(options.tags.items())]
    created = None
    if current is None:
        try:
            created = _with_fresh_role(
                lambda: aws.sfn("create_state_machine", name=options.name, type=options.type, tags=tags, **common),
                role_changed=role_changed,
                attempt=attempt,
            )
            attempt.step("create_state_machine", state_machine_arn=created["stateMachineArn"])
        except AwsError as error:
            if error.code != "aws_state_machine_exists":
                raise
            attempt.step("create_state_machine", outcome="exists already: updating instead")
            attempt.save(action=Deployment.Action.UPDATE)
    if created is None:
        created = _with_fresh_role(
            lambda: aws.sfn("update_state_machine", stateMachineArn=target.arn, **common),
            role_changed=role_changed,
            attempt=attempt,
        )
        attempt.step("update_state_machine", state_machine_arn=target.arn)
        if tags:
            aws.sfn("tag_resource", resourceArn=target.arn, tags=tags)
            attempt.step("tag_resource", tags=sorted(options.tags))
    version_arn = created.get("stateMachineVersionArn", "")
    attempt.save(state_machine_version_arn=version_arn)
    stored = aws.sfn("describe_state_machine", stateMachineArn=target.arn)
    if _aws_definition(stored.get("definition", "")) != target.definition or stored.get("roleArn") != target.role_arn:
        raise ServiceError(
            "verify_failed",
            "AWS accepted the deploy but does not hold the definition and role that were sent; nothing is wrong "
            "on Stepwright's side, so look at the state machine on AWS.",
            {"state_machine_arn": target.arn},
        )
    attempt.step("verify", definition_hash=target.digest)
    alias_arn = _move_alias(aws, target, version_arn, attempt) if options.alias else ""
    _link(target, workflow, aws.connection, {t["key"]: t["value"] for t in tags} or None)
    attempt.save(alias_arn=alias_arn, outcome=Deployment.Outcome.SUCCEEDED, finished_at=timezone.now())


def _move_alias(aws: Aws, target: _Target, version_arn: str, attempt: _Attempt) -> str:
    if not version_arn:
        raise ServiceError("no_version_published", "AWS published no version, so the alias cannot point at one.")
    routing = [{"stateMachineVersionArn": version_arn, "weight": 100}]
    aliases = aws.sfn("list_state_machine_aliases", stateMachineArn=target.arn).get("stateMachineAliases", [])
    wanted = f"{target.arn}:{target.options.alias}"
    existing = next((a["stateMachineAliasArn"] for a in aliases if a["stateMachineAliasArn"] == wanted), None)
    if existing:
        aws.sfn("update_state_machine_alias", stateMachineAliasArn=existing, routingConfiguration=routing)
        attempt.step("update_alias", alias_arn=existing, version_arn=version_arn)
        return existing
    made = aws.sfn("create_state_machine_alias", name=target.options.alias, routingConfiguration=routing)
    attempt.step("create_alias", alias_arn=made["stateMachineAliasArn"], version_arn=version_arn)
    return made["stateMachineAliasArn"]


def _link(target: _Target, workflow: Workflow, connection: AwsConnection, tags: dict | None) -> AwsLink:
    link, _ = AwsLink.objects.update_or_create(
        connection=connection,
        state_machine_arn=target.arn,
        defaults={
            "workflow": workflow,
            "state_machine_name": target.options.name,
            "type": target.options.type,
            "role_arn": target.role_arn,
            "deployed_version": target.version,
            "deployed_definition_hash": target.digest,
            **({"tags": tags} if tags is not None else {}),
        },
    )
    return link


# --- import -------------------------------------------------------------------------------------


def list_state_machines(
    *, user: AbstractBaseUser, connection: AwsConnection, next_token: str | None = None
) -> dict[str, Any]:
    """One page of the account's state machines, each with the workflow it is linked to (if any)."""
    require_role(user, connection.team, Role.EDITOR, "import from AWS")
    params: dict[str, Any] = {"maxResults": 100}
    if next_token:
        params["nextToken"] = next_token
    page = Aws(connection).sfn("list_state_machines", **params)
    arns = [item["stateMachineArn"] for item in page.get("stateMachines", [])]
    links = {
        link.state_machine_arn: link
        for link in AwsLink.objects.filter(connection=connection, state_machine_arn__in=arns).select_related("workflow")
    }
    items = []
    for item in page.get("stateMachines", []):
        link = links.get(item["stateMachineArn"])
        items.append(
            {
                "name": item["name"],
                "arn": item["stateMachineArn"],
                "type": item.get("type", ""),
                "created_at": item.get("creationDate"),
                "workflow": {"id": link.workflow_id, "name": link.workflow.name} if link else None,
            }
        )
    return {"results": items, "next_token": page.get("nextToken")}


def import_state_machine(
    *,
    user: AbstractBaseUser,
    connection: AwsConnection,
    state_machine_arn: str,
    workflow: Workflow | None = None,
    name: str | None = None,
    overwrite_draft: bool = False,
) -> tuple[Workflow, WorkflowVersion]:
    """A state machine as a new workflow, or as a new version of the workflow it is linked to."""
    require_role(user, connection.team, Role.EDITOR, "import from AWS")
    aws = Aws(connection)
    described = aws.sfn("describe_state_machine", stateMachineArn=state_machine_arn)
    tags = {
        t["key"]: t["value"] for t in aws.sfn("list_tags_for_resource", resourceArn=state_machine_arn).get("tags", [])
    }
    value = _aws_definition(described.get("definition", ""))
    text = to_json(value) if value is not None else described.get("definition", "")
    message = f"Imported from AWS: {described['name']} ({described.get('type', 'STANDARD')})"
    link = AwsLink.objects.filter(connection=connection, state_machine_arn=state_machine_arn).first()
    with transaction.atomic():
        if workflow is None:
            if link is not None:
                raise Conflict(
                    "already_linked",
                    f"{described['name']} is linked to the workflow {link.workflow.name!r}: import it as a new "
                    "version of that workflow instead.",
                    {"workflow": link.workflow_id},
                )
            workflow = designer_services.create_workflow(
                user=user,
                team=connection.team,
                name=name or designer_services._free_name(connection.team, described["name"]),
                description=f"Imported from {state_machine_arn}",
                definition=text,
            )
        else:
            if workflow.team_id != connection.team_id or link is None or link.workflow_id != workflow.pk:
                raise Conflict(
                    "not_linked",
                    f"{described['name']} is not linked to the workflow {workflow.name!r}; import it as a new workflow.",
                    {"field": "/workflow"},
                )
            latest = latest_version(workflow)
            unsaved = latest is None or latest.content_hash != designer_services.content_hash(
                workflow.draft_definition, workflow.draft_layout
            )
            if unsaved and not overwrite_draft:
                raise Conflict(
                    "unsaved_draft",
                    f"{workflow.name!r} has unsaved changes in its draft; save a version first or import with "
                    "overwrite_draft.",
                )
            workflow, _ = designer_services.save_draft(
                user=user,
                workflow=workflow,
                definition=text,
                layout=workflow.draft_layout,
                revision=workflow.draft_revision,
            )
        version, _ = designer_services.create_version(user=user, workflow=workflow, message=message)
        AwsLink.objects.update_or_create(
            connection=connection,
            state_machine_arn=state_machine_arn,
            defaults={
                "workflow": workflow,
                "state_machine_name": described["name"],
                "type": described.get("type", "STANDARD"),
                "role_arn": described.get("roleArn", ""),
                "tags": tags,
                "deployed_version": version,
                "deployed_definition_hash": definition_hash(value) if value is not None else "",
            },
        )
    return workflow, version


# --- drift --------------------------------------------------------------------------------------


def drift(*, user: AbstractBaseUser, workflow: Workflow) -> list[dict[str, Any]]:
    """For each state machine the workflow is linked to: does AWS hold the latest version?

    `in_sync`: AWS holds the latest version. `behind`: AWS holds what Stepwright deployed, but a newer
    version was saved since. `changed_on_aws`: AWS holds something Stepwright did not deploy.
    `missing`: the state machine is gone. `unknown`: AWS could not be asked (the error says why).
    """
    require_role(user, workflow.team, Role.VIEWER, "see deployments")
    latest = latest_version(workflow)
    latest_hash = None
    if latest is not None:
        value, problems = asl.validation.load_definition(latest.definition)
        latest_hash = definition_hash(value) if not problems else None
    result = []
    links = workflow.aws_links.select_related("connection", "deployed_version")
    for link in links:
        entry: dict[str, Any] = {
            "connection": {"id": link.connection_id, "name": link.connection.name, "region": link.connection.region},
            "state_machine_name": link.state_machine_name,
            "state_machine_arn": link.state_machine_arn,
            "deployed_version": link.deployed_version.number if link.deployed_version else None,
            "latest_version": latest.number if latest else None,
            "error": None,
        }
        try:
            described = Aws(link.connection).sfn("describe_state_machine", stateMachineArn=link.state_machine_arn)
        except ServiceError as error:
            entry["status"] = "missing" if error.code == "aws_state_machine_missing" else "unknown"
            entry["error"] = {"code": error.code, "message": error.message}
            result.append(entry)
            continue
        value = _aws_definition(described.get("definition", ""))
        on_aws = definition_hash(value) if value is not None else None
        if on_aws is not None and on_aws == latest_hash:
            entry["status"] = "in_sync"
        elif on_aws is not None and on_aws == link.deployed_definition_hash:
            entry["status"] = "behind"
        else:
            entry["status"] = "changed_on_aws"
        result.append(entry)
    return result
