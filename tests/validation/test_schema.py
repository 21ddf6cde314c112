"""The shipped schema file is what the generator writes, and the fast check agrees with jsonschema."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from asl.validation import fastcheck, schema, schema_source
from tests.validation.corpus import CONFORMANCE, VALIDATION, cases, definition


def test_schema_file_is_up_to_date():
    assert schema_source.SCHEMA_PATH.read_text() == schema_source.render(), (
        "run `python -m asl.validation.schema_source` to regenerate asl/schema/asl.schema.json"
    )


def test_schema_is_a_valid_2020_12_schema():
    Draft202012Validator.check_schema(schema.schema())


def test_fast_check_agrees_with_jsonschema_on_both_corpora():
    quick = fastcheck.compile_schema(schema.schema())
    slow = Draft202012Validator(schema.schema())
    for folder in (VALIDATION, CONFORMANCE):
        for case in cases(folder):
            value = definition(case)
            if isinstance(value, dict):
                assert quick(value) == slow.is_valid(value), case["name"]
