"""The durable driver: moves executions on with the `asl` stepping core, one claimed step at a time.

A step runs in one transaction: it claims the execution's row (a row lock, and the sequence number the
message carries must match), serves the pending effect if it is a task that can be served right away,
runs the core until its next effect, appends the events and saves the snapshot. A worker killed in the
middle rolls the transaction back, and the step runs again elsewhere: task invocations are
at-least-once, state transitions exactly once.

Waits (Wait states, retry back-offs, callbacks, timeouts) are rows with a `wake_at`, woken by a countdown
or by the sweeper; Map iterations and Parallel branches are child executions on any worker, gathered by
counters on the parent's row, which also hold MaxConcurrency across workers.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

import asl
from asl.engine import children_should_stop
from designer.models import Workflow, WorkflowVersion
from executor import resources
from executor.models import Execution, HistoryEvent, Status, TaskToken
from executor.signals import execution_finished

log = logging.getLogger(__name__)

RUNNING = Status.RUNNING
LOCAL = Execution.Backend.LOCAL
Waiting = Execution.Waiting
STEP_BUDGET_SECONDS = 2.0  # then hand the execution back to the queue, so long runs share the workers
# Steps served in-process share one transaction for up to this long: far fewer commits, while a watcher
# still sees progress several times a second. A crash repeats at most this much task work.
TRANSACTION_BUDGET_SECONDS = 0.25
# A mocked task whose counter another step holds, in an execution that may not wait for it
# (resources.MockHold), is tried again this much later.
BUSY_RETRY_SECONDS = 0.05
# A step whose row another transaction holds (a sibling's fan-in, a stop, a callback answer) is tried again
# this much later; a duplicate of a step running elsewhere then finds its sequence gone and does nothing.
LOCKED_RETRY_SECONDS = 0.2
COUNTDOWN_LIMIT_SECONDS = 300  # longer timers are left to the sweeper (brokers redeliver long ETAs badly)
# A runnable execution untouched this long lost its worker (or its message): the sweeper re-enqueues it.
# Long enough that a busy queue's backlog is not mistaken for lost messages (each sweep would double it).
STALE_AFTER = timedelta(seconds=float(os.environ.get("STEPWRIGHT_STALE_SECONDS", "60")))


# --- compiled machines, cached per version ----------------------------------------------------------

_machines: OrderedDict[int, asl.StateMachine] = OrderedDict()


def machine_for(execution: Execution) -> asl.StateMachine:
    # Keyed by version: versions are immutable, so a worker parses each one once and the claim joins nothing.
    machine = _machines.get(execution.version_id)
    if machine is None:
        definition = WorkflowVersion.objects.values_list("definition", flat=True).get(pk=execution.version_id)
        machine = asl.parse(definition)
        _machines[execution.version_id] = machine
        if len(_machines) > 256:
            _machines.popitem(last=False)
    else:
        _machines.move_to_end(execution.version_id)
    return machine


def forget_machines() -> None:
    _machines.clear()


def now_ms() -> int:
    return int(time.time() * 1000)


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def enqueue(execution_id: int, sequence: int, countdown: float | None = None) -> None:
    """Ask a worker for the step after `sequence`, once the current transaction commits."""
    from executor.tasks import step_execution

    transaction.on_commit(lambda: step_execution.apply_async((execution_id, sequence), countdown=countdown))


# --- one step ----------------------------------------------------------------------------------------


@dataclass
class _Next:
    sequence: int
    again: bool  # the execution can go straight on (a task served in-process is pending)


def advance(execution_id: int, sequence: int) -> None:
    """Move an execution on from step `sequence`; a stale or duplicate call does nothing."""
    deadline = time.monotonic() + STEP_BUDGET_SECONDS
    while True:
        following = _step(execution_id, sequence)
        if following is None or not following.again:
            return
        sequence = following.sequence
        if time.monotonic() > deadline:
            with transaction.atomic():
                enqueue(execution_id, sequence)
            return


@transaction.atomic
def _step(execution_id: int, sequence: int) -> _Next | None:
    """Claim the execution and take steps while they need nothing from outside (tasks served in-process),
    for up to TRANSACTION_BUDGET_SECONDS; then write them all at once."""
    row = _claim(execution_id, sequence)
    if row is None:
        if _held_elsewhere(execution_id, sequence):
            enqueue(execution_id, sequence, countdown=LOCKED_RETRY_SECONDS)
        return None  # (an AWS execution is AWS's to run: its history is copied by designer/aws/tasks.py)
    if row.parent_id is not None and _parent_moved_on(row):
        _finish_as_aborted(row)
        return None
    machine = machine_for(row)
    events: list[dict] = []
    following = None
    mocks = resources.MockHold(may_wait=not row.children_started)
    deadline = time.monotonic() + TRANSACTION_BUDGET_SECONDS
    while True:
        now = now_ms()
        if row.snapshot is None:
            step = _begin(row, machine, now)
        else:
            outcome = _outcome(row, machine, now, mocks)
            if outcome is _NOT_READY:
                break
            if outcome is _BUSY:  # the task is served by a later transaction, once the counter is free
                if following is None:
                    enqueue(row.pk, row.sequence, countdown=BUSY_RETRY_SECONDS)
                break
            step = asl.resume(machine, row.snapshot, outcome, now_ms=now)
        following = _apply(row, step, now, events)
        if not following.again or time.monotonic() > deadline:
            break
    if following is not None:
        write_step(row, events)
    return following


def _claim(execution_id: int, sequence: int) -> Execution | None:
    """Lock the execution's row if `sequence` is still its next step, with the two fields of its workflow
    that a first step needs. skip_locked: a row another worker holds is being stepped there, so this
    message is a duplicate. Plain SQL, since the ORM took longer to build the query than PostgreSQL to run
    it; the machine comes from the per-version cache."""
    lock = (
        connection.ops.for_update_sql(skip_locked=True, of=("e",)) if connection.features.has_select_for_update else ""
    )
    query = f"""
        SELECT e.*, w.team_id AS workflow_team_id, w.name AS workflow_name
        FROM {Execution._meta.db_table} e JOIN {Workflow._meta.db_table} w ON w.id = e.workflow_id
        WHERE e.id = %s AND e.sequence = %s AND e.status = %s AND e.backend = %s {lock}
    """  # names from the models, values as parameters
    return next(iter(Execution.objects.raw(query, [execution_id, sequence, RUNNING, LOCAL])), None)


def _held_elsewhere(execution_id: int, sequence: int) -> bool:
    """The claim found nothing: is `sequence` still the next step, its row locked by another transaction?
    Not only a worker stepping it holds that lock: a sibling's fan-in, a stop or a callback answer do too,
    and a wake-up dropped then would wait for the sweeper."""
    return (
        connection.features.has_select_for_update
        and Execution.objects.filter(
            pk=execution_id, sequence=sequence, status=RUNNING, backend=LOCAL, waiting=Waiting.RUNNABLE
        ).exists()
    )


# What a step changes on the execution's row; the rest (name, input, parents…) is written once, at start.
STEP_FIELDS = (
    "snapshot", "effect", "sequence", "waiting", "wake_at", "touched_at", "started_at",
    "status", "output", "error", "cause", "stopped_at", "children_started", "children_finished", "children_failed",
    "redrive_count",
)  # fmt: skip


def write_step(row: Execution, events: list[dict]) -> None:
    """Append the steps' history `events` (the core's, AWS-shaped) and update the row's STEP_FIELDS.

    On PostgreSQL in one statement: the events go as one JSON array that the server takes apart, and a
    step costs one round trip rather than three (INSERT or COPY, then UPDATE)."""
    if connection.vendor != "postgresql":
        insert_events([_event_row(row, e) for e in events])
        Execution.objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in STEP_FIELDS})
        return
    fields = [Execution._meta.get_field(name) for name in STEP_FIELDS]
    values = [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
    assignments = ", ".join(f"{field.column} = %s" for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH appended AS (
                INSERT INTO {HistoryEvent._meta.db_table}
                    (execution_id, event_id, previous_event_id, type, timestamp, details)
                SELECT %s, (e->>'id')::int, (e->>'previousEventId')::int, e->>'type', (e->>'timestamp')::timestamptz,
                       e - ARRAY['id', 'previousEventId', 'type', 'timestamp']
                FROM jsonb_array_elements(%s::jsonb) AS e
            )
            UPDATE {Execution._meta.db_table} SET {assignments} WHERE id = %s
            """,  # names from the models, values as parameters
            [row.pk, json.dumps(events), *values, row.pk],
        )


