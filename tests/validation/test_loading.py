"""Dicts, JSON text and YAML text all load; diagnostics on text carry line and column."""

from __future__ import annotations

import json

from asl import validate

JSON_TEXT = """{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Next": "Nowhere"}
  }
}"""

YAML_TEXT = """StartAt: A
States:
  A:
    Type: Pass
    Next: Nowhere
"""


def test_json_text_gets_line_and_column_of_the_key():
    (diagnostic,) = [d for d in validate(JSON_TEXT) if d.code == "MISSING_TRANSITION_TARGET"]
    assert (diagnostic.location, diagnostic.state) == ("/States/A/Next", "A")
    assert (diagnostic.line, diagnostic.column) == (4, 27)


def test_yaml_text_gets_line_and_column_of_the_key():
    (diagnostic,) = [d for d in validate(YAML_TEXT) if d.code == "MISSING_TRANSITION_TARGET"]
    assert (diagnostic.location, diagnostic.line, diagnostic.column) == ("/States/A/Next", 5, 5)


def test_a_missing_field_points_at_its_parent():
    text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Task", "End": true}\n  }\n}'
    (diagnostic,) = [d for d in validate(text) if d.code == "MISSING_FIELD"]
    assert (diagnostic.location, diagnostic.line) == ("/States/A/Resource", 4)


def test_dict_input_has_no_position():
    diagnostics = validate(json.loads(JSON_TEXT))
    assert diagnostics and all(d.line is None for d in diagnostics)


def test_a_syntax_error_has_a_position():
    (diagnostic,) = validate('{\n  "StartAt": "A",\n  "States": {,}\n}')
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("INVALID_JSON_DESCRIPTION", 3, 14)


def test_yaml_duplicate_keys_are_reported_where_they_repeat():
    text = "StartAt: A\nStates:\n  A:\n    Type: Succeed\n    Type: Succeed\n"
    (diagnostic,) = [d for d in validate(text) if d.code == "DUPLICATE_KEY"]
    assert (diagnostic.location, diagnostic.line) == ("/States/A/Type", 5)


def test_yaml_timestamps_stay_text_and_cloudformation_tags_load():
    text = (
        "StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: !GetAtt Fn.Arn\n    TimeoutSeconds: 5\n"
        "    Next: W\n  W:\n    Type: Wait\n    Timestamp: 2016-03-14T01:59:00Z\n    End: true\n"
    )
    errors = [d for d in validate(text, allow_placeholders=True) if d.severity == "ERROR"]
    assert errors == []


def test_bytes_and_a_byte_order_mark_are_accepted():
    text = '\ufeff{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}'
    assert validate(text.encode()) == []


def test_nan_and_infinity_are_not_json():
    (diagnostic,) = validate('{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": NaN, "End": true}}}')
    assert diagnostic.code == "INVALID_JSON_DESCRIPTION"


def test_deep_nesting_is_checked_or_reported_never_raised():
    definition = {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    for depth in range(200):
        name = f"P{depth}"
        definition = {"StartAt": name, "States": {name: {"Type": "Parallel", "Branches": [definition], "End": True}}}
    (diagnostic,) = validate(definition)
    assert diagnostic.message == "The definition is nested too deeply to check."
