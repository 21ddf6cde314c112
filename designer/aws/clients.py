"""boto3 clients for a connection, AWS calls with retries, and AWS errors in plain words.

Every AWS call of Stepwright goes through `call(connection, service, operation, **params)`: it builds
the client (`client_for`, the one place tests replace), retries throttling and transient faults with
exponential back-off and jitter, and turns botocore's exceptions into `AwsError`, a ServiceError whose
message says what happened and what to do. Secrets never reach a message: `scrub` removes them.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)
from django.views.decorators.debug import sensitive_variables

from designer.aws import crypto
from designer.aws.models import AwsConnection
from designer.errors import ServiceError

log = logging.getLogger(__name__)

# botocore's DEBUG lines carry request headers (X-Amz-Security-Token), canonical requests and response
# bodies (AssumeRole's temporary secret key): with LOG_LEVEL=DEBUG they would write credentials to the
# log. botocore and boto3 therefore log at INFO at most, whatever the root level, unless an operator
# says otherwise on purpose (STEPWRIGHT_AWS_WIRE_LOGS=1, for a debugging session on a test account).
if os.environ.get("STEPWRIGHT_AWS_WIRE_LOGS") != "1":
    for _name in ("botocore", "boto3"):
        _logger = logging.getLogger(_name)
        if _logger.level < logging.INFO:  # NOTSET too: it would follow a DEBUG root
            _logger.setLevel(logging.INFO)

# Hosts a connection using the server's own credentials (default chain, or assuming a role with them)
# may point `endpoint_url` at: the server must not sign requests for an arbitrary host.
TRUSTED_ENDPOINT_HOSTS_ENV = "STEPWRIGHT_AWS_TRUSTED_ENDPOINT_HOSTS"
RETRYABLE = {
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalServerError",
    "InternalServerException",
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
}
ATTEMPTS = 5
BASE_DELAY = 0.5
MAX_DELAY = 8.0
sleep = time.sleep  # tests replace it


class AwsError(ServiceError):
    """An AWS call failed; `details` carry AWS's own code and message (never a secret)."""

    status_code = 400


# AWS's code -> (our code, HTTP status, what it means for the user).
_PLAIN: dict[str, tuple[str, int, str]] = {
    "AccessDenied": ("aws_access_denied", 403, "AWS refused: the connection's identity may not {op}."),
    "AccessDeniedException": ("aws_access_denied", 403, "AWS refused: the connection's identity may not {op}."),
    "UnauthorizedOperation": ("aws_access_denied", 403, "AWS refused: the connection's identity may not {op}."),
    "ExpiredToken": ("aws_credentials_expired", 401, "The connection's AWS credentials have expired."),
    "ExpiredTokenException": ("aws_credentials_expired", 401, "The connection's AWS credentials have expired."),
    "RequestExpired": ("aws_credentials_expired", 401, "The connection's AWS credentials have expired."),
    "InvalidClientTokenId": ("aws_bad_credentials", 401, "AWS does not recognise the connection's access key."),
    "UnrecognizedClientException": ("aws_bad_credentials", 401, "AWS does not recognise the connection's access key."),
    "SignatureDoesNotMatch": ("aws_bad_credentials", 401, "AWS rejected the connection's secret access key."),
    "InvalidDefinition": ("aws_invalid_definition", 400, "AWS rejected the definition."),
    "StateMachineDoesNotExist": ("aws_state_machine_missing", 404, "The state machine does not exist on AWS."),
    "StateMachineDeleting": ("aws_state_machine_deleting", 409, "The state machine is being deleted on AWS."),
    "StateMachineAlreadyExists": ("aws_state_machine_exists", 409, "A state machine with that name exists already."),
    "StateMachineTypeNotSupported": ("aws_type_not_supported", 400, "That operation is not for this type."),
    "ExecutionDoesNotExist": ("aws_execution_missing", 404, "The execution does not exist on AWS."),
    "ExecutionAlreadyExists": ("aws_execution_exists", 409, "An execution with that name exists already."),
    "InvalidArn": ("aws_invalid_arn", 400, "AWS rejected an ARN."),
    "InvalidName": ("aws_invalid_name", 400, "AWS rejected the name."),
    "InvalidLoggingConfiguration": ("aws_invalid_logging", 400, "AWS rejected the logging settings."),
    "InvalidTracingConfiguration": ("aws_invalid_tracing", 400, "AWS rejected the tracing settings."),
    "ValidationException": ("aws_validation", 400, "AWS rejected the request."),
    "NoSuchEntity": ("aws_no_such_entity", 404, "The IAM entity does not exist."),
    "MalformedPolicyDocument": ("aws_bad_policy", 400, "AWS rejected the IAM policy."),
    "ServiceQuotaExceededException": ("aws_quota", 409, "An AWS service quota is exhausted."),
    "StateMachineLimitExceeded": ("aws_quota", 409, "The account has as many state machines as AWS allows."),
}


