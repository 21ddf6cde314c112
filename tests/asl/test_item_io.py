"""Distributed Map I/O: ItemReader content types and ResultWriter, through handlers."""

import json

import pytest

import asl
from asl.fanout import parse_items
from asl.mocks import local_files


@pytest.mark.parametrize(
    ("body", "config", "expected"),
    [
        ('[{"a": 1}, {"a": 2}]', {}, [{"a": 1}, {"a": 2}]),
        ('{"a": 1}\n\n{"a": 2}\n', {"InputType": "JSONL"}, [{"a": 1}, {"a": 2}]),
        (
            "id,name\n1,x\n2,y\n",
            {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            [{"id": "1", "name": "x"}, {"id": "2", "name": "y"}],
        ),
        (
            "1;x\n",
            {
                "InputType": "CSV",
                "CSVHeaderLocation": "GIVEN",
                "CSVHeaders": ["id", "name"],
                "CSVDelimiter": "SEMICOLON",
            },
            [{"id": "1", "name": "x"}],
        ),
        ("[1, 2, 3]", {"MaxItems": 2}, [1, 2]),
        ([1, 2], {}, [1, 2]),
    ],
)
def test_parse_items(body, config, expected):
    assert parse_items({"Body": body} if isinstance(body, str) else body, config) == expected


def distributed(**fields):
    return {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "P",
                    "States": {
                        "P": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "End": True}
                    },
                },
                "End": True,
                **fields,
            }
        },
    }


def test_local_files_serve_the_reader_and_the_writer(tmp_path):
    (tmp_path / "bucket").mkdir()
    (tmp_path / "bucket" / "items.json").write_text(json.dumps([{"n": 1}, {"n": 2}]))
    definition = distributed(
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "Parameters": {"Bucket": "bucket", "Key": "items.json"},
        },
        ResultWriter={"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "bucket", "Prefix": "out"}},
    )
    result = asl.execute(definition, {}, handlers=local_files(tmp_path))
    assert result.status == "SUCCEEDED", result.cause
    assert result.output == {"ResultWriterDetails": {"Bucket": "bucket", "Key": "out/results.json"}}
    assert json.loads((tmp_path / "bucket" / "out" / "results.json").read_text()) == [{"doubled": 2}, {"doubled": 4}]


def test_a_failing_reader_is_an_item_reader_failure():
    definition = distributed(
        ItemReader={"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}}
    )
    result = asl.execute(definition, {}, mocks={"M": [{"error": "S3.NoSuchKey", "cause": "no such key"}]})
    assert (result.status, result.error) == ("FAILED", "States.ItemReaderFailed")


def test_unparsable_items_are_an_item_reader_failure():
    definition = distributed(
        ItemReader={"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}}
    )
    result = asl.execute(definition, {}, mocks={"M": [{"result": {"Body": "not json"}}]})
    assert (result.status, result.error) == ("FAILED", "States.ItemReaderFailed")
