"""The least-privilege IAM policy a state machine's role needs, derived from its definition.

`policy_for(definition)` walks every state (branches and Map processors included), maps each
Resource to the IAM actions its integration pattern calls and to the narrowest ARNs the definition
pins down (a static FunctionName, QueueUrl, TableName, ...), and falls back to a wildcard only where
the target is chosen at run time. Placeholders (`${Name}`) are kept: templates resolve them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

VERSION = "2012-10-17"
SYNC_RULE = "StepFunctionsGetEventsFor{}Rule"

LOGS_ACTIONS = [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
]
XRAY_ACTIONS = ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]
# aws-sdk service names whose IAM prefix differs.
IAM_PREFIX = {
    "sfn": "states",
    "cloudwatchlogs": "logs",
    "elasticloadbalancingv2": "elasticloadbalancing",
    "emrserverless": "emr-serverless",
}
# aws-sdk S3 calls whose IAM action has another name.
S3_ACTIONS = {
    "listObjectsV2": "s3:ListBucket",
    "listObjects": "s3:ListBucket",
    "headObject": "s3:GetObject",
    "headBucket": "s3:ListBucket",
    "copyObject": "s3:PutObject",
}
DYNAMODB_ACTIONS = {
    "getItem": "dynamodb:GetItem",
    "putItem": "dynamodb:PutItem",
    "updateItem": "dynamodb:UpdateItem",
    "deleteItem": "dynamodb:DeleteItem",
}
# Optimized integrations without a specific mapping below: their IAM actions (on "*").
GENERIC = {
    "ecs:runTask": ["ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks", "iam:PassRole"],
    "batch:submitJob": ["batch:SubmitJob", "batch:DescribeJobs", "batch:TerminateJob"],
    "glue:startJobRun": ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
    "athena:startQueryExecution": [
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:StopQueryExecution",
        "s3:GetBucketLocation",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
        "glue:GetTable",
        "glue:GetPartitions",
    ],
    "codebuild:startBuild": ["codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds"],
    "apigateway:invoke": ["execute-api:Invoke"],
    "bedrock:invokeModel": ["bedrock:InvokeModel"],
    "mediaconvert:createJob": ["mediaconvert:CreateJob", "mediaconvert:GetJob", "mediaconvert:CancelJob"],
    "eks:runJob": ["eks:DescribeCluster"],
    "eks:call": ["eks:DescribeCluster"],
}
SYNC_EVENTS = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
SQS_URL = re.compile(r"^https://sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(\d+|\$\{[^}]+\})/([^/?#]+)$")


@dataclass(frozen=True)
class Scope:
    partition: str = "aws"
    region: str = "*"
    account: str = "*"
    state_machine_name: str = "*"

    def arn(self, service: str, resource: str, region: str | None = None, account: str | None = None) -> str:
        region = self.region if region is None else region
        account = self.account if account is None else account
        return f"arn:{self.partition}:{service}:{region}:{account}:{resource}"


def policy_for(
    definition: dict,
    *,
    partition: str = "aws",
    region: str = "*",
    account: str = "*",
    state_machine_name: str = "*",
    logging: bool = False,
    tracing: bool = False,
) -> dict:
    """An IAM policy document (Version + Statement) for the state machine's execution role."""
    scope = Scope(partition, region, account, state_machine_name)
    grants: dict[tuple[str, ...], dict[str, None]] = {}
    conditions: list[dict] = []
    for action_list, resource_list, condition in _grants(definition, scope):
        if condition:
            conditions.append(
                {
                    "Effect": "Allow",
                    "Action": sorted(set(action_list)),
                    "Resource": resource_list,
                    "Condition": condition,
                }
            )
            continue
        key = tuple(sorted(set(action_list)))
        grants.setdefault(key, {}).update(dict.fromkeys(resource_list))
    if logging:
        grants.setdefault(tuple(LOGS_ACTIONS), {})["*"] = None
    if tracing:
        grants.setdefault(tuple(XRAY_ACTIONS), {})["*"] = None
    statements = []
    for actions, resources in grants.items():
        listed = ["*"] if "*" in resources else sorted(resources)
        statements.append({"Effect": "Allow", "Action": list(actions), "Resource": listed})
    statements.extend(conditions)
    statements.sort(key=lambda s: (s["Action"][0], str(s["Resource"])))
    for index, statement in enumerate(statements, 1):
        statement["Sid"] = f"{_sid(statement['Action'][0])}{index}"
    return {"Version": VERSION, "Statement": [{"Sid": s.pop("Sid"), **s} for s in statements]}


def _sid(action: str) -> str:
    prefix, _, name = action.partition(":")
    return re.sub(r"[^A-Za-z0-9]", "", prefix.title() + name[:1].upper() + name[1:])


