"""Local task handlers the end-to-end tests' real workers load (STEPWRIGHT_TASK_HANDLERS in their env)."""

from __future__ import annotations

import time
from pathlib import Path

from asl import TaskFailure

GATE_LIMIT_SECONDS = 120.0  # a test that never opens the gate fails the task instead of holding the worker


def gated(parameters: dict, invocation: dict) -> dict:
    """Hold the task until the file `gate` exists: the test opens it once it has seen the run in progress,
    so what the page shows meanwhile does not depend on how fast the machine is."""
    gate = Path(parameters["gate"])
    deadline = time.monotonic() + GATE_LIMIT_SECONDS
    while not gate.exists():
        if time.monotonic() > deadline:
            raise TaskFailure("Gate.NeverOpened", f"{gate} did not appear")
        time.sleep(0.05)
    if parameters.get("fail"):
        raise TaskFailure("BadItem", f"item {parameters['n']} is not allowed")
    return {"n": parameters["n"], "done": True}


def declined(parameters: dict, invocation: dict) -> dict:
    raise TaskFailure("Card.Declined", f"insufficient funds for {parameters.get('amount')}")
