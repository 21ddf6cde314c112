"""Reads of executions, scoped to the user's teams."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.http import Http404

from executor.models import Execution, Status


def executions_for(
    user: AbstractBaseUser,
    *,
    workflow: int | None = None,
    team: int | None = None,
    status: str | None = None,
    backend: str | None = None,
    started_by: str | None = None,
    search: str | None = None,
) -> QuerySet[Execution]:
    qs = Execution.objects.filter(workflow__team__memberships__user=user, parent__isnull=True)
    if workflow is not None:
        qs = qs.filter(workflow_id=workflow)
    if team is not None:
        qs = qs.filter(workflow__team_id=team)
    if status:
        qs = qs.filter(status=status.upper())
    if backend:
        qs = qs.filter(backend=backend)
    if started_by:
        qs = qs.filter(started_by__username=started_by)
    if search:
        qs = qs.filter(name__icontains=search)
    return (
        qs.select_related("workflow", "version", "started_by", "test_case")
        .defer("snapshot", "effect")
        .order_by("-started_at", "-id")
    )


def execution_to_poll(user: AbstractBaseUser, pk: int) -> Execution:
    """The execution for a history poll: only what the poll reads (the page polls every second; the full
    row with its workflow and version, definitions and snapshot included, cost more than the events)."""
    execution = (
        Execution.objects.filter(workflow__team__memberships__user=user, pk=pk)
        .only("pk", "status", "backend", "stopped_at")
        .first()
    )
    if execution is None:
        raise Http404
    if execution.backend != Execution.Backend.LOCAL:
        return get_execution(user, pk)  # another backend's describe() may read and save anything
    return execution


def get_execution(user: AbstractBaseUser, pk: int) -> Execution:
    execution = (
        Execution.objects.filter(workflow__team__memberships__user=user, pk=pk)
        .select_related("workflow__team", "version", "started_by", "test_case")
        .first()
    )
    if execution is None:
        raise Http404
    return execution


@dataclass(frozen=True)
class Children:
    """One fan-out of an execution (a Map's iterations or a Parallel's branches): its counts and a page."""

    live: bool  # the execution waits for these children now
    state: str | None  # the Map or Parallel state they belong to, while live
    total: int
    done: int
    failed: int
    running: int
    page: list[Execution]
    # state name → {"running": n, "paused": n}: where the running children are now (paused = at a breakpoint
    # before that state); empty when not live
    states: dict[str, dict[str, int]]


def children_of(execution: Execution, *, after: int = -1, limit: int = 100, status: str | None = None) -> Children:
    """The children of the execution's latest fan-out with `child_index > after`, oldest first. Counts come
    from the parent's own counters while it waits (no scan of the children), else from one aggregate."""
    rows = Execution.objects.filter(parent=execution)
    live = execution.status == Status.RUNNING and execution.waiting == Execution.Waiting.CHILDREN
    if live:
        sequence = execution.sequence
    else:
        # every fan-out with children has a child 0: the (parent, child_index) index finds the latest
        first = rows.filter(child_index=0).order_by("-parent_sequence").values_list("parent_sequence", flat=True)
        sequence = first.first()
    rows = rows.filter(parent_sequence=sequence)
    if live:
        effect = execution.effect or {}
        total = int(effect.get("total") or 0)
        done, failed = execution.children_finished, execution.children_failed
        running = execution.children_started - done
    else:
        counts = rows.aggregate(
            total=Count("pk"),
            running=Count("pk", filter=Q(status=Status.RUNNING)),
            failed=Count("pk", filter=~Q(status__in=(Status.RUNNING, Status.SUCCEEDED))),
        )
        total, running, failed = counts["total"], counts["running"], counts["failed"]
        done = total - running
    page = rows.filter(child_index__gt=after)
    if status:
        page = page.filter(status=status.upper())
    page = (
        page.annotate(current_state=KeyTransform("state", "snapshot"))
        .only("pk", "kind", "name", "child_index", "status", "waiting", "error", "cause", "started_at", "stopped_at")
        .order_by("child_index")[:limit]
    )
    state = (execution.snapshot or {}).get("state") if live else None
    return Children(live, state, total, done, failed, running, list(page), where_running(rows) if live else {})


def where_running(rows: QuerySet[Execution]) -> dict[str, dict[str, int]]:
    """How many of these children are in each state now, and how many wait at a breakpoint before it: one
    grouped count over the running ones (a child's events join its parent's history only at fan-in)."""
    paused = Q(waiting=Execution.Waiting.PAUSED)
    grouped = (
        rows.filter(status=Status.RUNNING)
        .annotate(at=KeyTransform("state", "snapshot"))
        .values("at")
        .annotate(running=Count("pk", filter=~paused), paused=Count("pk", filter=paused))
        .order_by()
    )
    return {g["at"]: {"running": g["running"], "paused": g["paused"]} for g in grouped if isinstance(g["at"], str)}
