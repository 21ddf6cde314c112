"""AWS's error codes and shapes on the Step Functions endpoint.

A JSON 1.0 error is `{"__type": "<Code>", "message": "…"}` with the code in `x-amzn-ErrorType` too;
every SDK reads the code from either. Extra fields (our `diagnostics`) are ignored by SDKs that do not
know them.
"""

from __future__ import annotations

from typing import Any


class SfnError(Exception):
    def __init__(self, code: str, message: str, *, status: int = 400, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        return {"__type": self.code, "message": self.message, **self.extra}


def validation(message: str) -> SfnError:
    return SfnError("ValidationException", message)


def missing(name: str) -> SfnError:
    return SfnError(
        "ValidationException",
        f"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null",
    )
