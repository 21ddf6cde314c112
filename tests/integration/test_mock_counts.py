"""Mocked responses on real workers: a Map's iterations run at once on two worker processes and draw
on one count per run, each response exactly once."""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from executor import services
from executor.models import Execution, MockCount, Status, TestCase
from tests.integration.conftest import require_real_services, wait_for
from tests.integration.test_executions import ended, versioned

pytestmark = pytest.mark.integration

ITEMS = 40
FAN_OUT = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "MaxConcurrency": 10,
            "ItemProcessor": {
                "StartAt": "Fetch",
                "States": {
                    "Fetch": {
                        "Type": "Task",
                        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:fetch",
                        "End": True,
                    }
                },
            },
            "Next": "Report",
        },
        # A mocked state of the run itself, after its iterations: the same counters, another state.
        "Report": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:report", "End": True},
    },
}


def test_two_workers_use_each_mocked_response_of_a_map_once(start_worker, owner, team):
    workflow = versioned(owner, team, FAN_OUT, "fan-out-mocked")
    responses = {
        "Fetch": {str(i): {"Return": i} for i in range(ITEMS)},
        "Report": {"0": {"Return": "reported"}},
    }
    case = TestCase.objects.create(workflow=workflow, name="Numbered", responses=responses)
    start_worker()
    start_worker()
    execution = services.start_execution(user=owner, workflow=workflow, input=list(range(ITEMS)), test_case=case)

    assert wait_for(ended(execution), timeout=120), "the execution never ended"
    execution.refresh_from_db()
    assert (execution.status, execution.error, execution.output) == (Status.SUCCEEDED, None, "reported")
    iterations = Execution.objects.filter(parent=execution, kind="map_iteration")
    assert iterations.filter(status=Status.SUCCEEDED).count() == ITEMS
    # Each of the 40 responses went to exactly one iteration.
    assert Counter(iterations.values_list("output", flat=True)) == Counter(range(ITEMS))
    assert dict(MockCount.objects.filter(execution=execution).values_list("state", "used")) == {
        "Fetch": ITEMS,
        "Report": 1,
    }


def test_a_parent_does_not_wait_for_a_counter_a_step_of_its_run_holds(transactional_db, queue, owner, team):
    """A parent's step that finds its mock counter held (here by another connection, as by a child
    still running on another worker) must not wait for it: that child may be waiting for the parent's
    row. The task is served later, and uses its response once."""
    require_real_services()
    definition = {
        **FAN_OUT,
        "States": {**FAN_OUT["States"], "Each": {**FAN_OUT["States"]["Each"], "MaxConcurrency": 1}},
    }
    workflow = versioned(owner, team, definition, "held-counter")
    responses = {"Fetch": {"0": {"Return": 0}}, "Report": {"0": {"Return": "reported"}}}
    case = TestCase.objects.create(workflow=workflow, name="Held", responses=responses)
    execution = services.start_execution(user=owner, workflow=workflow, input=[0], test_case=case)
    MockCount.objects.create(execution=execution, state="Report")
    locked, release = threading.Event(), threading.Event()

    def hold_the_counter() -> None:
        try:
            with transaction.atomic():
                list(MockCount.objects.select_for_update().filter(execution=execution, state="Report"))
                locked.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_counter)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        queue(limit=20)  # the parent tries again and again while the counter is held; it never blocks
        execution.refresh_from_db()
        assert (execution.status, execution.snapshot["state"]) == (Status.RUNNING, "Report")
        assert MockCount.objects.get(execution=execution, state="Report").used == 0
    finally:
        release.set()
        holder.join()
    queue()
    execution.refresh_from_db()
    assert (execution.status, execution.output) == (Status.SUCCEEDED, "reported")
    assert MockCount.objects.get(execution=execution, state="Report").used == 1
