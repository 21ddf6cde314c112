"""Resource ARNs: well-formed, and a service integration AWS knows, with a pattern it supports."""

from __future__ import annotations

import re
from typing import Any

from asl.diagnostics import ERROR, Diagnostic
from asl.validation import codes

RESPONSE, SYNC, SYNC2, TOKEN = "", ".sync", ".sync:2", ".waitForTaskToken"

# Optimized integrations: "service:action" -> the integration patterns (suffixes) AWS accepts.
_PATTERNS = {
    "r": {RESPONSE},
    "rt": {RESPONSE, TOKEN},
    "rs": {RESPONSE, SYNC},
    "rst": {RESPONSE, SYNC, TOKEN},
    "all": {RESPONSE, SYNC, SYNC2, TOKEN},
}
_TABLE = """
lambda:invoke rt | sns:publish rt | sqs:sendMessage rt | events:putEvents rt | apigateway:invoke rt
http:invoke r | states:startExecution all | ecs:runTask rst | batch:submitJob rs | glue:startJobRun rs
databrew:startJobRun rs | athena:startQueryExecution rs | athena:stopQueryExecution r
athena:getQueryExecution r | athena:getQueryResults r | codebuild:startBuild rs | codebuild:startBuildBatch rs
codebuild:stopBuild r | codebuild:stopBuildBatch r | codebuild:retryBuild r | codebuild:retryBuildBatch r
codebuild:batchDeleteBuilds r | codebuild:batchGetReports r | codebuild:deleteBuildBatch r
dynamodb:getItem r | dynamodb:putItem r | dynamodb:updateItem r | dynamodb:deleteItem r
mediaconvert:createJob rs | bedrock:invokeModel r | bedrock:createModelCustomizationJob rs
emr-serverless:createApplication rs | emr-serverless:startApplication rs | emr-serverless:stopApplication rs
emr-serverless:deleteApplication rs | emr-serverless:startJobRun rs | emr-serverless:cancelJobRun rs
emr-containers:startJobRun rs | emr-containers:createVirtualCluster r | emr-containers:deleteVirtualCluster rs
eks:runJob rs | eks:call r | eks:createCluster rs | eks:deleteCluster rs | eks:createFargateProfile rs
eks:deleteFargateProfile rs | eks:createNodegroup rs | eks:deleteNodegroup rs
elasticmapreduce:createCluster rs | elasticmapreduce:terminateCluster rs | elasticmapreduce:addStep rs
elasticmapreduce:cancelStep r | elasticmapreduce:setClusterTerminationProtection r
elasticmapreduce:modifyInstanceFleetByName r | elasticmapreduce:modifyInstanceGroupByName r
sagemaker:createTrainingJob rs | sagemaker:createTransformJob rs | sagemaker:createProcessingJob rs
sagemaker:createHyperParameterTuningJob rs | sagemaker:createLabelingJob rs | sagemaker:createModel r
sagemaker:createEndpoint r | sagemaker:createEndpointConfig r | sagemaker:updateEndpoint r
"""
INTEGRATIONS: dict[str, set[str]] = {
    name: _PATTERNS[patterns]
    for entry in _TABLE.replace("\n", "|").split("|")
    if entry.strip()
    for name, patterns in [entry.split()]
}

# Distributed Map readers and writers.
READERS = {"s3:getObject", "s3:listObjectsV2"}
WRITERS = {"s3:putObject"}

ARN = re.compile(r"^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):([a-z0-9-]+):([^:]*):([^:]*):(.+)$", re.S)
LAMBDA_FUNCTION = re.compile(r"^function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$")
ACTIVITY = re.compile(r"^activity:[^\s:]{1,80}$")
INTEGRATION = re.compile(r"^([a-z0-9-]+):([A-Za-z0-9]+)(\.sync(:2)?|\.waitForTaskToken)?$")
AWS_SDK = re.compile(r"^aws-sdk:([a-z0-9.-]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$")
# Template placeholders: ${Name} (DefinitionSubstitutions, Terraform) and CloudFormation intrinsics.
SUBSTITUTION = re.compile(r"\$\{[^{}]+\}")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
VARIABLE = re.compile(r"^\$[A-Za-z_][A-Za-z0-9_]*$")


def is_placeholder(value: Any) -> bool:
    """A CloudFormation intrinsic ({"Ref": ...}, {"Fn::GetAtt": ...}) or a string with complete ${...} substitutions."""
    if isinstance(value, dict):
        key = next(iter(value), "")
        return len(value) == 1 and isinstance(key, str) and (key == "Ref" or key.startswith("Fn::"))
    if not isinstance(value, str):
        return False
    complete = SUBSTITUTION.findall(value)
    return bool(complete) and value.count("${") == len(complete)


