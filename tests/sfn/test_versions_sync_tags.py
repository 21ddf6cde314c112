"""Versions, aliases, StartSyncExecution and tags, with boto3."""

import json

import pytest
from botocore.exceptions import ClientError

from tests.sfn.conftest import HELLO, ROLE
from tests.sfn.test_executions import STEPS

LAMBDA = {
    "StartAt": "Call",
    "States": {
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "hello", "Payload.$": "$"},
            "OutputPath": "$.Payload",
            "End": True,
        }
    },
}


def create(sfn, name, definition, **kwargs):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE, **kwargs)


def test_publish_and_list_versions(sfn):
    created = create(sfn, "hello", HELLO, publish=True, versionDescription="first")
    arn = created["stateMachineArn"]
    assert created["stateMachineVersionArn"] == arn + ":1"
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(STEPS))
    published = sfn.publish_state_machine_version(stateMachineArn=arn, description="second")
    assert published["stateMachineVersionArn"] == arn + ":2"
    versions = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [arn + ":2", arn + ":1"]
    assert sfn.describe_state_machine(stateMachineArn=arn + ":1")["description"] == "first"
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=arn + ":9")


def test_an_alias_routes_executions_to_its_version(sfn, queue):
    arn = create(sfn, "hello", HELLO)["stateMachineArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(STEPS))
    alias = sfn.create_state_machine_alias(
        name="live", routingConfiguration=[{"stateMachineVersionArn": arn + ":1", "weight": 100}]
    )["stateMachineAliasArn"]
    assert alias == arn + ":live"
    execution = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    queue()
    described = sfn.describe_execution(executionArn=execution)
    assert json.loads(described["output"]) == {"hello": "world"}
    assert (described["stateMachineAliasArn"], described["stateMachineVersionArn"]) == (alias, arn + ":1")
    assert [e["executionArn"] for e in sfn.list_executions(stateMachineArn=alias)["executions"]] == [execution]
    sfn.update_state_machine_alias(
        stateMachineAliasArn=alias, routingConfiguration=[{"stateMachineVersionArn": arn + ":2", "weight": 100}]
    )
    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert described["routingConfiguration"] == [{"stateMachineVersionArn": arn + ":2", "weight": 100}]
    assert [
        a["stateMachineAliasArn"] for a in sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]
    ] == [alias]
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)


def test_start_sync_execution_runs_an_express_machine_to_the_end(sfn, owner, client_for):
    arn = create(sfn, "quick", HELLO, type="EXPRESS")["stateMachineArn"]
    done = sfn.start_sync_execution(stateMachineArn=arn, input='{"a": 1}')
    assert (done["status"], json.loads(done["output"]), json.loads(done["input"])) == (
        "SUCCEEDED", {"hello": "world"}, {"a": 1},
    )  # fmt: skip
    assert ":express:quick:" in done["executionArn"]
    executions = client_for(owner).get("/api/executions/").json()["results"]
    assert [(e["name"], e["status"]) for e in executions] == [(done["name"], "SUCCEEDED")]


def test_start_sync_execution_uses_the_test_cases_mocks(sfn, owner, client_for):
    arn = create(sfn, "calls", LAMBDA, type="EXPRESS")["stateMachineArn"]
    workflow = client_for(owner).get("/api/workflows/").json()["results"][0]
    client_for(owner).post(
        f"/api/workflows/{workflow['id']}/test-cases/",
        {"name": "Happy", "responses": {"Call": {"0": {"Return": {"Payload": {"ok": True}}}}}},
        format="json",
    )
    done = sfn.start_sync_execution(stateMachineArn=arn + "#Happy")
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == {"ok": True}
    failed = sfn.start_sync_execution(stateMachineArn=arn)
    assert (failed["status"], failed["error"]) == ("FAILED", "States.Runtime")


def test_start_sync_execution_refuses_a_standard_machine(sfn):
    arn = create(sfn, "slow", HELLO)["stateMachineArn"]
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.start_sync_execution(stateMachineArn=arn)


def test_tags_are_the_workflows_tags(sfn, owner, client_for):
    arn = create(sfn, "hello", HELLO, tags=[{"key": "team", "value": "billing"}, {"key": "critical", "value": ""}])[
        "stateMachineArn"
    ]
    assert client_for(owner).get("/api/workflows/").json()["results"][0]["tags"] == ["team=billing", "critical"]
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "team", "value": "payments"}, {"key": "env", "value": "dev"}])
    sfn.untag_resource(resourceArn=arn, tagKeys=["critical"])
    tags = sfn.list_tags_for_resource(resourceArn=arn)["tags"]
    assert sorted((t["key"], t["value"]) for t in tags) == [("env", "dev"), ("team", "payments")]
    with pytest.raises(ClientError) as error:
        sfn.list_tags_for_resource(resourceArn=arn.replace("hello", "nope"))
    assert error.value.response["Error"]["Code"] == "ResourceNotFound"


def test_test_state_with_a_mock(sfn):
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "Payload.$": "$"},
        "ResultSelector": {"body.$": "$.Payload"},
        "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handle"}],
        "Next": "Done",
    }
    ok = sfn.test_state(
        definition=json.dumps(task),
        input='{"x": 1}',
        mock={"result": '{"Payload": {"y": 2}}'},
        inspectionLevel="DEBUG",
    )
    assert (ok["status"], ok["nextState"], json.loads(ok["output"])) == ("SUCCEEDED", "Done", {"body": {"y": 2}})
    assert json.loads(ok["inspectionData"]["afterParameters"]) == {"FunctionName": "f", "Payload": {"x": 1}}
    retriable = sfn.test_state(
        definition=json.dumps(task), mock={"errorOutput": {"error": "Lambda.TooManyRequestsException", "cause": "busy"}}
    )
    assert (retriable["status"], retriable["error"]) == ("RETRIABLE", "Lambda.TooManyRequestsException")
    caught = sfn.test_state(definition=json.dumps(task), mock={"errorOutput": {"error": "Boom", "cause": "bad"}})
    assert (caught["status"], caught["nextState"], caught["error"]) == ("CAUGHT_ERROR", "Handle", "Boom")
    choice = {
        "StartAt": "Pick",
        "States": {
            "Pick": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}],
                "Default": "Small",
            },
            "Big": {"Type": "Succeed"},
            "Small": {"Type": "Succeed"},
        },
    }
    picked = sfn.test_state(definition=json.dumps(choice), stateName="Pick", input='{"n": 5}')
    assert (picked["status"], picked["nextState"]) == ("SUCCEEDED", "Big")
