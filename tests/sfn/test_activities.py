"""The activity actions, with boto3."""

import json

import pytest

from tests.sfn.conftest import ROLE


def activity_machine(activity_arn: str) -> dict:
    return {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": activity_arn, "End": True}}}


@pytest.fixture(autouse=True)
def _short_polls(monkeypatch):
    monkeypatch.setenv("STEPWRIGHT_SFN_ACTIVITY_POLL_SECONDS", "0.3")


def test_create_describe_list_delete(sfn, team):
    arn = sfn.create_activity(name="review", tags=[{"key": "kind", "value": "human"}])["activityArn"]
    assert arn.endswith(f":{team.pk:012d}:activity:review")
    assert sfn.create_activity(name="review")["activityArn"] == arn  # idempotent, as on AWS
    assert sfn.describe_activity(activityArn=arn)["name"] == "review"
    assert [a["name"] for a in sfn.list_activities()["activities"]] == ["review"]
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "kind", "value": "human"}]
    assert sfn.get_activity_task(activityArn=arn, workerName="w1").get("taskToken") is None  # nothing waits
    sfn.delete_activity(activityArn=arn)
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.describe_activity(activityArn=arn)


def test_an_outsider_cannot_see_an_activity(sfn, sfn_for, outsider, outsider_team):
    arn = sfn.create_activity(name="review")["activityArn"]
    theirs = sfn_for(outsider, outsider_team)
    with pytest.raises(theirs.exceptions.ActivityDoesNotExist):
        theirs.get_activity_task(activityArn=arn)
    assert theirs.list_activities()["activities"] == []


def test_a_worker_takes_a_waiting_task_once_and_answers_it(sfn, queue):
    activity = sfn.create_activity(name="review")["activityArn"]
    machine = sfn.create_state_machine(
        name="reviewed", definition=json.dumps(activity_machine(activity)), roleArn=ROLE
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, input='{"doc": 7}')["executionArn"]
    queue()
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    task = sfn.get_activity_task(activityArn=activity, workerName="w1")
    assert json.loads(task["input"]) == {"doc": 7}
    assert sfn.get_activity_task(activityArn=activity, workerName="w2").get("taskToken") is None  # taken
    sfn.send_task_heartbeat(taskToken=task["taskToken"])
    sfn.send_task_success(taskToken=task["taskToken"], output='{"approved": true}')
    queue()
    done = sfn.describe_execution(executionArn=execution)
    assert (done["status"], json.loads(done["output"])) == ("SUCCEEDED", {"approved": True})