Grant = tuple[list[str], list[str], dict | None]


def _states(machine: Any) -> Iterator[dict]:
    if not isinstance(machine, dict) or not isinstance(machine.get("States"), dict):
        return
    for state in machine["States"].values():
        if not isinstance(state, dict):
            continue
        yield state
        for branch in state.get("Branches") or []:
            yield from _states(branch)
        for key in ("ItemProcessor", "Iterator"):
            yield from _states(state.get(key))


def _grants(definition: dict, scope: Scope) -> Iterator[Grant]:
    for state in _states(definition):
        kind = state.get("Type")
        if kind == "Task":
            yield from _task(state, scope)
        elif kind == "Map":
            yield from _map(state, scope)
        credentials = state.get("Credentials")
        if isinstance(credentials, dict) and isinstance(credentials.get("RoleArn"), str):
            yield ["sts:AssumeRole"], [_static(credentials["RoleArn"]) or "*"], None


def _arguments(state: dict) -> dict:
    """Parameters (JSONPath) or Arguments (JSONata), whichever the state has."""
    value = state.get("Parameters", state.get("Arguments"))
    return value if isinstance(value, dict) else {}


def _static(value: Any) -> str | None:
    """A value fixed in the definition: not a path, intrinsic or JSONata expression."""
    if isinstance(value, str) and value and (value.startswith("${") or not value.startswith(("$", "{%", "States."))):
        return value  # a ${Name} placeholder is static too: the template substitutes it before deploy
    return None


def _task(state: dict, scope: Scope) -> Iterator[Grant]:
    resource = state.get("Resource")
    if not isinstance(resource, str):
        return
    arguments = _arguments(state)
    if (":lambda:" in resource and ":function:" in resource) or (resource.startswith("${") and resource.endswith("}")):
        # A bare ${Name} Resource is a Lambda function in practice (SAM's DefinitionSubstitutions idiom).
        yield ["lambda:InvokeFunction"], _lambda_arns(resource, scope), None
        return
    match = re.match(r"^arn:[^:]+:states:::(.+)$", resource)
    if not match:
        return  # activities need no permission on the role; the worker polls them
    rest = match.group(1)
    pattern = next((p for p in (".sync:2", ".sync", ".waitForTaskToken") if rest.endswith(p)), "")
    name = rest[: len(rest) - len(pattern)] if pattern else rest
    if name.startswith("aws-sdk:"):
        yield from _aws_sdk(name, arguments, scope)
        return
    service, _, action = name.partition(":")
    if name == "lambda:invoke":
        function = _static(arguments.get("FunctionName"))
        yield (
            ["lambda:InvokeFunction"],
            _lambda_arns(function, scope) if function else [scope.arn("lambda", "function:*")],
            None,
        )
    elif name == "sqs:sendMessage":
        yield ["sqs:SendMessage"], [_queue_arn(_static(arguments.get("QueueUrl")), scope)], None
    elif name == "sns:publish":
        topic = _static(arguments.get("TopicArn")) or _static(arguments.get("TargetArn"))
        yield ["sns:Publish"], [topic or "*"], None
    elif service == "dynamodb" and action in DYNAMODB_ACTIONS:
        table = _static(arguments.get("TableName"))
        yield [DYNAMODB_ACTIONS[action]], [_table_arn(table, scope)], None
    elif name == "events:putEvents":
        yield ["events:PutEvents"], _event_buses(arguments, scope), None
    elif name == "states:startExecution":
        target = _static(arguments.get("StateMachineArn"))
        yield ["states:StartExecution"], [target or scope.arn("states", "stateMachine:*")], None
        if pattern.startswith(".sync"):
            executions = (
                target.replace(":stateMachine:", ":execution:") + ":*" if target else scope.arn("states", "execution:*")
            )
            yield ["states:DescribeExecution", "states:StopExecution"], [executions], None
            yield SYNC_EVENTS, [scope.arn("events", "rule/" + SYNC_RULE.format("StepFunctionsExecution"))], None
    elif name == "http:invoke":
        yield from _http(arguments, scope)
    else:
        actions = GENERIC.get(name, [f"{service}:{action[:1].upper()}{action[1:]}"])
        yield actions, ["*"], None
        if pattern.startswith(".sync") and service in ("ecs", "batch"):
            rule = {"ecs": "ECSTask", "batch": "BatchJobs"}[service]
            yield SYNC_EVENTS, [scope.arn("events", "rule/" + SYNC_RULE.format(rule))], None


def _lambda_arns(function: str, scope: Scope) -> list[str]:
    """A function name, partial or full ARN -> the function's ARN and its versions/aliases."""
    if function.startswith("${") and function.endswith("}"):
        return [function, function + ":*"]  # the placeholder stands for the whole ARN
    if function.startswith("arn:"):
        parts = function.split(":")
        base = ":".join(parts[:7])
        return [function] if len(parts) > 7 else [base, base + ":*"]
    name, _, qualifier = function.partition(":")
    base = scope.arn("lambda", f"function:{name}")
    return [f"{base}:{qualifier}"] if qualifier else [base, base + ":*"]


