"""Every diagnostic code the validator emits, with its severity and a one-line description.

Codes are stable: tools and tests match on them, so rename none. AWS's own codes from
ValidateStateMachineDefinition are reused where one fits (INVALID_JSON_DESCRIPTION,
SCHEMA_VALIDATION_FAILED, INVALID_RESOURCE, MISSING_END_STATE, DUPLICATE_STATE_NAME, ...);
the rest are finer-grained so that a user can tell problems apart. docs/validation-codes.md
documents each one, and a test keeps that page in step with this table.
"""

from __future__ import annotations

from asl.diagnostics import ERROR, WARNING

# Loading the text
MISSING_DESCRIPTION = "MISSING_DESCRIPTION"
INVALID_JSON_DESCRIPTION = "INVALID_JSON_DESCRIPTION"
DUPLICATE_KEY = "DUPLICATE_KEY"
# Structure (the JSON Schema)
SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"
MISSING_FIELD = "MISSING_FIELD"
UNKNOWN_FIELD = "UNKNOWN_FIELD"
MUTUALLY_EXCLUSIVE_FIELDS = "MUTUALLY_EXCLUSIVE_FIELDS"
# The graph
MISSING_TRANSITION_TARGET = "MISSING_TRANSITION_TARGET"
INVALID_TRANSITION = "INVALID_TRANSITION"
UNREACHABLE_STATE = "UNREACHABLE_STATE"
MISSING_END_STATE = "MISSING_END_STATE"
DUPLICATE_STATE_NAME = "DUPLICATE_STATE_NAME"
INVALID_STATE_NAME = "INVALID_STATE_NAME"
# Expressions
INVALID_JSONPATH = "INVALID_JSONPATH"
INVALID_REFERENCE_PATH = "INVALID_REFERENCE_PATH"
INVALID_INTRINSIC = "INVALID_INTRINSIC"
INVALID_JSONATA = "INVALID_JSONATA"
DUPLICATE_PAYLOAD_FIELD = "DUPLICATE_PAYLOAD_FIELD"
QUERY_LANGUAGE_MISMATCH = "QUERY_LANGUAGE_MISMATCH"
INVALID_VARIABLE_NAME = "INVALID_VARIABLE_NAME"
# States
INVALID_CHOICE_RULE = "INVALID_CHOICE_RULE"
INVALID_ERROR_NAME = "INVALID_ERROR_NAME"
INVALID_TIMESTAMP = "INVALID_TIMESTAMP"
INVALID_TIMEOUT = "INVALID_TIMEOUT"
INVALID_MAP_LABEL = "INVALID_MAP_LABEL"
INVALID_MAP_CONFIG = "INVALID_MAP_CONFIG"
INVALID_RESOURCE = "INVALID_RESOURCE"
EXPRESS_UNSUPPORTED = "EXPRESS_UNSUPPORTED"
# Warnings
LOOP_WITHOUT_EXIT = "LOOP_WITHOUT_EXIT"
HISTORY_LIMIT_RISK = "HISTORY_LIMIT_RISK"
PAYLOAD_SIZE_RISK = "PAYLOAD_SIZE_RISK"
TASK_WITHOUT_TIMEOUT = "TASK_WITHOUT_TIMEOUT"
LAMBDA_WITHOUT_RETRY = "LAMBDA_WITHOUT_RETRY"
VARIABLE_NOT_ASSIGNED = "VARIABLE_NOT_ASSIGNED"
NO_DOLLAR = "NO_DOLLAR"
PASS_RESULT_IS_STATIC = "PASS_RESULT_IS_STATIC"