def insert_events(events: list[EventRow]) -> None:
    """Append history events. On PostgreSQL through COPY: a pure-state loop writes thousands at once, and
    COPY takes them several times faster than a bulk INSERT."""
    if not events:
        return
    if connection.vendor != "postgresql":
        fields = ("execution_id", "event_id", "previous_event_id", "type", "timestamp", "details")
        HistoryEvent.objects.bulk_create([HistoryEvent(**dict(zip(fields, e, strict=True))) for e in events], 500)
        return
    columns = "execution_id, event_id, previous_event_id, type, timestamp, details"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {HistoryEvent._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for execution_id, event_id, previous, kind, timestamp, details in events:
            copy.write_row((execution_id, event_id, previous, kind, timestamp, json.dumps(details)))


def _begin(row: Execution, machine: asl.StateMachine, now: int) -> asl.Step:
    if row.parent_id is not None:
        row.started_at = timezone.now()  # a child was created long before a slot let it start
    spec = row.effect or {}
    if row.parent_id is not None:  # a child's spec is the one its parent's `children` effect gave, less the input
        return asl.start_child(machine, {**spec, "input": row.input}, now_ms=now)
    return asl.start(
        machine, row.input, now_ms=now, context=_root_context(row, now), breakpoints=spec.get("breakpoints")
    )


_NOT_READY = object()
_BUSY = object()


def _outcome(row: Execution, machine: asl.StateMachine, now: int, mocks: resources.MockHold) -> Any:
    """What the pending effect produced, or _NOT_READY when it has not produced it yet."""
    effect = row.effect or {}
    kind = effect.get("type")
    if "outcome" in effect:  # a callback answered, or a timeout fired
        return effect["outcome"]
    if row.waiting == Waiting.TIMER:
        return None if row.wake_at is None or row.wake_at <= _at(now + 50) else _NOT_READY
    if row.waiting in (Waiting.CHILDREN, Waiting.PAUSED):
        # Woken only by the execution's own TimeoutSeconds: the core then times it out.
        deadline = row.snapshot.get("deadline_ms")
        return None if deadline is not None and now >= deadline else _NOT_READY
    if row.waiting == Waiting.QUEUED:
        return _NOT_READY
    if row.waiting == Waiting.CALLBACK:
        if row.wake_at is None or row.wake_at > _at(now + 50):
            return _NOT_READY
        deadline = row.snapshot.get("deadline_ms")
        return None if deadline is not None and now >= deadline else _timeout_outcome(row)
    if kind == "invoke":
        try:
            served = resources.resolve(row, effect, row.snapshot["context"], mocks)
        except resources.Busy:
            return _BUSY
        if isinstance(served, resources.Wait):
            _wait_for_callback(row, effect, served.token, now)
            return _NOT_READY
        return served
    if kind == "children":
        return _gather(row)
    return None


def _apply(row: Execution, step: asl.Step, now: int, events: list[dict]) -> _Next:
    """Take the step into the row (saved by the caller, with `events`); arrange what its effect asks for."""
    events.extend(step.events)
    effect = step.effect or {}
    kind = effect.get("type")
    row.snapshot = step.snapshot
    row.sequence += 1
    row.touched_at = timezone.now()
    row.wake_at = None
    row.waiting = Waiting.RUNNABLE
    row.effect = effect
    again = False
    if kind == "invoke":
        again = True
    elif kind == "wait":
        row.waiting, row.wake_at = Waiting.TIMER, _at(effect["until_ms"])
        delay = max(0.0, (effect["until_ms"] - now) / 1000)
        if delay <= COUNTDOWN_LIMIT_SECONDS:
            enqueue(row.pk, row.sequence, countdown=delay or None)
    elif kind == "children":
        again = _spawn_children(row, effect)
    elif kind == "paused":  # a breakpoint: no worker waits; executor/breakpoints.py continues it
        row.waiting, row.wake_at = Waiting.PAUSED, _execution_deadline(row, None)
    elif kind == "finished":
        _finish(row, effect)
    return _Next(row.sequence, again)


# An event row as a plain tuple: (execution id, event id, previous event id, type, timestamp, details).
# Building model instances for thousands of events per step cost more than writing them.
EventRow = tuple[int, int, int, str, datetime, dict]
_HEADER = ("id", "previousEventId", "type", "timestamp")


def _event_row(row: Execution, event: dict) -> EventRow:
    details = {k: v for k, v in event.items() if k not in _HEADER}
    return (row.pk, event["id"], event["previousEventId"], event["type"], _timestamp(event["timestamp"]), details)


@lru_cache(maxsize=256)
def _timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text)  # a tight loop stamps many events with the same millisecond


