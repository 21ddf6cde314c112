"""The bars of issue 10 with real Celery workers and beat on PostgreSQL and Redis (skipped without them)."""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest

from executor import services as executor_services
from executor.models import Execution
from tests.integration.conftest import wait_for
from tests.triggers.conftest import FAIL
from triggers import services
from triggers.models import ScheduleFiring

pytestmark = pytest.mark.integration


@pytest.fixture
def fast_ticks(monkeypatch):
    """Beat asks for due schedules every second (the workers inherit this process's environment)."""
    monkeypatch.setenv("STEPWRIGHT_TRIGGERS_TICK", "1")


def test_a_rate_schedule_starts_one_execution_per_due_time_across_two_workers_and_a_restarted_beat(
    fast_ticks, clock, start_worker, owner, flow
):
    t0 = clock.set("2026-01-05T09:00:00+00:00")
    workflow = flow()
    schedule = services.create_schedule(
        user=owner, workflow=workflow, name="every-minute", expression="rate(1 minute)", input={"n": 1}
    )
    workers = [start_worker(), start_worker()]  # two workers, each with its own beat

    def runs() -> int:
        return Execution.objects.filter(workflow=workflow, parent__isnull=True).count()

    for minute in (1, 2, 3):
        if minute == 3:  # beat restarted: one worker stops, a new one with a fresh beat state file starts
            workers[0].send_signal(signal.SIGTERM)
            # A warm shutdown lets running tasks finish; on a loaded 2-core box that has taken over 30 s.
            workers[0].wait(timeout=120)
            workers[0] = start_worker()
        clock.set(t0 + timedelta(minutes=minute, seconds=2))
        assert wait_for(lambda minute=minute: runs() >= minute, timeout=60), f"nothing started for minute {minute}"
        time.sleep(4)  # several more ticks from both beats: still one execution for this due time
        assert runs() == minute

    names = sorted(Execution.objects.filter(workflow=workflow).values_list("name", flat=True))
    assert names == [f"every-minute-20260105T09{m:02d}00" for m in (1, 2, 3)]
    assert wait_for(lambda: set(Execution.objects.filter(workflow=workflow).values_list("status", flat=True)) == {
        "SUCCEEDED"
    }, timeout=60)  # fmt: skip
    assert ScheduleFiring.objects.filter(schedule=schedule, outcome="started").count() == 3


def test_a_webhook_called_three_times_with_one_idempotency_key_starts_one_execution(
    start_worker, live_server, client_for, owner, flow
):
    workflow = flow()
    token = client_for(owner).post(f"/api/workflows/{workflow.pk}/webhook/").json()["token"]
    start_worker()
    answers: list[tuple[int, dict]] = []

    def call() -> None:
        request = urllib.request.Request(
            f"{live_server.url}/api/hooks/{token}/",
            data=json.dumps({"order": 42}).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": "order-42"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answers.append((response.status, json.loads(response.read())))

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(status for status, _ in answers) == [200, 200, 201]
    assert len({body["executionId"] for _, body in answers}) == 1
    execution = Execution.objects.get(workflow=workflow)
    assert execution.input == {"order": 42}
    assert wait_for(lambda: Execution.objects.get(pk=execution.pk).status == "SUCCEEDED", timeout=60)


def test_a_failed_execution_starts_its_follow_up_with_the_error_as_input(fast_ticks, start_worker, owner, flow):
    source, follow_up = flow("ingest", FAIL), flow("alert")
    services.create_event_rule(user=owner, workflow=follow_up, source=source, statuses=["FAILED"])
    start_worker()

    failed = executor_services.start_execution(user=owner, workflow=source, input={"batch": 1})

    started = wait_for(lambda: Execution.objects.filter(workflow=follow_up).first(), timeout=60)
    assert started, "the follow-up never started"
    assert Execution.objects.get(pk=failed.pk).status == "FAILED"
    assert started.input == {"Error": "Boom.Error", "Cause": "it broke"}
    assert wait_for(lambda: Execution.objects.get(pk=started.pk).status == "SUCCEEDED", timeout=60)
    time.sleep(7)  # the sweeper's pass over recent endings starts nothing more
    assert Execution.objects.filter(workflow=follow_up).count() == 1
