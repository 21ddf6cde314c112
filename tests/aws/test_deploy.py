"""POST /api/workflows/{id}/deploy/ against moto: create, update and verify, role, alias, tags, types."""

import json

import pytest

from designer.aws.models import AwsLink, Deployment
from designer.models import Activity
from tests.aws.conftest import ROLE_ARN, boto, definition, save_version

pytestmark = pytest.mark.aws

V1 = definition(A={"Type": "Pass", "End": True})
V2 = definition(A={"Type": "Pass", "Result": {"changed": True}, "End": True})


def deploy(client, workflow, connection, **options):
    body = {"connection": connection.pk, "role_arn": ROLE_ARN, **options}
    if options.get("create_role"):
        body.pop("role_arn")
    return client.post(f"/api/workflows/{workflow.pk}/deploy/", body, format="json")


def stored(arn: str) -> dict:
    return boto("stepfunctions").describe_state_machine(stateMachineArn=arn)


def test_it_creates_then_updates_the_state_machine(client_for, owner, editor, workflow, connection):
    save_version(owner, workflow, V1)
    first = deploy(client_for(editor), workflow, connection)
    assert first.status_code == 201, first.json()
    body = first.json()
    assert (body["action"], body["outcome"], body["version"]) == ("create", "succeeded", 1)
    assert body["created_by"] == "editor-bob"
    assert body["state_machine_arn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:orders"
    assert body["state_machine_version_arn"].endswith(":1")
    assert [step["step"] for step in body["steps"]] == ["create_state_machine", "verify"]
    machine = stored(body["state_machine_arn"])
    assert json.loads(machine["definition"]) == json.loads(V1)
    assert machine["roleArn"] == ROLE_ARN

    save_version(owner, workflow, V2)
    second = deploy(client_for(editor), workflow, connection)
    assert second.status_code == 201, second.json()
    assert (second.json()["action"], second.json()["outcome"], second.json()["version"]) == ("update", "succeeded", 2)
    # moto keeps the old definition on a same-name create; the deploy looks up first and updates.
    assert json.loads(stored(body["state_machine_arn"])["definition"]) == json.loads(V2)
    link = AwsLink.objects.get(workflow=workflow)
    assert link.deployed_version.number == 2
    assert Activity.objects.filter(verb="deployed", workflow=workflow).count() == 2


def test_an_unchanged_version_is_already_deployed(client_for, owner, workflow, connection):
    save_version(owner, workflow, V1)
    assert deploy(client_for(owner), workflow, connection).status_code == 201
    again = deploy(client_for(owner), workflow, connection)
    assert again.status_code == 200
    assert (again.json()["outcome"], again.json()["action"]) == ("already_deployed", "none")
    assert Deployment.objects.filter(workflow=workflow).count() == 2


def test_it_deploys_an_older_version_by_number(client_for, owner, workflow, connection):
    save_version(owner, workflow, V1)
    save_version(owner, workflow, V2)
    response = deploy(client_for(owner), workflow, connection, version=1, name="orders-v1")
    assert response.json()["version"] == 1
    assert json.loads(stored(response.json()["state_machine_arn"])["definition"]) == json.loads(V1)


def test_it_creates_the_execution_role_with_the_generated_policy(client_for, owner, workflow, connection):
    lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:hello"
    text = definition(
        Call={
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": lambda_arn, "Payload.$": "$"},
            "End": True,
        }
    )
    save_version(owner, workflow, text)
    response = deploy(client_for(owner), workflow, connection, create_role=True)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role_arn"] == "arn:aws:iam::123456789012:role/stepwright-orders"
    assert [s["step"] for s in body["steps"]] == ["create_role", "put_role_policy", "create_state_machine", "verify"]
    iam = boto("iam")
    role = iam.get_role(RoleName="stepwright-orders")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "states.amazonaws.com"}
    policy = iam.get_role_policy(RoleName="stepwright-orders", PolicyName="stepwright-execution")["PolicyDocument"]
    assert policy["Statement"] == [
        {
            "Sid": "LambdaInvokeFunction1",
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction"],
            "Resource": [lambda_arn, lambda_arn + ":*"],
        }
    ]
    assert stored(body["state_machine_arn"])["roleArn"] == body["role_arn"]
    # The same again: the role is current, nothing changes.
    assert deploy(client_for(owner), workflow, connection, create_role=True).json()["outcome"] == "already_deployed"


