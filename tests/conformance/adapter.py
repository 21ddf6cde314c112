"""check.py plug-in: `python ../shared/conformance/check.py --python tests.conformance.adapter:run`."""

from __future__ import annotations

from typing import Any

import asl


def run(definition: dict, input: Any, mocks: dict | None = None) -> dict:
    try:
        result = asl.execute(definition, input, mocks=mocks)
    except asl.DefinitionError as error:
        return {"status": "INVALID_DEFINITION", "error": "DefinitionError", "cause": str(error)}
    return result.to_dict()
