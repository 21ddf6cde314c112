"""The endpoint with real Celery workers (PostgreSQL, Redis): boto3 starts, the workers run, boto3 polls."""

import json

import pytest

from tests.integration.conftest import wait_for
from tests.sfn.conftest import ROLE
from tests.sfn.test_executions import WAITS

pytestmark = pytest.mark.integration

PAUSED = {
    "StartAt": "Pause",
    "States": {
        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Each"},
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}},
            "End": True,
        },
    },
}


def status_of(sfn, arn):
    return sfn.describe_execution(executionArn=arn)["status"]


def test_workers_run_what_boto3_starts(sfn, celery_worker_process):
    machine = sfn.create_state_machine(name="paused", definition=json.dumps(PAUSED), roleArn=ROLE)
    execution = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"items": [1, 2, 3]}')
    arn = execution["executionArn"]
    assert wait_for(lambda: status_of(sfn, arn) != "RUNNING", timeout=90) and status_of(sfn, arn) == "SUCCEEDED"
    assert json.loads(sfn.describe_execution(executionArn=arn)["output"]) == [1, 2, 3]
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=arn, PaginationConfig={"PageSize": 4})
    types = [e["type"] for page in pages for e in page["events"]]
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionSucceeded" and "MapStateStarted" in types


def test_a_callback_answered_through_the_endpoint_wakes_the_worker(sfn, celery_worker_process):
    machine = sfn.create_state_machine(name="waits", definition=json.dumps(WAITS), roleArn=ROLE)
    arn = sfn.start_execution(stateMachineArn=machine["stateMachineArn"])["executionArn"]

    def token():
        events = sfn.get_execution_history(executionArn=arn)["events"]
        scheduled = [e for e in events if e["type"] == "TaskScheduled"]
        return scheduled and json.loads(scheduled[0]["taskScheduledEventDetails"]["parameters"])["MessageBody"]

    found = wait_for(token, timeout=90)
    assert found
    sfn.send_task_success(taskToken=found, output='{"ok": 1}')
    assert wait_for(lambda: status_of(sfn, arn) == "SUCCEEDED", timeout=90)
