"""What moto lacks for executions, through botocore's Stubber: paged history, Express, redrive."""

import datetime
import json

import pytest

from designer.aws import executions
from designer.aws.models import AwsExecution, AwsLink
from executor.models import Execution
from tests.aws.conftest import ACCOUNT, ROLE_ARN, definition, save_version

pytestmark = pytest.mark.aws

MACHINE = f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:orders"
RUN = f"arn:aws:states:us-east-1:{ACCOUNT}:execution:orders:run-1"
T0 = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def polls(monkeypatch):
    scheduled: list[int] = []
    monkeypatch.setattr(executions, "schedule", lambda pk, countdown: scheduled.append((pk, countdown)))
    return scheduled


@pytest.fixture
def linked(owner, workflow, connection):
    def make(type="STANDARD"):
        version = save_version(owner, workflow, definition())
        return AwsLink.objects.create(
            workflow=workflow,
            connection=connection,
            state_machine_name="orders",
            state_machine_arn=MACHINE,
            type=type,
            role_arn=ROLE_ARN,
            deployed_version=version,
        )

    return make


def event(number, kind, **details):
    return {"id": number, "previousEventId": number - 1, "type": kind, "timestamp": T0, **details}


def described(status="RUNNING", **extra):
    return {"executionArn": RUN, "stateMachineArn": MACHINE, "status": status, "startDate": T0, **extra}


def test_history_pages_are_followed_and_resumed(client_for, owner, runner, workflow, linked, stubbed):
    linked()
    sfn = stubbed("stepfunctions")["stepfunctions"]
    sfn.add_response("start_execution", {"executionArn": RUN, "startDate": T0})
    response = client_for(runner).post(
        f"/api/workflows/{workflow.pk}/executions/", {"backend": "aws", "name": "run-1"}, format="json"
    )
    assert response.status_code == 201, response.json()
    execution_id = response.json()["id"]

    # First poll: two full pages joined by nextToken, the execution still running.
    sfn.add_response("describe_execution", described())
    sfn.add_response(
        "get_execution_history",
        {
            "events": [
                event(1, "ExecutionStarted", executionStartedEventDetails={"input": "{}"}),
                event(2, "PassStateEntered"),
            ],
            "nextToken": "page-2",
        },
        expected_params={"executionArn": RUN, "maxResults": 1000, "includeExecutionData": True},
    )
    sfn.add_response(
        "get_execution_history",
        {"events": [event(3, "PassStateExited")], "nextToken": "page-3"},
        expected_params={"executionArn": RUN, "maxResults": 1000, "includeExecutionData": True, "nextToken": "page-2"},
    )
    sfn.add_response(
        "get_execution_history",
        {"events": [event(4, "WaitStateEntered")]},
        expected_params={"executionArn": RUN, "maxResults": 1000, "includeExecutionData": True, "nextToken": "page-3"},
    )
    assert executions.poll(execution_id) is not None
    execution = Execution.objects.get(pk=execution_id)
    assert list(execution.events.values_list("event_id", "type")) == [
        (1, "ExecutionStarted"),
        (2, "PassStateEntered"),
        (3, "PassStateExited"),
        (4, "WaitStateEntered"),
    ]
    assert execution.aws.next_token == "page-3"

    # Second poll goes on from the last page it had not finished; an expired token starts over.
    sfn.add_response("describe_execution", described("SUCCEEDED", output='{"done": true}', stopDate=T0))
    sfn.add_client_error("get_execution_history", service_error_code="InvalidToken", service_message="expired")
    sfn.add_response(
        "get_execution_history",
        {"events": [event(n, "X") for n in range(1, 5)] + [event(5, "ExecutionSucceeded")]},
        expected_params={"executionArn": RUN, "maxResults": 1000, "includeExecutionData": True},
    )
    assert executions.poll(execution_id) is None
    execution.refresh_from_db()
    assert (execution.status, execution.output) == ("SUCCEEDED", {"done": True})
    assert execution.events.count() == 5
    assert execution.events.last().type == "ExecutionSucceeded"
    sfn.assert_no_pending_responses()