def _template_string(value: Any) -> bool:
    """In template mode a Resource is checked as a URI only: the real ARN is substituted at deploy time."""
    return isinstance(value, str) and "${" not in value and bool(URI.match(value) or VARIABLE.match(value))


def suffix(resource: str) -> str:
    for candidate in (SYNC2, SYNC, TOKEN):
        if resource.endswith(candidate):
            return candidate
    return RESPONSE


def check(
    resource: Any,
    pointer: str,
    *,
    role: str = "task",
    allow_placeholders: bool = False,
    express: bool = False,
) -> list[Diagnostic]:
    """`role` is "task", "reader" or "writer" (Distributed Map's ItemReader and ResultWriter)."""
    found: list[Diagnostic] = []
    if express and isinstance(resource, str) and ":states:" in resource and ":activity:" in resource:
        found.append(
            Diagnostic(
                ERROR,
                codes.EXPRESS_UNSUPPORTED,
                "EXPRESS state machines do not support activities; use a STANDARD state machine or a service "
                "integration.",
                pointer,
            )
        )
    if express and isinstance(resource, str) and suffix(resource) in (SYNC, SYNC2, TOKEN):
        found.append(
            Diagnostic(
                ERROR,
                codes.EXPRESS_UNSUPPORTED,
                f"EXPRESS state machines do not support the '{suffix(resource)}' integration pattern; "
                "use a STANDARD state machine or call the service request-response.",
                pointer,
            )
        )
    if allow_placeholders and (is_placeholder(resource) or _template_string(resource)):
        return found
    if isinstance(resource, dict):
        found.append(
            _invalid(
                pointer,
                "Resource is a CloudFormation reference; it is only accepted when template placeholders are allowed.",
            )
        )
        return found
    if not isinstance(resource, str):
        return found  # the schema reports the type
    problem = _problem(resource, role)
    if problem:
        found.append(_invalid(pointer, problem))
    return found


def _invalid(pointer: str, message: str) -> Diagnostic:
    return Diagnostic(ERROR, codes.INVALID_RESOURCE, message, pointer)


def _problem(resource: str, role: str) -> str | None:
    match = ARN.match(resource)
    if not match:
        hint = " (an unfinished ${...} placeholder?)" if "${" in resource else ""
        return f"Resource {resource!r} is not an ARN{hint}: expected arn:aws:<service>:<region>:<account>:<resource>."
    _, service, region, account, rest = match.groups()
    if service == "lambda":
        if not LAMBDA_FUNCTION.match(rest):
            return f"Resource {resource!r} is not a Lambda function ARN (function:<name>[:<version or alias>])."
        return None if role == "task" else f"A Lambda function cannot be used as an {_role_name(role)}."
    if service != "states":
        return None if role == "task" else f"{resource!r} is not a Distributed Map {_role_name(role)} integration."
    if region or account:
        if role == "task" and ACTIVITY.match(rest):
            return None
        return f"Resource {resource!r} is not an activity ARN (arn:aws:states:<region>:<account>:activity:<name>)."
    sdk = AWS_SDK.match(rest)
    if sdk:
        return None if role == "task" else f"An aws-sdk integration cannot be used as an {_role_name(role)}."
    integration = INTEGRATION.match(rest)
    if not integration:
        return f"Resource {resource!r} is not a service integration ARN (arn:aws:states:::<service>:<action>)."
    name, pattern = f"{integration.group(1)}:{integration.group(2)}", integration.group(3) or RESPONSE
    if role == "reader":
        return (
            None
            if name in READERS and not pattern
            else f"{name} is not an ItemReader integration; use one of {', '.join(sorted(READERS))}."
        )
    if role == "writer":
        return (
            None
            if name in WRITERS and not pattern
            else f"{name} is not a ResultWriter integration; use {', '.join(sorted(WRITERS))}."
        )
    patterns = INTEGRATIONS.get(name)
    if patterns is None:
        return (
            f"The resource {resource!r} is not a known service integration. "
            f"For other API actions use arn:aws:states:::aws-sdk:{integration.group(1)}:{integration.group(2)}."
        )
    if pattern not in patterns:
        allowed = ", ".join(repr(p or "request-response") for p in sorted(patterns))
        return f"{name} does not support the {pattern!r} integration pattern (it supports {allowed})."
    return None


def _role_name(role: str) -> str:
    return {"reader": "ItemReader", "writer": "ResultWriter"}.get(role, "Task resource")
