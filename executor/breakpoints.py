"""Breakpoints on local runs, at the row level: continue a paused execution, change the breakpoints of a
running one (and of its running Map iterations and Parallel branches), find what is paused.

The core pauses (a `paused` effect, docs/adr/0001); the driver parks the row as `Waiting.PAUSED`, holding
no worker. Continuing hands the core its outcome the way a task token's answer does: in the effect, with
a step enqueued on commit. Callers hold a transaction (the services do).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.utils import timezone

import asl
from asl.engine import set_breakpoints as set_snapshot_breakpoints
from designer.errors import ServiceError
from designer.models import WorkflowVersion
from executor import driver
from executor.models import Execution, Status

PAUSED = Execution.Waiting.PAUSED
MAX_DEPTH = 16  # Maps in Parallels in Maps…: far deeper than any real workflow


@lru_cache(maxsize=64)
def _state_names(content_hash: str, version_id: int) -> frozenset[str]:
    machine = asl.parse(WorkflowVersion.objects.values_list("definition", flat=True).get(pk=version_id))
    names = set(machine.states)
    for sub in machine.submachines.values():
        names.update(sub.states)
    return frozenset(names)


def check_names(version: WorkflowVersion, names: list[str], field: str = "/breakpoints") -> list[str]:
    """The names, each a state of the version (Map and Parallel states inside count); a 400 naming one
    that is not."""
    known = _state_names(version.content_hash, version.pk)
    for i, name in enumerate(names):
        if name not in known:
            raise ServiceError(
                "unknown_state", f"Version {version.number} has no state named {name!r}.", {"field": f"{field}/{i}"}
            )
    return sorted(set(names))


def running_tree(root: Execution) -> list[int]:
    """The ids of `root` and of its running descendants (children, grandchildren…), root first."""
    ids, level = [root.pk], [root.pk]
    for _ in range(MAX_DEPTH):
        level = list(Execution.objects.filter(parent_id__in=level, status=Status.RUNNING).values_list("pk", flat=True))
        if not level:
            break
        ids += level
    return ids


def paused_in(root: Execution) -> list[dict]:
    """Where the run waits at a breakpoint: `[{"execution", "name", "state", "input"}]`, oldest first."""
    if root.status != Status.RUNNING:
        return []
    if root.waiting != Execution.Waiting.CHILDREN:
        found = Execution.objects.filter(pk=root.pk)
    elif breakpoints_of(root):
        found = Execution.objects.filter(pk__in=running_tree(root))
    else:  # polled every few seconds: without breakpoints, only children paused before they were cleared
        found = Execution.objects.filter(parent_id=root.pk)
    rows = (
        found.filter(status=Status.RUNNING, waiting=PAUSED).order_by("touched_at", "pk").values("pk", "name", "effect")
    )
    return [
        {"execution": row["pk"], "name": row["name"], "state": row["effect"]["state"], "input": row["effect"]["input"]}
        for row in rows
        if row["effect"] and row["effect"].get("type") == "paused"
    ]


def breakpoints_of(execution: Execution) -> list[str]:
    """The breakpoints an execution runs with (before its first step they wait in its effect)."""
    if execution.snapshot is not None:
        return list(execution.snapshot.get("breakpoints") or [])
    return list((execution.effect or {}).get("breakpoints") or [])


def continue_paused(execution: Execution, *, step: bool = False, input: Any = None, edited: bool = False) -> bool:
    """Let a paused execution enter its state (with `input` when `edited`); False if it is not paused."""
    row = Execution.objects.select_for_update().get(pk=execution.pk)
    if row.status != Status.RUNNING or row.waiting != PAUSED:
        return False
    outcome: dict = {"continue": True, "step": step}
    if edited:
        outcome["input"] = input
    row.effect = {**row.effect, "outcome": outcome}
    row.waiting = Execution.Waiting.RUNNABLE
    row.touched_at = timezone.now()
    row.save(update_fields=["effect", "waiting", "touched_at"])
    driver.enqueue(row.pk, row.sequence)
    return True


def replace(root: Execution, names: list[str]) -> list[str]:
    """New breakpoints for a running execution and its running children; they count from their next state."""
    names = sorted(set(names))
    # Deepest first: the lock order is always child then parent (docs/adr/0005), as a finishing child's.
    for pk in reversed(running_tree(root)):
        row = Execution.objects.select_for_update().only("snapshot", "effect", "status").get(pk=pk)
        if row.status != Status.RUNNING:
            continue
        if row.snapshot is not None:
            row.snapshot = set_snapshot_breakpoints(row.snapshot, names)
        else:  # not started yet (a queued Map iteration, say): its spec gives the core its breakpoints
            row.effect = {k: v for k, v in (row.effect or {}).items() if k != "breakpoints"}
            if names:
                row.effect["breakpoints"] = names
        row.save(update_fields=["snapshot", "effect"])
    return names


def abort_paused_children(root: Execution) -> None:
    """A stopped run's paused iterations take no more steps to notice it: end them with it."""
    ids = running_tree(root)[1:]
    if ids:
        Execution.objects.filter(pk__in=ids, status=Status.RUNNING, waiting=PAUSED).update(
            status=Status.ABORTED, stopped_at=timezone.now()
        )
