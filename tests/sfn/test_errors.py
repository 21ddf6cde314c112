"""AWS's error codes for the mistakes a caller makes, as the SDK sees them."""

import json

import pytest

from tests.sfn.conftest import HELLO, REGION, ROLE


def error_code(call) -> str:
    with pytest.raises(Exception) as error:
        call()
    return error.value.response["Error"]["Code"]


def test_wrong_kinds_of_arn(sfn, team):
    arn = sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)["stateMachineArn"]
    account = f"{team.pk:012d}"
    assert error_code(lambda: sfn.describe_execution(executionArn=arn)) == "InvalidArn"
    assert error_code(lambda: sfn.describe_state_machine(stateMachineArn="not-an-arn")) == "InvalidArn"
    missing = f"arn:aws:states:{REGION}:{account}:execution:hello:nope"
    assert error_code(lambda: sfn.describe_execution(executionArn=missing)) == "ExecutionDoesNotExist"
    assert error_code(lambda: sfn.get_execution_history(executionArn=missing)) == "ExecutionDoesNotExist"
    assert error_code(lambda: sfn.describe_state_machine_alias(stateMachineAliasArn=arn + ":nope")) == (
        "ResourceNotFound"
    )
    assert error_code(lambda: sfn.update_state_machine(stateMachineArn=arn + ":1", roleArn=ROLE)) == (
        "ValidationException"
    )


def test_list_executions_needs_a_state_machine(sfn):
    assert error_code(lambda: sfn.list_executions()) == "ValidationException"


def test_an_express_definition_is_checked_as_express(sfn):
    waits = {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
                "End": True,
            }
        },
    }
    sfn.create_state_machine(name="standard", definition=json.dumps(waits), roleArn=ROLE)
    assert (
        error_code(
            lambda: sfn.create_state_machine(name="express", definition=json.dumps(waits), roleArn=ROLE, type="EXPRESS")
        )
        == "InvalidDefinition"
    )


def test_max_results_is_bounded(sfn):
    assert error_code(lambda: sfn.list_state_machines(maxResults=1001)) == "ValidationException"
