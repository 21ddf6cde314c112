TASK = {
    "StartAt": "Fetch",
    "States": {
        "Fetch": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "InputPath": "$.order",
            "Parameters": {"FunctionName": "fetch", "Payload": {"id.$": "$.id"}},
            "ResultSelector": {"body.$": "$.Payload"},
            "ResultPath": "$.fetched",
            "OutputPath": "$.fetched.body",
            "End": True,
        }
    },
}


def post(client, **body):
    return client.post("/api/dataflow/preview/", body, format="json")


def test_each_step_of_a_task_with_a_sample_result(client_for, viewer):
    response = post(
        client_for(viewer), definition=TASK, pointer="/States/Fetch", state="Fetch",
        input={"order": {"id": 7}, "user": "ann"}, result={"Payload": {"total": 12}, "StatusCode": 200},
    )  # fmt: skip
    steps = {s["field"]: s.get("value") for s in response.json()["steps"]}
    assert steps["InputPath"] == {"id": 7}
    assert steps["Parameters"] == {"FunctionName": "fetch", "Payload": {"id": 7}}
    assert steps["ResultSelector"] == {"body": {"total": 12}}
    assert steps["ResultPath"] == {"order": {"id": 7}, "user": "ann", "fetched": {"body": {"total": 12}}}
    assert steps["OutputPath"] == {"total": 12}


def test_a_path_that_does_not_match_is_shown_at_its_step(client_for, viewer):
    response = post(client_for(viewer), definition=TASK, pointer="/States/Fetch", input={"nothing": 1})
    body = response.json()
    assert body["steps"][0]["field"] == "InputPath"
    assert "States.Runtime" in body["steps"][0]["error"]
    assert body["error"]["error"] == "States.Runtime"


def test_a_missing_state_says_where(client_for, viewer):
    response = post(client_for(viewer), definition=TASK, pointer="/States/Nope", input={})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "/pointer"
