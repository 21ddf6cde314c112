"""An in-process stand-in for the queue, for tests of the driver's logic: the real broker and workers
are in tests/integration/. Enqueued steps are collected and run in order, countdowns skipped by moving
the row's timer due."""

from __future__ import annotations

import json

import pytest

from designer import services as designer_services
from executor import driver
from executor.models import Execution


@pytest.fixture
def queue(monkeypatch):
    pending: list[tuple[int, int]] = []
    monkeypatch.setattr(driver, "enqueue", lambda pk, seq, countdown=None: pending.append((pk, seq)))

    def drain(limit: int = 100_000) -> int:
        steps = 0
        while pending and steps < limit:
            pk, seq = pending.pop(0)
            # Time travel: a timer's countdown has passed by the time its message is taken.
            Execution.objects.filter(pk=pk, waiting=Execution.Waiting.TIMER).update(wake_at=None)
            driver.advance(pk, seq)
            steps += 1
        return steps

    drain.pending = pending
    return drain


@pytest.fixture
def versioned(owner, team):
    """A workflow of `team` with one saved version of the given definition."""

    def make(definition: dict, name: str = "flow"):
        workflow = designer_services.create_workflow(
            user=owner, team=team, name=name, definition=json.dumps(definition, indent=2)
        )
        designer_services.create_version(user=owner, workflow=workflow, message="v1")
        return workflow

    return make
