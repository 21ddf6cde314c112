import asl
from tests.asl.helpers import machine, types

PROCESSOR = {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def test_item_selector_sees_the_map_context():
    definition = machine(
        (
            "M",
            {
                "Type": "Map",
                "ItemsPath": "$.xs",
                "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "k.$": "$.k"},
                "ItemProcessor": PROCESSOR,
                "End": True,
            },
        )
    )
    result = asl.execute(definition, {"xs": ["a", "b"], "k": 0})
    assert result.output == [{"v": "a", "i": 0, "k": 0}, {"v": "b", "i": 1, "k": 0}]
    assert types(result)[:4] == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapIterationStarted"]
    assert types(result)[-3:] == ["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]


def test_legacy_iterator_and_parameters():
    definition = machine(
        (
            "M",
            {
                "Type": "Map",
                "Parameters": {"v.$": "$$.Map.Item.Value"},
                "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            },
        )
    )
    assert asl.execute(definition, [1, 2]).output == [{"v": 1}, {"v": 2}]


def test_a_failed_iteration_fails_the_map():
    failing = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}
    definition = machine(("M", {"Type": "Map", "ItemProcessor": failing, "End": True}))
    result = asl.execute(definition, [1, 2, 3])
    assert (result.status, result.error) == ("FAILED", "E")
    assert types(result).count("MapIterationStarted") == 1
    assert types(result)[-2:] == ["MapStateFailed", "ExecutionFailed"]


def test_tolerated_failures():
    processor = {
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}], "Default": "P"},
            "F": {"Type": "Fail", "Error": "E"},
            "P": {"Type": "Pass", "End": True},
        },
    }
    ok = machine(("M", {"Type": "Map", "ItemProcessor": processor, "ToleratedFailureCount": 1, "End": True}))
    assert asl.execute(ok, [1, 2, 3]).status == "SUCCEEDED"
    too_many = machine(
        ("M", {"Type": "Map", "ItemProcessor": processor, "ToleratedFailurePercentage": 10, "End": True})
    )
    result = asl.execute(too_many, [1, 2, 3])
    assert (result.status, result.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")


def test_distributed_map_keeps_child_events_out_and_reads_items():
    definition = machine(
        (
            "M",
            {
                "Type": "Map",
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "JSONL"},
                    "Parameters": {"Bucket": "b", "Key": "k"},
                },
                "ItemProcessor": {**PROCESSOR, "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}},
                "ItemBatcher": {"MaxItemsPerBatch": 2},
                "End": True,
            },
        )
    )
    handlers = {"arn:aws:states:::s3:getObject": lambda parameters, call: {"Body": '{"n":1}\n{"n":2}\n{"n":3}\n'}}
    result = asl.execute(definition, {}, handlers=handlers)
    assert result.output == [
        {"BatchInput": {}, "Items": [{"n": 1}, {"n": 2}]},
        {"BatchInput": {}, "Items": [{"n": 3}]},
    ]
    assert "MapIterationStarted" not in types(result)
    assert "MapRunStarted" in types(result)


def test_jsonata_items_and_item_selector():
    definition = machine(
        (
            "M",
            {
                "Type": "Map",
                "QueryLanguage": "JSONata",
                "Items": "{% $states.input.xs %}",
                "ItemSelector": {"double": "{% $states.context.Map.Item.Value * 2 %}"},
                "ItemProcessor": PROCESSOR,
                "End": True,
            },
        )
    )
    assert asl.execute(definition, {"xs": [1, 2]}).output == [{"double": 2}, {"double": 4}]
