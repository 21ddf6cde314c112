"""Task states served by the real AWS service, for local runs that opt in with one of the team's AWS
connections: Lambda invoke (optimized and plain ARN), SQS sendMessage, DynamoDB getItem/putItem, SNS
publish, EventBridge putEvents, and any `aws-sdk:service:action` call."""

from __future__ import annotations

import json
import re
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from designer.aws.clients import client_for, scrub  # scrub: no secret ever lands in a history
from designer.aws.models import AwsConnection

_OPTIMIZED = {
    "arn:aws:states:::lambda:invoke": ("lambda", "invoke", "Lambda"),
    "arn:aws:states:::sqs:sendMessage": ("sqs", "send_message", "SQS"),
    "arn:aws:states:::sns:publish": ("sns", "publish", "SNS"),
    "arn:aws:states:::dynamodb:getItem": ("dynamodb", "get_item", "DynamoDB"),
    "arn:aws:states:::dynamodb:putItem": ("dynamodb", "put_item", "DynamoDB"),
    "arn:aws:states:::dynamodb:updateItem": ("dynamodb", "update_item", "DynamoDB"),
    "arn:aws:states:::dynamodb:deleteItem": ("dynamodb", "delete_item", "DynamoDB"),
    "arn:aws:states:::events:putEvents": ("events", "put_events", "EventBridge"),
}
_SDK = re.compile(r"^arn:aws:states:::aws-sdk:(?P<service>[a-z0-9-]+):(?P<action>[A-Za-z0-9]+)$")
_LAMBDA_ARN = re.compile(r"^arn:aws:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$")


def serves(resource: str) -> bool:
    return resource in _OPTIMIZED or bool(_SDK.match(resource)) or bool(_LAMBDA_ARN.match(resource))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _plain(response: dict) -> dict:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def invoke(connection: AwsConnection, resource: str, parameters: Any) -> dict:
    """The task's outcome: `{"result": …}` or `{"error": "<Service>.<Code>", "cause": …}`."""
    parameters = dict(parameters or {})
    if _LAMBDA_ARN.match(resource):  # the plain Lambda ARN: the payload in, the function's answer out
        service, label = "lambda", "Lambda"
        call = lambda client: _lambda(client, {"FunctionName": resource, "Payload": parameters})["Payload"]  # noqa: E731
    elif resource in _OPTIMIZED:
        service, method, label = _OPTIMIZED[resource]
        if service == "lambda":
            call = lambda client: _lambda(client, parameters)  # noqa: E731
        else:
            if service == "sqs" and not isinstance(parameters.get("MessageBody"), str):
                parameters["MessageBody"] = json.dumps(parameters.get("MessageBody"))
            call = lambda client: _plain(getattr(client, method)(**parameters))  # noqa: E731
    else:
        found = _SDK.match(resource)
        service, label = found["service"], found["service"].capitalize()
        call = lambda client: _plain(getattr(client, _snake(found["action"]))(**parameters))  # noqa: E731
    try:
        return {"result": json.loads(json.dumps(call(client_for(connection, service)), default=str))}
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "ServiceException")
        message = error.response.get("Error", {}).get("Message", str(error))
        return {"error": f"{label}.{code}", "cause": scrub(message, connection)}
    except (BotoCoreError, TypeError, ValueError) as error:  # bad parameters or no endpoint
        return {"error": "States.TaskFailed", "cause": scrub(f"{label} call failed: {error}", connection)}


def _lambda(client, parameters: dict) -> dict:
    payload = parameters.pop("Payload", None)
    if payload is not None and not isinstance(payload, (str, bytes)):
        payload = json.dumps(payload)
    response = client.invoke(**parameters, **({"Payload": payload} if payload is not None else {}))
    body = response["Payload"].read().decode() if "Payload" in response else ""
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = body
    result = {"ExecutedVersion": response.get("ExecutedVersion", "$LATEST"), "Payload": parsed,
              "StatusCode": response.get("StatusCode", 200)}  # fmt: skip
    if response.get("FunctionError"):
        raise ClientError({"Error": {"Code": "Unhandled", "Message": body}}, "Invoke")
    return result
