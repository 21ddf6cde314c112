"""A test case's responses are numbered per run, as `asl.execute` and Step Functions Local number them:
every Map iteration and Parallel branch (child executions, on any worker) draws on the same count."""

from collections import Counter

import pytest

from asl.mocks import response_items
from executor import driver, services
from executor.models import Execution, MockCount, TestCase
from tests.executor.test_driver import assert_same_as_in_process

FETCH = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:fetch", "End": True}


def each(max_concurrency: int) -> dict:
    return {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "MaxConcurrency": max_concurrency,
                "ItemProcessor": {"StartAt": "Fetch", "States": {"Fetch": FETCH}},
                "End": True,
            }
        },
    }


def numbered(count: int) -> dict:
    """Response i returns {"response": i}."""
    return {str(i): {"Return": {"response": i}} for i in range(count)}


def run(workflow, queue, owner, responses: dict, input) -> Execution:
    case = TestCase.objects.create(workflow=workflow, name="Case", responses=responses)
    execution = services.start_execution(user=owner, workflow=workflow, input=input, test_case=case)
    queue()
    execution.refresh_from_db()
    return execution


def in_process_mocks(responses: dict) -> dict:
    return {state: response_items(response) for state, response in responses.items()}


@pytest.mark.parametrize("max_concurrency", [0, 3])
def test_a_maps_iterations_share_the_responses(queue, versioned, owner, max_concurrency):
    workflow = versioned(each(max_concurrency))
    execution = run(workflow, queue, owner, {"Fetch": numbered(5)}, ["a", "b", "c", "d", "e"])
    assert execution.status == "SUCCEEDED"
    # Which iteration draws which response depends on the order workers take them; each is drawn once.
    assert Counter(r["response"] for r in execution.output) == Counter(range(5))
    assert MockCount.objects.get(execution=execution, state="Fetch").used == 5


def test_one_at_a_time_a_map_gets_what_asl_execute_gives(queue, versioned, owner):
    definition, responses = each(1), {"Fetch": numbered(3)}
    workflow = versioned(definition)
    execution = run(workflow, queue, owner, responses, [1, 2, 3])
    assert execution.output == [{"response": 0}, {"response": 1}, {"response": 2}]
    assert_same_as_in_process(execution, definition, [1, 2, 3], mocks=in_process_mocks(responses))


def test_parallel_branches_count_with_the_iterations_around_them(queue, versioned, owner):
    """State names are unique across a machine, so a state runs in several branches only inside a Map:
    here each iteration's Parallel has branches of its own (grandchildren of the run)."""
    left = {**FETCH, "Resource": "arn:aws:lambda:us-east-1:123456789012:function:left"}
    both = {
        "Type": "Parallel",
        "Branches": [{"StartAt": "Left", "States": {"Left": left}}, {"StartAt": "Right", "States": {"Right": FETCH}}],
        "End": True,
    }
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {"StartAt": "Both", "States": {"Both": both}},
                "End": True,
            }
        },
    }
    responses = {
        "Left": {str(i): {"Return": f"left {i}"} for i in range(3)},
        "Right": {"0": {"Return": "right 0"}, "1-2": {"Return": "right 1 or 2"}},
    }
    workflow = versioned(definition)
    execution = run(workflow, queue, owner, responses, [1, 2, 3])
    assert execution.output == [
        ["left 0", "right 0"],
        ["left 1", "right 1 or 2"],
        ["left 2", "right 1 or 2"],
    ]
    assert_same_as_in_process(execution, definition, [1, 2, 3], mocks=in_process_mocks(responses))
    # Three levels of executions (the run, its iterations, their branches) and one counter per state.
    assert Execution.objects.filter(parent__parent=execution, kind="branch").count() == 6
    assert dict(MockCount.objects.filter(execution=execution).values_list("state", "used")) == {"Left": 3, "Right": 3}


def test_a_run_out_mock_fails_naming_the_state_and_the_invocation(queue, versioned, owner):
    definition = each(1)
    responses = {"Fetch": {"0-1": {"Return": "ok"}}}
    workflow = versioned(definition)
    execution = run(workflow, queue, owner, responses, [1, 2, 3])
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert execution.cause == "The mock for state 'Fetch' has 2 response(s); invocation 3 has none."
    assert_same_as_in_process(execution, definition, [1, 2, 3], mocks=in_process_mocks(responses))


def test_a_redriven_run_goes_on_counting_where_it_stopped(queue, versioned, owner):
    """Redrive runs the failed Map again whole: its iterations draw the responses after those used."""
    responses = {"Fetch": {"0": {"Return": "first"}, "1": {"Throw": {"Error": "Boom"}}, "2-3": {"Return": "again"}}}
    workflow = versioned(each(1))
    execution = run(workflow, queue, owner, responses, [1, 2])
    assert (execution.status, execution.error) == ("FAILED", "Boom")
    driver.redrive(execution)
    queue()
    execution.refresh_from_db()
    assert (execution.status, execution.output) == ("SUCCEEDED", ["again", "again"])
    assert MockCount.objects.get(execution=execution, state="Fetch").used == 4


def test_a_step_rolled_back_uses_no_response(queue, versioned, owner, monkeypatch):
    """A worker that dies mid-step rolls its transaction back: the response it drew is drawn again."""
    workflow = versioned(each(1))
    case = TestCase.objects.create(workflow=workflow, name="Case", responses={"Fetch": numbered(1)})
    execution = services.start_execution(user=owner, workflow=workflow, input=["only"], test_case=case)
    write_step = driver.write_step

    def crash_once(row, events):
        if row.parent_id is not None and any(e["type"] == "TaskSucceeded" for e in events):
            monkeypatch.setattr(driver, "write_step", write_step)
            raise ConnectionError("the worker died")
        write_step(row, events)

    monkeypatch.setattr(driver, "write_step", crash_once)
    with pytest.raises(ConnectionError):
        queue()
    assert not MockCount.objects.filter(execution=execution).exists()
    child = Execution.objects.get(parent=execution)
    queue.pending.append((child.pk, child.sequence))  # what the sweeper does for a runnable row left behind
    queue()
    execution.refresh_from_db()
    assert (execution.status, execution.output) == ("SUCCEEDED", [{"response": 0}])
    assert MockCount.objects.get(execution=execution, state="Fetch").used == 1
