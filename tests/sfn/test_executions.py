"""StartExecution, DescribeExecution, ListExecutions, StopExecution, GetExecutionHistory,
DescribeStateMachineForExecution and the callbacks, with boto3; runs on the local executor."""

import json
from pathlib import Path

import pytest

from tests.sfn.conftest import HELLO, REGION, ROLE

EXAMPLES = Path(__file__).resolve().parents[2] / "designer" / "examples"
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
STEPS = {
    "StartAt": "S0",
    "States": {
        **{f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(9)},
        "S9": {"Type": "Pass", "Result": {"done": True}, "End": True},
    },
}


def create(sfn, name, definition):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]


def token_of(sfn, execution_arn):
    events = sfn.get_execution_history(executionArn=execution_arn)["events"]
    scheduled = [e for e in events if e["type"] == "TaskScheduled"]
    return json.loads(scheduled[0]["taskScheduledEventDetails"]["parameters"])["MessageBody"]


def test_start_then_describe_until_done(sfn, queue, team):
    arn = create(sfn, "hello", HELLO)
    started = sfn.start_execution(stateMachineArn=arn, name="first", input='{"a": 1}')
    assert started["executionArn"] == f"arn:aws:states:{REGION}:{team.pk:012d}:execution:hello:first"
    running = sfn.describe_execution(executionArn=started["executionArn"])
    assert (running["status"], json.loads(running["input"]), running["stateMachineArn"]) == ("RUNNING", {"a": 1}, arn)
    queue()
    done = sfn.describe_execution(executionArn=started["executionArn"])
    assert (done["status"], json.loads(done["output"])) == ("SUCCEEDED", {"hello": "world"})
    assert done["stopDate"] >= done["startDate"]


def test_every_execution_appears_in_the_designer(sfn, queue, owner, client_for):
    arn = create(sfn, "hello", HELLO)
    sfn.start_execution(stateMachineArn=arn, name="seen")
    queue()
    executions = client_for(owner).get("/api/executions/").json()["results"]
    assert [(e["name"], e["workflow_name"], e["status"]) for e in executions] == [("seen", "hello", "SUCCEEDED")]


def test_names_are_unique_but_a_repeated_start_is_idempotent(sfn, queue):
    arn = create(sfn, "waits", WAITS)
    first = sfn.start_execution(stateMachineArn=arn, name="once", input="{}")
    again = sfn.start_execution(stateMachineArn=arn, name="once", input="{}")
    assert again["executionArn"] == first["executionArn"]
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=arn, name="once", input='{"other": true}')
    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        sfn.start_execution(stateMachineArn=arn, input="{not json")
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.start_execution(stateMachineArn=arn, name="no:colons")


def test_list_executions_filters_and_pages(sfn, queue):
    arn = create(sfn, "hello", HELLO)
    for n in range(3):
        sfn.start_execution(stateMachineArn=arn, name=f"run-{n}")
    queue()
    sfn.start_execution(stateMachineArn=arn, name="run-3")
    listed = sfn.list_executions(stateMachineArn=arn)["executions"]
    assert [e["name"] for e in listed] == ["run-3", "run-2", "run-1", "run-0"]
    assert [e["name"] for e in sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]] == [
        "run-3"
    ]
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=arn, PaginationConfig={"PageSize": 3})
    assert [len(page["executions"]) for page in pages] == [3, 1]


def test_history_pages_forwards_and_backwards(sfn, queue):
    arn = create(sfn, "steps", STEPS)
    execution = sfn.start_execution(stateMachineArn=arn, input='{"secret": "data"}')["executionArn"]
    queue()
    everything = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    assert len(everything) == 22  # started, 10 × entered/exited, succeeded
    assert [e["id"] for e in everything] == list(range(1, 23))
    assert everything[0]["type"] == "ExecutionStarted" and everything[-1]["type"] == "ExecutionSucceeded"
    assert json.loads(everything[0]["executionStartedEventDetails"]["input"]) == {"secret": "data"}

    pages = sfn.get_paginator("get_execution_history").paginate(
        executionArn=execution, PaginationConfig={"PageSize": 5}
    )
    paged = [e["id"] for page in pages for e in page["events"]]
    assert paged == list(range(1, 23))

    first = sfn.get_execution_history(executionArn=execution, maxResults=5, reverseOrder=True)
    assert [e["id"] for e in first["events"]] == [22, 21, 20, 19, 18]
    second = sfn.get_execution_history(
        executionArn=execution, maxResults=5, reverseOrder=True, nextToken=first["nextToken"]
    )
    assert [e["id"] for e in second["events"]] == [17, 16, 15, 14, 13]

    bare = sfn.get_execution_history(executionArn=execution, includeExecutionData=False)["events"]
    assert "input" not in bare[0]["executionStartedEventDetails"]
    assert "output" not in bare[-1]["executionSucceededEventDetails"]
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.get_execution_history(executionArn=execution, nextToken="not-a-token")