def _retryable(code: str) -> bool:
    return code in RETRYABLE


def scrub(text: str, connection: AwsConnection | None) -> str:
    """`text` without any of the connection's secrets in it."""
    if not text or connection is None or not connection.secret_ciphertext:
        return text
    try:
        secrets = crypto.decrypt(connection.secret_ciphertext)
    except ServiceError:
        return text
    for value in secrets.values():
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return text


def translate(error: Exception, *, operation: str, connection: AwsConnection | None = None) -> AwsError:
    """A botocore exception as an AwsError a person can act on."""
    what = operation.replace("_", " ")
    if isinstance(error, ClientError):
        info = error.response.get("Error", {})
        code = info.get("Code") or ""
        message = scrub(info.get("Message") or "", connection)
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        details = {"aws_code": code, "aws_message": message, "operation": operation, "http_status": status}
        if code in _PLAIN:
            ours, http, text = _PLAIN[code]
            text = text.format(op=what)
            return AwsError(ours, f"{text} AWS said: {message}" if message else text, details, status_code=http)
        if _retryable(code):
            return AwsError(
                "aws_throttled",
                f"AWS is throttling or unavailable ({code}) and still was after {ATTEMPTS} tries; try again later.",
                details,
                status_code=503,
            )
        label = code or f"HTTP {status}"
        return AwsError(
            "aws_error", f"AWS refused to {what} ({label}): {message or 'no message'}", details, status_code=400
        )
    details = {"operation": operation, "aws_code": type(error).__name__}
    if isinstance(error, NoCredentialsError):
        return AwsError(
            "aws_no_credentials",
            "No AWS credentials found: the server has no default credentials; choose another way to sign in.",
            details,
        )
    if isinstance(error, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)):
        return AwsError(
            "aws_unreachable",
            f"AWS could not be reached to {what}: {scrub(str(error), connection)}",
            details,
            status_code=502,
        )
    if isinstance(error, ParamValidationError):
        return AwsError("aws_invalid_request", scrub(str(error), connection), details)
    return AwsError(
        "aws_error", f"The AWS call to {what} failed: {scrub(str(error), connection)}", details, status_code=502
    )


