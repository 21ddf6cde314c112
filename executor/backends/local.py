"""The local backend: executions run by Stepwright's own Celery workers (executor/driver.py)."""

from __future__ import annotations

from typing import Any

from designer.errors import ServiceError
from executor import services
from executor.backends import Backend
from executor.models import Execution


class LocalBackend(Backend):
    name = "local"

    def start(self, *, user, workflow, input: Any, version, name, options: dict) -> Execution:
        test_case = None
        if options.get("test_case"):
            test_case = workflow.test_cases.filter(name=options["test_case"]).first()
            if test_case is None:
                raise ServiceError(
                    "unknown_test_case",
                    f"The workflow has no test case {options['test_case']!r}.",
                    {"field": "/test_case"},
                )
        connection = None
        if options.get("aws_connection"):
            # Opting in to real AWS services for tasks: one of the team's own connections only.
            connection = workflow.team.aws_connections.filter(pk=options["aws_connection"]).first()
            if connection is None:
                raise ServiceError(
                    "unknown_connection", "The team has no such AWS connection.", {"field": "/aws_connection"}
                )
        return services.start_execution(
            user=user, workflow=workflow, input=input, version=version, name=name, test_case=test_case,
            aws_connection=connection, breakpoints=options.get("breakpoints"),
        )  # fmt: skip

    def stop(self, *, user, execution: Execution, error, cause) -> Execution:
        return services.stop_execution(user=user, execution=execution, error=error, cause=cause)

    def redrive(self, *, user, execution: Execution) -> Execution:
        return services.redrive_execution(user=user, execution=execution)


backend = LocalBackend()
