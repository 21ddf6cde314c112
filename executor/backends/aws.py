"""The aws backend: executions of the deployed state machine on AWS Step Functions.

The work lives in designer/aws/executions.py (start, the polling copy of GetExecutionHistory into
HistoryEvent, stop, redrive, callbacks); this adapter puts it behind the executor's Backend interface.
"""

from __future__ import annotations

from typing import Any

from designer.aws import executions
from designer.errors import ServiceError
from executor.backends import Backend
from executor.models import Execution


class AwsBackend(Backend):
    name = "aws"

    def start(self, *, user, workflow, input: Any, version, name, options: dict) -> Execution:
        if options.get("test_case"):
            raise ServiceError(
                "test_case_local_only",
                "Test cases mock tasks of local runs; AWS runs the real ones.",
                {"field": "/test_case"},
            )
        return executions.start(
            user=user,
            workflow=workflow,
            input=input,
            version=version,
            name=name,
            connection_id=options.get("connection"),
        )

    def describe(self, execution: Execution) -> Execution:
        return executions.watch(execution)

    def stop(self, *, user, execution: Execution, error, cause) -> Execution:
        return executions.stop(user=user, execution=execution, error=error, cause=cause)

    def redrive(self, *, user, execution: Execution) -> Execution:
        return executions.redrive(user=user, execution=execution)


backend = AwsBackend()
