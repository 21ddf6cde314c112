"""Breakpoints on a real worker: a paused run holds no worker, and continue finishes it."""

import json

import pytest

from designer import services as designer_services
from executor import services
from executor.models import Execution, Status
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

FLOW = {
    "StartAt": "Inc",
    "States": {
        "Inc": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow-increment",
            "Parameters": {"n.$": "$.n"},
            "Next": "Check",
        },
        "Check": {"Type": "Pass", "End": True},
    },
}


def test_a_paused_run_holds_no_worker_and_finishes_after_continue(start_worker, owner, team):
    workflow = designer_services.create_workflow(user=owner, team=team, name="bp", definition=json.dumps(FLOW))
    designer_services.create_version(user=owner, workflow=workflow, message="v1")
    start_worker(concurrency=1)  # one slot: were the paused run holding it, nothing else would run

    paused = services.start_execution(user=owner, workflow=workflow, input={"n": 1}, breakpoints=["Inc"])
    assert wait_for(lambda: Execution.objects.get(pk=paused.pk).waiting == Execution.Waiting.PAUSED)

    others = [services.start_execution(user=owner, workflow=workflow, input={"n": i}) for i in range(3)]
    assert wait_for(lambda: all(Execution.objects.get(pk=o.pk).status == Status.SUCCEEDED for o in others))
    row = Execution.objects.get(pk=paused.pk)
    assert (row.status, row.waiting, row.effect["state"]) == (Status.RUNNING, Execution.Waiting.PAUSED, "Inc")

    services.continue_execution(user=owner, execution=row, input={"n": 41}, edited=True)
    assert wait_for(lambda: Execution.objects.get(pk=paused.pk).status != Status.RUNNING)
    row = Execution.objects.get(pk=paused.pk)
    assert (row.status, row.output) == (Status.SUCCEEDED, {"n": 42})
