"""Running on AWS (moto in execute mode) through the executions API with backend=aws."""

import io
import json
import time
import zipfile
from pathlib import Path

import pytest

from designer.aws import executions
from executor.models import Execution
from tests.aws.conftest import ACCOUNT, ROLE_ARN, boto, definition, save_version

pytestmark = pytest.mark.aws

EXAMPLE = Path(__file__).resolve().parents[2] / "designer" / "examples" / "lambda-with-retry.json"


@pytest.fixture(autouse=True)
def polls(monkeypatch):
    """Polls are collected instead of sent to a broker; `drain()` runs them until the execution ends."""
    scheduled: list[int] = []
    monkeypatch.setattr(executions, "schedule", lambda pk, countdown: scheduled.append(pk))
    monkeypatch.setattr(executions, "REFRESH_EVERY", 0)
    return scheduled


def drain(execution_id: int, timeout: float = 60.0) -> Execution:
    deadline = time.monotonic() + timeout
    while executions.poll(execution_id) is not None:
        assert time.monotonic() < deadline, "the execution did not end in time"
        time.sleep(0.05)
    return Execution.objects.get(pk=execution_id)


def deploy(client, workflow, connection, **options):
    body = {"connection": connection.pk, "role_arn": ROLE_ARN, **options}
    response = client.post(f"/api/workflows/{workflow.pk}/deploy/", body, format="json")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def start(client, workflow, **body):
    return client.post(f"/api/workflows/{workflow.pk}/executions/", {"backend": "aws", **body}, format="json")


def history(client, execution_id, after=0):
    return client.get(f"/api/executions/{execution_id}/history/?after={after}").json()


