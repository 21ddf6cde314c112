"""Execution backends behind one interface, registered by name: `local` (our workers) and `aws`.

Every backend stores what it runs as Execution rows with HistoryEvent rows in AWS's shape, so the API and
the browser never know which one ran an execution. See docs/adr and ../shared/DESIGN.md, "One backend
interface".
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser

from designer.errors import ServiceError
from designer.models import Workflow, WorkflowVersion
from executor.models import Execution, HistoryEvent


class Backend:
    name: ClassVar[str]

    def start(
        self,
        *,
        user: AbstractBaseUser,
        workflow: Workflow,
        input: Any,
        version: WorkflowVersion | None,
        name: str | None,
        options: dict,
    ) -> Execution:
        """Start an execution; `options` are the backend's own (a test case, an AWS connection…)."""
        raise NotImplementedError

    def describe(self, execution: Execution) -> Execution:
        """The execution with its status brought up to date."""
        return execution

    def history(self, execution: Execution, *, after: int = 0, limit: int = 1000) -> list[HistoryEvent]:
        """Events after `after`, oldest first."""
        return list(execution.events.filter(event_id__gt=after).order_by("event_id")[:limit])

    def stop(self, *, user: AbstractBaseUser, execution: Execution, error: str | None, cause: str | None) -> Execution:
        raise NotImplementedError

    def redrive(self, *, user: AbstractBaseUser, execution: Execution) -> Execution:
        """RedriveExecution: run a failed, timed-out or aborted execution again from where it stopped."""
        raise NotImplementedError


_MODULES = {"local": "executor.backends.local", "aws": "executor.backends.aws"}


def get_backend(name: str) -> Backend:
    module = _MODULES.get(name)
    if module is None:
        raise ServiceError("unknown_backend", f"There is no execution backend {name!r}.", {"field": "/backend"})
    try:
        return importlib.import_module(module).backend
    except ImportError:
        raise ServiceError("backend_unavailable", f"The {name} backend is not available here.", {"field": "/backend"})
