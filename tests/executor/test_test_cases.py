LAMBDA = {
    "StartAt": "Invoke",
    "States": {
        "Invoke": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "hello", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0}],
            "End": True,
        }
    },
}
FLAKY = {"0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}}, "1": {"Return": {"StatusCode": 200}}}


def test_a_mocked_run_retries_through_a_failure(client_for, editor, versioned, queue):
    workflow = versioned(LAMBDA, name="lambda")
    client = client_for(editor)
    created = client.post(
        f"/api/workflows/{workflow.pk}/test-cases/", {"name": "Flaky", "responses": {"Invoke": FLAKY}}, format="json"
    )
    assert created.status_code == 201
    started = client.post(f"/api/workflows/{workflow.pk}/executions/", {"test_case": "Flaky"}, format="json")
    queue()
    execution = client.get(f"/api/executions/{started.json()['id']}/").json()
    assert (execution["status"], execution["output"]) == ("SUCCEEDED", {"StatusCode": 200})
    types = [e["type"] for e in client.get(f"/api/executions/{execution['id']}/history/").json()["events"]]
    assert types.count("TaskFailed") == 1 and types.count("TaskSucceeded") == 1


def test_a_task_with_no_mock_or_handler_fails_naming_state_and_resource(client_for, runner, versioned, queue):
    workflow = versioned(LAMBDA, name="lambda")
    client = client_for(runner)
    started = client.post(f"/api/workflows/{workflow.pk}/executions/", {}, format="json")
    queue()
    execution = client.get(f"/api/executions/{started.json()['id']}/").json()
    assert execution["status"] == "FAILED"
    assert "Invoke" in execution["cause"] and "arn:aws:states:::lambda:invoke" in execution["cause"]


def test_mock_config_files_round_trip(client_for, editor, viewer, outsider, versioned):
    workflow = versioned(LAMBDA, name="lambda")
    config = {
        "StateMachines": {"lambda": {"TestCases": {"HappyPath": {"Invoke": "HelloOK"}}}},
        "MockedResponses": {"HelloOK": {"0": {"Return": {"StatusCode": 200}}}},
    }
    imported = client_for(editor).put(f"/api/workflows/{workflow.pk}/test-cases/mock-config/", config, format="json")
    assert imported.status_code == 200
    exported = client_for(viewer).get(f"/api/workflows/{workflow.pk}/test-cases/mock-config/").json()
    assert exported == {
        "StateMachines": {"lambda": {"TestCases": {"HappyPath": {"Invoke": "HappyPath.Invoke"}}}},
        "MockedResponses": {"HappyPath.Invoke": {"0": {"Return": {"StatusCode": 200}}}},
    }
    assert client_for(viewer).put(f"/api/workflows/{workflow.pk}/test-cases/mock-config/", config).status_code == 403
    assert client_for(outsider).get(f"/api/workflows/{workflow.pk}/test-cases/").status_code == 404


def test_bad_mocked_responses_say_where(client_for, editor, versioned):
    workflow = versioned(LAMBDA, name="lambda")
    bad = client_for(editor).post(
        f"/api/workflows/{workflow.pk}/test-cases/",
        {"name": "Bad", "responses": {"Invoke": {"first": {"Return": 1}}}},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["details"]["field"] == "/responses/Invoke/first"
