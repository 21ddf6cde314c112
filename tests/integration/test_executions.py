"""Local executions on real workers: PostgreSQL, a Redis broker and `celery worker` processes."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys

import pytest

import asl
from designer import services as designer_services
from executor import services
from executor.models import Execution, HistoryEvent, Status, TaskToken
from tests.integration.conftest import ROOT, wait_for
from tests.integration.test_serve import free_port

pytestmark = pytest.mark.integration

FAN_OUT = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 3,
            "ItemProcessor": {
                "StartAt": "Double",
                "States": {"Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": True}},
            },
            "ResultPath": "$.doubled",
            "Next": "Pause",
        },
        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Both"},
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "L", "States": {"L": {"Type": "Pass", "Result": "left", "End": True}}},
                {"StartAt": "R", "States": {"R": {"Type": "Pass", "Result": "right", "End": True}}},
            ],
            "ResultPath": "$.both",
            "End": True,
        },
    },
}
SLOW_LOOP = {
    "StartAt": "Inc",
    "States": {
        "Inc": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow-increment",
            "Parameters": {"n.$": "$.n"},
            "TimeoutSeconds": 60,
            "Next": "More",
        },
        "More": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericLessThan": 500, "Next": "Inc"}],
            "Default": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}
APPROVAL = {
    "StartAt": "AskForApproval",
    "States": {
        "AskForApproval": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                "MessageBody": {"token.$": "$$.Task.Token"},
            },
            "TimeoutSeconds": 300,
            "End": True,
        }
    },
}


def versioned(owner, team, definition: dict, name: str):
    workflow = designer_services.create_workflow(user=owner, team=team, name=name, definition=json.dumps(definition))
    designer_services.create_version(user=owner, workflow=workflow, message="v1")
    return workflow


def ended(execution: Execution):
    return lambda: Execution.objects.get(pk=execution.pk).status != Status.RUNNING


def events_of(execution: Execution) -> list[tuple[int, int, str]]:
    return list(
        HistoryEvent.objects.filter(execution=execution)
        .order_by("event_id")
        .values_list("event_id", "previous_event_id", "type")
    )


def assert_matches_in_process(execution: Execution, definition: dict, input, **kwargs) -> None:
    expected = asl.execute(definition, input, **kwargs)
    execution.refresh_from_db()
    assert (execution.status, execution.output) == (expected.status, expected.output)
    events = events_of(execution)
    assert [e[0] for e in events] == list(range(1, len(events) + 1)), "events have gaps or repeats"
    assert [e[2] for e in events] == [e["type"] for e in expected.history]


def test_map_wait_and_parallel_on_a_real_worker(celery_worker_process, owner, team):
    workflow = versioned(owner, team, FAN_OUT, "fan-out")
    execution = services.start_execution(user=owner, workflow=workflow, input={"items": list(range(10))})
    assert wait_for(ended(execution), timeout=60), "the execution never ended"
    assert_matches_in_process(execution, FAN_OUT, {"items": list(range(10))})
    assert execution.output["both"] == ["left", "right"]
    assert Execution.objects.filter(parent=execution, kind="map_iteration", status=Status.SUCCEEDED).count() == 10


def test_a_callback_waits_with_no_worker_busy_and_is_answered_once(celery_worker_process, owner, team, client_for):
    workflow = versioned(owner, team, APPROVAL, "approval")
    execution = services.start_execution(user=owner, workflow=workflow, input={"order": 7})
    assert wait_for(lambda: TaskToken.objects.filter(execution=execution).exists(), timeout=30)
    token = TaskToken.objects.get(execution=execution).token
    execution.refresh_from_db()
    assert (execution.status, execution.waiting) == (Status.RUNNING, Execution.Waiting.CALLBACK)

    client = client_for(owner)
    answered = client.post("/api/task-tokens/success/", {"token": token, "output": {"approved": True}}, format="json")
    assert answered.status_code == 200
    assert wait_for(ended(execution), timeout=30)
    execution.refresh_from_db()
    assert (execution.status, execution.output) == (Status.SUCCEEDED, {"approved": True})

    again = client.post("/api/task-tokens/success/", {"token": token, "output": {}}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "task_timed_out"


def test_kill_9_a_worker_mid_run_and_another_finishes_it(start_worker, owner, team):
    workflow = versioned(owner, team, SLOW_LOOP, "slow-loop")
    first = start_worker(concurrency=1)
    execution = services.start_execution(user=owner, workflow=workflow, input={"n": 0})
    assert wait_for(lambda: Execution.objects.get(pk=execution.pk).sequence > 60, timeout=60)
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool, as when its machine dies
    first.wait()
    halfway = Execution.objects.get(pk=execution.pk)
    assert halfway.status == Status.RUNNING

    start_worker(concurrency=1)
    assert wait_for(ended(execution), timeout=120), "the second worker never finished the execution"
    assert_matches_in_process(
        execution, SLOW_LOOP, {"n": 0}, handlers={"arn:aws:lambda:*": lambda parameters, _: {"n": parameters["n"] + 1}}
    )
    assert execution.output == {"n": 500}


BIG_MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "MaxConcurrency": 50,
            "ItemProcessor": {
                "StartAt": "Square",
                "States": {"Square": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($, 1)"}, "End": True}},
            },
            "End": True,
        }
    },
}


def most_at_once(intervals: list[tuple]) -> int:
    edges = sorted([(start, 1) for start, _ in intervals] + [(stop, -1) for _, stop in intervals])
    running = peak = 0
    for _, change in edges:
        running += change
        peak = max(peak, running)
    return peak


def test_a_map_of_1000_items_spreads_over_two_workers_within_its_max_concurrency(start_worker, owner, team, tmp_path):
    workflow = versioned(owner, team, BIG_MAP, "big-map")
    start_worker(concurrency=2)
    start_worker(concurrency=2, beat=False)
    items = list(range(1000))
    execution = services.start_execution(user=owner, workflow=workflow, input=items)
    assert wait_for(ended(execution), timeout=300), "the Map never finished"
    assert_matches_in_process(execution, BIG_MAP, items)
    children = Execution.objects.filter(parent=execution)
    assert children.filter(status=Status.SUCCEEDED).count() == 1000
    assert most_at_once(list(children.values_list("started_at", "stopped_at"))) <= 50
    for log in ("worker-0.log", "worker-1.log"):
        assert "executor.tasks.step_execution" in (tmp_path / log).read_text(), f"{log}: this worker took no part"


WAIT_3S = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 3, "End": True}}}


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of this test's own, so restarting it disturbs nobody else."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(tmp_path)]  # fmt: skip

    def start() -> subprocess.Popen:
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        assert wait_for(lambda: _answers(port), timeout=10), "redis-server did not start"
        return server

    servers = [start()]
    yield port, servers, start
    for server in servers:
        server.kill()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_redis_restarted_under_50_running_executions_and_all_finish(
    private_redis, start_worker, worker_env, owner, team
):
    port, servers, start_redis = private_redis
    worker_env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{port}/0"
    workflow = versioned(owner, team, WAIT_3S, "naps")
    start_worker(concurrency=2)
    # Started from a process that talks to the private Redis, as the web server would.
    code = f"from designer.models import Workflow; from executor.services import start_execution; w = Workflow.objects.get(pk={workflow.pk}); [start_execution(user=None, workflow=w, input={{'i': i}}) for i in range(50)]"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=dict(os.environ, **worker_env), check=True
    )
    assert wait_for(
        lambda: Execution.objects.filter(workflow=workflow, waiting=Execution.Waiting.TIMER).count() == 50, timeout=60
    )

    servers[0].kill()  # everything queued in Redis is gone with it: the countdowns of all 50 timers
    servers[0].wait()
    servers.append(start_redis())

    done = lambda: Execution.objects.filter(workflow=workflow, status=Status.SUCCEEDED).count() == 50  # noqa: E731
    assert wait_for(done, timeout=120), "not every execution finished after Redis came back"
