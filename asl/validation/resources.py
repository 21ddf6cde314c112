"""Resource ARNs: well-formed, and a service integration AWS knows, with a pattern it supports."""

from __future__ import annotations

import re
from typing import Any

from asl.diagnostics import ERROR, Diagnostic
from asl.validation import codes

RESPONSE, SYNC, SYNC2, TOKEN = "", ".sync", ".sync:2", ".waitForTaskToken"

# Optimized integrations: "service:action" -> the integration patterns (suffixes) AWS accepts.
INTEGRATIONS: dict[str, set[str]] = {
    "lambda:invoke": {RESPONSE, TOKEN},
    "sns:publish": {RESPONSE, TOKEN},
    "sqs:sendMessage": {RESPONSE, TOKEN},
    "events:putEvents": {RESPONSE, TOKEN},
    "apigateway:invoke": {RESPONSE, TOKEN},
    "http:invoke": {RESPONSE},
    "states:startExecution": {RESPONSE, SYNC, SYNC2, TOKEN},
    "ecs:runTask": {RESPONSE, SYNC, TOKEN},
    "batch:submitJob": {RESPONSE, SYNC},
    "glue:startJobRun": {RESPONSE, SYNC},
    "databrew:startJobRun": {RESPONSE, SYNC},
    "athena:startQueryExecution": {RESPONSE, SYNC},
    "codebuild:startBuild": {RESPONSE, SYNC},
    "codebuild:startBuildBatch": {RESPONSE, SYNC},
    "mediaconvert:createJob": {RESPONSE, SYNC},
    "bedrock:createModelCustomizationJob": {RESPONSE, SYNC},
    "emr-serverless:startJobRun": {RESPONSE, SYNC},
    "emr-containers:startJobRun": {RESPONSE, SYNC},
    "eks:runJob": {RESPONSE, SYNC},
    "elasticmapreduce:createCluster": {RESPONSE, SYNC},
    "elasticmapreduce:addStep": {RESPONSE, SYNC},
    "sagemaker:createTrainingJob": {RESPONSE, SYNC},
    "sagemaker:createTransformJob": {RESPONSE, SYNC},
    "sagemaker:createProcessingJob": {RESPONSE, SYNC},
    "sagemaker:createHyperParameterTuningJob": {RESPONSE, SYNC},
    "sagemaker:createLabelingJob": {RESPONSE, SYNC},
}
for _name in [
    "dynamodb:getItem",
    "dynamodb:putItem",
    "dynamodb:updateItem",
    "dynamodb:deleteItem",
    "athena:stopQueryExecution",
    "athena:getQueryExecution",
    "athena:getQueryResults",
    "codebuild:stopBuild",
    "codebuild:batchDeleteBuilds",
    "codebuild:batchGetReports",
    "codebuild:stopBuildBatch",
    "codebuild:retryBuild",
    "codebuild:retryBuildBatch",
    "codebuild:deleteBuildBatch",
    "bedrock:invokeModel",
    "emr-serverless:createApplication",
    "emr-serverless:startApplication",
    "emr-serverless:stopApplication",
    "emr-serverless:deleteApplication",
    "emr-serverless:cancelJobRun",
    "emr-containers:createVirtualCluster",
    "emr-containers:deleteVirtualCluster",
    "eks:call",
    "eks:createCluster",
    "eks:deleteCluster",
    "eks:createFargateProfile",
    "eks:deleteFargateProfile",
    "eks:createNodegroup",
    "eks:deleteNodegroup",
    "elasticmapreduce:terminateCluster",
    "elasticmapreduce:cancelStep",
    "elasticmapreduce:setClusterTerminationProtection",
    "elasticmapreduce:modifyInstanceFleetByName",
    "elasticmapreduce:modifyInstanceGroupByName",
    "sagemaker:createModel",
    "sagemaker:createEndpoint",
    "sagemaker:createEndpointConfig",
    "sagemaker:updateEndpoint",
]:
    INTEGRATIONS.setdefault(_name, {RESPONSE})
INTEGRATIONS["elasticmapreduce:terminateCluster"] = {RESPONSE, SYNC}
INTEGRATIONS["emr-serverless:createApplication"] = {RESPONSE, SYNC}
INTEGRATIONS["emr-serverless:startApplication"] = {RESPONSE, SYNC}
INTEGRATIONS["emr-serverless:stopApplication"] = {RESPONSE, SYNC}
INTEGRATIONS["emr-serverless:deleteApplication"] = {RESPONSE, SYNC}
INTEGRATIONS["emr-serverless:cancelJobRun"] = {RESPONSE, SYNC}
INTEGRATIONS["eks:createCluster"] = {RESPONSE, SYNC}
INTEGRATIONS["eks:deleteCluster"] = {RESPONSE, SYNC}
INTEGRATIONS["eks:createNodegroup"] = {RESPONSE, SYNC}
INTEGRATIONS["eks:deleteNodegroup"] = {RESPONSE, SYNC}

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