def _root_context(row: Execution, now: int) -> dict:
    machine_name = f"{row.workflow_team_id}-{row.workflow_name}".replace(" ", "-")  # read by the claim
    context = asl.engine.default_context(row.input, now, name=row.name, machine_name=machine_name)
    context["Execution"]["RedriveCount"] = row.redrive_count
    for key, value in ((row.effect or {}).get("context_overrides") or {}).items():
        context[key] = {**context.get(key, {}), **value} if isinstance(value, dict) else value
    return context


# --- endings -----------------------------------------------------------------------------------------


def _finish(row: Execution, effect: dict) -> None:
    row.status = effect["status"]
    row.output = effect.get("output")
    row.error = effect.get("error")
    row.cause = effect.get("cause")
    row.stopped_at = timezone.now()
    transaction.on_commit(lambda: execution_finished.send(sender=Execution, execution=row))
    if row.parent_id is not None:
        _fan_in(row)
    elif row.caller_token:
        _answer_nested_caller(row)


def _finish_as_aborted(row: Execution) -> None:
    Execution.objects.filter(pk=row.pk).update(status=Status.ABORTED, stopped_at=timezone.now())


def _parent_moved_on(row: Execution) -> bool:
    parent = Execution.objects.only("sequence", "status").get(pk=row.parent_id)
    return parent.status != RUNNING or parent.sequence != row.parent_sequence


