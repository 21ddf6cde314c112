"""The states that run inside the core: Pass, Choice, Succeed, Fail and Wait, plus the data-flow
tails every state shares. Each handler takes the engine's run (`asl.engine.Run`) and the state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asl import errors as E
from asl.choice import parse_timestamp
from asl.dataflow import (
    apply_input_path,
    apply_result_path,
    dumps,
    evaluate_jsonata_template,
    evaluate_template,
    resolve_path,
)
from asl.errors import StatesError
from asl.events import iso
from asl.jsonata import UNDEFINED
from asl.model import JSONATA, State
from asl.paths import PathNotFound

if TYPE_CHECKING:
    from asl.engine import _Run as Run


def effective_input(run: Run, state: State) -> Any:
    snap = run.snap
    if state.has_input_path:
        return apply_input_path(state.input_path, True, snap["input"], run.scope())
    return snap["input"]


def finish_jsonpath(run: Run, state: State, result: Any, next_state: str | None) -> None:
    """ResultSelector → Assign → ResultPath → OutputPath, then leave (Task, Map, Parallel, Pass)."""
    snap = run.snap
    scope = run.scope()
    if state.result_selector is not None:
        result = evaluate_template(state.result_selector, result, scope)
    if state.assign is not None:
        assigned = evaluate_template(state.assign, result, scope)
    output = apply_result_path(state.result_path, state.has_result_path, snap["input"], result)
    if state.has_output_path:
        output = apply_input_path(state.output_path, True, output, scope)
    if state.assign is not None:
        snap["variables"].update(assigned)
    run.exit(state, output, next_state)


def finish_jsonata(run: Run, state: State, result: Any, next_state: str | None) -> None:
    """Output and Assign see `$states.result`; both read the variables from before the state."""
    snap = run.snap
    states = run.states_binding({"result": result} if result is not UNDEFINED else None)
    variables = snap["variables"]
    assigned = evaluate_jsonata_template(state.assign, states, variables) if state.assign is not None else None
    if state.output is not None:
        output = evaluate_jsonata_template(state.output, states, variables)
    else:
        output = result if result is not UNDEFINED else snap["input"]
    if assigned:
        variables.update(assigned)
    run.exit(state, output, next_state)


def run_pass(run: Run, state: State) -> None:
    run.enter(state)
    if state.query_language == JSONATA:
        finish_jsonata(run, state, UNDEFINED, state.next)
        return
    effective = effective_input(run, state)
    if state.parameters is not None:
        result = evaluate_template(state.parameters, effective, run.scope())
    elif state.has_result:
        result = state.result
    else:
        result = effective
    finish_jsonpath(run, state, result, state.next)


def run_choice(run: Run, state: State) -> None:
    run.enter(state)
    snap = run.snap
    if state.query_language == JSONATA:
        states = run.states_binding()
        variables = snap["variables"]
        for choice in state.choices:
            value = evaluate_jsonata_template(choice.predicate, states, variables)
            if value is True:
                assigned = evaluate_jsonata_template(choice.assign, states, variables) if choice.assign else None
                output = (
                    evaluate_jsonata_template(choice.output, states, variables)
                    if choice.output is not None
                    else evaluate_jsonata_template(state.output, states, variables)
                    if state.output is not None
                    else snap["input"]
                )
                if assigned:
                    variables.update(assigned)
                run.exit(state, output, choice.next)
                return
            if not isinstance(value, bool):
                raise StatesError(
                    E.QUERY_EVALUATION_ERROR,
                    f"The JSONata expression '{_source(choice.predicate)}' specified for the field 'Condition' "
                    f"returned an unexpected result type. Expected 'boolean', but was '{json_type(value)}' for "
                    f"value: {dumps(value)}",
                )
        if state.default is None:
            raise StatesError(E.NO_CHOICE_MATCHED, "No Matches!")
        _choice_default(run, state, snap["input"])
        return
    effective = effective_input(run, state)
    scope = run.scope()
    for choice in state.choices:
        if choice.predicate(effective, scope):
            if choice.assign is not None:
                snap["variables"].update(evaluate_template(choice.assign, effective, scope))
            output = effective
            if state.has_output_path:
                output = apply_input_path(state.output_path, True, effective, scope)
            run.exit(state, output, choice.next)
            return
    if state.default is None:
        raise StatesError(E.NO_CHOICE_MATCHED, "No Matches!")
    _choice_default(run, state, effective)


def _source(node: tuple) -> str:
    return node[1].source if node[0] == "jsonata" else dumps(node[1])


def _choice_default(run: Run, state: State, effective: Any) -> None:
    snap = run.snap
    if state.query_language == JSONATA:
        output = snap["input"]
        if state.output is not None:
            output = evaluate_jsonata_template(state.output, run.states_binding(), snap["variables"])
        if state.assign is not None:
            snap["variables"].update(evaluate_jsonata_template(state.assign, run.states_binding(), snap["variables"]))
    else:
        output = effective
        if state.assign is not None:
            snap["variables"].update(evaluate_template(state.assign, effective, run.scope()))
        if state.has_output_path:
            output = apply_input_path(state.output_path, True, effective, run.scope())
    run.exit(state, output, state.default)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def run_succeed(run: Run, state: State) -> None:
    run.enter(state)
    effective = effective_input(run, state) if state.query_language != JSONATA else run.snap["input"]
    run.leave_plain(state, effective)


def run_fail(run: Run, state: State) -> None:
    run.enter(state)
    snap = run.snap
    if state.query_language == JSONATA:
        states = run.states_binding()
        error = evaluate_jsonata_template(state.error, states, snap["variables"]) if state.error else None
        cause = evaluate_jsonata_template(state.cause, states, snap["variables"]) if state.cause else None
    else:
        error = _fail_value(run, state.error, "ErrorPath")
        cause = _fail_value(run, state.cause, "CausePath")
    snap["retries"] = []
    run.fail(error, cause)


def _fail_value(run: Run, node: tuple | None, field: str) -> Any:
    if node is None:
        return None
    if node[0] == "path":
        path = node[1]
        data = run.snap["input"]
        try:
            return resolve_path(path, data, run.scope())
        except PathNotFound:
            raise StatesError(
                E.RUNTIME,
                f"The JSONPath '{path.text}' specified for the field '{field}' could not be found in the input "
                f"'{dumps(data)}'",
            ) from None
    return evaluate_template(node, run.snap["input"], run.scope())


def run_wait(run: Run, state: State) -> None:
    run.enter(state)
    snap = run.snap
    kind, value = state.wait_kind, state.wait_value
    if state.query_language == JSONATA:
        value = evaluate_jsonata_template(value, run.states_binding(), snap["variables"])
        effective = snap["input"]
        if kind == "Seconds":
            if not is_int(value) or value < 0:
                raise StatesError(
                    E.QUERY_EVALUATION_ERROR,
                    f"The JSONata expression specified for the field 'Seconds' returned an unexpected value: {dumps(value)}",
                )
            until = run.now + int(value) * 1000
        else:
            moment = parse_timestamp(value)
            if moment is None:
                raise StatesError(
                    E.QUERY_EVALUATION_ERROR,
                    f"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {value}",
                )
            until = int(moment.timestamp() * 1000)
    else:
        effective = effective_input(run, state)
        if kind == "Seconds":
            until = run.now + int(value[1] * 1000)
        elif kind == "Timestamp":
            moment = parse_timestamp(value[1])
            until = int(moment.timestamp() * 1000) if moment else run.now
        elif kind == "SecondsPath":
            try:
                seconds = resolve_path(value, effective, run.scope())
            except PathNotFound:
                raise StatesError(
                    E.RUNTIME, f"The SecondsPath parameter does not reference an input value: {value.text}"
                ) from None
            if not is_int(seconds):
                raise StatesError(
                    E.RUNTIME,
                    f"The SecondsPath parameter cannot be parsed as a long value: {value.text} == {plain(seconds)}",
                )
            if seconds < 0:
                raise StatesError(
                    E.RUNTIME, f"The SecondsPath parameter references a negative value: {value.text} == {seconds}"
                )
            until = run.now + int(seconds) * 1000
        else:
            try:
                stamp = resolve_path(value, effective, run.scope())
            except PathNotFound:
                raise StatesError(
                    E.RUNTIME, f"The TimestampPath parameter does not reference an input value: {value.text}"
                ) from None
            moment = parse_timestamp(stamp)
            if moment is None:
                raise StatesError(
                    E.RUNTIME,
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                    f"format string: {value.text} == {plain(stamp)}",
                )
            until = int(moment.timestamp() * 1000)
    snap["phase"] = "wait"
    snap["pending"] = {"effective": effective} if effective is not snap["input"] else None
    if until <= run.now:
        run.leave_plain(state, effective)
        return
    deadline = snap.get("deadline_ms")
    run.effect = {"type": "wait", "until_ms": until if deadline is None else min(until, deadline), "reason": "wait"}
    run.effect["until"] = iso(run.effect["until_ms"])


def is_int(value: Any) -> bool:
    """A JSON integer: AWS rejects 1.5 and also 1.0 where it expects a long."""
    return type(value) is int


def plain(value: Any) -> str:
    return value if isinstance(value, str) else dumps(value)
