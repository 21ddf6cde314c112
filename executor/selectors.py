"""Reads of executions, scoped to the user's teams."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from executor.models import Execution


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


def get_execution(user: AbstractBaseUser, pk: int) -> Execution:
    execution = (
        Execution.objects.filter(workflow__team__memberships__user=user, pk=pk)
        .select_related("workflow__team", "version", "started_by", "test_case")
        .first()
    )
    if execution is None:
        raise Http404
    return execution