# --- children: Map iterations and Parallel branches ----------------------------------------------------


def _spawn_children(row: Execution, effect: dict) -> bool:
    """Create one child execution per branch or item; start as many as MaxConcurrency allows."""
    specs = effect["children"]
    # Keep only the counts on the parent: every child's fan-in reads this row.
    row.effect = {k: v for k, v in effect.items() if k != "children"} | {"total": len(specs)}
    row.children_started = row.children_finished = row.children_failed = 0
    if not specs:
        return True  # nothing to wait for: gather the empty result at once
    limit = effect.get("max_concurrency") or len(specs)
    children = Execution.objects.bulk_create(
        Execution(
            workflow_id=row.workflow_id,
            version_id=row.version_id,
            backend=row.backend,
            name=f"{row.name}/{spec.get('index', i)}" if spec["kind"] == "map_iteration" else f"{row.name}/b{i}",
            input=spec["input"],
            parent=row,
            parent_sequence=row.sequence,
            kind=spec["kind"],
            child_index=i,
            effect={k: v for k, v in spec.items() if k != "input"},
            waiting=Waiting.RUNNABLE if i < limit else Waiting.QUEUED,
            started_by_id=row.started_by_id,
        )
        for i, spec in enumerate(specs)
    )
    row.children_started = min(limit, len(specs))
    row.waiting = Waiting.CHILDREN
    row.wake_at = _execution_deadline(row, None)
    for child in children[: row.children_started]:
        enqueue(child.pk, 0)
    return False


