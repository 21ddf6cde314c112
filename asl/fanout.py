"""Parallel and Map: each fans out as a `children` effect (child executions of a sub-machine) and
fans back in when the shell reports every child's result."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from asl import errors as E
from asl.dataflow import (
    Scope,
    compile_jsonata_template,
    compile_template,
    dumps,
    evaluate_jsonata_template,
    evaluate_template,
    resolve_path,
)
from asl.errors import StatesError
from asl.flow import effective_input, finish_jsonata, finish_jsonpath, json_type, plain
from asl.jsonata import UNDEFINED
from asl.model import JSONATA, State
from asl.paths import PathNotFound, compile_path

MAP_ITERATION, BRANCH = "map_iteration", "branch"

if TYPE_CHECKING:
    from asl.engine import _Run as Run


def run_parallel(run: Run, state: State) -> None:
    snap = run.snap
    if snap["phase"] != "retrying":
        run.enter(state)
    if state.query_language == JSONATA:
        states = run.states_binding()
        effective = (
            evaluate_jsonata_template(state.arguments, states, snap["variables"])
            if state.arguments is not None
            else snap["input"]
        )
    else:
        effective = effective_input(run, state)
        if state.parameters is not None:
            effective = evaluate_template(state.parameters, effective, run.scope())
    run.emit("ParallelStateStarted", None)
    snap["phase"] = "children"
    snap["pending"] = None
    run.effect = {
        "type": "children",
        "state": state.name,
        "max_concurrency": 0,
        "tolerated_failure_count": 0,
        "tolerated_failure_percentage": 0,
        "children": [
            {
                "ref": ref,
                "kind": BRANCH,
                "input": effective,
                "context": child_context(snap["context"]),
                "variables": snap["variables"],
                "deadline_ms": snap.get("deadline_ms"),
            }
            for ref in state.branches
        ],
    }


def child_context(context: dict) -> dict:
    return {key: value for key, value in context.items() if key not in ("State", "Map", "Task")}


def parallel_outcome(run: Run, state: State, outcome: dict) -> None:
    results = outcome.get("children", [])
    for child in results:
        if child and child.get("status") != "SUCCEEDED":
            run.handle_error(state, child.get("error"), child.get("cause"))
            return
    run.emit("ParallelStateSucceeded", None)
    output = [child["output"] for child in results]
    _finish_children(run, state, output)


def _finish_children(run: Run, state: State, result: Any) -> None:
    if state.query_language == JSONATA:
        finish_jsonata(run, state, result, state.next)
    else:
        finish_jsonpath(run, state, result, state.next)


def run_map(run: Run, state: State) -> None:
    snap = run.snap
    phase = snap["phase"]
    if phase not in ("retrying", "items_read"):
        run.enter(state)
    if state.item_reader is not None and phase != "items_read":
        _read_items(run, state)
        return
    scope = run.scope()
    jsonata = state.query_language == JSONATA
    if state.item_reader is not None:
        items = snap["pending"]["items"]
        effective = snap["input"] if jsonata else effective_input(run, state)
    elif jsonata:
        states = run.states_binding()
        variables = snap["variables"]
        if state.items is not None:
            items = evaluate_jsonata_template(state.items, states, variables, keep_undefined=True)
            if not isinstance(items, list):
                node = state.items
                source = node[1].source if node[0] == "jsonata" else dumps(node[1])
                if items is UNDEFINED:
                    raise StatesError(
                        E.QUERY_EVALUATION_ERROR,
                        f"The JSONata expression '{source}' specified for the field 'Items' returned an unsupported "
                        "result type.",
                    )
                raise StatesError(
                    E.QUERY_EVALUATION_ERROR,
                    f"The JSONata expression '{source}' specified for the field 'Items' returned an unexpected result "
                    f"type. Expected 'array', but was '{json_type(items)}' for value: {dumps(items)}",
                )
        else:
            items = snap["input"]
            if not isinstance(items, list):
                raise StatesError(E.QUERY_EVALUATION_ERROR, f"Map state input must be an array but was: {dumps(items)}")
        effective = snap["input"]
    else:
        effective = effective_input(run, state)
        if state.items_path is not None:
            try:
                items = resolve_path(state.items_path, effective, scope)
            except PathNotFound:
                raise StatesError(
                    E.RUNTIME,
                    f"Invalid path '{state.items_path.text}' : No results for path: {state.items_path.normalized()}",
                ) from None
        else:
            items = effective
        if not isinstance(items, list):
            raise StatesError(
                E.RUNTIME,
                f"Invalid path '{state.items_path.text if state.items_path else '$'}' : The value of the path is not an array: {dumps(items)}",
            )
    if state.item_batcher:
        items = _batch(run, state, items, effective)
    max_concurrency = _map_number(run, state.max_concurrency, "MaxConcurrency", effective, integer=True)
    if not jsonata:
        # AWS reports the Map as started before it reads the tolerated failures (the corpus shows it).
        run.emit("MapStateStarted", {"length": len(items)})
    count = _map_number(run, state.tolerated_count, "ToleratedFailureCount", effective, integer=True)
    percentage = _map_number(run, state.tolerated_percentage, "ToleratedFailurePercentage", effective, integer=False)
    if count is not None and count < 0:
        raise StatesError(E.RUNTIME, "ToleratedFailureCount cannot be negative.")
    if percentage is not None and not 0 <= percentage <= 100:
        raise StatesError(E.RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
    children = []
    base_context = child_context(snap["context"])
    for index, item in enumerate(items):
        context = dict(base_context)
        context["Map"] = {"Item": {"Index": index, "Value": item}}
        if state.item_selector is not None:
            if jsonata:
                selector_states = {"input": snap["input"], "context": context}
                child_input = evaluate_jsonata_template(state.item_selector, selector_states, snap["variables"])
            else:
                child_input = evaluate_template(state.item_selector, effective, Scope(context, snap["variables"]))
        else:
            child_input = item
        children.append(
            {
                "ref": state.processor,
                "kind": MAP_ITERATION,
                "index": index,
                "name": state.name,
                "input": child_input,
                "context": context,
                "variables": snap["variables"],
                "deadline_ms": snap.get("deadline_ms"),
            }
        )
    if jsonata:
        run.emit("MapStateStarted", {"length": len(children)})
    if state.distributed:
        run.emit("MapRunStarted", {"mapRunArn": f"{snap['context']['Execution']['Id']}/{state.name}"})
    snap["phase"] = "children"
    snap["pending"] = {
        "tolerated_failure_count": count or 0,
        "tolerated_failure_percentage": percentage or 0,
        "distributed": state.distributed,
    }
    run.effect = {
        "type": "children",
        "state": state.name,
        "max_concurrency": max_concurrency or 0,
        "tolerated_failure_count": count or 0,
        "tolerated_failure_percentage": percentage or 0,
        "distributed": state.distributed,
        "children": children,
    }


def _batch(run: Run, state: State, items: list, effective: Any) -> list:
    """ItemBatcher: items grouped as {"BatchInput": …, "Items": [...]} (MaxInputBytesPerBatch is not enforced)."""
    batcher = state.item_batcher
    if state.query_language == JSONATA:
        node = compile_jsonata_template(batcher, "ItemBatcher")
        batcher = evaluate_jsonata_template(node, run.states_binding(), run.snap["variables"])
    size = batcher.get("MaxItemsPerBatch")
    if size is None and "MaxItemsPerBatchPath" in batcher:
        size = resolve_path(compile_path(batcher["MaxItemsPerBatchPath"]), effective, run.scope())
    size = _coerce_number(size, True) if size is not None else None
    if size is not None and size <= 0:
        raise StatesError(E.RUNTIME, f"MaxItemsPerBatch must be a positive integer, got {size}")
    size = size or len(items) or 1
    batch_input = batcher.get("BatchInput", {})
    if state.query_language != JSONATA and isinstance(batch_input, dict):
        batch_input = evaluate_template(compile_template(batch_input), effective, run.scope())
    return [{"BatchInput": batch_input, "Items": items[i : i + size]} for i in range(0, len(items), size)]


def _map_number(run: Run, node: tuple | None, field: str, effective: Any, *, integer: bool) -> Any:
    if node is None:
        return None
    if node[0] == "lit":
        return node[1]
    if node[0] == "path":
        try:
            value = resolve_path(node[1], effective, run.scope())
        except PathNotFound:
            raise StatesError(E.RUNTIME, f"The {field}Path field refers to a missing value: {node[1].text}") from None
        raw = value
        value = _coerce_number(value, integer)
        if value is None:
            kind = "integer" if integer else "float"
            raise StatesError(
                E.RUNTIME,
                f'The {field}Path field refers to value "{plain(raw)}" which is not a valid {kind}: {node[1].text}',
            )
        return value
    return evaluate_jsonata_template(node, run.states_binding(), run.snap["variables"])


def _coerce_number(value: Any, integer: bool) -> Any:
    """AWS reads these fields leniently: a number, or a string holding one."""
    if type(value) is str:
        try:
            value = int(value) if integer else float(value)
        except ValueError:
            return None
    if integer:
        return value if type(value) is int else None
    return value if type(value) in (int, float) else None


def children_should_stop(effect: dict, failed: int | list) -> bool:
    """Whether the children finished so far already fail the Map or Parallel, so no further child
    need start. Shared by every shell that runs children.

    `failed` is the number of failed children, or (the first form of this API) the list of
    finished children's results."""
    if not isinstance(failed, int):
        failed = sum(1 for r in failed if r and r.get("status") != "SUCCEEDED")
    if not failed:
        return False
    if effect.get("tolerated_failure_count") or effect.get("tolerated_failure_percentage"):
        return _over_tolerance(effect, failed)
    return True