def test_callback_tokens_succeed_fail_and_beat(sfn, queue):
    arn = create(sfn, "waits", WAITS)
    ok = sfn.start_execution(stateMachineArn=arn, name="ok")["executionArn"]
    bad = sfn.start_execution(stateMachineArn=arn, name="bad")["executionArn"]
    queue()
    assert sfn.describe_execution(executionArn=ok)["status"] == "RUNNING"
    sfn.send_task_heartbeat(taskToken=token_of(sfn, ok))
    sfn.send_task_success(taskToken=token_of(sfn, ok), output='{"answer": 42}')
    sfn.send_task_failure(taskToken=token_of(sfn, bad), error="Nope", cause="said no")
    queue()
    assert json.loads(sfn.describe_execution(executionArn=ok)["output"]) == {"answer": 42}
    failed = sfn.describe_execution(executionArn=bad)
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Nope", "said no")
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=token_of(sfn, ok), output="{}")
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.send_task_success(taskToken="no-such-token", output="{}")


def test_invalid_output_is_refused(sfn, queue):
    execution = sfn.start_execution(stateMachineArn=create(sfn, "waits", WAITS))["executionArn"]
    queue()
    with pytest.raises(sfn.exceptions.InvalidOutput):
        sfn.send_task_success(taskToken=token_of(sfn, execution), output="{not json")


def test_stop_aborts_a_running_execution(sfn, queue):
    execution = sfn.start_execution(stateMachineArn=create(sfn, "waits", WAITS))["executionArn"]
    queue()
    stopped = sfn.stop_execution(executionArn=execution, error="Enough", cause="stopped by a test")
    assert stopped["stopDate"]
    described = sfn.describe_execution(executionArn=execution)
    assert (described["status"], described["error"]) == ("ABORTED", "Enough")
    assert sfn.get_execution_history(executionArn=execution, reverseOrder=True)["events"][0]["type"] == (
        "ExecutionAborted"
    )
    sfn.stop_execution(executionArn=execution)  # stopping a stopped execution is harmless


def test_describe_state_machine_for_execution_gives_the_version_it_ran(sfn, queue):
    arn = create(sfn, "hello", HELLO)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(STEPS))
    described = sfn.describe_state_machine_for_execution(executionArn=execution)
    assert (described["stateMachineArn"], json.loads(described["definition"])) == (arn, HELLO)


def test_a_version_arn_runs_that_version(sfn, queue):
    arn = create(sfn, "hello", HELLO)
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(STEPS))
    old = sfn.start_execution(stateMachineArn=arn + ":1")["executionArn"]
    new = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    queue()
    described_old = sfn.describe_execution(executionArn=old)
    assert json.loads(described_old["output"]) == {"hello": "world"}
    assert described_old["stateMachineVersionArn"] == arn + ":1"
    described_new = sfn.describe_execution(executionArn=new)
    assert json.loads(described_new["output"]) == {"done": True}
    assert "stateMachineVersionArn" not in described_new
    assert [e["name"] for e in sfn.list_executions(stateMachineArn=arn + ":1")["executions"]] == [old.rsplit(":", 1)[1]]


def test_the_example_lambda_workflow_runs_with_a_mock_config_test_case(sfn, queue, owner, client_for):
    """The foundation's example, deployed through the endpoint; mocks as Step Functions Local reads them."""
    definition = (EXAMPLES / "lambda-with-retry.json").read_text()
    arn = sfn.create_state_machine(name="LambdaExample", definition=definition, roleArn=ROLE)["stateMachineArn"]
    workflow = client_for(owner).get("/api/workflows/?search=LambdaExample").json()["results"][0]
    mock_config = {
        "StateMachines": {"LambdaExample": {"TestCases": {"HappyPath": {"InvokeLambda": "HelloReturns"}}}},
        "MockedResponses": {
            "HelloReturns": {"0": {"Return": {"StatusCode": 200, "Payload": {"greeting": "hello from the mock"}}}}
        },
    }
    put = client_for(owner).put(f"/api/workflows/{workflow['id']}/test-cases/mock-config/", mock_config, format="json")
    assert put.status_code == 200, put.content
    execution = sfn.start_execution(stateMachineArn=arn + "#HappyPath", input='{"who": "world"}')["executionArn"]
    queue()
    done = sfn.describe_execution(executionArn=execution)
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == {"StatusCode": 200, "Payload": {"greeting": "hello from the mock"}}
    with pytest.raises(sfn.exceptions.ClientError):
        sfn.start_execution(stateMachineArn=arn + "#NoSuchCase")


