"""SigV4: signed requests pass; unsigned, wrongly signed, expired, unknown or revoked keys are refused as
AWS refuses them. Also the protocol's own errors (unknown action, bad JSON)."""

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from designer import services as designer_services
from sfn import services
from sfn.models import AccessKey
from tests.sfn.conftest import REGION, client_with


def post(url: str, body: bytes, headers: dict) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def signed(url: str, key_id: str, secret: str, body: bytes, target: str, when: datetime | None = None) -> dict:
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AWSStepFunctions.{target}"},
    )
    signer = SigV4Auth(Credentials(key_id, secret), "states", REGION)
    if when is None:
        signer.add_auth(request)
    else:  # botocore's own steps, at a chosen time
        request.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
        signer._modify_request_before_signing(request)
        canonical = signer.canonical_request(request)
        signer._inject_signature_to_request(
            request, signer.signature(signer.string_to_sign(request, canonical), request)
        )
    return dict(request.headers.items())


@pytest.fixture
def endpoint(live_server):
    return live_server.url + "/aws/stepfunctions/"


@pytest.fixture
def pair(key_for, owner, team):
    return key_for(owner, team)


def test_a_signed_request_works_and_carries_a_request_id(endpoint, pair):
    key, secret = pair
    status, headers, body = post(
        endpoint, b"{}", signed(endpoint, key.access_key_id, secret, b"{}", "ListStateMachines")
    )
    assert (status, body) == (200, {"stateMachines": []})
    assert headers["x-amzn-RequestId"]
    assert headers["Content-Type"] == "application/x-amz-json-1.0"


def test_an_unsigned_request_is_refused(endpoint):
    status, headers, body = post(
        endpoint,
        b"{}",
        {"X-Amz-Target": "AWSStepFunctions.ListStateMachines", "Content-Type": "application/x-amz-json-1.0"},
    )
    assert (status, body["__type"]) == (403, "MissingAuthenticationTokenException")
    assert headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"


def test_a_wrong_secret_is_refused(live_server, pair):
    key, _ = pair
    sfn = client_with(live_server.url, key.access_key_id, "not-the-secret-at-all")
    with pytest.raises(sfn.exceptions.ClientError) as error:
        sfn.list_state_machines()
    assert error.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_tampered_body_is_refused(endpoint, pair):
    key, secret = pair
    headers = signed(endpoint, key.access_key_id, secret, b"{}", "ListStateMachines")
    status, _, body = post(endpoint, b'{"maxResults": 1}', headers)
    assert (status, body["__type"]) == (400, "InvalidSignatureException")


def test_an_expired_signature_is_refused(endpoint, pair):
    key, secret = pair
    old = datetime.now(UTC) - timedelta(minutes=20)
    status, _, body = post(
        endpoint, b"{}", signed(endpoint, key.access_key_id, secret, b"{}", "ListStateMachines", old)
    )
    assert (status, body["__type"]) == (400, "InvalidSignatureException")
    assert body["message"].startswith("Signature expired")


def test_an_unknown_or_revoked_key_is_refused(live_server, pair, owner):
    key, secret = pair
    unknown = client_with(live_server.url, "STEPNOSUCHKEY0000000", secret)
    with pytest.raises(unknown.exceptions.ClientError) as error:
        unknown.list_state_machines()
    assert error.value.response["Error"]["Code"] == "UnrecognizedClientException"
    services.revoke_access_key(user=owner, key=key)
    revoked = client_with(live_server.url, key.access_key_id, secret)
    with pytest.raises(revoked.exceptions.ClientError) as error:
        revoked.list_state_machines()
    assert error.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_a_key_stops_working_when_its_user_leaves_the_team(live_server, key_for, owner, team, member):
    editor = member("editor")
    key, secret = key_for(editor, team)
    sfn = client_with(live_server.url, key.access_key_id, secret)
    assert sfn.list_state_machines()["stateMachines"] == []
    membership = team.memberships.get(user=editor)
    designer_services.remove_member(actor=owner, membership=membership)
    with pytest.raises(sfn.exceptions.ClientError) as error:
        sfn.list_state_machines()
    assert error.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_protocol_errors(endpoint, pair):
    key, secret = pair
    status, _, body = post(endpoint, b"{}", signed(endpoint, key.access_key_id, secret, b"{}", "NoSuchAction"))
    assert (status, body["__type"]) == (400, "UnknownOperationException")
    status, _, body = post(
        endpoint, b"{nope", signed(endpoint, key.access_key_id, secret, b"{nope", "ListStateMachines")
    )
    assert (status, body["__type"]) == (400, "SerializationException")


def test_the_secret_is_encrypted_at_rest(pair):
    key, secret = pair
    stored = AccessKey.objects.get(pk=key.pk).secret_encrypted
    assert secret not in stored and len(secret) == 40 and key.access_key_id.startswith("STEP")


def test_the_endpoint_answers_without_its_trailing_slash_too(live_server, pair):
    key, secret = pair
    bare = boto3.client(
        "stepfunctions",
        endpoint_url=live_server.url + "/aws/stepfunctions",  # what a user may well type
        region_name=REGION,
        aws_access_key_id=key.access_key_id,
        aws_secret_access_key=secret,
    )
    assert bare.list_state_machines()["stateMachines"] == []
    bare.close()


def test_a_request_too_large_is_refused_in_aws_shape(endpoint, pair, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    key, secret = pair
    body = json.dumps({"definition": "x" * 2000}).encode()
    status, _, answer = post(
        endpoint, body, signed(endpoint, key.access_key_id, secret, body, "ValidateStateMachineDefinition")
    )
    assert (status, answer["__type"]) == (413, "ValidationException")
