"""POST /api/teams/{team}/aws-connections/{id}/test/: sts:GetCallerIdentity shows the account."""

import pytest

from tests.aws.conftest import ACCOUNT, SECRET

pytestmark = pytest.mark.aws


def url(connection):
    return f"/api/teams/{connection.team_id}/aws-connections/{connection.pk}/test/"


def test_it_works(client_for, owner, connection):
    response = client_for(owner).post(url(connection))
    assert response.status_code == 200, response.json()
    assert response.json()["account"] == ACCOUNT
    assert response.json()["region"] == "us-east-1"
    connection.refresh_from_db()
    assert connection.account_id == ACCOUNT and connection.tested_at is not None


def test_it_works_with_an_access_key_and_a_custom_endpoint(client_for, owner, key_connection):
    response = client_for(owner).post(url(key_connection))
    assert response.status_code == 200, response.json()
    assert response.json()["account"] == ACCOUNT
    assert SECRET not in response.content.decode()


def test_it_assumes_a_role(client_for, owner, team, clean_aws):
    from designer.aws.services import create_connection

    connection = create_connection(
        user=owner,
        team=team,
        name="assumed",
        region="us-east-1",
        auth_mode="assume_role",
        role_arn=f"arn:aws:iam::{ACCOUNT}:role/Deployer",
        external_id="ext-1",
    )
    response = client_for(owner).post(url(connection))
    assert response.status_code == 200, response.json()
    assert ":assumed-role/Deployer/stepwright-" in response.json()["arn"]


def test_an_editor_may_test(client_for, editor, connection):
    assert client_for(editor).post(url(connection)).status_code == 200


def test_expired_credentials_are_said_plainly(client_for, owner, connection, stubbed):
    stubs = stubbed("sts")
    stubs["sts"].add_client_error(
        "get_caller_identity",
        service_error_code="ExpiredToken",
        service_message="The security token included in the request is expired",
        http_status_code=403,
    )
    response = client_for(owner).post(url(connection))
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "aws_credentials_expired"
    assert error["message"].startswith("The connection's AWS credentials have expired.")
    assert error["details"]["aws_code"] == "ExpiredToken"


def test_an_unreachable_endpoint_is_said_plainly(client_for, owner, team, clean_aws):
    from designer.aws.services import create_connection

    connection = create_connection(
        user=owner, team=team, name="nowhere", region="us-east-1", endpoint_url="http://127.0.0.1:9"
    )
    response = client_for(owner).post(url(connection))
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "aws_unreachable"


def test_it_validates_ownership(client_for, outsider, viewer, connection):
    assert client_for(outsider).post(url(connection)).status_code == 404
    assert client_for(viewer).post(url(connection)).status_code == 403


def test_an_assumed_role_is_reused_until_it_nearly_expires(owner, team, clean_aws, monkeypatch):
    from designer.aws import clients
    from designer.aws.services import check_connection, create_connection

    monkeypatch.setattr(clients, "_ASSUMED", {})
    connection = create_connection(
        user=owner,
        team=team,
        name="assumed",
        region="us-east-1",
        auth_mode="assume_role",
        role_arn=f"arn:aws:iam::{ACCOUNT}:role/Deployer",
    )
    check_connection(user=owner, connection=connection)
    (first,) = clients._ASSUMED.values()
    check_connection(user=owner, connection=connection)
    assert list(clients._ASSUMED.values()) == [first]
    import datetime

    first["Expiration"] = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=1)
    check_connection(user=owner, connection=connection)
    (renewed,) = clients._ASSUMED.values()
    assert renewed["AccessKeyId"] != first["AccessKeyId"]
