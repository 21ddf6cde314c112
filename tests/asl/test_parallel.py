import asl
from tests.asl.helpers import machine, types


def branch(name: str, state: dict) -> dict:
    return {"StartAt": name, "States": {name: state}}


def test_branch_outputs_in_order():
    definition = machine(
        (
            "Par",
            {
                "Type": "Parallel",
                "Branches": [
                    branch("A", {"Type": "Pass", "Result": 1, "End": True}),
                    branch("B", {"Type": "Pass", "InputPath": "$.x", "End": True}),
                ],
                "ResultSelector": {"both.$": "$"},
                "End": True,
            },
        )
    )
    result = asl.execute(definition, {"x": 2})
    assert result.output == {"both": [1, 2]}
    assert types(result) == [
        "ExecutionStarted",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "PassStateEntered",
        "PassStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["id"] for e in result.history] == list(range(1, 11))


def test_a_failing_branch_fails_the_parallel_and_can_be_caught():
    definition = machine(
        (
            "Par",
            {
                "Type": "Parallel",
                "Branches": [branch("F", {"Type": "Fail", "Error": "E", "Cause": "c"})],
                "Catch": [{"ErrorEquals": ["E"], "Next": "H"}],
                "End": True,
            },
        ),
        ("H", {"Type": "Pass", "End": True}),
    )
    result = asl.execute(definition, {})
    assert result.output == {"Error": "E", "Cause": "c"}
    assert "ParallelStateFailed" in types(result)


def test_branch_variables_do_not_leak_out():
    definition = machine(
        ("Set", {"Type": "Pass", "Assign": {"x": 1}, "Next": "Par"}),
        (
            "Par",
            {
                "Type": "Parallel",
                "Branches": [
                    branch("In", {"Type": "Pass", "Parameters": {"seen.$": "$x"}, "Assign": {"x": 2}, "End": True})
                ],
                "Next": "After",
            },
        ),
        ("After", {"Type": "Pass", "Parameters": {"x.$": "$x", "inner.$": "$[0].seen"}, "End": True}),
    )
    assert asl.execute(definition, {}).output == {"x": 1, "inner": 1}
