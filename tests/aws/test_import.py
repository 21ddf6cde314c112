"""Listing an account's state machines and importing one, as a new workflow or a new version."""

import json

import pytest

from designer.aws.models import AwsLink
from designer.models import Workflow
from tests.aws.conftest import ROLE_ARN, boto, definition, save_version

pytestmark = pytest.mark.aws

ON_AWS = {"Comment": "made on AWS", "StartAt": "Go", "States": {"Go": {"Type": "Pass", "End": True}}}


def base(connection):
    return f"/api/teams/{connection.team_id}/aws-connections/{connection.pk}/"


@pytest.fixture
def machine(connection):
    return boto("stepfunctions").create_state_machine(
        name="made-on-aws",
        definition=json.dumps(ON_AWS),
        roleArn=ROLE_ARN,
        type="STANDARD",
        tags=[{"key": "owner", "value": "ops"}],
    )["stateMachineArn"]


def test_it_lists_state_machines_with_their_links(client_for, owner, editor, workflow, connection, machine):
    save_version(owner, workflow, definition())
    client_for(owner).post(
        f"/api/workflows/{workflow.pk}/deploy/", {"connection": connection.pk, "role_arn": ROLE_ARN}, format="json"
    )
    response = client_for(editor).get(base(connection) + "state-machines/")
    assert response.status_code == 200, response.json()
    by_name = {item["name"]: item for item in response.json()["results"]}
    assert by_name["made-on-aws"]["workflow"] is None
    assert by_name["orders"]["workflow"] == {"id": workflow.pk, "name": "orders"}
    assert response.json()["next_token"] is None


def test_it_pages_through_state_machines(client_for, owner, connection):
    sfn = boto("stepfunctions")
    for index in range(3):
        sfn.create_state_machine(name=f"m{index}", definition=json.dumps(ON_AWS), roleArn=ROLE_ARN)
    from designer.aws import services

    first = services.list_state_machines(user=owner, connection=connection)
    assert len(first["results"]) == 3


def test_it_imports_as_a_new_workflow(client_for, owner, editor, connection, machine):
    response = client_for(editor).post(base(connection) + "import/", {"state_machine_arn": machine}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["latest_version"]) == ("made-on-aws", 1)
    workflow = Workflow.objects.get(pk=body["id"])
    assert json.loads(workflow.versions.get().definition) == ON_AWS
    link = AwsLink.objects.get(workflow=workflow)
    assert (link.type, link.role_arn, link.tags) == ("STANDARD", ROLE_ARN, {"owner": "ops"})
    # Imported twice as new: refused, pointing at the linked workflow.
    again = client_for(editor).post(base(connection) + "import/", {"state_machine_arn": machine}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["details"]["workflow"] == workflow.pk


def test_it_imports_a_new_version_of_the_linked_workflow(client_for, owner, connection, machine):
    client = client_for(owner)
    workflow_id = client.post(base(connection) + "import/", {"state_machine_arn": machine}, format="json").json()["id"]
    changed = {**ON_AWS, "States": {"Go": {"Type": "Pass", "Result": "changed on AWS", "End": True}}}
    boto("stepfunctions").update_state_machine(stateMachineArn=machine, definition=json.dumps(changed))
    body = {"state_machine_arn": machine, "workflow": workflow_id}
    response = client.post(base(connection) + "import/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["latest_version"] == 2
    assert json.loads(Workflow.objects.get(pk=workflow_id).versions.get(number=2).definition) == changed


def test_it_keeps_an_unsaved_draft_unless_told(client_for, owner, connection, machine):
    from designer import services

    client = client_for(owner)
    workflow_id = client.post(base(connection) + "import/", {"state_machine_arn": machine}, format="json").json()["id"]
    workflow = Workflow.objects.get(pk=workflow_id)
    services.save_draft(
        user=owner, workflow=workflow, definition=definition(), layout={}, revision=workflow.draft_revision
    )
    body = {"state_machine_arn": machine, "workflow": workflow_id}
    refused = client.post(base(connection) + "import/", body, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "unsaved_draft"
    forced = client.post(base(connection) + "import/", {**body, "overwrite_draft": True}, format="json")
    assert forced.status_code == 201


def test_it_refuses_a_workflow_that_is_not_linked(client_for, owner, workflow, connection, machine):
    body = {"state_machine_arn": machine, "workflow": workflow.pk}
    response = client_for(owner).post(base(connection) + "import/", body, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_linked"


def test_a_missing_state_machine_is_said_plainly(client_for, owner, connection):
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:nope"
    response = client_for(owner).post(base(connection) + "import/", {"state_machine_arn": arn}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "aws_state_machine_missing"


def test_it_validates_ownership(client_for, viewer, outsider, connection, machine):
    for user, code in ((viewer, 403), (outsider, 404)):
        client = client_for(user)
        assert client.get(base(connection) + "state-machines/").status_code == code
        body = {"state_machine_arn": machine}
        assert client.post(base(connection) + "import/", body, format="json").status_code == code
    assert not Workflow.objects.filter(name="made-on-aws").exists()
