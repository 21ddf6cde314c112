"""designer.aws.tasks.poll_aws_execution: registered with the app, polls until the execution ends."""

import time

import pytest

from config.celery import app
from designer.aws import executions, tasks
from executor.models import Execution
from tests.aws.conftest import ROLE_ARN, boto, definition, save_version

pytestmark = pytest.mark.aws


def test_it_is_registered_with_the_app():
    app.loader.import_default_modules()
    assert "designer.aws.tasks.poll_aws_execution" in app.tasks


def test_it_polls_again_until_the_execution_ends(client_for, owner, runner, workflow, connection, monkeypatch):
    again: list[tuple] = []
    monkeypatch.setattr(executions, "schedule", lambda pk, countdown: None)
    monkeypatch.setattr(
        tasks.poll_aws_execution, "apply_async", lambda args, countdown: again.append((args, countdown))
    )
    save_version(owner, workflow, definition(Hold={"Type": "Wait", "Seconds": 300, "End": True}))
    client = client_for(owner)
    client.post(
        f"/api/workflows/{workflow.pk}/deploy/", {"connection": connection.pk, "role_arn": ROLE_ARN}, format="json"
    )
    execution_id = (
        client_for(runner)
        .post(f"/api/workflows/{workflow.pk}/executions/", {"backend": "aws", "name": "held"}, format="json")
        .json()["id"]
    )
    arn = Execution.objects.get(pk=execution_id).remote_arn
    deadline = time.monotonic() + 60
    while "WaitStateEntered" not in [
        e["type"] for e in boto("stepfunctions").get_execution_history(executionArn=arn)["events"]
    ]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    tasks.poll_aws_execution.run(execution_id)
    assert again == [((execution_id,), executions.POLL_FAST)]  # it found events: soon again
    tasks.poll_aws_execution.run(execution_id)
    tasks.poll_aws_execution.run(execution_id)
    assert [countdown for _, countdown in again[1:]] == [2.0, 4.0]  # nothing new: backing off
    client_for(runner).get(f"/api/executions/{execution_id}/history/")  # someone watches: quick polls
    tasks.poll_aws_execution.run(execution_id)
    assert again[-1][1] == executions.POLL_FAST
    client_for(runner).post(f"/api/executions/{execution_id}/stop/", {}, format="json")
    time.sleep(0.05)
    count = len(again)
    tasks.poll_aws_execution.run(execution_id)
    assert len(again) == count  # ended: no more polls
