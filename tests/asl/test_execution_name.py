"""Execution names are random version-4 UUIDs (drawn without a system call per execution)."""

import uuid

import asl
from asl.engine import _execution_name

PASS = {
    "StartAt": "P",
    "States": {
        "P": {"Type": "Pass", "Parameters": {"name.$": "$$.Execution.Name", "id.$": "$$.Execution.Id"}, "End": True}
    },
}


def test_names_are_distinct_version_4_uuids():
    names = {_execution_name() for _ in range(2000)}
    assert len(names) == 2000
    for name in names:
        parsed = uuid.UUID(name)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and str(parsed) == name


def test_each_execution_gets_a_fresh_name():
    first, second = asl.execute(PASS, {}), asl.execute(PASS, {})
    assert first.status == second.status == "SUCCEEDED"
    assert first.output["name"] != second.output["name"]
    assert uuid.UUID(first.output["name"]).version == 4
    assert first.output["id"].endswith(":" + first.output["name"])


def test_a_given_name_is_kept():
    result = asl.execute(PASS, {}, context={"Execution": {"Name": "mine"}})
    assert result.output["name"] == "mine"
