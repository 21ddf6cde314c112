"""No API response, log line or stored record other than the ciphertext contains a connection's secret."""

import json
import logging

import pytest
from django.core import serializers as django_serializers

from designer.aws import crypto
from designer.aws.models import AwsConnection, AwsLink, Deployment
from designer.models import Activity
from tests.aws.conftest import KEY_ID, ROLE_ARN, SECRET, boto, definition, save_version

pytestmark = pytest.mark.aws

SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKENdoNotLeakMe"


def test_no_response_or_log_line_contains_the_secret(
    client_for, owner, editor, viewer, team, workflow, moto_endpoint, clean_aws, caplog
):
    caplog.set_level(logging.DEBUG)
    owner_client, editor_client = client_for(owner), client_for(editor)
    responses = []

    def keep(response):
        responses.append(response)
        return response

    base = f"/api/teams/{team.pk}/aws-connections/"
    created = keep(
        owner_client.post(
            base,
            {
                "name": "keys",
                "region": "us-east-1",
                "auth_mode": "access_key",
                "access_key_id": KEY_ID,
                "secret_access_key": SECRET,
                "session_token": SESSION_TOKEN,
                "endpoint_url": moto_endpoint,
            },
            format="json",
        )
    )
    assert created.status_code == 201
    one = f"{base}{created.json()['id']}/"
    connection = created.json()["id"]
    keep(owner_client.get(base))
    keep(editor_client.get(one))
    keep(client_for(viewer).get(one))
    keep(owner_client.post(one + "test/"))
    save_version(owner, workflow, definition())
    deploy = f"/api/workflows/{workflow.pk}/deploy/"
    keep(editor_client.post(deploy + "plan/", {"connection": connection, "role_arn": ROLE_ARN}, format="json"))
    keep(editor_client.post(deploy, {"connection": connection, "role_arn": ROLE_ARN}, format="json"))
    keep(editor_client.post(deploy, {"connection": connection, "create_role": True}, format="json"))
    keep(editor_client.post(deploy, {"connection": connection, "role_arn": "arn:aws:iam::1:role/x"}, format="json"))
    keep(editor_client.get(f"/api/workflows/{workflow.pk}/deployments/"))
    keep(editor_client.get(f"/api/workflows/{workflow.pk}/aws/"))
    keep(editor_client.get(one + "state-machines/"))
    boto("stepfunctions").create_state_machine(
        name="other", definition=json.dumps(json.loads(definition())), roleArn=ROLE_ARN
    )
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:other"
    keep(editor_client.post(one + "import/", {"state_machine_arn": arn}, format="json"))
    keep(owner_client.patch(one, {"secret_access_key": SECRET + "2", "access_key_id": KEY_ID}, format="json"))
    keep(owner_client.get(f"/api/teams/{team.pk}/activity/"))
    keep(owner_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"))
    assert {r.status_code for r in responses} <= {200, 201, 400, 403}
    assert len(responses) == 16

    for response in responses:
        body = response.content.decode()
        for secret in (SECRET, SESSION_TOKEN, KEY_ID):
            assert secret not in body, response.request["PATH_INFO"]
    assert caplog.records, "the test must see log lines to mean anything"
    for record in caplog.records:
        line = record.getMessage() + (record.exc_text or "")
        assert SECRET not in line and SESSION_TOKEN not in line, record.name
        if not record.name.startswith(("botocore", "urllib3")):
            assert KEY_ID not in line, record.name  # botocore's DEBUG lines show the key id in its signature
    stored = django_serializers.serialize(
        "json", [*Deployment.objects.all(), *AwsLink.objects.all(), *Activity.objects.all()]
    )
    assert SECRET not in stored and KEY_ID not in stored
    row = AwsConnection.objects.get()
    assert SECRET not in row.secret_ciphertext and SECRET not in repr(row) and SECRET not in str(row)
    assert crypto.decrypt(row.secret_ciphertext)["secret_access_key"] == SECRET + "2"


def test_an_aws_message_that_echoes_a_secret_is_scrubbed(client_for, owner, key_connection, stubbed):
    stubs = stubbed("sts")
    stubs["sts"].add_client_error(
        "get_caller_identity",
        service_error_code="SignatureDoesNotMatch",
        service_message=f"The request signature we calculated does not match; secret was {SECRET}",
        http_status_code=403,
    )
    response = client_for(owner).post(f"/api/teams/{key_connection.team_id}/aws-connections/{key_connection.pk}/test/")
    assert response.json()["error"]["code"] == "aws_bad_credentials"
    assert SECRET not in response.content.decode()
    assert "secret was ***" in response.json()["error"]["message"]
