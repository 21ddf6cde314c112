"""asl: the Amazon States Language kit — parse, validate and run Step Functions definitions.

Pure Python: nothing here imports Django, Celery or boto3 (tests/asl/test_import_boundary.py).
"""

from asl.diagnostics import ERROR, WARNING, DefinitionError, Diagnostic
from asl.validation import validate

__all__ = ["ERROR", "WARNING", "DefinitionError", "Diagnostic", "validate"]
