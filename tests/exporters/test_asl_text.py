"""Canonical ASL text keeps the value, orders the fields, and round-trips through JSON and YAML."""

from __future__ import annotations

import json

import yaml

from designer.exporters import canonical, placeholders, to_json, to_yaml
from tests.exporters.samples import EVERYTHING, JSONATA, WITH_PLACEHOLDERS
from tests.validation.corpus import CONFORMANCE, cases


def test_it_orders_fields_type_first_and_transitions_last():
    definition = {"States": {"A": {"End": True, "Result": 1, "Type": "Pass"}}, "StartAt": "A", "Comment": "c"}
    assert list(canonical(definition)) == ["Comment", "StartAt", "States"]
    assert list(canonical(definition)["States"]["A"]) == ["Type", "Result", "End"]


def test_json_and_yaml_round_trip():
    for definition in (EVERYTHING, WITH_PLACEHOLDERS, JSONATA):
        assert json.loads(to_json(definition)) == definition
        assert yaml.safe_load(to_yaml(definition)) == definition


def test_yaml_keeps_timestamps_as_text_and_multiline_strings_readable():
    text = to_yaml(JSONATA)
    assert "'2016-03-14T01:59:00Z'" in text
    assert "text: |-" in text


def test_every_conformance_definition_round_trips():
    for case in cases(CONFORMANCE):
        definition = case["definition"]
        assert json.loads(to_json(definition)) == definition, case["name"]
        assert yaml.safe_load(to_yaml(definition)) == definition, case["name"]


def test_placeholders_are_listed_once_without_pseudo_parameters():
    assert placeholders(WITH_PLACEHOLDERS) == ["WorkerArn", "TopicArn"]