def _queue_arn(url: str | None, scope: Scope) -> str:
    match = SQS_URL.match(url or "")
    if not match:
        return scope.arn("sqs", "*")
    region, account, name = match.groups()
    return scope.arn("sqs", name, region=region, account=account)


def _table_arn(table: str | None, scope: Scope) -> str:
    if table and table.startswith("arn:"):
        return table
    return scope.arn("dynamodb", f"table/{table or '*'}")


def _event_buses(arguments: dict, scope: Scope) -> list[str]:
    entries = arguments.get("Entries")
    buses: list[str] = []
    if isinstance(entries, list):
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            if any(k.startswith("EventBusName") and k.endswith(".$") for k in entry):
                return [scope.arn("events", "event-bus/*")]
            bus = _static(entry.get("EventBusName")) or "default"
            buses.append(bus if bus.startswith("arn:") else scope.arn("events", f"event-bus/{bus}"))
    return sorted(set(buses)) or [scope.arn("events", "event-bus/*")]


def _http(arguments: dict, scope: Scope) -> Iterator[Grant]:
    authentication = arguments.get("Authentication")
    connection = _static(authentication.get("ConnectionArn")) if isinstance(authentication, dict) else None
    yield ["events:RetrieveConnectionCredentials"], [connection or scope.arn("events", "connection/*")], None
    yield (
        ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
        [scope.arn("secretsmanager", "secret:events!connection/*")],
        None,
    )
    condition: dict[str, dict] = {}
    method, endpoint = _static(arguments.get("Method")), _static(arguments.get("ApiEndpoint"))
    if method:
        condition["StringEquals"] = {"states:HTTPMethod": method}
    if endpoint:
        condition["StringLike"] = {"states:HTTPEndpoint": endpoint + "*"}
    machine = scope.arn("states", f"stateMachine:{scope.state_machine_name}")
    yield ["states:InvokeHTTPEndpoint"], [machine], condition or None


def _aws_sdk(name: str, arguments: dict, scope: Scope) -> Iterator[Grant]:
    _, service, action = name.split(":", 2)
    prefix = IAM_PREFIX.get(service, service)
    iam_action = S3_ACTIONS.get(action) if service == "s3" else None
    iam_action = iam_action or f"{prefix}:{action[:1].upper()}{action[1:]}"
    resources = ["*"]
    bucket = _static(arguments.get("Bucket"))
    if service == "s3" and bucket:
        if "Object" in iam_action or "MultipartUpload" in iam_action:  # object-level: the key's ARN
            key = _static(arguments.get("Key"))
            resources = [f"arn:{scope.partition}:s3:::{bucket}/{key or '*'}"]
        else:
            resources = [f"arn:{scope.partition}:s3:::{bucket}"]
    elif service == "dynamodb" and _static(arguments.get("TableName")):
        resources = [_table_arn(_static(arguments.get("TableName")), scope)]
    yield [iam_action], resources, None


def _map(state: dict, scope: Scope) -> Iterator[Grant]:
    processor = state.get("ItemProcessor") or state.get("Iterator")
    config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
    if not (isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"):
        return
    # A Distributed Map runs its iterations as child executions of this very state machine.
    name = scope.state_machine_name
    yield ["states:StartExecution"], [scope.arn("states", f"stateMachine:{name}")], None
    yield ["states:DescribeExecution", "states:StopExecution"], [scope.arn("states", f"execution:{name}/*")], None
    reader = state.get("ItemReader")
    if isinstance(reader, dict) and isinstance(reader.get("Resource"), str):
        arguments = _arguments(reader)
        bucket = _static(arguments.get("Bucket")) or "*"
        if reader["Resource"].endswith("s3:listObjectsV2"):
            yield ["s3:ListBucket"], [f"arn:{scope.partition}:s3:::{bucket}"], None
            yield ["s3:GetObject"], [f"arn:{scope.partition}:s3:::{bucket}/*"], None
        else:
            key = _static(arguments.get("Key")) or "*"
            yield ["s3:GetObject"], [f"arn:{scope.partition}:s3:::{bucket}/{key}"], None
    writer = state.get("ResultWriter")
    if isinstance(writer, dict) and isinstance(writer.get("Resource"), str):
        arguments = _arguments(writer)
        bucket = _static(arguments.get("Bucket")) or "*"
        prefix = _static(arguments.get("Prefix")) or ""
        yield (
            ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
            [f"arn:{scope.partition}:s3:::{bucket}/{prefix}*"],
            None,
        )
