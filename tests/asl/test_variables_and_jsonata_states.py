import asl
from tests.asl.helpers import machine, types


def test_assign_then_reference_in_a_later_state():
    definition = machine(
        ("A", {"Type": "Pass", "Result": {"v": 3}, "Assign": {"x.$": "$.v", "lit": "k"}, "Next": "B"}),
        ("B", {"Type": "Pass", "Parameters": {"x.$": "$x", "lit.$": "$lit"}, "End": True}),
    )
    assert asl.execute(definition, {}).output == {"x": 3, "lit": "k"}


def test_jsonata_arguments_output_and_assign():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"n": "{% $states.input.n + 1 %}"},
                "Assign": {"seen": "{% $states.result.n %}"},
                "Output": "{% {'r': $states.result.n, 'in': $states.input.n} %}",
                "Next": "S",
            },
            "S": {"Type": "Pass", "Output": "{% [$states.input.r, $seen] %}", "End": True},
        },
    }
    result = asl.execute(definition, {"n": 1}, handlers=lambda parameters, call: parameters)
    assert result.output == [2, 2]


def test_a_jsonata_error_is_a_query_evaluation_error_with_an_evaluation_failed_event():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Output": "{% $nope %}", "End": True}},
    }
    result = asl.execute(definition, {})
    assert result.error == "States.QueryEvaluationError"
    assert result.cause == (
        "An error occurred while executing the state 'P' (entered at the event id #2). "
        "The JSONata expression '$nope' specified for the field 'Output' returned nothing (undefined)."
    )
    assert types(result) == ["ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed"]


def test_jsonata_catch_sees_the_error_output():
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput.Error %}", "Next": "D"}],
                "End": True,
            },
            "D": {"Type": "Succeed"},
        },
    }
    assert asl.execute(definition, {}, mocks={"T": [{"error": "Bad", "cause": "c"}]}).output == "Bad"
