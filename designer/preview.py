"""The data-flow preview: what each JSONPath processing field of one state makes of a sample input.

Each step runs for real through `asl.execute`, as a one-state machine that applies just that field, so the
preview and a run can never disagree. The context object and variables are those of a fresh execution.
"""

from __future__ import annotations

from typing import Any

import asl

ABSENT = object()


def _run(state: dict, input: Any) -> tuple[Any, dict | None]:
    result = asl.execute({"StartAt": "S", "States": {"S": {**state, "Type": "Pass", "End": True}}}, input)
    if result.status == "SUCCEEDED":
        return result.output, None
    return None, {"error": result.error, "cause": result.cause}


def preview(state: dict, input: Any, result: Any = ABSENT) -> dict:
    """`{"steps": [{"field", "value" | "skipped" | "error"}], "error"}` for one state's data flow."""
    if state.get("QueryLanguage") == "JSONata" or any(k in state for k in ("Arguments", "Output")):
        return {"steps": [], "error": {"error": "Unsupported", "cause": "The preview covers JSONPath states."}}
    steps: list[dict] = []

    def step(field: str, fields: dict, value: Any) -> Any:
        if all(v is ABSENT for v in fields.values()):
            steps.append({"field": field, "skipped": True})
            return value
        out, error = _run({k: v for k, v in fields.items() if v is not ABSENT}, value)
        if error:
            steps.append({"field": field, "error": f"{error['error']}: {error['cause']}"})
            raise _Stop(error)
        steps.append({"field": field, "value": out})
        return out

    kind = state.get("Type")
    try:
        effective = step("InputPath", {"InputPath": state.get("InputPath", ABSENT)}, input)
        selector = "ItemSelector" if kind == "Map" else "Parameters"
        effective = step(selector, {"Parameters": state.get(selector, state.get("Parameters", ABSENT))}, effective)
        if kind == "Pass":
            produced = state.get("Result", effective)
        elif result is not ABSENT:
            produced = result
        elif kind in ("Task", "Map", "Parallel"):
            steps.append({"field": "Result", "skipped": True})
            return {"steps": steps, "error": None}
        else:
            return {"steps": steps, "error": None}
        produced = step("ResultSelector", {"Parameters": state.get("ResultSelector", ABSENT)}, produced)
        if "ResultPath" in state:
            output = step("ResultPath", {"Result": produced, "ResultPath": state["ResultPath"]}, input)
        else:
            output = produced
            steps.append({"field": "ResultPath", "value": output})
        step("OutputPath", {"OutputPath": state.get("OutputPath", ABSENT)}, output)
    except _Stop as stop:
        return {"steps": steps, "error": stop.error}
    return {"steps": steps, "error": None}


class _Stop(Exception):
    def __init__(self, error: dict):
        self.error = error
