"""moto's server as the AWS endpoint (../shared/AWS-STANDIN.md §7), and connections to reach it.

`moto_endpoint` starts one ThreadedMotoServer on a free 127.0.0.1 port for the session, with Step
Functions' interpreter on (execute mode) and Lambda without Docker. `aws_env` points every boto3 client
at it with fake credentials; `clean_aws` wipes moto between tests (its config survives a reset).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import urllib.request

import boto3
import pytest
from botocore.stub import Stubber

from designer.aws import clients
from designer.aws import services as aws_services
from designer.aws.models import AwsConnection

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/stepwright-test"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"  # the test searches every response and log for it
KEY_ID = "AKIAIOSFODNN7EXAMPLE"


def _post(url: str, body: dict | None = None) -> None:
    data = json.dumps(body or {}).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


@pytest.fixture(scope="session")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    os.environ["MOTO_PORT"] = str(port)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    _post(f"{url}/moto-api/config", {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}})
    # Warm-up: the interpreter's first request costs ~0.7 s; pay it once here.
    sfn = boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    machine = sfn.create_state_machine(
        name="warm-up",
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
        roleArn=ROLE_ARN,
    )
    sfn.delete_state_machine(stateMachineArn=machine["stateMachineArn"])
    yield url
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def aws_env(moto_endpoint):
    patch = pytest.MonkeyPatch()
    patch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    patch.setenv("AWS_ACCESS_KEY_ID", "testing")
    patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    patch.setenv("AWS_DEFAULT_REGION", REGION)
    patch.setenv("AWS_CONFIG_FILE", os.devnull)
    patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    patch.setenv("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
    patch.delenv("AWS_PROFILE", raising=False)
    patch.delenv("AWS_SESSION_TOKEN", raising=False)
    yield
    patch.undo()


@pytest.fixture
def clean_aws(moto_endpoint):
    _post(f"{moto_endpoint}/moto-api/reset")
    yield


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    """Back-off and IAM propagation waits are recorded, not slept."""
    slept: list[float] = []
    monkeypatch.setattr(clients, "sleep", slept.append)
    return slept


@pytest.fixture
def slept(_no_waiting):
    return _no_waiting


def boto(service: str):
    """A plain boto3 client on moto, for setting up and checking what the app did."""
    return boto3.client(service, region_name=REGION)


@pytest.fixture
def connection(team, owner, clean_aws) -> AwsConnection:
    """The team's connection: the server's default chain (which aws_env points at moto)."""
    return aws_services.create_connection(user=owner, team=team, name="sandbox", region=REGION, auth_mode="default")


@pytest.fixture
def key_connection(team, owner, clean_aws, moto_endpoint) -> AwsConnection:
    """A connection with an access key pair, and moto as its own endpoint."""
    return aws_services.create_connection(
        user=owner,
        team=team,
        name="keys",
        region=REGION,
        auth_mode="access_key",
        access_key_id=KEY_ID,
        secret_access_key=SECRET,
        endpoint_url=moto_endpoint,
    )


@pytest.fixture
def stubbed(monkeypatch):
    """Replace the client factory with botocore Stubbers: `stubs = stubbed("stepfunctions", "sts")`."""

    def make(*services: str) -> dict[str, Stubber]:
        made = {}
        for service in services:
            client = boto3.client(service, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="y")
            stub = Stubber(client)
            stub.activate()
            made[service] = stub
        monkeypatch.setattr(clients, "client_for", lambda connection, service, **_: made[service].client)
        return made

    return make


def definition(**states) -> str:
    states = states or {"A": {"Type": "Pass", "End": True}}
    return json.dumps({"StartAt": next(iter(states)), "States": states}, indent=2)


def save_version(user, workflow, text: str, message: str = ""):
    from designer import services

    workflow.refresh_from_db()
    services.save_draft(user=user, workflow=workflow, definition=text, layout={}, revision=workflow.draft_revision)
    version, _ = services.create_version(user=user, workflow=workflow, message=message)
    return version
