"""The source of asl/schema/asl.schema.json: the structure of ASL in both query languages.

Run `python -m asl.validation.schema_source` to rewrite the JSON file after a change here; a test
fails when the two differ. The schema is generated because each state type exists in a JSONPath
and a JSONata variant with mostly shared fields, and writing sixteen near-copies by hand invites drift.

Query-language scopes: a JSONPath machine's states default to JSONPath and may switch to JSONata;
the states nested in a JSONata state default to JSONata and may switch back; in a machine whose
top-level QueryLanguage is JSONata, every state is JSONata ("strict").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "asl.schema.json"

STATE_TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]
MAX_SECONDS = 99999999  # exclusive: AWS accepts at most 99999998


def ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def integer(minimum: int = 0, maximum: int | None = None) -> dict:
    schema: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def or_jsonata(schema: dict) -> dict:
    return {"anyOf": [schema, ref("jsonata")]}


STRING = {"type": "string"}
PATH = {"type": "string", "description": "A JSONPath (`$`, `$$` or `$variable`)."}
PATH_OR_NULL = {"type": ["string", "null"], "description": "A JSONPath, or null."}
OBJECT = {"type": "object"}
ANY: dict = {}
SECONDS = integer(1, MAX_SECONDS - 1)


def common(strict: bool = False) -> dict:
    query_language = {"const": "JSONata"} if strict else {"enum": ["JSONPath", "JSONata"]}
    return {"Type": {"enum": STATE_TYPES}, "Comment": STRING, "QueryLanguage": query_language}


def io(lang: str) -> dict:
    if lang == "JSONPath":
        return {"InputPath": PATH_OR_NULL, "OutputPath": PATH_OR_NULL}
    return {"Output": ANY}


def result(lang: str) -> dict:
    if lang == "JSONPath":
        return {"ResultPath": PATH_OR_NULL, "ResultSelector": OBJECT}
    return {}


def transition() -> dict:
    return {"Next": STRING, "End": {"type": "boolean"}}


def assign() -> dict:
    return {"Assign": OBJECT}


def errors(lang: str) -> dict:
    return {
        "Retry": {"type": "array", "items": ref("retrier")},
        "Catch": {"type": "array", "items": ref(f"catcher{lang}")},
    }


# One line per field, shown by the editor's completion and hover (the front end reuses this schema).
FIELD_DOCS = {
    "Type": "The state type.",
    "Comment": "A human-readable description.",
    "QueryLanguage": "JSONPath (default) or JSONata; a JSONata machine cannot switch states back.",
    "Next": "The state to run next, in the same scope.",
    "End": "true: this state ends its machine, branch or iteration.",
    "InputPath": "JSONPath selecting the part of the input the state works on.",
    "OutputPath": "JSONPath selecting the part of the output passed on.",
    "Parameters": "Payload template; fields ending in .$ take a path or an intrinsic function.",
    "ResultSelector": "Payload template applied to the task's result.",
    "ResultPath": "Reference path where the result goes in the input ($ replaces it, null discards the result).",
    "Result": "A fixed value the Pass state outputs.",
    "Arguments": "The input sent to the resource: an object or a {% %} expression.",
    "Output": "The state's output: any JSON value, with {% %} expressions.",
    "Assign": "Variables to set: name -> value (JSONPath: name.$ -> path; JSONata: {% %}).",
    "Resource": "The ARN of the Lambda function, activity or service integration to call.",
    "TimeoutSeconds": "Fail with States.Timeout after this many seconds.",
    "HeartbeatSeconds": "Fail with States.HeartbeatTimeout without a heartbeat for this long; below TimeoutSeconds.",
    "Credentials": "The IAM role (RoleArn) the task assumes.",
    "Retry": "Retriers, tried in order: ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate.",
    "Catch": "Catchers, tried in order after retries: ErrorEquals and the Next state.",
    "Choices": "Rules tried in order; the first that matches chooses Next.",
    "Default": "The state to run when no rule matches.",
    "Seconds": "How long to wait.",
    "Timestamp": "Wait until this RFC 3339 time (2016-03-14T01:59:00Z).",
    "Branches": "The machines run in parallel, each with StartAt and States.",
    "ItemProcessor": "The machine run for each item, with its ProcessorConfig.",
    "Iterator": "Legacy name of ItemProcessor.",
    "ItemsPath": "Reference path to the array to iterate over.",
    "Items": "The array to iterate over, or a {% %} expression giving it.",
    "ItemSelector": "Template building each item's input.",
    "ItemReader": "Where a Distributed Map reads its items (S3).",
    "ItemBatcher": "Groups items into batches for each child execution.",
    "ResultWriter": "Where a Distributed Map writes its results (S3).",
    "MaxConcurrency": "Upper bound on iterations running at once (0: no bound).",
    "ToleratedFailurePercentage": "Percentage of failed items the Map tolerates.",
    "ToleratedFailureCount": "Number of failed items the Map tolerates.",
    "Label": "Distributed Map label: up to 40 characters, no whitespace or special characters.",
    "Error": "The error name reported by the Fail state.",
    "Cause": "The human-readable cause reported by the Fail state.",
}


def _documented(properties: dict) -> dict:
    return {
        name: {**schema, "description": FIELD_DOCS[name]}
        if name in FIELD_DOCS and "description" not in schema
        else schema
        for name, schema in properties.items()
    }


def state(properties: dict, required: list[str] | None = None) -> dict:
    properties = _documented(properties)
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return schema


def processor(scope: str) -> dict:
    """A Distributed Map's processor runs as child executions: a machine of its own, so the strict
    JSONata scope of the parent does not extend into it."""
    if scope != "Strict":
        return ref(f"processor{scope}")
    distributed = {"properties": {"Mode": {"const": "DISTRIBUTED"}}, "required": ["Mode"]}
    return {
        "if": {"properties": {"ProcessorConfig": distributed}, "required": ["ProcessorConfig"]},
        "then": ref("processorJSONata"),
        "else": ref("processorStrict"),
    }


def state_defs(lang: str, suffix: str, nested_scope: str, strict: bool) -> dict[str, dict]:
    """The eight state types for one query language; `nested_scope` is where Parallel and Map branches live."""
    jp = lang == "JSONPath"
    base = common(strict)
    seconds = SECONDS if jp else or_jsonata(SECONDS)
    defs = {
        "Task": state(
            {
                **base,
                **io(lang),
                **result(lang),
                **transition(),
                **assign(),
                **errors(lang),
                "Resource": {"type": ["string", "object"]},
                **({"Parameters": ANY} if jp else {"Arguments": {"anyOf": [OBJECT, ref("jsonata")]}}),
                "TimeoutSeconds": seconds,
                "HeartbeatSeconds": seconds,
                **({"TimeoutSecondsPath": PATH, "HeartbeatSecondsPath": PATH} if jp else {}),
                "Credentials": OBJECT,
            },
            ["Resource"],
        ),
        "Pass": state(
            {
                **base,
                **io(lang),
                **transition(),
                **assign(),
                **({"Parameters": ANY, "ResultPath": PATH_OR_NULL, "Result": ANY} if jp else {}),
            }
        ),
        "Choice": state(
            {
                **base,
                **io(lang),
                **assign(),
                "Choices": {"type": "array", "minItems": 1, "items": ref(f"choiceRule{lang}")},
                "Default": STRING,
            },
            ["Choices"],
        ),
        "Wait": state(
            {
                **base,
                **io(lang),
                **transition(),
                **assign(),
                "Seconds": integer(0, MAX_SECONDS - 1) if jp else or_jsonata(integer(0, MAX_SECONDS - 1)),
                "Timestamp": STRING,
                **({"SecondsPath": PATH, "TimestampPath": PATH} if jp else {}),
            }
        ),
        "Succeed": state({**base, **io(lang)}),
        "Fail": state(
            {
                **base,
                "Error": STRING,
                "Cause": STRING,
                **({"ErrorPath": PATH, "CausePath": PATH} if jp else {}),
            }
        ),
        "Parallel": state(
            {
                **base,
                **io(lang),
                **result(lang),
                **transition(),
                **assign(),
                **errors(lang),
                "Branches": {"type": "array", "minItems": 1, "items": ref(f"branch{nested_scope}")},
                **({"Parameters": ANY} if jp else {"Arguments": {"anyOf": [OBJECT, ref("jsonata")]}}),
            },
            ["Branches"],
        ),
        "Map": state(
            {
                **base,
                **io(lang),
                **result(lang),
                **transition(),
                **assign(),
                **errors(lang),
                "ItemProcessor": processor(nested_scope),
                "Iterator": processor(nested_scope),
                "ItemSelector": ANY,
                "ItemReader": ref(f"itemReader{lang}"),
                "ItemBatcher": ref(f"itemBatcher{lang}"),
                "ResultWriter": ref(f"resultWriter{lang}"),
                "Label": STRING,
                "MaxConcurrency": integer(0) if jp else or_jsonata(integer(0)),
                "ToleratedFailurePercentage": (
                    {"type": "number", "minimum": 0, "maximum": 100}
                    if jp
                    else or_jsonata({"type": "number", "minimum": 0, "maximum": 100})
                ),
                "ToleratedFailureCount": integer(0) if jp else or_jsonata(integer(0)),
                **(
                    {
                        "ItemsPath": PATH,
                        "Parameters": ANY,
                        "MaxConcurrencyPath": PATH,
                        "ToleratedFailurePercentagePath": PATH,
                        "ToleratedFailureCountPath": PATH,
                    }
                    if jp
                    else {"Items": {"anyOf": [{"type": "array"}, ref("jsonata")]}}
                ),
            }
        ),
    }
    for name, schema in defs.items():
        schema["title"] = f"{name} state ({lang})"
    return {f"{name}{suffix}": schema for name, schema in defs.items()}


def dispatch(suffix: str, strict: bool) -> dict:
    """A state of any type: check Type, then the fields of that type."""
    return {
        "type": "object",
        "required": ["Type"],
        "properties": {"Type": {"enum": STATE_TYPES}},
        "allOf": [
            {"if": {"properties": {"Type": {"const": t}}, "required": ["Type"]}, "then": ref(f"{t}{suffix}")}
            for t in STATE_TYPES
        ],
    }


def is_language(lang: str) -> dict:
    return {"properties": {"QueryLanguage": {"const": lang}}, "required": ["QueryLanguage"]}


def machine_defs(scope: str) -> dict[str, dict]:
    """States, branches and item processors of one query-language scope."""
    states = {"type": "object", "additionalProperties": ref(f"scope{scope}")}
    body = {"StartAt": STRING, "States": ref(f"states{scope}"), "Comment": STRING}
    processor_config = {
        "type": "object",
        "properties": {
            "Mode": {"enum": ["INLINE", "DISTRIBUTED"]},
            "ExecutionType": {"enum": ["STANDARD", "EXPRESS"]},
        },
        "additionalProperties": False,
    }
    return {
        f"states{scope}": states,
        f"branch{scope}": {
            "type": "object",
            "required": ["StartAt", "States"],
            "properties": body,
            "additionalProperties": False,
        },
        f"processor{scope}": {
            "type": "object",
            "required": ["StartAt", "States"],
            "properties": {**body, "ProcessorConfig": processor_config},
            "additionalProperties": False,
        },
    }


def choice_rules() -> dict[str, dict]:
    comparisons: dict[str, dict] = {}
    for kind, operand in (("String", STRING), ("Numeric", {"type": "number"}), ("Timestamp", STRING)):
        for op in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"):
            comparisons[f"{kind}{op}"] = operand
            comparisons[f"{kind}{op}Path"] = PATH
    comparisons["StringMatches"] = STRING
    comparisons["BooleanEquals"] = {"type": "boolean"}
    comparisons["BooleanEqualsPath"] = PATH
    for test in ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"):
        comparisons[test] = {"type": "boolean"}
    nested = {
        "Variable": PATH,
        "And": {"type": "array", "minItems": 1, "items": ref("choiceRuleNested")},
        "Or": {"type": "array", "minItems": 1, "items": ref("choiceRuleNested")},
        "Not": ref("choiceRuleNested"),
        "Comment": STRING,
        **comparisons,
    }
    return {
        "choiceRuleJSONPath": {
            "title": "Choice rule (JSONPath)",
            "type": "object",
            "required": ["Next"],
            "properties": {**nested, "Next": STRING, "Assign": OBJECT},
            "additionalProperties": False,
        },
        "choiceRuleNested": {
            "title": "nested Choice rule (JSONPath)",
            "type": "object",
            "properties": nested,
            "additionalProperties": False,
        },
        "choiceRuleJSONata": {
            "title": "Choice rule (JSONata)",
            "type": "object",
            "required": ["Condition", "Next"],
            "properties": {
                "Condition": {"anyOf": [{"type": "boolean"}, ref("jsonata")]},
                "Next": STRING,
                "Comment": STRING,
                "Assign": OBJECT,
                "Output": ANY,
            },
            "additionalProperties": False,
        },
    }


def error_handling() -> dict[str, dict]:
    error_equals = {"type": "array", "minItems": 1, "items": STRING}
    defs = {
        "retrier": {
            "type": "object",
            "required": ["ErrorEquals"],
            "properties": {
                "ErrorEquals": error_equals,
                "IntervalSeconds": integer(1, MAX_SECONDS),
                "MaxAttempts": integer(0, MAX_SECONDS - 1),
                "BackoffRate": {"type": "number", "minimum": 1},
                "MaxDelaySeconds": integer(1, 31622400),
                "JitterStrategy": {"enum": ["FULL", "NONE"]},
                "Comment": STRING,
            },
            "additionalProperties": False,
        }
    }
    for lang in ("JSONPath", "JSONata"):
        extra = {"ResultPath": PATH_OR_NULL} if lang == "JSONPath" else {"Output": ANY}
        defs[f"catcher{lang}"] = {
            "title": f"Catch rule ({lang})",
            "type": "object",
            "required": ["ErrorEquals", "Next"],
            "properties": {"ErrorEquals": error_equals, "Next": STRING, "Comment": STRING, "Assign": OBJECT, **extra},
            "additionalProperties": False,
        }
    return defs


def distributed_map() -> dict[str, dict]:
    defs: dict[str, dict] = {}
    for lang in ("JSONPath", "JSONata"):
        jp = lang == "JSONPath"
        positive = integer(1) if jp else or_jsonata(integer(1))
        arguments = {"Parameters": OBJECT} if jp else {"Arguments": {"anyOf": [OBJECT, ref("jsonata")]}}
        reader_config = {
            "InputType": {"enum": ["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"]},
            "CSVHeaderLocation": {"enum": ["FIRST_ROW", "GIVEN"]},
            "CSVHeaders": {"type": "array", "items": STRING},
            "CSVDelimiter": {"enum": ["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"]},
            "ManifestType": {"enum": ["ATHENA_DATA", "S3_INVENTORY"]},
            "MaxItems": positive,
            **({"MaxItemsPath": PATH} if jp else {}),
        }
        defs[f"itemReader{lang}"] = {
            "title": f"ItemReader ({lang})",
            "type": "object",
            "required": ["Resource"],
            "properties": {
                "Resource": {"type": ["string", "object"]},
                **arguments,
                "ReaderConfig": {"type": "object", "properties": reader_config, "additionalProperties": False},
            },
            "additionalProperties": False,
        }
        defs[f"itemBatcher{lang}"] = {
            "title": f"ItemBatcher ({lang})",
            "type": "object",
            "properties": {
                "MaxItemsPerBatch": positive,
                "MaxInputBytesPerBatch": integer(1, 262144) if jp else or_jsonata(integer(1, 262144)),
                "BatchInput": OBJECT if jp else {"anyOf": [OBJECT, ref("jsonata")]},
                **({"MaxItemsPerBatchPath": PATH, "MaxInputBytesPerBatchPath": PATH} if jp else {}),
            },
            "additionalProperties": False,
        }
        defs[f"resultWriter{lang}"] = {
            "title": f"ResultWriter ({lang})",
            "type": "object",
            "anyOf": [{"required": ["Resource"]}, {"required": ["WriterConfig"]}],
            "properties": {
                "Resource": {"type": ["string", "object"]},
                **arguments,
                "WriterConfig": {
                    "type": "object",
                    "required": ["OutputType"],
                    "properties": {
                        "OutputType": {"enum": ["JSON", "JSONL"]},
                        "Transformation": {"enum": ["NONE", "COMPACT", "FLATTEN"]},
                    },
                    "additionalProperties": False,
                },
            },
            "additionalProperties": False,
        }
    return defs


def build() -> dict:
    defs: dict[str, dict] = {
        "jsonata": {
            "type": "string",
            "pattern": "^\\{%[\\s\\S]*%\\}$",
            "description": "A JSONata expression, written between {% and %}.",
        },
        # Scopes: which state variant a state in a States object is checked against.
        "scopeJSONPath": {"if": is_language("JSONata"), "then": ref("stateJSONata"), "else": ref("stateJSONPath")},
        "scopeJSONata": {"if": is_language("JSONPath"), "then": ref("stateJSONPath"), "else": ref("stateJSONata")},
        "scopeStrict": ref("stateStrict"),
        "stateJSONPath": dispatch("JSONPath", False),
        "stateJSONata": dispatch("JSONata", False),
        "stateStrict": dispatch("Strict", True),
    }
    defs.update(state_defs("JSONPath", "JSONPath", "JSONPath", False))
    defs.update(state_defs("JSONata", "JSONata", "JSONata", False))
    defs.update(state_defs("JSONata", "Strict", "Strict", True))
    for scope in ("JSONPath", "JSONata", "Strict"):
        defs.update(machine_defs(scope))
    defs.update(choice_rules())
    defs.update(error_handling())
    defs.update(distributed_map())
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://stepwright.dev/schema/asl.schema.json",
        "title": "Amazon States Language state machine",
        "description": "Generated by asl/validation/schema_source.py; do not edit by hand.",
        "type": "object",
        "required": ["StartAt", "States"],
        "properties": {
            "StartAt": STRING,
            "States": {"type": "object"},
            "Comment": STRING,
            "Version": STRING,
            "TimeoutSeconds": SECONDS,
            "QueryLanguage": {"enum": ["JSONPath", "JSONata"]},
        },
        "additionalProperties": False,
        "if": is_language("JSONata"),
        "then": {"properties": {"States": ref("statesStrict")}},
        "else": {"properties": {"States": ref("statesJSONPath")}},
        "$defs": defs,
    }


def render() -> str:
    return json.dumps(build(), indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(render())
    print(f"wrote {SCHEMA_PATH}")
