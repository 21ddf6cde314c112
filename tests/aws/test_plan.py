"""POST /api/workflows/{id}/deploy/plan/: create or update, the diff against AWS, the policy. Changes nothing."""

import pytest

from designer.aws.models import Deployment
from tests.aws.conftest import ROLE_ARN, boto, definition, save_version

pytestmark = pytest.mark.aws

V1 = definition(A={"Type": "Pass", "Next": "B"}, B={"Type": "Succeed"})
V2 = definition(
    A={"Type": "Pass", "Result": 1, "Next": "C"},
    C={
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", "MessageBody.$": "$"},
        "End": True,
    },
)


def plan(client, workflow, connection, **options):
    body = {"connection": connection.pk, "role_arn": ROLE_ARN, **options}
    return client.post(f"/api/workflows/{workflow.pk}/deploy/plan/", body, format="json")


def test_it_works(client_for, owner, editor, workflow, connection):
    save_version(owner, workflow, V1)
    response = plan(client_for(editor), workflow, connection)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["action"], body["already_deployed"], body["diff"]) == ("create", False, None)
    assert body["state_machine_arn"].endswith(":stateMachine:orders")
    assert body["account"] == "123456789012"
    assert body["policy"]["Statement"] == []
    assert not boto("stepfunctions").list_state_machines()["stateMachines"]
    assert not Deployment.objects.exists()


def test_it_diffs_against_what_aws_holds(client_for, owner, workflow, connection):
    client = client_for(owner)
    save_version(owner, workflow, V1)
    client.post(
        f"/api/workflows/{workflow.pk}/deploy/", {"connection": connection.pk, "role_arn": ROLE_ARN}, format="json"
    )
    same = plan(client, workflow, connection).json()
    assert (same["action"], same["already_deployed"], same["changes"]) == ("update", True, [])
    save_version(owner, workflow, V2)
    body = plan(client, workflow, connection, create_role=True, role_arn="").json()
    assert body["action"] == "update" and body["already_deployed"] is False
    assert set(body["changes"]) == {"definition", "role"}
    assert (body["diff"]["added"], body["diff"]["removed"]) == (["C"], ["B"])
    assert body["diff"]["changed"][0]["state"] == "A"
    assert body["role"]["create"] is True
    assert body["role"]["trust_policy"]["Statement"][0]["Principal"] == {"Service": "states.amazonaws.com"}
    assert body["policy"]["Statement"][0]["Action"] == ["sqs:SendMessage"]
    assert body["policy"]["Statement"][0]["Resource"] == ["arn:aws:sqs:us-east-1:123456789012:jobs"]


def test_it_warns_about_a_type_change(client_for, owner, workflow, connection):
    client = client_for(owner)
    save_version(owner, workflow, V1)
    client.post(
        f"/api/workflows/{workflow.pk}/deploy/",
        {"connection": connection.pk, "role_arn": ROLE_ARN, "type": "EXPRESS"},
        format="json",
    )
    assert plan(client, workflow, connection).json()["type"] == "EXPRESS"  # left out: as deployed
    body = plan(client, workflow, connection, type="STANDARD").json()
    assert "AWS cannot change the type" in body["warnings"][0]


def test_it_validates_options(client_for, owner, workflow, connection):
    save_version(owner, workflow, V1)
    client = client_for(owner)
    assert plan(client, workflow, connection, name="bad name!").json()["error"]["details"]["field"] == "/name"
    logging = plan(client, workflow, connection, log_level="ALL").json()
    assert logging["error"]["details"]["field"] == "/log_group_arn"
    both = plan(client, workflow, connection, create_role=True).json()
    assert both["error"]["details"]["field"] == "/role_arn"
    assert "/colour" in plan(client, workflow, connection, colour="red").json()["error"]["details"]["fields"]


def test_it_validates_ownership(client_for, owner, viewer, outsider, workflow, connection):
    save_version(owner, workflow, V1)
    assert plan(client_for(viewer), workflow, connection).status_code == 403
    assert plan(client_for(outsider), workflow, connection).status_code == 404
