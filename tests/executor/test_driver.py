"""The durable driver against `asl.execute`: the same output and the same history, step by step."""

import asl
from executor import services
from executor.models import Execution, HistoryEvent

PASS_CHOICE = {
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.n", "Next": "Inc"},
        "Inc": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Loop"},
        "Loop": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericLessThan": 5, "Next": "Inc"}],
            "Default": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}
MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 2,
            "ItemProcessor": {
                "StartAt": "Double",
                "States": {"Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": True}},
            },
            "ResultPath": "$.doubled",
            "Next": "Both",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "L", "States": {"L": {"Type": "Pass", "Result": "left", "End": True}}},
                {
                    "StartAt": "R",
                    "States": {"R": {"Type": "Wait", "Seconds": 1, "Next": "R2"}, "R2": {"Type": "Pass", "End": True}},
                },
            ],
            "ResultPath": "$.both",
            "End": True,
        },
    },
}


def history_types(execution: Execution) -> list[str]:
    return list(HistoryEvent.objects.filter(execution=execution).order_by("event_id").values_list("type", flat=True))


def assert_same_as_in_process(execution: Execution, definition: dict, input: dict, **kwargs) -> None:
    expected = asl.execute(definition, input, **kwargs)
    execution.refresh_from_db()
    assert execution.status == expected.status
    assert execution.output == expected.output
    assert history_types(execution) == [e["type"] for e in expected.history]
    ids = list(
        HistoryEvent.objects.filter(execution=execution)
        .order_by("event_id")
        .values_list("event_id", "previous_event_id")
    )
    assert [i for i, _ in ids] == list(range(1, len(ids) + 1))


def test_a_pure_loop_runs_in_one_step(queue, versioned, owner):
    workflow = versioned(PASS_CHOICE)
    execution = services.start_execution(user=owner, workflow=workflow, input={})
    assert queue() == 1
    assert_same_as_in_process(execution, PASS_CHOICE, {})
    assert execution.output == {"n": 5}


def test_map_and_parallel_run_as_child_executions(queue, versioned, owner):
    workflow = versioned(MAP)
    execution = services.start_execution(user=owner, workflow=workflow, input={"items": [1, 2, 3]})
    queue()
    assert_same_as_in_process(execution, MAP, {"items": [1, 2, 3]})
    assert execution.output["doubled"] == [{"v": 2}, {"v": 4}, {"v": 6}]
    assert execution.output["both"][0] == "left"
    children = Execution.objects.filter(parent=execution)
    assert sorted(children.values_list("kind", flat=True)) == [
        "branch",
        "branch",
        "map_iteration",
        "map_iteration",
        "map_iteration",
    ]


CHILD = {
    "StartAt": "Hello",
    "States": {"Hello": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hi {}', $.who)"}, "End": True}},
}


def caller(resource: str) -> dict:
    return {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": resource,
                "Parameters": {
                    "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child",
                    "Input": {"who.$": "$.who"},
                },
                "End": True,
            }
        },
    }


def test_a_nested_sync_2_execution_runs_locally_and_returns_its_output(queue, versioned, owner):
    versioned(CHILD, name="child")
    parent = versioned(caller("arn:aws:states:::states:startExecution.sync:2"), name="parent")
    execution = services.start_execution(user=owner, workflow=parent, input={"who": "ann"})
    queue()
    execution.refresh_from_db()
    assert execution.status == "SUCCEEDED"
    assert (execution.output["Status"], execution.output["Output"]) == ("SUCCEEDED", {"greeting": "hi ann"})
    nested = Execution.objects.get(workflow__name="child")
    assert nested.status == "SUCCEEDED"


def test_a_nested_sync_execution_gives_strings_and_async_does_not_wait(queue, versioned, owner):
    versioned(CHILD, name="child")
    sync = versioned(caller("arn:aws:states:::states:startExecution.sync"), name="sync")
    fire = versioned(caller("arn:aws:states:::states:startExecution"), name="fire")
    first = services.start_execution(user=owner, workflow=sync, input={"who": "bo"})
    second = services.start_execution(user=owner, workflow=fire, input={"who": "cy"})
    queue()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.output["Output"] == '{"greeting":"hi bo"}'
    assert set(second.output) == {"ExecutionArn", "StartDate"}