def trusted_endpoint(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    allowed = {h.strip().lower() for h in os.environ.get(TRUSTED_ENDPOINT_HOSTS_ENV, "localhost").split(",") if h}
    if host in allowed:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _config(connection: AwsConnection) -> Config:
    # Our own loop retries (see `call`), so botocore makes one attempt each time. A custom endpoint
    # (moto, LocalStack) has no `sync-` host for StartSyncExecution: no host prefix there.
    return Config(
        region_name=connection.region,
        retries={"total_max_attempts": 1, "mode": "standard"},
        inject_host_prefix=not connection.endpoint_url,
        connect_timeout=5,
        read_timeout=30,
        user_agent_appid="stepwright",
    )


# Service models are read from botocore's JSON files once per process, not once per session (~150 ms each).
_LOADER = botocore.loaders.create_loader()


def _botocore_session() -> botocore.session.Session:
    session = botocore.session.get_session()
    session.register_component("data_loader", _LOADER)
    return session


# Temporary credentials of assumed roles, kept in memory (never stored) until 5 minutes before they expire,
# so a poll every second does not call sts:AssumeRole every second.
_ASSUMED: dict[tuple, dict] = {}
REASSUME_BEFORE = timedelta(minutes=5)


@sensitive_variables("keys", "creds", "answer")
def session_for(connection: AwsConnection) -> boto3.Session:
    mode = connection.auth_mode
    if mode == AwsConnection.AuthMode.ACCESS_KEY:
        keys = crypto.decrypt(connection.secret_ciphertext)
        return boto3.Session(
            aws_access_key_id=keys["access_key_id"],
            aws_secret_access_key=keys["secret_access_key"],
            aws_session_token=keys.get("session_token") or None,
            region_name=connection.region,
            botocore_session=_botocore_session(),
        )
    base = boto3.Session(region_name=connection.region, botocore_session=_botocore_session())
    if mode == AwsConnection.AuthMode.DEFAULT:
        return base
    params: dict[str, Any] = {"RoleArn": connection.role_arn, "RoleSessionName": f"stepwright-{connection.team_id}"}
    if connection.external_id:
        params["ExternalId"] = connection.external_id
    key = (connection.pk, connection.role_arn, connection.external_id, connection.endpoint_url, connection.region)
    creds = _ASSUMED.get(key)
    if creds is None or creds["Expiration"] - datetime.now(UTC) < REASSUME_BEFORE:
        sts = base.client("sts", endpoint_url=connection.endpoint_url or None, config=_config(connection))
        answer = _with_retries(lambda: sts.assume_role(**params), operation="assume_role", connection=connection)
        creds = _ASSUMED[key] = answer["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=connection.region,
        botocore_session=_botocore_session(),
    )


def client_for(connection: AwsConnection, service: str, session: Callable[[], boto3.Session] | None = None):
    """A boto3 client for `service` signed as the connection says (through `session()` when given, so
    several clients share one session). Tests replace this function."""
    made = session() if session is not None else session_for(connection)
    return made.client(service, endpoint_url=connection.endpoint_url or None, config=_config(connection))


def _with_retries(fn, *, operation: str, connection: AwsConnection | None):
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return fn()
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code") or ""
            if not _retryable(code) or attempt == ATTEMPTS:
                raise translate(error, operation=operation, connection=connection)
        except (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError) as error:
            if attempt == ATTEMPTS:
                raise translate(error, operation=operation, connection=connection)
        except BotoCoreError as error:
            raise translate(error, operation=operation, connection=connection)
        delay = min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
        log.info("AWS %s: retryable failure (attempt %d of %d), waiting %.1f s", operation, attempt, ATTEMPTS, delay)
        sleep(delay)
    raise AssertionError("unreachable")


class Aws:
    """The AWS side of one connection: `aws.sfn("describe_state_machine", stateMachineArn=...)`.

    Clients are made once per service and kept for the object's life (one request or one deploy).
    """

    def __init__(self, connection: AwsConnection):
        self.connection = connection
        self._clients: dict[str, Any] = {}
        self._session: boto3.Session | None = None

    def _shared_session(self) -> boto3.Session:
        # One session per object: a role is assumed once per request or deploy, not once per service.
        if self._session is None:
            self._session = session_for(self.connection)
        return self._session

    def client(self, service: str):
        if service not in self._clients:
            try:
                self._clients[service] = client_for(self.connection, service, session=self._shared_session)
            except (BotoCoreError, ClientError) as error:
                raise translate(error, operation=f"connect to {service}", connection=self.connection)
        return self._clients[service]

    def call(self, service: str, operation: str, **params):
        client = self.client(service)
        return _with_retries(
            lambda: getattr(client, operation)(**params), operation=operation, connection=self.connection
        )

    def sfn(self, operation: str, **params):
        return self.call("stepfunctions", operation, **params)

    def iam(self, operation: str, **params):
        return self.call("iam", operation, **params)

    def sts(self, operation: str, **params):
        return self.call("sts", operation, **params)

    def pages(self, service: str, operation: str, key: str, **params):
        """Every item of a paginated Step Functions list call, following nextToken."""
        while True:
            page = self.call(service, operation, **params)
            yield from page.get(key, [])
            if not page.get("nextToken"):
                return
            params["nextToken"] = page["nextToken"]