def _over_tolerance(effect: dict, failed: int) -> bool:
    total = len(effect["children"])
    count = effect.get("tolerated_failure_count") or 0
    percentage = effect.get("tolerated_failure_percentage") or 0
    if failed <= count:
        return False
    return not (total and failed * 100 / total <= percentage)


def map_outcome(run: Run, state: State, outcome: dict) -> None:
    results = outcome.get("children", [])
    effect_like = {"children": results, **(run.snap["pending"] or {})}
    effect_like.setdefault("tolerated_failure_count", 0)
    effect_like.setdefault("tolerated_failure_percentage", 0)
    failures = [r for r in results if r and r.get("status") != "SUCCEEDED"]
    if failures and _over_tolerance(effect_like, len(failures)) or any(r is None for r in results):
        first = failures[0] if failures else {}
        if effect_like["tolerated_failure_count"] or effect_like["tolerated_failure_percentage"]:
            run.handle_error(
                state,
                E.EXCEEDED_TOLERATED_FAILURE,
                "The specified tolerance threshold was exceeded.",
            )
        else:
            run.handle_error(state, first.get("error"), first.get("cause"))
        return
    if run.snap["pending"].get("distributed"):
        run.emit("MapRunSucceeded", None)
    output = [r["output"] if r.get("status") == "SUCCEEDED" else _failed_item(r) for r in results]
    if state.result_writer is not None:
        _write_results(run, state, output)
        return
    run.emit("MapStateSucceeded", None)
    _finish_children(run, state, output)


