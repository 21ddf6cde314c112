"""/api/teams/{team}/aws-connections/: owners manage them, editors see them, nobody sees a secret."""

import pytest

from designer.aws import crypto
from designer.aws.models import AwsConnection
from tests.aws.conftest import KEY_ID, SECRET

pytestmark = pytest.mark.aws

KEYS = {
    "name": "prod",
    "region": "eu-west-1",
    "auth_mode": "access_key",
    "access_key_id": KEY_ID,
    "secret_access_key": SECRET,
}


def url(team, pk=None):
    base = f"/api/teams/{team.pk}/aws-connections/"
    return f"{base}{pk}/" if pk else base


def test_it_works(client_for, owner, team):
    response = client_for(owner).post(url(team), KEYS, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["auth_mode"] == "access_key"
    assert body["has_access_key"] is True
    assert body["access_key_hint"] == KEY_ID[-4:]
    assert not {"access_key_id", "secret_access_key", "secret_ciphertext", "session_token"} & set(body)
    connection = AwsConnection.objects.get()
    assert SECRET not in connection.secret_ciphertext and KEY_ID not in connection.secret_ciphertext
    assert crypto.decrypt(connection.secret_ciphertext)["secret_access_key"] == SECRET
    listed = client_for(owner).get(url(team)).json()
    assert [c["name"] for c in listed] == ["prod"]


def test_it_creates_an_assume_role_connection(client_for, owner, team):
    body = {
        "name": "cross-account",
        "region": "us-east-1",
        "auth_mode": "assume_role",
        "role_arn": "arn:aws:iam::210987654321:role/Deployer",
        "external_id": "shared-ext-id",
    }
    response = client_for(owner).post(url(team), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["role_arn"] == body["role_arn"]
    assert response.json()["has_external_id"] is True
    assert "shared-ext-id" not in response.content.decode()


def test_it_validates_the_fields(client_for, owner, team):
    client = client_for(owner)
    no_secret = {**KEYS, "secret_access_key": None}
    del no_secret["secret_access_key"]
    response = client.post(url(team), no_secret, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "/secret_access_key"
    response = client.post(url(team), {"name": "x", "region": "mars-1"}, format="json")
    assert "/region" in response.json()["error"]["details"]["fields"]
    response = client.post(url(team), {"name": "x", "region": "us-east-1", "auth_mode": "assume_role"}, format="json")
    assert response.json()["error"]["details"]["field"] == "/role_arn"
    response = client.post(url(team), {"name": "x", "region": "us-east-1", "password": "typo"}, format="json")
    assert "/password" in response.json()["error"]["details"]["fields"]
    keys_without_mode = {"name": "x", "region": "us-east-1", "access_key_id": KEY_ID, "secret_access_key": SECRET}
    assert client.post(url(team), keys_without_mode, format="json").status_code == 400
    assert not AwsConnection.objects.exists()


def test_names_are_unique_per_team(client_for, owner, team):
    client = client_for(owner)
    client.post(url(team), {"name": "prod", "region": "us-east-1"}, format="json")
    again = client.post(url(team), {"name": "prod", "region": "us-east-2"}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "name_taken"


def test_a_custom_endpoint_with_the_servers_credentials_must_be_trusted(client_for, owner, team):
    client = client_for(owner)
    body = {"name": "ls", "region": "us-east-1", "endpoint_url": "http://attacker.example:4566"}
    refused = client.post(url(team), body, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "untrusted_endpoint"
    local = client.post(url(team), {**body, "endpoint_url": "http://127.0.0.1:4566"}, format="json")
    assert local.status_code == 201
    with_keys = client.post(url(team), {**KEYS, "name": "ls2", "endpoint_url": "http://ls.example:4566"}, format="json")
    assert with_keys.status_code == 201


def test_an_owner_updates_and_keeps_or_replaces_the_keys(client_for, owner, team):
    client = client_for(owner)
    pk = client.post(url(team), KEYS, format="json").json()["id"]
    renamed = client.patch(url(team, pk), {"name": "production"}, format="json")
    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["has_access_key"] is True
    assert crypto.decrypt(AwsConnection.objects.get().secret_ciphertext)["secret_access_key"] == SECRET
    rotated = client.patch(
        url(team, pk), {"access_key_id": "AKIAROTATEDKEY000001", "secret_access_key": "new-secret"}, format="json"
    )
    assert rotated.json()["access_key_hint"] == "0001"
    switched = client.patch(url(team, pk), {"auth_mode": "default"}, format="json")
    assert switched.json()["has_access_key"] is False
    assert AwsConnection.objects.get().secret_ciphertext == ""


def test_an_owner_deletes(client_for, owner, team):
    client = client_for(owner)
    pk = client.post(url(team), KEYS, format="json").json()["id"]
    assert client.delete(url(team, pk)).status_code == 204
    assert not AwsConnection.objects.exists()


def test_an_editor_sees_but_cannot_manage(client_for, owner, editor, team):
    pk = client_for(owner).post(url(team), KEYS, format="json").json()["id"]
    client = client_for(editor)
    assert client.get(url(team)).status_code == 200
    assert client.get(url(team, pk)).status_code == 200
    assert client.post(url(team), {"name": "mine", "region": "us-east-1"}, format="json").status_code == 403
    assert client.patch(url(team, pk), {"name": "renamed"}, format="json").status_code == 403
    assert client.delete(url(team, pk)).status_code == 403


def test_a_viewer_or_runner_cannot_see_a_connection(client_for, owner, viewer, runner, team):
    pk = client_for(owner).post(url(team), KEYS, format="json").json()["id"]
    for user in (viewer, runner):
        client = client_for(user)
        assert client.get(url(team)).status_code == 403
        assert client.get(url(team, pk)).status_code == 403
        assert client.post(url(team, pk) + "test/").status_code == 403


def test_it_validates_ownership(client_for, owner, outsider, team):
    pk = client_for(owner).post(url(team), KEYS, format="json").json()["id"]
    client = client_for(outsider)
    assert client.get(url(team)).status_code == 404
    assert client.get(url(team, pk)).status_code == 404
    assert client.post(url(team), KEYS, format="json").status_code == 404
    assert client.patch(url(team, pk), {"name": "x"}, format="json").status_code == 404
    assert client.delete(url(team, pk)).status_code == 404
    assert client.post(url(team, pk) + "test/").status_code == 404
    assert client_for().get(url(team)).status_code in (401, 403)