# code -> (severity, description). The description is what docs/validation-codes.md says first.
CODES: dict[str, tuple[str, str]] = {
    MISSING_DESCRIPTION: (ERROR, "The definition is empty (no text, or null)."),
    INVALID_JSON_DESCRIPTION: (ERROR, "The text is neither valid JSON nor valid YAML."),
    DUPLICATE_KEY: (ERROR, "An object has the same key twice; AWS rejects it and the last one would silently win."),
    SCHEMA_VALIDATION_FAILED: (
        ERROR,
        "A value has the wrong type, is out of range or is not one of the allowed values.",
    ),
    MISSING_FIELD: (ERROR, "A required field is missing."),
    UNKNOWN_FIELD: (ERROR, "A field is not allowed where it is (a typo, or a field of another state type)."),
    MUTUALLY_EXCLUSIVE_FIELDS: (
        ERROR,
        "Two fields that exclude each other are both set, or none of a required set is.",
    ),
    MISSING_TRANSITION_TARGET: (ERROR, "StartAt, Next, Default or a Catch's Next names no state of its own scope."),
    INVALID_TRANSITION: (ERROR, "A state has both Next and End, or neither."),
    UNREACHABLE_STATE: (ERROR, "No path leads from StartAt to the state."),
    MISSING_END_STATE: (
        ERROR,
        "No terminal state (Succeed, Fail or End: true) can be reached in a state machine or branch.",
    ),
    DUPLICATE_STATE_NAME: (
        ERROR,
        "Two states share a name; names are unique across the whole machine, branches included.",
    ),
    INVALID_STATE_NAME: (ERROR, "A state name is empty, longer than 80 characters or holds a forbidden character."),
    INVALID_JSONPATH: (ERROR, "A path (InputPath, OutputPath, a `.$` field, Variable, ...) is not valid JSONPath."),
    INVALID_REFERENCE_PATH: (
        ERROR,
        "A field that needs a reference path (ResultPath, ...Path) has a non-definite or invalid path.",
    ),
    INVALID_INTRINSIC: (ERROR, "An intrinsic function call is malformed, unknown, or has the wrong arguments."),
    INVALID_JSONATA: (
        ERROR,
        "A JSONata expression is not enclosed in `{% %}`, does not parse, or uses a reference AWS forbids there.",
    ),
    DUPLICATE_PAYLOAD_FIELD: (ERROR, "A payload template has both `name` and `name.$`."),
    QUERY_LANGUAGE_MISMATCH: (ERROR, "JSONPath and JSONata are mixed where AWS forbids it."),
    INVALID_VARIABLE_NAME: (ERROR, "An Assign key is not a valid variable name."),
    INVALID_CHOICE_RULE: (
        ERROR,
        "A Choice rule has no comparison or several, the wrong operand type, or a bad And/Or/Not shape.",
    ),
    INVALID_ERROR_NAME: (ERROR, "ErrorEquals misuses States.ALL or names an unknown reserved `States.` error."),
    INVALID_TIMESTAMP: (ERROR, "A timestamp is not in RFC 3339 form (2016-03-14T01:59:00Z)."),
    INVALID_TIMEOUT: (ERROR, "HeartbeatSeconds is not below TimeoutSeconds."),
    INVALID_MAP_LABEL: (ERROR, "A Map Label is empty, longer than 40 characters or holds a forbidden character."),
    INVALID_MAP_CONFIG: (ERROR, "A Map's processor, reader, batcher or writer settings do not fit together."),
    INVALID_RESOURCE: (ERROR, "A Resource is not a well-formed ARN of a known service integration."),
    EXPRESS_UNSUPPORTED: (ERROR, "An EXPRESS state machine uses `.sync`, `.waitForTaskToken` or an activity."),
    LOOP_WITHOUT_EXIT: (WARNING, "States form a loop from which no terminal state can be reached."),
    HISTORY_LIMIT_RISK: (WARNING, "A loop can run long enough to exceed the 25,000-event history limit."),
    PAYLOAD_SIZE_RISK: (WARNING, "A static payload is close to or above the 256 KiB limit."),
    TASK_WITHOUT_TIMEOUT: (WARNING, "A Task has no TimeoutSeconds; it can wait up to a year for a reply."),
    LAMBDA_WITHOUT_RETRY: (WARNING, "A Lambda Task does not retry Lambda's transient service exceptions."),
    VARIABLE_NOT_ASSIGNED: (WARNING, "A variable is read but no state assigns it."),
    NO_DOLLAR: (WARNING, "A field looks like a path or intrinsic call but its name does not end in `.$`."),
    PASS_RESULT_IS_STATIC: (WARNING, "A Pass state's Result holds what looks like a path; Result is never evaluated."),
}
