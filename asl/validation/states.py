"""Per-state checks: fields that go together, expressions in the state's query language, Choice
rules, Retry/Catch, Map and Wait. `StateChecker.check` returns the state's transitions so that the
scope can check targets and reachability."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from asl.diagnostics import Diagnostic
from asl.intrinsics import parse_intrinsic
from asl.paths import compile_path
from asl.validation import codes, resources
from asl.validation.expressions import (
    STRING_INTRINSICS,
    check_jsonata_string,
    check_path,
    check_path_or_intrinsic,
    check_reference_path,
    is_intrinsic,
    jsonata_code,
)
from asl.validation.pointers import join

if TYPE_CHECKING:
    from asl.validation.semantics import Context

# (target state name, pointer of the object holding it, field): the full pointer is built only for an error.
Targets = list[tuple[Any, str, str]]

# Fields holding a reference path in JSONPath states, wherever they appear.
REFERENCE_PATH_FIELDS = (
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "ItemsPath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
)
# Pairs where setting both is an error: (static, dynamic).
EXCLUSIVE = (
    ("TimeoutSeconds", "TimeoutSecondsPath"),
    ("HeartbeatSeconds", "HeartbeatSecondsPath"),
    ("Error", "ErrorPath"),
    ("Cause", "CausePath"),
    ("MaxConcurrency", "MaxConcurrencyPath"),
    ("ToleratedFailureCount", "ToleratedFailureCountPath"),
    ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
    ("Iterator", "ItemProcessor"),
    ("Parameters", "ItemSelector"),
    ("Items", "ItemsPath"),
)
EXCLUSIVE_SECOND = {second for _, second in EXCLUSIVE}
# JSONPath fields of a state and how each is checked.
JSONPATH_FIELDS = {
    "InputPath": "path",
    "OutputPath": "path",
    "ResultPath": "result",
    **dict.fromkeys(REFERENCE_PATH_FIELDS, "reference"),
    "ErrorPath": "error",
    "CausePath": "error",
    **dict.fromkeys(("Parameters", "ResultSelector", "ItemSelector", "Credentials"), "template"),
}
WAIT_FIELDS = ("Seconds", "SecondsPath", "Timestamp", "TimestampPath")
COMPARISONS = (
    {
        f"{kind}{op}{suffix}"
        for kind in ("String", "Numeric", "Timestamp")
        for op in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
        for suffix in ("", "Path")
    }
    | {"StringMatches", "BooleanEquals", "BooleanEqualsPath", "IsNull", "IsPresent", "IsNumeric", "IsString"}
    | {
        "IsBoolean",
        "IsTimestamp",
    }
)
RESERVED_ERRORS = {
    "States.ALL",
    "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold",
    "States.HeartbeatTimeout",
    "States.IntrinsicFailure",
    "States.ItemReaderFailed",
    "States.NoChoiceMatched",
    "States.ParameterPathFailure",
    "States.Permissions",
    "States.QueryEvaluationError",
    "States.ResultPathMatchFailure",
    "States.ResultWriterFailed",
    "States.Runtime",
    "States.TaskFailed",
    "States.Timeout",
    "States.BranchFailed",
}
LAMBDA_TRANSIENT = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "States.ALL",
    "States.TaskFailed",
}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LABEL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"#$%&*,:;<>?\[\\\]^`{|}~/]")
# AWS documents no grammar for variable names; reject only what cannot work in a path or a JSONata reference.
VARIABLE_NAME = re.compile(r"^[^\s$.\[\]'\"(),:{}]+$")
JSONATA_VARIABLE = re.compile(r"\$([A-Za-z_]\w*)(?!\w|\s*\()")
JSONATA_BOUND = re.compile(r"\$([A-Za-z_]\w*)\s*:=|function\s*\(([^)]*)\)")
STATES_REFERENCE = re.compile(r"\$states\.(result|errorOutput)\b")
NONE, RESULT = frozenset(), frozenset({"result"})
ERROR_OUTPUT = frozenset({"result", "errorOutput"})  # a Catch sees the failed result too
PAYLOAD_LIMIT = 256 * 1024
JSONATA_FIELDS = (
    "Arguments",
    "Output",
    "Items",
    "ItemSelector",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "Seconds",
    "Timestamp",
    "Error",
    "Cause",
    "MaxConcurrency",
    "ToleratedFailurePercentage",
    "ToleratedFailureCount",
    "Credentials",
)


class StateChecker:
    def __init__(self, context: Context, check_machine: Callable[..., None]):
        self.context = context
        self.check_machine = check_machine

    # ------------------------------------------------------------------------------- dispatch

    def check(self, name: str, state: dict, pointer: str, language: str, strict: bool) -> Targets:
        kind = state.get("Type")
        targets: Targets = []
        self.transitions(state, pointer, kind, targets)
        for first, second in () if state.keys().isdisjoint(EXCLUSIVE_SECOND) else EXCLUSIVE:
            if first in state and second in state:
                self.context.error(
                    codes.MUTUALLY_EXCLUSIVE_FIELDS, f"Set only one of {first} and {second}.", join(pointer, second)
                )
        if language == "JSONPath":
            self.jsonpath_fields(state, pointer, kind)
        else:
            self.jsonata_fields(state, pointer, kind)
        if "Assign" in state:
            refs = RESULT if kind in ("Task", "Parallel", "Map") else NONE
            self.assign(state["Assign"], join(pointer, "Assign"), language, refs)
        if kind == "Task":
            self.task(state, pointer)
        elif kind == "Choice":
            self.choice(state, pointer, language, targets)
        elif kind == "Wait":
            self.wait(state, pointer, language)
        elif kind == "Parallel":
            branches = state.get("Branches")
            if isinstance(branches, list):
                for index, branch in enumerate(branches):
                    self.check_machine(
                        branch, join(join(pointer, "Branches"), index), language, strict, self.context, self
                    )
        elif kind == "Map":
            self.map(state, pointer, language, strict)
        elif kind == "Pass":
            self.pass_state(state, pointer)
        if kind in ("Task", "Parallel", "Map"):
            if "Retry" in state:
                self.retry(state["Retry"], join(pointer, "Retry"))
            if "Catch" in state:
                self.catch(state["Catch"], join(pointer, "Catch"), language, targets)
        return targets

    def transitions(self, state: dict, pointer: str, kind: Any, targets: Targets) -> None:
        if kind not in ("Task", "Pass", "Wait", "Parallel", "Map"):
            return
        has_next, end = "Next" in state, state.get("End")
        if has_next and end is True:
            self.context.error(
                codes.INVALID_TRANSITION,
                'A state cannot have both Next and "End": true; keep one.',
                join(pointer, "End"),
            )
        elif not has_next and end is not True:
            self.context.error(
                codes.INVALID_TRANSITION,
                f'A {kind} state needs either Next (the state to go to) or "End": true.',
                pointer,
            )
        if has_next:
            targets.append((state["Next"], pointer, "Next"))

    # ------------------------------------------------------------------------ query languages

    def jsonpath_fields(self, state: dict, pointer: str, kind: Any) -> None:
        for field in state.keys() & JSONPATH_FIELDS:  # set intersection: most states have few of these
            value, role = state[field], JSONPATH_FIELDS[field]
            if role == "template":
                self.template(value, join(pointer, field))
                continue
            if not isinstance(value, str):
                continue
            problem, reads = _string_field(field, value, kind == "Fail")
            if problem is not None:
                self.context.add(dataclasses.replace(problem, location=join(pointer, field)))
            if reads:
                self.read(value, join(pointer, field))

    def jsonata_fields(self, state: dict, pointer: str, kind: Any) -> None:
        for field in JSONATA_FIELDS:
            if field in state:
                refs = RESULT if field == "Output" and kind in ("Task", "Parallel", "Map") else NONE
                self.jsonata_value(state[field], join(pointer, field), refs)

    def jsonata_value(self, value: Any, pointer: str, refs: frozenset = frozenset(), depth: int = 0) -> None:
        """`refs`: which of $states.result and $states.errorOutput exist where this value is evaluated."""
        if depth > 64:
            return
        if isinstance(value, str):
            problem = check_jsonata_string(value, pointer)
            self.context.add(problem)
            if problem is None and value.startswith("{%"):
                self.jsonata_reads(value[2:-2], pointer, refs)
        elif isinstance(value, dict):
            for key, item in value.items():
                self.jsonata_value(item, join(pointer, key), refs, depth + 1)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.jsonata_value(item, join(pointer, index), refs, depth + 1)

    def jsonata_reads(self, expression: str, pointer: str, refs: frozenset) -> None:
        code = jsonata_code(expression)
        if "$" not in code:
            return
        for match in STATES_REFERENCE.finditer(code):
            if match.group(1) not in refs:
                where = {
                    "result": "only in Output and Assign of a Task, Parallel or Map state",
                    "errorOutput": "only in a Catch's Output and Assign",
                }[match.group(1)]
                self.context.error(
                    codes.INVALID_JSONATA,
                    f"$states.{match.group(1)} does not exist here: it can be used {where}.",
                    pointer,
                )
        bound = set()
        for match in JSONATA_BOUND.finditer(code):
            if match.group(1):
                bound.add(match.group(1))
            else:
                bound.update(p.strip().lstrip("$") for p in match.group(2).split(","))
        for match in JSONATA_VARIABLE.finditer(code):
            name = match.group(1)
            if name != "states" and name not in bound:
                self.context.reads.setdefault(name, pointer)

    def template(self, value: Any, pointer: str, depth: int = 0) -> tuple | None:
        """A JSONPath payload template: `name.$` fields hold a path or an intrinsic call.

        Returns the template compiled as `asl.dataflow.compile_template` would (the parsers are
        the same), or None when an error was reported in it or it is nested too deeply; at the
        top level, the compiled template is kept in `context.templates` for `compile_machine`.
        """
        node = self._template(value, pointer, depth)
        templates = self.context.templates
        if templates is not None and node is not None and depth == 0 and isinstance(value, (dict, list)):
            templates[id(value)] = node
        return node

    def _template(self, value: Any, pointer: str, depth: int) -> tuple | None:
        if depth > 64:
            return None
        if isinstance(value, list):
            nodes = []
            literal = ok = True
            for index, item in enumerate(value):
                if isinstance(item, (dict, list)):
                    node = self._template(item, join(pointer, index), depth + 1)
                    if node is None:
                        ok = False
                        continue
                    if node[0] != "lit":
                        literal = False
                    nodes.append(node)
                else:
                    nodes.append(("lit", item))
            if not ok:
                return None
            return ("lit", value) if literal else ("arr", tuple(nodes))
        if not isinstance(value, dict):
            return ("lit", value)
        context = self.context
        items = []
        literal = ok = True
        for key, item in value.items():
            if isinstance(key, str) and key.endswith(".$"):
                # Pointers are built only when something is reported: this loop runs for every field.
                if key[:-2] in value:
                    context.error(
                        codes.DUPLICATE_PAYLOAD_FIELD,
                        f"Both {key[:-2]!r} and {key!r} are set; they produce the same field, keep one.",
                        join(pointer, key),
                    )
                    ok = False
                field = _dynamic_fields.get((key, item)) if isinstance(item, str) else None
                if field is None:
                    problem = check_path_or_intrinsic(item, "", f"The field {key!r}")
                    if problem is not None:
                        context.add(dataclasses.replace(problem, location=join(pointer, key)))
                        ok = False
                        if isinstance(item, str) and _variables(item):
                            self.read(item, join(pointer, key))
                        continue
                    field = _dynamic_field(key, item)
                pair, variables = field
                if variables:
                    self.read(item, join(pointer, key))
                literal = False
                items.append(pair)
            elif isinstance(item, str):
                if item.startswith(("$.", "$$.")) or (item.startswith("States.") and "(" in item):
                    context.warn(
                        codes.NO_DOLLAR,
                        f"{key!r} holds {item[:40]!r}, which looks like a path or intrinsic call, but is passed as a "
                        f"literal string; name the field '{key}.$' to evaluate it.",
                        join(pointer, key),
                    )
                items.append((key, ("lit", item)))
            elif isinstance(item, (dict, list)):
                node = self._template(item, join(pointer, key), depth + 1)
                if node is None:
                    ok = False
                    continue
                if node[0] != "lit":
                    literal = False
                items.append((key, node))
            else:
                items.append((key, ("lit", item)))
        if not ok:
            return None
        return ("lit", value) if literal else ("obj", tuple(items))

    def read(self, text: Any, pointer: str) -> None:
        """Remember variables read through JSONPath ($name...) for the never-assigned warning."""
        if isinstance(text, str):
            for name in _variables(text):
                self.context.reads.setdefault(name, pointer)

    def assign(self, value: Any, pointer: str, language: str, refs: frozenset = frozenset()) -> None:
        if not isinstance(value, dict):
            return
        for key in value:
            name = key[:-2] if language == "JSONPath" and key.endswith(".$") else key
            if not VARIABLE_NAME.match(name) or name == "states" or len(name) > 80:
                self.context.error(
                    codes.INVALID_VARIABLE_NAME,
                    f"{name!r} is not a valid variable name: no spaces, '$', '.', brackets, quotes or colons, "
                    "at most 80 characters, and 'states' is reserved.",
                    join(pointer, key),
                )
            self.context.assigned.add(name)
        if language == "JSONPath":
            self.template(value, pointer)
        else:
            self.jsonata_value(value, pointer, refs)

    # --------------------------------------------------------------------------- state types

    def task(self, state: dict, pointer: str) -> None:
        context = self.context
        resource = state.get("Resource")
        context.diagnostics.extend(
            resources.check(
                resource,
                join(pointer, "Resource"),
                allow_placeholders=context.allow_placeholders,
                express=context.express,
            )
        )
        timeout, heartbeat = state.get("TimeoutSeconds"), state.get("HeartbeatSeconds")
        if _is_int(timeout) and _is_int(heartbeat) and heartbeat >= timeout:
            context.error(
                codes.INVALID_TIMEOUT,
                f"HeartbeatSeconds ({heartbeat}) must be below TimeoutSeconds ({timeout}).",
                join(pointer, "HeartbeatSeconds"),
            )
        credentials = state.get("Credentials")
        if isinstance(credentials, dict) and not ({"RoleArn", "RoleArn.$"} & set(credentials)):
            context.error(
                codes.MISSING_FIELD,
                "Credentials needs RoleArn: the IAM role the task assumes.",
                join(join(pointer, "Credentials"), "RoleArn"),
            )
        if "TimeoutSeconds" not in state and "TimeoutSecondsPath" not in state:
            context.warn(
                codes.TASK_WITHOUT_TIMEOUT,
                "This Task has no TimeoutSeconds: if the service never answers it waits up to a year. Set a timeout.",
                pointer,
            )
        if isinstance(resource, str) and _is_lambda(resource) and not _retries_lambda(state.get("Retry")):
            context.warn(
                codes.LAMBDA_WITHOUT_RETRY,
                "This Lambda task does not retry Lambda's transient errors (Lambda.ServiceException, "
                "Lambda.AWSLambdaException, Lambda.SdkClientException, Lambda.TooManyRequestsException); add a Retry.",
                pointer,
            )

    def pass_state(self, state: dict, pointer: str) -> None:
        result = state.get("Result")
        if isinstance(result, dict):
            for key, item in result.items():
                if isinstance(key, str) and key.endswith(".$") or isinstance(item, str) and item.startswith("$."):
                    self.context.warn(
                        codes.PASS_RESULT_IS_STATIC,
                        "Result is never evaluated: paths in it stay literal text. Use Parameters to build "
                        "the output from the input.",
                        join(join(pointer, "Result"), key),
                    )
                    break
        if result is not None and isinstance(result, (dict, list)):
            size = len(json.dumps(result, default=str))
            if size > PAYLOAD_LIMIT * 0.8:
                self.context.warn(
                    codes.PAYLOAD_SIZE_RISK,
                    f"This Result is {size // 1024} KiB; states pass at most 256 KiB of data.",
                    join(pointer, "Result"),
                )

    def wait(self, state: dict, pointer: str, language: str) -> None:
        present = [f for f in WAIT_FIELDS if f in state]
        if not present:
            self.context.error(
                codes.MUTUALLY_EXCLUSIVE_FIELDS,
                "A Wait state needs exactly one of Seconds, SecondsPath, Timestamp and TimestampPath.",
                pointer,
            )
        for extra in present[1:]:
            self.context.error(
                codes.MUTUALLY_EXCLUSIVE_FIELDS,
                f"A Wait state takes exactly one of Seconds, SecondsPath, Timestamp and TimestampPath; "
                f"{present[0]} is already set.",
                join(pointer, extra),
            )
        timestamp = state.get("Timestamp")
        if isinstance(timestamp, str) and not (language == "JSONata" and timestamp.startswith("{%")):
            self.timestamp(timestamp, join(pointer, "Timestamp"))

    def timestamp(self, value: str, pointer: str) -> None:
        if not _is_timestamp(value):
            self.context.error(
                codes.INVALID_TIMESTAMP,
                f"{value!r} is not an RFC 3339 timestamp such as 2016-03-14T01:59:00Z.",
                pointer,
            )

    # ----------------------------------------------------------------------------------- Choice

    def choice(self, state: dict, pointer: str, language: str, targets: Targets) -> None:
        choices = state.get("Choices")
        if isinstance(choices, list):
            for index, rule in enumerate(choices):
                rule_pointer = join(join(pointer, "Choices"), index)
                if not isinstance(rule, dict):
                    continue
                if "Next" in rule:
                    targets.append((rule["Next"], rule_pointer, "Next"))
                self.assign(rule.get("Assign"), join(rule_pointer, "Assign"), language)
                if language == "JSONata":
                    for field in ("Condition", "Output"):
                        if field in rule:
                            self.jsonata_value(rule[field], join(rule_pointer, field))
                else:
                    self.rule(rule, rule_pointer, 0)
        if "Default" in state:
            targets.append((state["Default"], pointer, "Default"))

    def rule(self, rule: Any, pointer: str, depth: int) -> None:
        if not isinstance(rule, dict) or depth > 64:
            return
        context = self.context
        operators = [k for k in rule if k in COMPARISONS]
        logic = [k for k in rule if k in ("And", "Or", "Not")]
        if logic:
            if operators or "Variable" in rule:
                context.error(
                    codes.INVALID_CHOICE_RULE,
                    "A rule with And, Or or Not combines other rules; it cannot also hold a Variable or a comparison.",
                    join(pointer, (operators or ["Variable"])[0]),
                )
            for key in ("And", "Or"):
                items = rule.get(key)
                if isinstance(items, list):
                    for index, item in enumerate(items):
                        self.rule(item, join(join(pointer, key), index), depth + 1)
            if isinstance(rule.get("Not"), dict):
                self.rule(rule["Not"], join(pointer, "Not"), depth + 1)
            return
        if "Variable" not in rule:
            context.error(
                codes.INVALID_CHOICE_RULE,
                "This Choice rule needs a Variable to compare, or And, Or or Not.",
                pointer,
            )
        else:
            variable = rule["Variable"]
            if isinstance(variable, str) and is_intrinsic(variable):
                context.error(
                    codes.INVALID_JSONPATH,
                    "Variable must be a path; intrinsic functions cannot be used in a Choice rule.",
                    join(pointer, "Variable"),
                )
            else:
                context.add(check_path(variable, join(pointer, "Variable"), "Variable"))
                self.read(variable, join(pointer, "Variable"))
        if not operators:
            context.error(
                codes.INVALID_CHOICE_RULE,
                "This Choice rule has no comparison operator (StringEquals, NumericGreaterThan, IsPresent, ...).",
                pointer,
            )
        for extra in operators[1:]:
            context.error(
                codes.INVALID_CHOICE_RULE,
                f"A Choice rule takes exactly one comparison; {operators[0]} is already set.",
                join(pointer, extra),
            )
        for operator in operators:
            value, where = rule[operator], join(pointer, operator)
            if operator.endswith("Path"):
                context.add(check_path(value, where, operator))
                self.read(value, where)
            elif operator.startswith("Timestamp") and isinstance(value, str):
                self.timestamp(value, where)

    # ------------------------------------------------------------------------- Retry and Catch

    def error_equals(self, rules: Any, pointer: str) -> None:
        if not isinstance(rules, list):
            return
        last = len(rules) - 1
        for index, rule in enumerate(rules):
            if not isinstance(rule, dict) or not isinstance(rule.get("ErrorEquals"), list):
                continue
            names = rule["ErrorEquals"]
            where = join(join(pointer, index), "ErrorEquals")
            if "States.ALL" in names and (len(names) > 1 or index != last):
                self.context.error(
                    codes.INVALID_ERROR_NAME,
                    "States.ALL must appear alone in ErrorEquals, in the last rule.",
                    where,
                )
            for position, name in enumerate(names):
                reserved = isinstance(name, str) and name.startswith("States.")
                if reserved and name not in RESERVED_ERRORS and not name.startswith("States.Http."):
                    self.context.error(
                        codes.INVALID_ERROR_NAME,
                        f"{name!r} is not a Step Functions error; names starting with 'States.' are reserved.",
                        join(where, position),
                    )

    def retry(self, retriers: Any, pointer: str) -> None:
        self.error_equals(retriers, pointer)

    def catch(self, catchers: Any, pointer: str, language: str, targets: Targets) -> None:
        self.error_equals(catchers, pointer)
        if not isinstance(catchers, list):
            return
        for index, catcher in enumerate(catchers):
            if not isinstance(catcher, dict):
                continue
            where = join(pointer, index)
            if "Next" in catcher:
                targets.append((catcher["Next"], where, "Next"))
            if language == "JSONPath" and isinstance(catcher.get("ResultPath"), str):
                self.context.add(
                    check_reference_path(
                        catcher["ResultPath"], join(where, "ResultPath"), "ResultPath", input_only=True
                    )
                )
            if language == "JSONata" and "Output" in catcher:
                self.jsonata_value(catcher["Output"], join(where, "Output"), ERROR_OUTPUT)
            self.assign(catcher.get("Assign"), join(where, "Assign"), language, ERROR_OUTPUT)

    # -------------------------------------------------------------------------------------- Map

    def map(self, state: dict, pointer: str, language: str, strict: bool) -> None:
        context = self.context
        processor_key = "ItemProcessor" if "ItemProcessor" in state else "Iterator" if "Iterator" in state else None
        if processor_key is None:
            context.error(codes.MISSING_FIELD, "A Map state needs an ItemProcessor.", join(pointer, "ItemProcessor"))
            processor = None
        else:
            processor = state[processor_key]
        config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
        mode = config.get("Mode") if isinstance(config, dict) else None
        distributed = mode == "DISTRIBUTED"
        if processor_key is not None:
            # child executions of a Distributed Map are machines of their own: a strict JSONata scope ends here
            nested_strict = strict and not distributed
            self.check_machine(processor, join(pointer, processor_key), language, nested_strict, context, self)
        config_pointer = join(join(pointer, processor_key or "ItemProcessor"), "ProcessorConfig")
        if distributed and isinstance(config, dict) and "ExecutionType" not in config:
            context.error(
                codes.INVALID_MAP_CONFIG,
                "A DISTRIBUTED Map needs ProcessorConfig.ExecutionType (STANDARD or EXPRESS).",
                join(config_pointer, "ExecutionType"),
            )
        if not distributed and isinstance(config, dict) and "ExecutionType" in config:
            context.error(
                codes.INVALID_MAP_CONFIG,
                "ExecutionType applies only to a DISTRIBUTED Map; set Mode to DISTRIBUTED or remove it.",
                join(config_pointer, "ExecutionType"),
            )
        for field in (
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "ToleratedFailurePercentage",
            "ToleratedFailureCount",
            "Label",
        ):
            present = field in state or f"{field}Path" in state
            if present and mode == "INLINE":
                context.error(
                    codes.INVALID_MAP_CONFIG,
                    f"{field} is available only in a Distributed Map: set ItemProcessor.ProcessorConfig.Mode "
                    "to DISTRIBUTED.",
                    join(pointer, field if field in state else f"{field}Path"),
                )
        if "Label" in state and isinstance(state["Label"], str):
            self.label(state["Label"], join(pointer, "Label"))
        reader, batcher, writer = state.get("ItemReader"), state.get("ItemBatcher"), state.get("ResultWriter")
        for part, role, name in ((reader, "reader", "ItemReader"), (writer, "writer", "ResultWriter")):
            if not isinstance(part, dict):
                continue
            part_pointer = join(pointer, name)
            if "Resource" in part:
                context.diagnostics.extend(
                    resources.check(
                        part["Resource"],
                        join(part_pointer, "Resource"),
                        role=role,
                        allow_placeholders=context.allow_placeholders,
                    )
                )
            if language == "JSONPath" and "Parameters" in part:
                self.template(part["Parameters"], join(part_pointer, "Parameters"))
            if language == "JSONata" and "Arguments" in part:
                self.jsonata_value(part["Arguments"], join(part_pointer, "Arguments"))
        if isinstance(reader, dict) and isinstance(reader.get("ReaderConfig"), dict):
            reader_config = reader["ReaderConfig"]
            where = join(join(pointer, "ItemReader"), "ReaderConfig")
            self.exclusive(reader_config, where, "MaxItems", "MaxItemsPath")
            if language == "JSONPath" and isinstance(reader_config.get("MaxItemsPath"), str):
                context.add(
                    check_reference_path(reader_config["MaxItemsPath"], join(where, "MaxItemsPath"), "MaxItemsPath")
                )
            if language == "JSONata" and "MaxItems" in reader_config:
                self.jsonata_value(reader_config["MaxItems"], join(where, "MaxItems"))
            if reader_config.get("CSVHeaderLocation") == "GIVEN" and "CSVHeaders" not in reader_config:
                context.error(
                    codes.MISSING_FIELD,
                    "CSVHeaderLocation GIVEN needs CSVHeaders (the column names).",
                    join(where, "CSVHeaders"),
                )
        if isinstance(batcher, dict):
            where = join(pointer, "ItemBatcher")
            self.exclusive(batcher, where, "MaxItemsPerBatch", "MaxItemsPerBatchPath")
            self.exclusive(batcher, where, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")
            for field in ("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"):
                if language == "JSONPath" and isinstance(batcher.get(field), str):
                    context.add(check_reference_path(batcher[field], join(where, field), field))
            if language == "JSONPath" and "BatchInput" in batcher:
                self.template(batcher["BatchInput"], join(where, "BatchInput"))
            elif language == "JSONata":
                for field in ("MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"):
                    if field in batcher:
                        self.jsonata_value(batcher[field], join(where, field))

    def exclusive(self, value: dict, pointer: str, first: str, second: str) -> None:
        if first in value and second in value:
            self.context.error(
                codes.MUTUALLY_EXCLUSIVE_FIELDS, f"Set only one of {first} and {second}.", join(pointer, second)
            )

    def label(self, label: str, pointer: str) -> None:
        problem = None
        if not label:
            problem = "it cannot be empty"
        elif len(label) > 40:
            problem = f"it is {len(label)} characters long; the limit is 40"
        else:
            bad = LABEL_FORBIDDEN.search(label)
            if bad:
                problem = (
                    f"it contains the character {bad.group()!r} (no whitespace, control characters or {_LABEL_SHOWN})"
                )
        if problem:
            self.context.error(codes.INVALID_MAP_LABEL, f"Map Label {label[:50]!r} is not allowed: {problem}.", pointer)


_LABEL_SHOWN = '" # $ % & * , : ; < > ? [ \\ ] ^ ` { | } ~ /'


@lru_cache(maxsize=4096)
def _variables(text: str) -> tuple[str, ...]:
    """Variables a JSONPath or an intrinsic call reads: `$name`, but not `$`, `$$` or `$.x`."""
    if "$" not in text:
        return ()
    if text.startswith("$"):
        match = re.match(r"\$([A-Za-z_]\w*)", text)
        return (match.group(1),) if match else ()
    if is_intrinsic(text):
        return tuple(re.findall(r"(?<![\w$])\$([A-Za-z_]\w*)", text))
    return ()


@lru_cache(maxsize=4096)
def _string_field(field: str, value: str, fail: bool) -> tuple[Diagnostic | None, bool]:
    """The check of a JSONPath string field (InputPath, ResultPath, ...), with an empty location,
    and whether it reads variables: the same few values recur in every state."""
    role = JSONPATH_FIELDS[field]
    if role == "path":
        problem = check_path(value, "", field)
    elif role == "result":
        problem = check_reference_path(value, "", field, input_only=True)
    elif role == "reference":
        problem = check_reference_path(value, "", field)
    else:
        problem = check_path_or_intrinsic(value, "", field, STRING_INTRINSICS) if fail else None
    return problem, bool(_variables(value))


# ("name.$", text) of a valid payload field -> (name, compiled node, variables read): the same few
# fields recur in every state of a big definition, and between definitions.
_dynamic_fields: dict[tuple[str, str], tuple[tuple[str, tuple], tuple[str, ...]]] = {}


def _dynamic_field(key: str, text: str) -> tuple[tuple[str, tuple], tuple[str, ...]]:
    """Compile a `name.$` field that passed its check, as asl.dataflow.compile_template does."""
    if is_intrinsic(text):
        node = ("call", parse_intrinsic(text.strip()), key)
    else:
        node = ("path", compile_path(text), key)
    field = ((key[:-2], node), _variables(text))
    if len(_dynamic_fields) < 10_000:
        _dynamic_fields[(key, text)] = field
    return field


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_timestamp(value: str) -> bool:
    if not RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")[:19])
    except ValueError:
        return False
    return True


def _is_lambda(resource: str) -> bool:
    return ":lambda:" in resource and ":function:" in resource or resource.split(".")[0].endswith(":::lambda:invoke")


def _retries_lambda(retriers: Any) -> bool:
    if not isinstance(retriers, list):
        return False
    return any(
        isinstance(r, dict)
        and isinstance(r.get("ErrorEquals"), list)
        and LAMBDA_TRANSIENT & set(filter(lambda e: isinstance(e, str), r["ErrorEquals"]))
        for r in retriers
    )
