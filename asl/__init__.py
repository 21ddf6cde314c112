"""asl: the Amazon States Language kit — parse, validate and run Step Functions definitions.

Pure Python: nothing here imports Django, Celery or boto3 (tests/asl/test_import_boundary.py).
"""

from asl.api import execute, parse
from asl.clock import RealClock, VirtualClock
from asl.diagnostics import ERROR, WARNING, DefinitionError, Diagnostic
from asl.engine import Step, redrive, resume, start, start_child, stop
from asl.mocks import TaskFailure, from_mock_config
from asl.model import StateMachine
from asl.runner import Result
from asl.validation import validate

__all__ = [
    "ERROR",
    "WARNING",
    "DefinitionError",
    "Diagnostic",
    "RealClock",
    "Result",
    "StateMachine",
    "Step",
    "TaskFailure",
    "VirtualClock",
    "execute",
    "from_mock_config",
    "parse",
    "redrive",
    "resume",
    "start",
    "start_child",
    "stop",
    "validate",
]
