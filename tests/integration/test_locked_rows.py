"""A step whose execution row another transaction holds (a sibling's fan-in, a stop, a callback answer)
is tried again a moment later, not dropped: a dropped wake-up would leave the run to the sweeper."""

import threading

import pytest
from django.db import connection, transaction

from executor import services
from executor.models import Execution, Status
from tests.integration.conftest import require_real_services
from tests.integration.test_executions import versioned

pytestmark = pytest.mark.integration

PASS = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "hi", "End": True}}}


def test_a_step_that_meets_a_locked_row_comes_back_and_runs_once_it_is_free(transactional_db, queue, owner, team):
    require_real_services()  # SQLite has no row locks to meet
    execution = services.start_execution(user=owner, workflow=versioned(owner, team, PASS, "locked"))
    assert queue.pending == [(execution.pk, 0)]
    locked, release = threading.Event(), threading.Event()

    def hold_the_row() -> None:
        try:
            with transaction.atomic():
                list(Execution.objects.select_for_update().filter(pk=execution.pk))
                locked.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        queue(limit=3)  # each try finds the row held and asks again
        assert queue.pending == [(execution.pk, 0)]
        execution.refresh_from_db()
        assert (execution.status, execution.sequence) == (Status.RUNNING, 0)
    finally:
        release.set()
        holder.join()
    queue()
    execution.refresh_from_db()
    assert (execution.status, execution.output) == (Status.SUCCEEDED, "hi")
    assert queue.pending == []


def test_a_duplicate_of_a_step_already_taken_is_dropped(transactional_db, queue, owner, team):
    require_real_services()
    execution = services.start_execution(user=owner, workflow=versioned(owner, team, PASS, "duplicate"))
    queue()
    queue.pending.append((execution.pk, 0))  # the broker delivers the first step again
    queue()
    assert queue.pending == []
    assert Execution.objects.get(pk=execution.pk).status == Status.SUCCEEDED