def hello_function():
    iam = boto("iam")
    trust = {
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    }
    role = iam.create_role(RoleName="lambda-hello", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    boto("lambda").create_function(
        FunctionName="hello",
        Runtime="python3.11",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": code.getvalue()},
    )


def test_the_lambda_example_runs_on_aws_with_its_whole_history(client_for, owner, runner, workflow, connection, polls):
    hello_function()
    save_version(owner, workflow, EXAMPLE.read_text())
    deployed = deploy(client_for(owner), workflow, connection, create_role=True, role_arn="")
    client = client_for(runner)
    response = start(client, workflow, name="first-run", input={"who": "alice"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["backend"], body["status"], body["version"], body["started_by"]) == ("aws", "RUNNING", 1, "runner-bob")
    assert polls == [body["id"]]
    execution = drain(body["id"])
    assert execution.status == "SUCCEEDED"
    assert execution.remote_arn == f"arn:aws:states:us-east-1:{ACCOUNT}:execution:orders:first-run"
    assert execution.output["Payload"] == {"who": "alice"}  # lambda-simple echoes the payload

    seen = history(client, body["id"])
    assert seen["status"] == "SUCCEEDED" and seen["done"] is True
    on_aws = boto("stepfunctions").get_execution_history(executionArn=execution.remote_arn)["events"]
    assert [(e["id"], e["type"]) for e in seen["events"]] == [(e["id"], e["type"]) for e in on_aws]
    types = [e["type"] for e in seen["events"]]
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionSucceeded"
    assert "TaskSucceeded" in types
    started = seen["events"][0]
    assert json.loads(started["executionStartedEventDetails"]["input"]) == {"who": "alice"}
    assert started["executionStartedEventDetails"]["roleArn"] == deployed["role_arn"]
    assert history(client, body["id"], after=seen["next_after"])["events"] == []


def test_the_history_api_copies_while_someone_watches(client_for, owner, runner, workflow, connection):
    save_version(owner, workflow, definition(A={"Type": "Pass", "Next": "B"}, B={"Type": "Succeed"}))
    deploy(client_for(owner), workflow, connection)
    client = client_for(runner)
    execution_id = start(client, workflow, name="watched").json()["id"]
    deadline = time.monotonic() + 60
    seen = history(client, execution_id)
    while not seen["done"] and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = history(client, execution_id)
    assert seen["status"] == "SUCCEEDED"
    assert [e["type"] for e in seen["events"]][-1] == "ExecutionSucceeded"
    remote = Execution.objects.get(pk=execution_id).aws
    assert remote.watched_until is not None
    assert executions.poll(execution_id) is None  # ended: the polling stops


def test_a_waiting_execution_is_stopped(client_for, owner, runner, workflow, connection):
    save_version(owner, workflow, definition(Hold={"Type": "Wait", "Seconds": 300, "End": True}))
    deploy(client_for(owner), workflow, connection)
    client = client_for(runner)
    execution_id = start(client, workflow, name="waits").json()["id"]
    deadline = time.monotonic() + 60
    while "WaitStateEntered" not in [e["type"] for e in history(client, execution_id)["events"]]:
        assert time.monotonic() < deadline, "the execution never reached its Wait state"
        time.sleep(0.02)
    assert executions.poll(execution_id) is not None  # still running: poll again later
    stopped = client.post(f"/api/executions/{execution_id}/stop/", {"error": "Enough", "cause": "test"}, format="json")
    assert stopped.status_code == 200, stopped.json()
    assert stopped.json()["status"] == "ABORTED"
    events = history(client, execution_id)["events"]
    assert events[-1]["type"] == "ExecutionAborted"
    assert [e["type"] for e in events][:2] == ["ExecutionStarted", "WaitStateEntered"]
    again = client.post(f"/api/executions/{execution_id}/stop/", {}, format="json")
    assert again.status_code == 409


def _callback_workflow(client, owner, workflow, connection):
    queue = boto("sqs").create_queue(QueueName="approvals")["QueueUrl"]
    text = definition(
        Ask={
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": queue, "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"}},
            "End": True,
        }
    )
    save_version(owner, workflow, text)
    deploy(client, workflow, connection)
    return queue


def _token(queue: str) -> str:
    sqs = boto("sqs")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0).get("Messages", [])
        if messages:
            return json.loads(messages[0]["Body"])["token"]
        time.sleep(0.05)
    raise AssertionError("no message on the queue")


def test_an_sqs_callback_is_answered_from_stepwright(client_for, owner, runner, workflow, connection):
    queue = _callback_workflow(client_for(owner), owner, workflow, connection)
    client = client_for(runner)
    execution_id = start(client, workflow, name="needs-approval", input={"order": 7}).json()["id"]
    token = _token(queue)
    answer = client.post(
        f"/api/workflows/{workflow.pk}/aws/task-tokens/success/",
        {"token": token, "output": {"approved": True}},
        format="json",
    )
    assert answer.status_code == 204, answer.json()
    execution = drain(execution_id)
    assert (execution.status, execution.output) == ("SUCCEEDED", {"approved": True})
    again = client.post(
        f"/api/workflows/{workflow.pk}/aws/task-tokens/success/", {"token": token, "output": {}}, format="json"
    )
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "invalid_token"


def test_an_sqs_callback_fails_from_stepwright(client_for, owner, runner, viewer, workflow, connection):
    queue = _callback_workflow(client_for(owner), owner, workflow, connection)
    execution_id = start(client_for(runner), workflow, name="rejected", input={"order": 8}).json()["id"]
    token = _token(queue)
    url = f"/api/workflows/{workflow.pk}/aws/task-tokens/failure/"
    assert client_for(viewer).post(url, {"token": token, "error": "No"}, format="json").status_code == 403
    assert (
        client_for(runner)
        .post(url, {"token": token, "error": "Rejected", "cause": "too big"}, format="json")
        .status_code
        == 204
    )
    execution = drain(execution_id)
    assert (execution.status, execution.error) == ("FAILED", "Rejected")


def test_executions_started_on_aws_are_listed_and_opened(client_for, owner, viewer, workflow, connection):
    save_version(owner, workflow, definition())
    deployed = deploy(client_for(owner), workflow, connection)
    sfn = boto("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=deployed["state_machine_arn"], name="from-console", input="{}")[
        "executionArn"
    ]
    client = client_for(viewer)
    url = f"/api/workflows/{workflow.pk}/aws/executions/"
    listed = client.get(url)
    assert listed.status_code == 200, listed.json()
    assert [(item["arn"], item["execution"]) for item in listed.json()["results"]] == [(arn, None)]
    opened = client.post(url, {"execution_arn": arn}, format="json")
    assert opened.status_code == 201, opened.json()
    execution_id = opened.json()["id"]
    assert (opened.json()["backend"], opened.json()["name"]) == ("aws", "from-console")
    drain(execution_id)
    assert history(client, execution_id)["events"][-1]["type"] == "ExecutionSucceeded"
    assert client.get(url).json()["results"][0]["execution"] == execution_id
    assert client.post(url, {"execution_arn": arn}, format="json").json()["id"] == execution_id
    other = f"arn:aws:states:us-east-1:{ACCOUNT}:execution:elsewhere:x"
    assert client.post(url, {"execution_arn": other}, format="json").json()["error"]["code"] == "other_state_machine"


def test_it_needs_a_deploy(client_for, owner, runner, workflow):
    save_version(owner, workflow, definition())
    response = start(client_for(runner), workflow)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_deployed"


def test_it_runs_the_deployed_version_only(client_for, owner, runner, workflow, connection):
    save_version(owner, workflow, definition())
    deploy(client_for(owner), workflow, connection)
    save_version(owner, workflow, definition(B={"Type": "Succeed"}))
    response = start(client_for(runner), workflow, version=2)
    assert response.json()["error"]["code"] == "version_not_deployed"


def test_it_validates_ownership(client_for, owner, viewer, outsider, workflow, connection):
    save_version(owner, workflow, definition())
    deploy(client_for(owner), workflow, connection)
    assert start(client_for(viewer), workflow).status_code == 403
    assert start(client_for(outsider), workflow).status_code == 404
    assert client_for(outsider).get(f"/api/workflows/{workflow.pk}/aws/executions/").status_code == 404
    url = f"/api/workflows/{workflow.pk}/aws/task-tokens/success/"
    assert client_for(outsider).post(url, {"token": "t", "output": {}}, format="json").status_code == 404
    assert not Execution.objects.exists()


def test_the_waiting_callback_and_its_token_are_shown(
    client_for, owner, runner, viewer, outsider, workflow, connection
):
    queue = _callback_workflow(client_for(owner), owner, workflow, connection)
    client = client_for(runner)
    execution_id = start(client, workflow, name="shows-token", input={"order": 9}).json()["id"]
    sent = _token(queue)
    url = f"/api/aws/executions/{execution_id}/"
    deadline = time.monotonic() + 60
    details = client_for(viewer).get(url).json()
    while not details["waiting_tasks"]:
        assert time.monotonic() < deadline, details
        time.sleep(0.05)
        details = client_for(viewer).get(url).json()
    assert details["express"] is False and details["history_on_aws"] is True
    assert details["console_url"].startswith("https://us-east-1.console.aws.amazon.com/states/home")
    (task,) = details["waiting_tasks"]
    assert (task["state"], task["resource"], task["token"]) == ("Ask", "sqs:sendMessage.waitForTaskToken", sent)
    answer = f"/api/workflows/{workflow.pk}/aws/task-tokens/success/"
    assert client.post(answer, {"token": task["token"], "output": {"ok": 1}}, format="json").status_code == 204
    assert drain(execution_id).status == "SUCCEEDED"
    assert client.get(url).json()["waiting_tasks"] == []
    assert client_for(outsider).get(url).status_code == 404


def test_the_local_sweeper_leaves_aws_executions_alone(client_for, owner, runner, workflow, connection, monkeypatch):
    # Regression: an AWS execution created RUNNABLE looked stale to executor.driver.sweep, which would
    # have run it with the local engine.
    import datetime

    from executor import driver

    save_version(owner, workflow, definition(Hold={"Type": "Wait", "Seconds": 300, "End": True}))
    deploy(client_for(owner), workflow, connection)
    execution_id = start(client_for(runner), workflow, name="remote").json()["id"]
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Execution.objects.filter(pk=execution_id).update(touched_at=long_ago)
    enqueued = []
    monkeypatch.setattr(driver, "enqueue", lambda pk, seq, countdown=None: enqueued.append(pk))
    driver.sweep()
    assert execution_id not in enqueued