def test_a_nested_execution_of_an_unknown_machine_fails_the_task(queue, versioned, owner):
    parent = versioned(caller("arn:aws:states:::states:startExecution.sync:2"), name="parent")
    execution = services.start_execution(user=owner, workflow=parent, input={"who": "x"})
    queue()
    execution.refresh_from_db()
    assert (execution.status, execution.error) == ("FAILED", "StepFunctions.StateMachineDoesNotExistException")


def test_the_local_driver_and_sweeper_leave_aws_executions_alone(versioned, owner):
    from datetime import timedelta

    from django.utils import timezone

    from executor import driver

    workflow = versioned(PASS_CHOICE)
    execution = Execution.objects.create(
        workflow=workflow, version=workflow.versions.get(), backend="aws", name="remote", input={}
    )
    Execution.objects.filter(pk=execution.pk).update(touched_at=timezone.now() - timedelta(days=1))  # stale
    assert driver.sweep() == {"due": 0, "stale": 0}
    driver.advance(execution.pk, 0)
    execution.refresh_from_db()
    assert (execution.status, execution.sequence, execution.snapshot) == ("RUNNING", 0, None)


def test_the_context_object_takes_the_arns_the_caller_gives(queue, versioned, owner):
    definition = {
        "StartAt": "Who",
        "States": {
            "Who": {
                "Type": "Pass",
                "Parameters": {"id.$": "$$.Execution.Id", "machine.$": "$$.StateMachine.Id"},
                "End": True,
            }
        },
    }
    workflow = versioned(definition, name="who")
    arns = {"Execution": {"Id": "arn:aws:states:eu-west-1:000000000007:execution:who:run-1"},
            "StateMachine": {"Id": "arn:aws:states:eu-west-1:000000000007:stateMachine:who"}}  # fmt: skip
    execution = services.start_execution(user=owner, workflow=workflow, input={}, context=arns)
    queue()
    execution.refresh_from_db()
    assert execution.output == {"id": arns["Execution"]["Id"], "machine": arns["StateMachine"]["Id"]}


APPROVE_EACH = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Ask",
                "States": {
                    "Ask": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                        "Parameters": {
                            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q",
                            "MessageBody.$": "$$.Task.Token",
                        },
                        "End": True,
                    }
                },
            },
            "End": True,
        }
    },
}


def test_each_map_iteration_waits_on_a_token_of_its_own(queue, versioned, owner):
    """Regression: every iteration numbers its events from 1, so their tokens were one and the same, and
    all but the first iteration waited on a token answered for another."""
    from executor.models import TaskToken

    workflow = versioned(APPROVE_EACH, name="approve-each")
    execution = services.start_execution(user=owner, workflow=workflow, input=[1, 2, 3])
    queue()
    tokens = list(TaskToken.objects.order_by("execution_id"))
    assert len({t.token for t in tokens}) == 3
    assert [t.execution.child_index for t in tokens] == [0, 1, 2]
    for n, token in enumerate(tokens):
        services.send_task_success(user=owner, token=token.token, output={"approved": n})
        queue()
    execution.refresh_from_db()
    assert (execution.status, execution.output) == ("SUCCEEDED", [{"approved": 0}, {"approved": 1}, {"approved": 2}])


def test_a_map_run_again_in_a_loop_starts_its_own_queued_iterations(queue, versioned, owner):
    """The second run of a Map has the first run's rows beside its own (same parent, same indexes)."""
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": 1,
                "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}},
                "ResultPath": "$.echoed",
                "Next": "Count",
            },
            "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)", "items.$": "$.items"}, "Next": "Again"},
            "Again": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 2, "Next": "Each"}], "Default": "Done"},
            "Done": {"Type": "Succeed"},
        },
    }  # fmt: skip
    workflow = versioned(definition)
    execution = services.start_execution(user=owner, workflow=workflow, input={"n": 0, "items": [1, 2, 3]})
    queue()
    assert_same_as_in_process(execution, definition, {"n": 0, "items": [1, 2, 3]})
    assert execution.output == {"n": 2, "items": [1, 2, 3]}
    assert Execution.objects.filter(parent=execution, status="SUCCEEDED").count() == 6
