"""The generated execution-role policy grants what each integration needs, on the narrowest ARNs."""

from __future__ import annotations

from designer.exporters import policy_for
from tests.exporters.samples import EVERYTHING, WITH_PLACEHOLDERS


def grants(policy: dict) -> dict[str, set[str]]:
    """action -> resources, flattened over the statements."""
    found: dict[str, set[str]] = {}
    for statement in policy["Statement"]:
        for action in statement["Action"]:
            found.setdefault(action, set()).update(statement["Resource"])
    return found


def machine(state: dict) -> dict:
    return {"StartAt": "A", "States": {"A": {**state, "End": True}}}


POLICY = grants(policy_for(EVERYTHING, region="us-east-1", account="123456789012", state_machine_name="orders"))


def test_lambda_functions_by_arn_and_by_integration():
    assert POLICY["lambda:InvokeFunction"] == {
        "arn:aws:lambda:us-east-1:123456789012:function:score",
        "arn:aws:lambda:us-east-1:123456789012:function:score:*",
        "arn:aws:lambda:us-east-1:123456789012:function:enrich:live",
    }


def test_queues_topics_tables_and_buses():
    assert POLICY["sqs:SendMessage"] == {"arn:aws:sqs:eu-west-1:123456789012:jobs"}
    assert POLICY["sns:Publish"] == {"arn:aws:sns:us-east-1:123456789012:done"}
    assert POLICY["dynamodb:PutItem"] == {"arn:aws:dynamodb:us-east-1:123456789012:table/Orders"}
    assert POLICY["events:PutEvents"] == {"arn:aws:events:us-east-1:123456789012:event-bus/orders"}


def test_nested_state_machine_sync_needs_describe_stop_and_the_events_rule():
    assert "arn:aws:states:us-east-1:123456789012:stateMachine:child" in POLICY["states:StartExecution"]
    assert "arn:aws:states:us-east-1:123456789012:execution:child:*" in POLICY["states:DescribeExecution"]
    assert POLICY["events:PutRule"] == {
        "arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"
    }


def test_http_task_uses_its_connection_and_a_conditioned_invoke():
    assert POLICY["events:RetrieveConnectionCredentials"] == {
        "arn:aws:events:us-east-1:123456789012:connection/api/abc"
    }
    policy = policy_for(EVERYTHING, state_machine_name="orders")
    (statement,) = [s for s in policy["Statement"] if s["Action"] == ["states:InvokeHTTPEndpoint"]]
    assert statement["Condition"]["StringEquals"] == {"states:HTTPMethod": "POST"}


def test_aws_sdk_and_credentials():
    assert POLICY["s3:GetObject"] >= {"arn:aws:s3:::reports/latest.json"}
    assert POLICY["sts:AssumeRole"] == {"arn:aws:iam::123456789012:role/reader"}


def test_distributed_map_starts_its_own_children_and_reads_and_writes_s3():
    assert "arn:aws:states:us-east-1:123456789012:stateMachine:orders" in POLICY["states:StartExecution"]
    assert "arn:aws:s3:::inputs/items.json" in POLICY["s3:GetObject"]
    assert POLICY["s3:PutObject"] == {"arn:aws:s3:::outputs/run/*"}


def test_dynamic_targets_fall_back_to_a_wildcard_of_the_right_service():
    policy = grants(
        policy_for(
            machine(
                {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName.$": "$.fn"},
                }
            )
        )
    )
    assert policy == {"lambda:InvokeFunction": {"arn:aws:lambda:*:*:function:*"}}


def test_logging_and_tracing_add_their_actions():
    policy = grants(policy_for(machine({"Type": "Pass"}), logging=True, tracing=True))
    assert policy["logs:CreateLogDelivery"] == {"*"}
    assert policy["xray:PutTraceSegments"] == {"*"}
    assert grants(policy_for(machine({"Type": "Pass"}))) == {}


def test_placeholders_are_kept_for_the_template_to_resolve():
    policy = grants(policy_for(WITH_PLACEHOLDERS))
    assert policy["lambda:InvokeFunction"] == {"${WorkerArn}", "${WorkerArn}:*"}
    assert policy["sns:Publish"] == {"${TopicArn}"}


def test_activities_need_no_permission():
    activity = machine({"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:approve"})
    assert policy_for(activity)["Statement"] == []