def test_express_runs_synchronously_with_its_output(client_for, owner, runner, workflow, linked, stubbed):
    linked("EXPRESS")
    sfn = stubbed("stepfunctions")["stepfunctions"]
    express_arn = f"arn:aws:states:us-east-1:{ACCOUNT}:express:orders:quick:abc"
    sfn.add_response(
        "start_sync_execution",
        {
            "executionArn": express_arn,
            "startDate": T0,
            "stopDate": T0,
            "status": "SUCCEEDED",
            "output": json.dumps({"total": 3}),
        },
        expected_params={"stateMachineArn": MACHINE, "name": "quick", "input": json.dumps({"n": 3})},
    )
    response = client_for(runner).post(
        f"/api/workflows/{workflow.pk}/executions/",
        {"backend": "aws", "name": "quick", "input": {"n": 3}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["output"]) == ("SUCCEEDED", {"total": 3})
    assert AwsExecution.objects.get(execution_id=body["id"]).express is True
    history = client_for(runner).get(f"/api/executions/{body['id']}/history/").json()
    assert (history["events"], history["done"]) == ([], True)  # AWS keeps no history for Express


def test_a_failed_express_run_keeps_its_error(client_for, owner, runner, workflow, linked, stubbed):
    linked("EXPRESS")
    sfn = stubbed("stepfunctions")["stepfunctions"]
    sfn.add_response(
        "start_sync_execution",
        {"executionArn": RUN, "startDate": T0, "stopDate": T0, "status": "FAILED", "error": "Boom", "cause": "bad"},
    )
    body = (
        client_for(runner)
        .post(f"/api/workflows/{workflow.pk}/executions/", {"backend": "aws", "name": "f"}, format="json")
        .json()
    )
    assert (body["status"], body["error"], body["cause"]) == ("FAILED", "Boom", "bad")


def test_a_failed_execution_is_redriven(client_for, owner, runner, viewer, workflow, linked, stubbed, polls):
    linked()
    sfn = stubbed("stepfunctions")["stepfunctions"]
    sfn.add_response("start_execution", {"executionArn": RUN, "startDate": T0})
    execution_id = (
        client_for(runner)
        .post(f"/api/workflows/{workflow.pk}/executions/", {"backend": "aws", "name": "run-1"}, format="json")
        .json()["id"]
    )
    sfn.add_response("describe_execution", described("FAILED", error="States.TaskFailed", stopDate=T0))
    sfn.add_response("get_execution_history", {"events": [event(1, "ExecutionStarted"), event(2, "ExecutionFailed")]})
    assert executions.poll(execution_id) is None
    assert client_for(viewer).post(f"/api/aws/executions/{execution_id}/redrive/").status_code == 403
    sfn.add_response("redrive_execution", {"redriveDate": T0})
    sfn.add_response("describe_execution", described("RUNNING", redriveCount=1))
    sfn.add_response("get_execution_history", {"events": [event(3, "ExecutionRedriven")]})
    response = client_for(runner).post(f"/api/aws/executions/{execution_id}/redrive/")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["redrive_count"]) == ("RUNNING", 1)
    assert polls[-1][0] == execution_id
    sfn.assert_no_pending_responses()


def test_a_poll_that_fails_backs_off_and_gives_up(runner, workflow, linked, stubbed, client_for):
    linked()
    sfn = stubbed("stepfunctions")["stepfunctions"]
    sfn.add_response("start_execution", {"executionArn": RUN, "startDate": T0})
    execution_id = (
        client_for(runner)
        .post(f"/api/workflows/{workflow.pk}/executions/", {"backend": "aws", "name": "run-1"}, format="json")
        .json()["id"]
    )
    delays = []
    for _ in range(executions.MAX_FAILED_POLLS):
        sfn.add_client_error("describe_execution", service_error_code="AccessDeniedException", service_message="no")
        delays.append(executions.poll(execution_id))
    assert delays[:3] == [2.0, 4.0, 8.0] and delays[-2] == executions.POLL_MAX and delays[-1] is None
    assert "AWS refused" in AwsExecution.objects.get(execution_id=execution_id).last_error


def test_express_details_say_there_is_no_history(client_for, owner, runner, workflow, linked, stubbed):
    linked("EXPRESS")
    sfn = stubbed("stepfunctions")["stepfunctions"]
    sfn.add_response(
        "start_sync_execution",
        {"executionArn": RUN, "startDate": T0, "stopDate": T0, "status": "SUCCEEDED", "output": "1"},
    )
    body = (
        client_for(runner)
        .post(f"/api/workflows/{workflow.pk}/executions/", {"backend": "aws", "name": "q"}, format="json")
        .json()
    )
    details = client_for(runner).get(f"/api/aws/executions/{body['id']}/").json()
    assert (details["express"], details["history_on_aws"]) == (True, False)
    assert details["note"].startswith("Express executions keep no history on AWS")


def test_a_local_execution_has_no_aws_details(client_for, owner, workflow):
    from designer import services

    services.create_version(user=owner, workflow=workflow)
    local = Execution.objects.create(workflow=workflow, name="local-run")
    response = client_for(owner).get(f"/api/aws/executions/{local.pk}/")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_aws"


def test_a_heartbeat_is_sent(client_for, owner, runner, workflow, linked, stubbed):
    linked()
    sfn = stubbed("stepfunctions")["stepfunctions"]
    sfn.add_response("send_task_heartbeat", {}, expected_params={"taskToken": "tok-123"})
    url = f"/api/workflows/{workflow.pk}/aws/task-tokens/heartbeat/"
    assert client_for(runner).post(url, {"token": "tok-123"}, format="json").status_code == 204
    sfn.add_client_error("send_task_heartbeat", service_error_code="TaskTimedOut", service_message="timed out")
    late = client_for(runner).post(url, {"token": "tok-123"}, format="json")
    assert (late.status_code, late.json()["error"]["code"]) == (400, "invalid_token")
