"""GET /api/workflows/{id}/aws/: whether what is deployed is the workflow's latest version."""

import json

import pytest

from tests.aws.conftest import ROLE_ARN, boto, definition, save_version

pytestmark = pytest.mark.aws


def status(client, workflow):
    return client.get(f"/api/workflows/{workflow.pk}/aws/")


def test_it_works(client_for, owner, viewer, workflow, connection):
    client = client_for(owner)
    assert status(client, workflow).json() == {"links": [], "drift": False}
    save_version(owner, workflow, definition())
    deployed = client.post(
        f"/api/workflows/{workflow.pk}/deploy/", {"connection": connection.pk, "role_arn": ROLE_ARN}, format="json"
    ).json()
    body = status(client_for(viewer), workflow).json()
    assert body["drift"] is False
    assert body["links"][0]["status"] == "in_sync"
    assert (body["links"][0]["deployed_version"], body["links"][0]["latest_version"]) == (1, 1)

    save_version(owner, workflow, definition(B={"Type": "Succeed"}))
    body = status(client, workflow).json()
    assert (body["drift"], body["links"][0]["status"]) == (True, "behind")

    changed = {"StartAt": "X", "States": {"X": {"Type": "Fail"}}}
    sfn = boto("stepfunctions")
    sfn.update_state_machine(stateMachineArn=deployed["state_machine_arn"], definition=json.dumps(changed))
    assert status(client, workflow).json()["links"][0]["status"] == "changed_on_aws"

    sfn.delete_state_machine(stateMachineArn=deployed["state_machine_arn"])
    link = status(client, workflow).json()["links"][0]
    assert link["status"] == "missing"
    assert link["error"]["code"] == "aws_state_machine_missing"


def test_it_validates_ownership(client_for, outsider, workflow):
    assert status(client_for(outsider), workflow).status_code == 404
