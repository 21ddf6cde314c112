"""The Step Functions endpoint: AWS's JSON 1.0 protocol at /aws/stepfunctions/.

`POST` with `X-Amz-Target: AWSStepFunctions.<Action>` and a JSON body, signed with SigV4 by one of the
team's access keys (sfn/sigv4.py). The action's JSON comes back with `x-amzn-RequestId`; errors as
AWS's `{"__type", "message"}`.
"""

from __future__ import annotations

import json
import logging
import uuid

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from designer.errors import Conflict, Forbidden, ServiceError
from sfn import sigv4
from sfn.actions import ACTIONS
from sfn.errors import SfnError

log = logging.getLogger(__name__)
CONTENT_TYPE = "application/x-amz-json-1.0"
TARGET_PREFIX = "AWSStepFunctions"


def _respond(body: dict, request_id: str, status: int = 200, error: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    response["x-amzn-RequestId"] = request_id
    if error:
        response["x-amzn-ErrorType"] = error
    return response


def _translate(error: Exception) -> SfnError:
    """The designer's and executor's errors as AWS names them."""
    if isinstance(error, SfnError):
        return error
    if isinstance(error, Forbidden):
        return SfnError("AccessDeniedException", error.message)
    if isinstance(error, Http404):
        return SfnError("AccessDeniedException", "The key's user is not a member of the team any more.")
    if isinstance(error, ServiceError) and error.code in ("definition_too_large", "invalid_definition"):
        return SfnError("InvalidDefinition", error.message)
    if isinstance(error, Conflict):
        return SfnError("ConflictException", error.message)
    if isinstance(error, ServiceError):
        return SfnError("ValidationException", error.message)
    raise error


@csrf_exempt
def endpoint(request: HttpRequest) -> HttpResponse:
    request_id = str(uuid.uuid4())
    try:
        if request.method != "POST":
            raise SfnError("UnknownOperationException", "Only POST requests are accepted.", status=404)
        try:
            request.body  # noqa: B018  (read once, within DATA_UPLOAD_MAX_MEMORY_SIZE)
        except RequestDataTooBig:
            raise SfnError("ValidationException", "The request is larger than this server accepts.", status=413)
        caller = sigv4.authenticate(request)
        prefix, _, name = request.headers.get("X-Amz-Target", "").partition(".")
        handler = ACTIONS.get(name) if prefix == TARGET_PREFIX else None
        if handler is None:
            raise SfnError("UnknownOperationException", f"Unknown operation: '{prefix}.{name}'")
        try:
            params = json.loads(request.body or b"{}")
        except ValueError:
            raise SfnError("SerializationException", "The request body is not JSON.")
        if not isinstance(params, dict):
            raise SfnError("SerializationException", "The request body must be a JSON object.")
        try:
            body = handler(caller, params)
        except (ServiceError, Http404) as error:
            raise _translate(error)
        return _respond(body, request_id)
    except SfnError as error:
        return _respond(error.body(), request_id, error.status, error.code)
    except Exception:
        log.exception("The Step Functions endpoint failed (request %s)", request_id)
        return _respond(
            {"__type": "InternalFailure", "message": "The request processing has failed because of an unknown error."},
            request_id,
            500,
            "InternalFailure",
        )