def test_it_moves_an_alias_tags_and_sets_logging_and_tracing(client_for, owner, workflow, connection):
    save_version(owner, workflow, V1)
    log_group = "arn:aws:logs:us-east-1:123456789012:log-group:/stepwright/orders:*"
    response = deploy(
        client_for(owner),
        workflow,
        connection,
        alias="live",
        tags={"team": "platform"},
        log_level="ERROR",
        log_group_arn=log_group,
        tracing=True,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["alias_arn"] == body["state_machine_arn"] + ":live"
    sfn = boto("stepfunctions")
    alias = sfn.describe_state_machine_alias(stateMachineAliasArn=body["alias_arn"])
    assert alias["routingConfiguration"][0]["stateMachineVersionArn"] == body["state_machine_version_arn"]
    tags = sfn.list_tags_for_resource(resourceArn=body["state_machine_arn"])["tags"]
    assert {"key": "team", "value": "platform"} in tags
    machine = stored(body["state_machine_arn"])
    assert machine["loggingConfiguration"]["level"] == "ERROR"
    assert machine["tracingConfiguration"] == {"enabled": True}

    save_version(owner, workflow, V2)
    moved = deploy(
        client_for(owner), workflow, connection, alias="live", log_level="ERROR", log_group_arn=log_group, tracing=True
    )
    assert moved.status_code == 201, moved.json()
    alias = sfn.describe_state_machine_alias(stateMachineAliasArn=body["alias_arn"])
    assert alias["routingConfiguration"][0]["stateMachineVersionArn"] == moved.json()["state_machine_version_arn"]


def test_it_deploys_express(client_for, owner, workflow, connection):
    save_version(owner, workflow, V1)
    response = deploy(client_for(owner), workflow, connection, type="EXPRESS", name="orders-express")
    assert response.status_code == 201, response.json()
    assert stored(response.json()["state_machine_arn"])["type"] == "EXPRESS"
    # AWS cannot change a state machine's type: said plainly, and recorded.
    refused = deploy(client_for(owner), workflow, connection, type="STANDARD", name="orders-express")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "type_change"
    assert Deployment.objects.filter(outcome="failed").get().error_code == "type_change"


def test_it_needs_a_saved_version(client_for, owner, workflow, connection):
    response = deploy(client_for(owner), workflow, connection)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_version"


def test_it_refuses_an_invalid_version(client_for, owner, workflow, connection):
    save_version(owner, workflow, '{"StartAt": "Nowhere", "States": {}}')
    response = deploy(client_for(owner), workflow, connection)
    assert response.json()["error"]["code"] == "invalid_version"


def test_it_needs_a_role(client_for, owner, workflow, connection):
    save_version(owner, workflow, V1)
    response = client_for(owner).post(
        f"/api/workflows/{workflow.pk}/deploy/", {"connection": connection.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "/role_arn"


def test_the_connection_must_be_the_workflows_teams(client_for, owner, workflow, connection, make_user):
    from designer import services

    other_team = services.create_team(user=owner, name="Elsewhere")
    from designer.aws.services import create_connection

    elsewhere = create_connection(user=owner, team=other_team, name="other", region="us-east-1")
    save_version(owner, workflow, V1)
    response = deploy(client_for(owner), workflow, elsewhere)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "connection_not_found"


def test_it_works_for_an_editor_not_a_runner_or_viewer(client_for, owner, runner, viewer, workflow, connection):
    save_version(owner, workflow, V1)
    for user in (runner, viewer):
        response = deploy(client_for(user), workflow, connection)
        assert response.status_code == 403
    assert not Deployment.objects.exists()


def test_it_validates_ownership(client_for, owner, outsider, workflow, connection):
    save_version(owner, workflow, V1)
    assert deploy(client_for(outsider), workflow, connection).status_code == 404
    assert deploy(client_for(), workflow, connection).status_code in (401, 403)
    assert not Deployment.objects.exists()


def test_new_tags_are_a_change_and_applied(client_for, owner, workflow, connection):
    save_version(owner, workflow, V1)
    first = deploy(client_for(owner), workflow, connection, tags={"team": "platform"}).json()
    same = deploy(client_for(owner), workflow, connection, tags={"team": "platform"})
    assert same.json()["outcome"] == "already_deployed"
    changed = deploy(client_for(owner), workflow, connection, tags={"team": "payments", "cost": "42"})
    assert changed.status_code == 201, changed.json()
    assert "tag_resource" in [s["step"] for s in changed.json()["steps"]]
    tags = boto("stepfunctions").list_tags_for_resource(resourceArn=first["state_machine_arn"])["tags"]
    assert {t["key"]: t["value"] for t in tags} == {"team": "payments", "cost": "42"}


def test_a_definition_aws_refuses_without_a_code_is_still_said_plainly(client_for, owner, workflow, connection):
    # moto's interpreter rejects an unknown state type with HTTP 400 and an empty error code (pitfall 3);
    # the validator would refuse it first, so the version is marked valid here to reach AWS at all.
    version = save_version(owner, workflow, definition(A={"Type": "Bogus", "End": True}))
    version.validation_status = "valid"
    version.save(update_fields=["validation_status"])
    response = deploy(client_for(owner), workflow, connection)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "aws_error"
    assert error["message"].startswith("AWS refused to create state machine (HTTP 400): ")
    assert error["details"]["deployment"] == Deployment.objects.get(outcome="failed").pk


def test_a_role_stepwright_did_not_create_is_left_alone(client_for, owner, workflow, connection):
    boto("iam").create_role(RoleName="stepwright-orders", AssumeRolePolicyDocument=json.dumps({"Statement": []}))
    save_version(owner, workflow, V1)
    response = deploy(client_for(owner), workflow, connection, create_role=True)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "role_not_ours"
    assert boto("iam").get_role(RoleName="stepwright-orders")["Role"]["AssumeRolePolicyDocument"] == {"Statement": []}


def test_a_definition_that_needs_no_permission_gets_a_role_without_a_policy(client_for, owner, workflow, connection):
    sqs = definition(
        Send={
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", "MessageBody": "hi"},
            "End": True,
        }
    )
    save_version(owner, workflow, sqs)
    first = deploy(client_for(owner), workflow, connection, create_role=True).json()
    assert "put_role_policy" in [s["step"] for s in first["steps"]]
    save_version(owner, workflow, V1)
    second = deploy(client_for(owner), workflow, connection, create_role=True).json()
    assert [s["step"] for s in second["steps"]][:1] == ["delete_role_policy"]
    assert boto("iam").list_role_policies(RoleName="stepwright-orders")["PolicyNames"] == []


def test_a_redeploy_takes_name_type_and_role_from_the_linked_state_machine(client_for, owner, workflow, connection):
    save_version(owner, workflow, V1)
    first = deploy(client_for(owner), workflow, connection, name="orders-fast", type="EXPRESS").json()
    save_version(owner, workflow, V2)
    again = client_for(owner).post(
        f"/api/workflows/{workflow.pk}/deploy/", {"connection": connection.pk}, format="json"
    )
    assert again.status_code == 201, again.json()
    body = again.json()
    assert (body["state_machine_arn"], body["type"], body["role_arn"]) == (
        first["state_machine_arn"],
        "EXPRESS",
        ROLE_ARN,
    )
    assert json.loads(stored(body["state_machine_arn"])["definition"]) == json.loads(V2)


def test_an_imported_express_workflow_deploys_in_one_click(client_for, owner, connection):
    sfn = boto("stepfunctions")
    arn = sfn.create_state_machine(name="fast", definition=V1, roleArn=ROLE_ARN, type="EXPRESS")["stateMachineArn"]
    client = client_for(owner)
    imported = client.post(
        f"/api/teams/{connection.team_id}/aws-connections/{connection.pk}/import/",
        {"state_machine_arn": arn},
        format="json",
    ).json()
    from designer.models import Workflow

    workflow = Workflow.objects.get(pk=imported["id"])
    save_version(owner, workflow, V2)
    response = client.post(f"/api/workflows/{workflow.pk}/deploy/", {"connection": connection.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["action"], response.json()["type"]) == ("update", "EXPRESS")
    assert json.loads(stored(arn)["definition"]) == json.loads(V2)