def _fan_in(child: Execution) -> None:
    """Count a finished child on its parent; wake the parent, or start the next queued sibling."""
    parent = (
        Execution.objects.select_for_update()
        .only("sequence", "status", "waiting", "effect", "children_started", "children_finished", "children_failed")
        .get(pk=child.parent_id)
    )
    if parent.status != RUNNING or parent.sequence != child.parent_sequence or parent.waiting != Waiting.CHILDREN:
        return
    parent.children_finished += 1
    if child.status != Status.SUCCEEDED:
        parent.children_failed += 1
    total = parent.effect["total"]
    as_far_as_known = {**parent.effect, "children": [None] * total}
    stop = children_should_stop(as_far_as_known, [{"status": "FAILED"}] * parent.children_failed)
    if stop or parent.children_finished == total:
        parent.waiting = Waiting.RUNNABLE
        enqueue(parent.pk, parent.sequence)
    elif parent.children_started < total:
        # This spawn's sibling: a Map run again (a loop, a redrive) has the rows of its earlier runs too.
        queued = Execution.objects.filter(
            parent_id=parent.pk, parent_sequence=parent.sequence, child_index=parent.children_started
        )
        queued.update(waiting=Waiting.RUNNABLE, touched_at=timezone.now())
        sibling = queued.only("pk").get()
        parent.children_started += 1
        enqueue(sibling.pk, 0)
    parent.save(update_fields=["waiting", "children_started", "children_finished", "children_failed"])


def _gather(row: Execution) -> dict:
    """The children's results for the engine; their events spliced into this execution's history."""
    children = list(
        Execution.objects.filter(parent=row, parent_sequence=row.sequence)
        .order_by("child_index")
        .only("pk", "status", "output", "error", "cause")
    )
    # Queued children that never started will not now: mark them so nobody waits for them.
    Execution.objects.filter(parent=row, waiting=Waiting.QUEUED, status=RUNNING).update(
        status=Status.ABORTED, stopped_at=timezone.now()
    )
    results: list[dict | None] = []
    for child in children:
        if child.status in (RUNNING, Status.ABORTED):
            results.append(None)
            continue
        result = {"status": child.status}
        for key in ("output", "error", "cause"):
            value = getattr(child, key)
            if value is not None or key == "output":
                result[key] = value
        results.append(result)
    last = row.snapshot["event_id"]
    if not row.effect.get("distributed"):
        last = _splice_events(row, [c for c, r in zip(children, results, strict=True) if r is not None], last)
    return {"children": results, "last_event_id": last}


def _splice_events(row: Execution, children: list[Execution], last: int) -> int:
    """Copy the children's events into the parent's history, numbered on from `last`, in child order
    (the order `asl.execute` gives them), so a Map's history reads as on AWS."""
    copies: list[EventRow] = []
    fields = ("execution_id", "event_id", "previous_event_id", "type", "timestamp", "details")
    rows = HistoryEvent.objects.filter(execution__in=children).order_by("execution_id", "event_id").values_list(*fields)
    by_child: dict[int, list[tuple]] = {}
    for event in rows:
        by_child.setdefault(event[0], []).append(event)
    for child in children:
        offset = last
        for _, event_id, previous, kind, timestamp, details in by_child.get(child.pk, []):
            copies.append((row.pk, event_id + offset, previous + offset, kind, timestamp, details))
            last = event_id + offset
    insert_events(copies)
    return last


# --- callbacks -----------------------------------------------------------------------------------------


def _wait_for_callback(row: Execution, effect: dict, token: str, now: int) -> None:
    TaskToken.objects.get_or_create(
        token=token, defaults={"execution": row, "state": effect["state"], "sequence": row.sequence}
    )
    row.waiting = Waiting.CALLBACK
    row.wake_at = _execution_deadline(row, _callback_deadline(effect, now, now))
    row.touched_at = timezone.now()
    row.save(update_fields=["waiting", "wake_at", "touched_at"])  # the steps before it save later


def _callback_deadline(effect: dict, started_ms: int, heartbeat_ms: int) -> datetime | None:
    deadlines = []
    if effect.get("timeout_seconds"):
        deadlines.append(started_ms + int(effect["timeout_seconds"] * 1000))
    if effect.get("heartbeat_seconds"):
        deadlines.append(heartbeat_ms + int(effect["heartbeat_seconds"] * 1000))
    return _at(min(deadlines)) if deadlines else None


def _execution_deadline(row: Execution, wake_at: datetime | None) -> datetime | None:
    """`wake_at`, or earlier when the execution's TimeoutSeconds runs out first."""
    deadline = row.snapshot.get("deadline_ms") if row.snapshot else None
    if deadline is None:
        return wake_at
    return _at(deadline) if wake_at is None else min(wake_at, _at(deadline))


def _timeout_outcome(row: Execution) -> dict:
    TaskToken.objects.filter(execution=row, answered_at__isnull=True).update(answered_at=timezone.now())
    return {"error": "States.Timeout", "cause": None, "timeout": True}