# ------------------------------------------------------------------ Distributed Map I/O, as effects


def _io_parameters(run: Run, state: State, config: dict, field: str) -> Any:
    """The Parameters (JSONPath) or Arguments (JSONata) of an ItemReader or ResultWriter."""
    snap = run.snap
    if state.query_language == JSONATA:
        raw = config.get("Arguments", {})
        node = compile_jsonata_template(raw, f"{field}/Arguments")
        return evaluate_jsonata_template(node, run.states_binding(), snap["variables"])
    raw = config.get("Parameters", {})
    return evaluate_template(compile_template(raw), effective_input(run, state), run.scope())


def _read_items(run: Run, state: State) -> None:
    """Reading items is I/O, so it leaves the core as an `invoke` of the reader's resource."""
    reader = state.item_reader
    run.snap["phase"] = "read_items"
    run.effect = {
        "type": "invoke",
        "state": state.name,
        "resource": reader["Resource"],
        "parameters": _io_parameters(run, state, reader, "ItemReader"),
        "reader_config": reader.get("ReaderConfig", {}),
        "timeout_seconds": None,
        "heartbeat_seconds": None,
        "attempt": 0,
    }


def items_read(run: Run, state: State, outcome: dict) -> None:
    """The reader's result: parsed per ReaderConfig.InputType, then the Map starts over its items."""
    if "result" not in outcome:
        raise StatesError(E.ITEM_READER_FAILED, outcome.get("cause") or outcome.get("error") or "")
    config = state.item_reader.get("ReaderConfig", {})
    try:
        items = parse_items(outcome["result"], config)
    except (ValueError, KeyError, TypeError) as error:
        raise StatesError(E.ITEM_READER_FAILED, f"The item reader could not parse the items: {error}") from None
    run.snap["pending"] = {"items": items}
    run.snap["phase"] = "items_read"


_CSV_DELIMITERS = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}


def parse_items(result: Any, config: dict) -> list:
    """Items from a reader result: a list as is, or file content as JSON, JSONL or CSV text."""
    if isinstance(result, dict) and "Body" in result:
        result = result["Body"]
    input_type = config.get("InputType", "JSON")
    if isinstance(result, (bytes, bytearray)):
        result = result.decode("utf-8")
    if isinstance(result, str):
        if input_type == "JSONL":
            items = [json.loads(line) for line in result.splitlines() if line.strip()]
        elif input_type == "CSV":
            delimiter = _CSV_DELIMITERS.get(config.get("CSVDelimiter", "COMMA"), ",")
            rows = list(csv.reader(io.StringIO(result), delimiter=delimiter))
            if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
                headers = config["CSVHeaders"]
            else:
                headers, rows = (rows[0], rows[1:]) if rows else ([], [])
            items = [dict(zip(headers, row, strict=False)) for row in rows]
        else:
            items = json.loads(result)
    else:
        items = result
    if not isinstance(items, list):
        raise ValueError("the items are not an array")
    limit = config.get("MaxItems")
    return items[:limit] if isinstance(limit, int) and limit > 0 else items


def _write_results(run: Run, state: State, output: list) -> None:
    writer = state.result_writer
    parameters = _io_parameters(run, state, writer, "ResultWriter")
    run.snap["phase"] = "write_results"
    run.effect = {
        "type": "invoke",
        "state": state.name,
        "resource": writer["Resource"],
        "parameters": {**(parameters or {}), "Results": output},
        "timeout_seconds": None,
        "heartbeat_seconds": None,
        "attempt": 0,
    }


def results_written(run: Run, state: State, outcome: dict) -> None:
    if "result" not in outcome:
        raise StatesError(E.RESULT_WRITER_FAILED, outcome.get("cause") or outcome.get("error") or "")
    run.emit("MapStateSucceeded", None)
    result = outcome["result"]
    _finish_children(run, state, result if result is not None else {"ResultWriterDetails": {}})


def _failed_item(result: dict) -> Any:
    return {"Error": result.get("error"), "Cause": result.get("cause")}
