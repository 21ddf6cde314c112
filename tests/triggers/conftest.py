"""Triggers tests: workflows with a saved version, a controllable clock, and the executor's fixtures."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from designer import services as designer_services
from tests.integration.conftest import start_worker, worker_env  # noqa: F401 (fixtures)

PASS = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
FAIL = {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom.Error", "Cause": "it broke"}}}


@pytest.fixture
def flow(owner, team):
    """A workflow of `team` with one saved version of the given definition (a Pass by default)."""

    def make(name: str = "nightly", definition: dict | None = None):
        workflow = designer_services.create_workflow(
            user=owner, team=team, name=name, definition=json.dumps(definition or PASS)
        )
        designer_services.create_version(user=owner, workflow=workflow, message="v1")
        return workflow

    return make


class Clock:
    """Now, as the schedules see it: a file named by STEPWRIGHT_CLOCK_FILE (real workers read it too)."""

    def __init__(self, path):
        self.path = path

    def set(self, when: str | datetime) -> datetime:
        at = datetime.fromisoformat(when) if isinstance(when, str) else when
        self.path.write_text(at.isoformat())
        return at


@pytest.fixture
def clock(tmp_path, monkeypatch) -> Clock:
    path = tmp_path / "clock"
    monkeypatch.setenv("STEPWRIGHT_CLOCK_FILE", str(path))
    found = Clock(path)
    found.set("2026-01-05T09:00:00+00:00")
    return found
