"""The compiled, immutable machine: every path, template, expression and Choice rule compiled once.

`compile_machine(definition)` assumes the validator has already accepted the definition; a
compilation problem it missed still becomes a DefinitionError, never a crash at run time.
Sub-machines (Parallel branches, Map processors) are registered on the root under a JSON pointer
such as `/States/Fan/Branches/0`, the reference a child execution is started with.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from asl.choice import compile_rule
from asl.dataflow import compile_jsonata_template, compile_template
from asl.intrinsics import is_intrinsic, parse_intrinsic
from asl.paths import CompiledPath, compile_path

JSONPATH, JSONATA = "JSONPath", "JSONata"


@dataclass(frozen=True, slots=True)
class Retrier:
    error_equals: tuple[str, ...]
    interval_seconds: float = 1.0
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: float | None = None
    jitter: str = "NONE"


@dataclass(frozen=True, slots=True)
class Catcher:
    error_equals: tuple[str, ...]
    next: str
    result_path: CompiledPath | None = None
    has_result_path: bool = False
    output: tuple | None = None  # JSONata Output
    assign: tuple | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    predicate: Any  # JSONPath: Predicate; JSONata: compiled Condition template
    next: str
    assign: tuple | None = None
    output: tuple | None = None


@dataclass(slots=True)
class State:
    """One compiled state. Fields not used by a type stay at their defaults."""

    name: str
    type: str
    raw: dict
    query_language: str = JSONPATH
    next: str | None = None
    end: bool = False
    pointer: str = ""
    # JSONPath data flow: (present, compiled)
    input_path: CompiledPath | None = None
    has_input_path: bool = False
    output_path: CompiledPath | None = None
    has_output_path: bool = False
    result_path: CompiledPath | None = None
    has_result_path: bool = False
    parameters: tuple | None = None
    result_selector: tuple | None = None
    result: Any = None
    has_result: bool = False
    assign: tuple | None = None
    # JSONata data flow
    arguments: tuple | None = None
    output: tuple | None = None
    # errors
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()
    # Task
    resource: str | None = None
    timeout: tuple | None = None  # ("lit", n) | ("path", CompiledPath) | JSONata template
    heartbeat: tuple | None = None
    credentials: Any = None
    # Choice
    choices: tuple[Choice, ...] = ()
    default: str | None = None
    # Wait
    wait_kind: str | None = None  # Seconds | Timestamp | SecondsPath | TimestampPath
    wait_value: Any = None
    # Fail
    error: Any = None
    cause: Any = None
    # Parallel / Map
    branches: tuple[str, ...] = ()  # sub-machine references
    processor: str | None = None
    items_path: CompiledPath | None = None
    items: tuple | None = None  # JSONata Items
    item_selector: tuple | None = None
    max_concurrency: Any = None  # ("lit", n) | ("path", p) | JSONata template
    tolerated_count: Any = None
    tolerated_percentage: Any = None
    item_reader: dict | None = None
    item_batcher: dict | None = None
    result_writer: dict | None = None
    distributed: bool = False
    label: str | None = None


@dataclass(slots=True)
class StateMachine:
    """A compiled machine (or sub-machine), reusable across executions."""

    start_at: str
    states: dict[str, State]
    query_language: str = JSONPATH
    timeout_seconds: int | None = None
    comment: str | None = None
    definition: dict = field(default_factory=dict)
    ref: str = ""
    submachines: dict[str, StateMachine] = field(default_factory=dict)  # on the root only

    def submachine(self, ref: str) -> StateMachine:
        """The sub-machine a child execution runs; `""` is the machine itself."""
        if not ref:
            return self
        return self.submachines[ref]

    def __repr__(self) -> str:
        return f"StateMachine(start_at={self.start_at!r}, states={len(self.states)}, ref={self.ref!r})"


# --------------------------------------------------------------------------------- compilation


def compile_machine(definition: dict, templates: dict[int, tuple] | None = None) -> StateMachine:
    """`templates`: JSONPath payload templates the validator already compiled (id -> compiled form),
    filled by `asl.validation.validate(definition, templates=...)` on this very `definition`."""
    if templates:

        def template(value: Any) -> tuple:
            node = templates.get(id(value))
            return node if node is not None else compile_template(value)

    else:
        template = compile_template
    # Compiling allocates many small objects and no cycles; a collection half-way through a
    # 2,000-state definition would cost more than the compilation itself.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _compile(definition, "", JSONPATH, None, template)
    finally:
        if enabled:
            gc.enable()


def _compile(
    definition: dict, ref: str, inherited_language: str, root: StateMachine | None, template: Callable[[Any], tuple]
) -> StateMachine:
    language = definition.get("QueryLanguage", inherited_language)
    machine = StateMachine(
        start_at=definition["StartAt"],
        states={},
        query_language=language,
        timeout_seconds=definition.get("TimeoutSeconds"),
        comment=definition.get("Comment"),
        definition=definition,
        ref=ref,
    )
    owner = root or machine
    owner.submachines[ref] = machine
    for name, raw in definition["States"].items():
        machine.states[name] = _compile_state(name, raw, f"{ref}/States/{name}", language, owner, template)
    return machine


def _path_field(raw: dict, key: str) -> tuple[CompiledPath | None, bool]:
    if key not in raw:
        return None, False
    value = raw[key]
    return (None if value is None else compile_path(value)), True


def _number_or_path(raw: dict, key: str, jsonata: bool) -> tuple | None:
    """A field that is a number, a `…Path` to one (JSONPath) or an expression (JSONata)."""
    if key in raw:
        value = raw[key]
        return compile_jsonata_template(value, key) if jsonata else ("lit", value)
    if key + "Path" in raw:
        return ("path", compile_path(raw[key + "Path"]), key + "Path")
    return None


def _compile_state(
    name: str, raw: dict, pointer: str, machine_language: str, root: StateMachine, template: Callable[[Any], tuple]
) -> State:
    language = raw.get("QueryLanguage", machine_language)
    jsonata = language == JSONATA
    state = State(name=name, type=raw["Type"], raw=raw, query_language=language, pointer=pointer)
    state.next = raw.get("Next")
    state.end = bool(raw.get("End", False))
    if jsonata:
        if "Arguments" in raw:
            state.arguments = compile_jsonata_template(raw["Arguments"], "Arguments")
        if "Output" in raw:
            state.output = compile_jsonata_template(raw["Output"], "Output")
        if "Assign" in raw:
            state.assign = compile_jsonata_template(raw["Assign"], "Assign")
    else:
        if "InputPath" in raw:
            state.input_path, state.has_input_path = _path_field(raw, "InputPath")
        if "OutputPath" in raw:
            state.output_path, state.has_output_path = _path_field(raw, "OutputPath")
        if "ResultPath" in raw:
            state.result_path, state.has_result_path = _path_field(raw, "ResultPath")
        if "Parameters" in raw and state.type != "Map":
            state.parameters = template(raw["Parameters"])
        if "ResultSelector" in raw:
            state.result_selector = template(raw["ResultSelector"])
        if "Assign" in raw:
            state.assign = template(raw["Assign"])
        if "Result" in raw:
            state.result, state.has_result = raw["Result"], True
    if "Retry" in raw:
        state.retry = _retriers(raw["Retry"])
    if "Catch" in raw:
        state.catch = _catchers(raw["Catch"], jsonata, template)
    kind = state.type
    if kind == "Task":
        state.resource = raw["Resource"]
        state.timeout = _number_or_path(raw, "TimeoutSeconds", jsonata)
        state.heartbeat = _number_or_path(raw, "HeartbeatSeconds", jsonata)
        state.credentials = raw.get("Credentials")
    elif kind == "Choice":
        choices = []
        for rule in raw.get("Choices", ()):
            if jsonata:
                predicate = compile_jsonata_template(rule["Condition"], "Condition")
                output = compile_jsonata_template(rule["Output"], "Output") if "Output" in rule else None
                assign = compile_jsonata_template(rule["Assign"], "Assign") if "Assign" in rule else None
            else:
                predicate = compile_rule(rule)
                output = None
                assign = template(rule["Assign"]) if "Assign" in rule else None
            choices.append(Choice(predicate, rule["Next"], assign, output))
        state.choices = tuple(choices)
        state.default = raw.get("Default")
    elif kind == "Wait":
        for key in ("Seconds", "Timestamp", "SecondsPath", "TimestampPath"):
            if key in raw:
                state.wait_kind = key
                value = raw[key]
                if key.endswith("Path"):
                    state.wait_value = compile_path(value)
                elif jsonata:
                    state.wait_value = compile_jsonata_template(value, key)
                else:
                    state.wait_value = ("lit", value)
                break
    elif kind == "Fail":
        if jsonata:
            state.error = compile_jsonata_template(raw["Error"], "Error") if "Error" in raw else None
            state.cause = compile_jsonata_template(raw["Cause"], "Cause") if "Cause" in raw else None
        else:
            state.error = _fail_field(raw, "Error")
            state.cause = _fail_field(raw, "Cause")
    elif kind == "Parallel":
        refs = []
        for i, branch in enumerate(raw["Branches"]):
            ref = f"{pointer}/Branches/{i}"
            _compile(branch, ref, language, root, template)
            refs.append(ref)
        state.branches = tuple(refs)
    elif kind == "Map":
        processor_key = "ItemProcessor" if "ItemProcessor" in raw else "Iterator"
        ref = f"{pointer}/{processor_key}"
        processor = raw[processor_key]
        _compile(processor, ref, language, root, template)
        state.processor = ref
        mode = (processor.get("ProcessorConfig") or {}).get("Mode", "INLINE")
        state.distributed = mode == "DISTRIBUTED"
        state.label = raw.get("Label")
        if jsonata:
            if "Items" in raw:
                state.items = compile_jsonata_template(raw["Items"], "Items")
            if "ItemSelector" in raw:
                state.item_selector = compile_jsonata_template(raw["ItemSelector"], "ItemSelector")
        else:
            state.items_path = compile_path(raw["ItemsPath"]) if "ItemsPath" in raw else None
            selector = raw.get("ItemSelector", raw.get("Parameters"))
            if selector is not None:
                state.item_selector = template(selector)
        state.max_concurrency = _number_or_path(raw, "MaxConcurrency", jsonata)
        state.tolerated_count = _number_or_path(raw, "ToleratedFailureCount", jsonata)
        state.tolerated_percentage = _number_or_path(raw, "ToleratedFailurePercentage", jsonata)
        state.item_reader = raw.get("ItemReader")
        state.item_batcher = raw.get("ItemBatcher")
        state.result_writer = raw.get("ResultWriter")
    return state


def _retriers(retry: list) -> tuple[Retrier, ...]:
    return tuple(
        Retrier(
            error_equals=tuple(r["ErrorEquals"]),
            interval_seconds=r.get("IntervalSeconds", 1),
            max_attempts=r.get("MaxAttempts", 3),
            backoff_rate=r.get("BackoffRate", 2.0),
            max_delay_seconds=r.get("MaxDelaySeconds"),
            jitter=r.get("JitterStrategy", "NONE"),
        )
        for r in retry
    )


def _catchers(catch: list, jsonata: bool, template: Callable[[Any], tuple]) -> tuple[Catcher, ...]:
    catchers = []
    for c in catch:
        if jsonata:
            catchers.append(
                Catcher(
                    error_equals=tuple(c["ErrorEquals"]),
                    next=c["Next"],
                    output=compile_jsonata_template(c["Output"], "Output") if "Output" in c else None,
                    assign=compile_jsonata_template(c["Assign"], "Assign") if "Assign" in c else None,
                )
            )
        else:
            result_path, has = _path_field(c, "ResultPath")
            catchers.append(
                Catcher(
                    error_equals=tuple(c["ErrorEquals"]),
                    next=c["Next"],
                    result_path=result_path,
                    has_result_path=has,
                    assign=template(c["Assign"]) if "Assign" in c else None,
                )
            )
    return tuple(catchers)


def _fail_field(raw: dict, key: str) -> tuple | None:
    if key in raw:
        return ("lit", raw[key])
    if key + "Path" in raw:
        value = raw[key + "Path"]
        if is_intrinsic(value):
            return ("call", parse_intrinsic(value), key + "Path")
        return ("path", compile_path(value), key + "Path")
    return None