def test_an_outsiders_key_cannot_touch_executions(sfn, sfn_for, queue, outsider, outsider_team):
    execution = sfn.start_execution(stateMachineArn=create(sfn, "waits", WAITS))["executionArn"]
    queue()
    token = token_of(sfn, execution)
    theirs = sfn_for(outsider, outsider_team)
    with pytest.raises(theirs.exceptions.ExecutionDoesNotExist):
        theirs.describe_execution(executionArn=execution)
    with pytest.raises(theirs.exceptions.ExecutionDoesNotExist):
        theirs.get_execution_history(executionArn=execution)
    with pytest.raises(theirs.exceptions.ExecutionDoesNotExist):
        theirs.stop_execution(executionArn=execution)
    with pytest.raises(theirs.exceptions.InvalidToken):
        theirs.send_task_success(taskToken=token, output="{}")
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"


def test_a_viewer_cannot_start_or_stop(sfn, sfn_for, member, team, queue):
    arn = create(sfn, "waits", WAITS)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    viewer = sfn_for(member("viewer"), team)
    for call in (
        lambda: viewer.start_execution(stateMachineArn=arn),
        lambda: viewer.stop_execution(executionArn=execution),
    ):
        with pytest.raises(viewer.exceptions.ClientError) as error:
            call()
        assert error.value.response["Error"]["Code"] == "AccessDeniedException"
    assert viewer.describe_execution(executionArn=execution)["status"] == "RUNNING"


def test_a_server_mock_config_file_serves_test_cases_as_sfn_local_does(sfn, queue, tmp_path, monkeypatch):
    config = {
        "StateMachines": {"LambdaExample": {"TestCases": {"Fails": {"InvokeLambda": "Boom"}}}},
        "MockedResponses": {"Boom": {"0-3": {"Throw": {"Error": "Lambda.Unknown", "Cause": "mocked"}}}},
    }
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps(config))
    monkeypatch.setenv("STEPWRIGHT_SFN_MOCK_CONFIG", str(path))
    definition = (EXAMPLES / "lambda-with-retry.json").read_text()
    arn = sfn.create_state_machine(name="LambdaExample", definition=definition, roleArn=ROLE)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn + "#Fails")["executionArn"]
    queue()
    done = sfn.describe_execution(executionArn=execution)
    assert (done["status"], done["error"], done["cause"]) == ("FAILED", "Lambda.Unknown", "mocked")


def test_the_management_command_makes_a_key(owner, team, live_server):
    from io import StringIO

    from django.core.management import call_command

    from tests.sfn.conftest import client_with

    out = StringIO()
    call_command("sfn_access_key", "alice", "--team", str(team.pk), stdout=out, stderr=StringIO())
    values = dict(line.removeprefix("export ").split("=", 1) for line in out.getvalue().splitlines())
    sfn = client_with(live_server.url, values["AWS_ACCESS_KEY_ID"], values["AWS_SECRET_ACCESS_KEY"])
    assert sfn.list_state_machines()["stateMachines"] == []


def test_redrive_runs_a_failed_execution_again_from_where_it_stopped(sfn, queue, owner, client_for):
    definition = (EXAMPLES / "lambda-with-retry.json").read_text()
    arn = sfn.create_state_machine(name="LambdaExample", definition=definition, roleArn=ROLE)["stateMachineArn"]
    workflow = client_for(owner).get("/api/workflows/?search=LambdaExample").json()["results"][0]
    client_for(owner).post(
        f"/api/workflows/{workflow['id']}/test-cases/",
        {
            "name": "FlakyThenFine",
            "responses": {
                "InvokeLambda": {"0-3": {"Throw": {"Error": "Lambda.Unknown"}}, "4": {"Return": {"ok": True}}}
            },
        },
        format="json",
    )
    execution = sfn.start_execution(stateMachineArn=arn + "#FlakyThenFine")["executionArn"]
    queue()
    failed = sfn.describe_execution(executionArn=execution)
    assert (failed["status"], failed["redriveStatus"]) == ("FAILED", "REDRIVABLE")
    assert sfn.redrive_execution(executionArn=execution)["redriveDate"]
    queue()
    done = sfn.describe_execution(executionArn=execution)
    assert (done["status"], json.loads(done["output"]), done["redriveCount"]) == ("SUCCEEDED", {"ok": True}, 1)
    assert done["redriveStatus"] == "NOT_REDRIVABLE"
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable):
        sfn.redrive_execution(executionArn=execution)
    types = [e["type"] for e in sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]]
    assert "ExecutionRedriven" in types


def test_the_context_object_carries_the_endpoints_arns(sfn, queue):
    definition = json.dumps(
        {
            "StartAt": "Who",
            "States": {
                "Who": {
                    "Type": "Pass",
                    "Parameters": {"id.$": "$$.Execution.Id", "machine.$": "$$.StateMachine.Id"},
                    "End": True,
                }
            },
        }
    )
    arn = sfn.create_state_machine(name="Who", definition=definition, roleArn=ROLE)["stateMachineArn"]
    started = sfn.start_execution(stateMachineArn=arn, name="run-1")
    queue()
    output = json.loads(sfn.describe_execution(executionArn=started["executionArn"])["output"])
    assert output == {"id": started["executionArn"], "machine": arn}
