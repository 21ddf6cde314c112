"""GET /api/workflows/{id}/deployments/: every attempt, for every member of the team."""

import pytest

from tests.aws.conftest import ROLE_ARN, definition, save_version

pytestmark = pytest.mark.aws


def test_it_works(client_for, owner, viewer, workflow, connection):
    save_version(owner, workflow, definition())
    deployed = client_for(owner).post(
        f"/api/workflows/{workflow.pk}/deploy/", {"connection": connection.pk, "role_arn": ROLE_ARN}, format="json"
    )
    client = client_for(viewer)
    listed = client.get(f"/api/workflows/{workflow.pk}/deployments/")
    assert listed.status_code == 200
    assert [(d["id"], d["outcome"], d["created_by"]) for d in listed.json()] == [
        (deployed.json()["id"], "succeeded", "alice")
    ]
    one = client.get(f"/api/workflows/{workflow.pk}/deployments/{deployed.json()['id']}/")
    assert one.json()["connection_name"] == "sandbox"
    assert client.get(f"/api/workflows/{workflow.pk}/deployments/999/").status_code == 404


def test_it_validates_ownership(client_for, owner, outsider, workflow, connection):
    save_version(owner, workflow, definition())
    deployed = client_for(owner).post(
        f"/api/workflows/{workflow.pk}/deploy/", {"connection": connection.pk, "role_arn": ROLE_ARN}, format="json"
    )
    client = client_for(outsider)
    assert client.get(f"/api/workflows/{workflow.pk}/deployments/").status_code == 404
    assert client.get(f"/api/workflows/{workflow.pk}/deployments/{deployed.json()['id']}/").status_code == 404
