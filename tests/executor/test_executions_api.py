import pytest

from designer import services as designer_services
from executor.models import Execution, TaskToken

HELLO = {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": {"hello": "world"}, "End": True}}}
WAITS = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q", "MessageBody.$": "$$.Task.Token"},
            "End": True,
        }
    },
}


@pytest.fixture
def hello(versioned):
    return versioned(HELLO, name="hello")


def start(client, workflow, **body):
    return client.post(f"/api/workflows/{workflow.pk}/executions/", body, format="json")


def test_a_runner_starts_and_reads_an_execution_and_its_history(client_for, runner, hello, queue):
    client = client_for(runner)
    started = start(client, hello, input={"a": 1}, name="first-run")
    assert started.status_code == 201
    assert started.json()["status"] == "RUNNING"
    queue()
    execution = client.get(f"/api/executions/{started.json()['id']}/").json()
    assert (execution["status"], execution["output"], execution["version"]) == ("SUCCEEDED", {"hello": "world"}, 1)
    history = client.get(f"/api/executions/{execution['id']}/history/").json()
    assert [e["type"] for e in history["events"]] == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
    ]  # fmt: skip
    assert history["events"][0]["executionStartedEventDetails"]["input"] == '{"a":1}'
    assert history["done"] is True
    polled = client.get(f"/api/executions/{execution['id']}/history/?after={history['next_after']}").json()
    assert polled["events"] == []


def test_executions_are_listed_and_filtered(client_for, runner, viewer, hello, queue):
    start(client_for(runner), hello, name="one")
    queue()
    start(client_for(runner), hello, name="two")
    client = client_for(viewer)
    names = [e["name"] for e in client.get("/api/executions/?status=RUNNING").json()["results"]]
    assert names == ["two"]
    assert client.get(f"/api/workflows/{hello.pk}/executions/").json()["count"] == 2
    assert client.get("/api/executions/?started_by=runner-bob&search=on").json()["count"] == 1
    assert client.get(f"/api/executions/?team={hello.team_id}").json()["count"] == 2
    personal = client.get("/api/teams/").json()[0]["id"]
    assert client.get(f"/api/executions/?team={personal}").json()["count"] == 0


def test_a_viewer_reads_but_cannot_start_or_stop(client_for, runner, viewer, versioned, queue):
    workflow = versioned(WAITS, name="waits")
    started = start(client_for(runner), workflow)
    queue()
    client = client_for(viewer)
    assert start(client, workflow).status_code == 403
    assert client.post(f"/api/executions/{started.json()['id']}/stop/", {}, format="json").status_code == 403
    assert client.get(f"/api/executions/{started.json()['id']}/").status_code == 200


def test_an_outsider_sees_nothing(client_for, runner, outsider, hello, queue):
    started = start(client_for(runner), hello)
    client = client_for(outsider)
    assert start(client, hello).status_code == 404
    assert client.get(f"/api/executions/{started.json()['id']}/").status_code == 404
    assert client.get(f"/api/executions/{started.json()['id']}/history/").status_code == 404
    assert client.get("/api/executions/").json()["count"] == 0


def test_stop_aborts_a_waiting_execution(client_for, runner, versioned, queue):
    workflow = versioned(WAITS, name="waits")
    client = client_for(runner)
    started = start(client, workflow)
    queue()
    stopped = client.post(f"/api/executions/{started.json()['id']}/stop/", {"cause": "not needed"}, format="json")
    assert stopped.json()["status"] == "ABORTED"
    history = client.get(f"/api/executions/{started.json()['id']}/history/").json()
    assert history["events"][-1]["type"] == "ExecutionAborted"
    again = client.post(f"/api/executions/{started.json()['id']}/stop/", {}, format="json")
    assert again.status_code == 409


