"""Diagnostics: what the validator and the parser report about a definition."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR = "ERROR"
WARNING = "WARNING"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a definition, located by a JSON pointer (and line/column for text input)."""

    severity: str
    code: str
    message: str
    location: str
    state: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class DefinitionError(ValueError):
    """Raised by `asl.parse` when a definition has errors; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        summary = f"{first.code} at {first.location or '/'}: {first.message}" if first else "invalid definition"
        more = f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
        super().__init__(summary + more)
