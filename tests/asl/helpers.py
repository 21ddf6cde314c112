"""Small builders shared by the state tests."""

from __future__ import annotations

from typing import Any


def machine(*states: tuple[str, dict], **top: Any) -> dict:
    """A definition whose StartAt is the first state given."""
    return {"StartAt": states[0][0], "States": dict(states), **top}


def types(result) -> list[str]:
    return [event["type"] for event in result.history]
