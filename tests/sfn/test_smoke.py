import json

from tests.sfn.conftest import HELLO, ROLE


def test_it_works(sfn, queue):
    created = sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)
    started = sfn.start_execution(stateMachineArn=created["stateMachineArn"], input='{"a": 1}')
    assert sfn.describe_execution(executionArn=started["executionArn"])["status"] == "RUNNING"
    queue()
    done = sfn.describe_execution(executionArn=started["executionArn"])
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == {"hello": "world"}