def test_a_callback_is_answered_through_the_api(client_for, runner, viewer, outsider, versioned, queue):
    workflow = versioned(WAITS, name="waits")
    started = start(client_for(runner), workflow)
    queue()
    token = TaskToken.objects.get().token
    waiting = client_for(viewer).get(f"/api/executions/{started.json()['id']}/").json()["waiting_tokens"]
    assert [(w["token"], w["state"]) for w in waiting] == [(token, "Ask")]
    assert client_for(outsider).post("/api/task-tokens/success/", {"token": token, "output": 1}).status_code == 400
    assert client_for(viewer).post("/api/task-tokens/success/", {"token": token, "output": 1}).status_code == 403
    failed = client_for(runner).post("/api/task-tokens/failure/", {"token": token, "error": "Rejected", "cause": "no"})
    assert failed.status_code == 200
    queue()
    execution = client_for(runner).get(f"/api/executions/{started.json()['id']}/").json()
    assert (execution["status"], execution["error"], execution["cause"]) == ("FAILED", "Rejected", "no")


def test_bad_input_says_where(client_for, runner, hello, owner, team):
    client = client_for(runner)
    big = start(client, hello, input={"blob": "x" * 300_000})
    assert big.status_code == 400
    assert big.json()["error"]["details"]["field"] == "/input"
    assert start(client, hello, version=7).status_code == 404
    unknown = start(client, hello, test_case="nope")
    assert unknown.json()["error"]["details"]["field"] == "/test_case"
    start(client, hello, name="dup")
    assert start(client, hello, name="dup").status_code == 409
    bad_name = start(client, hello, name="has space")
    assert "/name" in bad_name.json()["error"]["details"]["fields"]


def test_a_version_with_errors_is_refused_with_its_diagnostics(client_for, owner, runner, team):
    workflow = designer_services.create_workflow(user=owner, team=team, name="broken", definition='{"States": {}}')
    designer_services.create_version(user=owner, workflow=workflow)
    refused = start(client_for(runner), workflow)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_definition"
    assert refused.json()["error"]["details"]["diagnostics"]


def test_a_workflow_with_no_version_cannot_run(client_for, runner, workflow):
    assert start(client_for(runner), workflow).json()["error"]["code"] == "no_version"


FLAKY = {
    "StartAt": "Charge",
    "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}},
}


def test_redrive_runs_a_failed_execution_again_from_the_failed_state(
    client_for, editor, runner, viewer, versioned, queue
):
    workflow = versioned(FLAKY, name="flaky")
    client = client_for(runner)
    started = start(client, workflow)  # no mock and no handler: the task fails
    queue()
    execution_id = started.json()["id"]
    assert client.get(f"/api/executions/{execution_id}/").json()["status"] == "FAILED"
    assert client_for(viewer).post(f"/api/executions/{execution_id}/redrive/").status_code == 403

    client_for(editor).post(
        f"/api/workflows/{workflow.pk}/test-cases/", {"name": "Ok", "responses": {"Charge": {"0": {"Return": 1}}}}
    )
    Execution.objects.filter(pk=execution_id).update(test_case=workflow.test_cases.get())
    redriven = client.post(f"/api/executions/{execution_id}/redrive/")
    assert (redriven.status_code, redriven.json()["status"], redriven.json()["redrive_count"]) == (200, "RUNNING", 1)
    queue()
    done = client.get(f"/api/executions/{execution_id}/").json()
    assert (done["status"], done["output"]) == ("SUCCEEDED", 1)
    types = [e["type"] for e in client.get(f"/api/executions/{execution_id}/history/").json()["events"]]
    assert types[types.index("ExecutionFailed") + 1] == "ExecutionRedriven"
    again = client.post(f"/api/executions/{execution_id}/redrive/")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "not_redrivable")


ACTIVITY = {
    "StartAt": "Review",
    "States": {
        "Review": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:review", "End": True}
    },
}


def test_an_activity_task_waits_for_a_worker_to_answer_its_token(client_for, runner, versioned, queue):
    workflow = versioned(ACTIVITY, name="activity")
    client = client_for(runner)
    started = start(client, workflow, input={"doc": 7})
    queue()
    waiting = client.get(f"/api/executions/{started.json()['id']}/").json()
    assert waiting["status"] == "RUNNING"
    [token] = waiting["waiting_tokens"]
    assert token["state"] == "Review"
    client.post("/api/task-tokens/success/", {"token": token["token"], "output": {"ok": True}})
    queue()
    assert client.get(f"/api/executions/{started.json()['id']}/").json()["output"] == {"ok": True}
