"""AWS's error names and the exception that carries a state failure through the engine."""

from __future__ import annotations

ALL = "States.ALL"
TIMEOUT = "States.Timeout"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
TASK_FAILED = "States.TaskFailed"
RUNTIME = "States.Runtime"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
INTRINSIC_FAILURE = "States.IntrinsicFailure"
QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
ITEM_READER_FAILED = "States.ItemReaderFailed"
RESULT_WRITER_FAILED = "States.ResultWriterFailed"
EXCEEDED_TOLERATED_FAILURE = "States.ExceedToleratedFailureThreshold"
BRANCH_FAILED = "States.BranchFailed"
NO_CHOICE_MATCHED = "States.NoChoiceMatched"
PERMISSIONS = "States.Permissions"

# `States.ALL` catches everything except these (AWS: they are terminal).
NOT_CAUGHT_BY_ALL = frozenset({RUNTIME, DATA_LIMIT_EXCEEDED})
# `States.TaskFailed` matches any error a task raises except a timeout.
NOT_CAUGHT_BY_TASK_FAILED = frozenset({TIMEOUT, HEARTBEAT_TIMEOUT, RUNTIME, DATA_LIMIT_EXCEEDED})


class StatesError(Exception):
    """A failure inside a state, named as AWS names it; Retry and Catch match on `error`."""

    def __init__(self, error: str | None, cause: str | None = None):
        super().__init__(f"{error}: {cause}" if cause else str(error))
        self.error = error
        self.cause = cause


def matches(error_equals: tuple[str, ...], error: str | None, *, reported_by_task: bool = False) -> bool:
    """Whether a retrier's or catcher's ErrorEquals list covers `error`.

    `reported_by_task`: the error came back from a task. AWS then lets `States.ALL` match even
    States.DataLimitExceeded (recorded in the corpus); only the engine's own limit errors are terminal.
    """
    for name in error_equals:
        if name == error:
            return True
        if name == ALL and (reported_by_task or error not in NOT_CAUGHT_BY_ALL):
            return True
        if name == TASK_FAILED and error not in NOT_CAUGHT_BY_TASK_FAILED and error is not None:
            return True
    return False
