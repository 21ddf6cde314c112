"""A local run that opts in to the real AWS services (moto's server here) for its Task states."""

import json

from tests.aws.conftest import REGION, boto

ORDER_FLOW = {
    "StartAt": "Save",
    "States": {
        "Save": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "orders", "Item": {"id": {"S.$": "$.id"}, "total": {"N": "12"}}},
            "ResultPath": None,
            "Next": "Load",
        },
        "Load": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": "orders", "Key": {"id": {"S.$": "$.id"}}},
            "ResultSelector": {"total.$": "$.Item.total.N"},
            "ResultPath": "$.loaded",
            "Next": "Tell",
        },
        "Tell": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl.$": "$.queue", "MessageBody": {"order.$": "$.id", "total.$": "$.loaded.total"}},
            "ResultSelector": {"messageId.$": "$.MessageId"},
            "End": True,
        },
    },
}


def test_dynamodb_and_sqs_tasks_call_the_service_through_the_teams_connection(
    client_for, runner, connection, versioned, queue
):
    boto("dynamodb").create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    queue_url = boto("sqs").create_queue(QueueName="orders")["QueueUrl"]
    workflow = versioned(ORDER_FLOW, name="orders")
    client = client_for(runner)
    started = client.post(
        f"/api/workflows/{workflow.pk}/executions/",
        {"input": {"id": "o-1", "queue": queue_url}, "aws_connection": connection.pk},
    )
    assert started.status_code == 201, started.json()
    queue()
    execution = client.get(f"/api/executions/{started.json()['id']}/").json()
    assert execution["status"] == "SUCCEEDED"
    messages = boto("sqs").receive_message(QueueUrl=queue_url)["Messages"]
    assert execution["output"] == {"messageId": messages[0]["MessageId"]}
    assert json.loads(messages[0]["Body"]) == {"order": "o-1", "total": "12"}


def test_a_service_error_fails_the_task_with_the_services_error_name(client_for, runner, connection, versioned, queue):
    workflow = versioned(ORDER_FLOW, name="orders")  # no table, no queue
    client = client_for(runner)
    started = client.post(
        f"/api/workflows/{workflow.pk}/executions/",
        {"input": {"id": "o-1", "queue": "nope"}, "aws_connection": connection.pk},
    )
    queue()
    execution = client.get(f"/api/executions/{started.json()['id']}/").json()
    assert execution["status"] == "FAILED"
    assert execution["error"] == "DynamoDB.ResourceNotFoundException"


def test_only_the_teams_own_connections_can_be_used(client_for, outsider, runner, versioned, make_user):
    from designer import services as designer_services
    from designer.aws import services as aws_services

    other_team = designer_services.create_team(user=outsider, name="Elsewhere")
    theirs = aws_services.create_connection(
        user=outsider, team=other_team, name="x", region=REGION, auth_mode="default"
    )
    workflow = versioned(ORDER_FLOW, name="orders")
    refused = client_for(runner).post(f"/api/workflows/{workflow.pk}/executions/", {"aws_connection": theirs.pk})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "unknown_connection"