def answer_callback(token: TaskToken, outcome: dict) -> None:
    """SendTaskSuccess/Failure: hand the outcome to the waiting execution (in the caller's transaction)."""
    row = Execution.objects.select_for_update().get(pk=token.execution_id)
    if row.status != RUNNING or row.sequence != token.sequence or row.waiting != Waiting.CALLBACK:
        return
    row.effect = {**row.effect, "outcome": outcome}
    row.waiting = Waiting.RUNNABLE
    row.touched_at = timezone.now()
    row.save(update_fields=["effect", "waiting", "touched_at"])
    enqueue(row.pk, row.sequence)


def _answer_nested_caller(nested: Execution) -> None:
    """A `.sync` startExecution task waits for this execution: hand it the result (lock order: this row,
    then the caller's, as in every callback)."""
    token = TaskToken.objects.filter(token=nested.caller_token, answered_at__isnull=True).first()
    if token is None:
        return
    outcome = resources.nested_outcome(nested)
    token.answered_at, token.outcome = timezone.now(), outcome
    token.save(update_fields=["answered_at", "outcome"])
    answer_callback(token, outcome)


def heartbeat(token: TaskToken) -> None:
    row = Execution.objects.select_for_update().get(pk=token.execution_id)
    if row.waiting != Waiting.CALLBACK or row.sequence != token.sequence:
        return
    started = int(token.created_at.timestamp() * 1000)
    row.wake_at = _callback_deadline(row.effect, started, now_ms())
    row.save(update_fields=["wake_at"])


# --- stopping ------------------------------------------------------------------------------------------


def stop(row: Execution, *, error: str | None = None, cause: str | None = None) -> None:
    """StopExecution: abort a running execution (its children notice and stop themselves)."""
    row = Execution.objects.select_for_update().get(pk=row.pk)
    if row.status != RUNNING:
        return
    if row.snapshot is None:
        row.status, row.stopped_at = Status.ABORTED, timezone.now()
        row.sequence += 1
        row.save()
        return
    step = asl.stop(machine_for(row), row.snapshot, now_ms=now_ms(), error=error, cause=cause)
    TaskToken.objects.filter(execution=row, answered_at__isnull=True).update(answered_at=timezone.now())
    events: list[dict] = []
    _apply(row, step, now_ms(), events)
    write_step(row, events)


def redrive(row: Execution) -> None:
    """RedriveExecution: the core starts again where the execution stopped; raises ValueError if it cannot."""
    row = Execution.objects.select_for_update(of=("self",)).select_related("version").get(pk=row.pk)
    if row.snapshot is None:
        raise ValueError("The execution stopped before its first state: start it again instead.")
    now = now_ms()
    step = asl.redrive(machine_for(row), row.snapshot, now_ms=now)
    row.status, row.stopped_at = RUNNING, None
    row.output = row.error = row.cause = None
    row.redrive_count += 1
    events: list[dict] = []
    following = _apply(row, step, now, events)
    write_step(row, events)
    if following.again:
        enqueue(row.pk, row.sequence)


# --- the sweeper ---------------------------------------------------------------------------------------


def sweep() -> dict[str, int]:
    """Re-enqueue what no worker holds: due timers and callback timeouts, and runnable executions whose
    worker died (or whose message the broker lost). Duplicates are harmless: each step claims its row."""
    now = timezone.now()
    local = Execution.objects.filter(backend=LOCAL)
    due = list(
        local.filter(
            status=RUNNING,
            waiting__in=(Waiting.TIMER, Waiting.CALLBACK, Waiting.CHILDREN, Waiting.PAUSED),
            wake_at__lte=now,
        ).values_list("pk", "sequence")[:1000]
    )
    stale = list(
        local.filter(status=RUNNING, waiting=Waiting.RUNNABLE, touched_at__lt=now - STALE_AFTER).values_list(
            "pk", "sequence"
        )[:1000]
    )
    with transaction.atomic():
        for pk, sequence in due + stale:
            enqueue(pk, sequence)
        if stale:
            Execution.objects.filter(pk__in=[pk for pk, _ in stale]).update(touched_at=now)
    return {"due": len(due), "stale": len(stale)}
