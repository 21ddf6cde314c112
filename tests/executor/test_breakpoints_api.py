"""Breakpoints on local runs through the API: start with them, see the pause, edit, step, continue, stop."""

import pytest

from executor import driver
from executor.models import Execution

FLOW = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Next": "Double"},
        "Double": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, $.n)"}, "Next": "Report"},
        "Report": {"Type": "Pass", "End": True},
    },
}
MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}},
            "End": True,
        }
    },
}


@pytest.fixture
def flow(versioned):
    return versioned(FLOW, name="flow")


def start(client, workflow, **body):
    return client.post(f"/api/workflows/{workflow.pk}/executions/", body, format="json")


def detail(client, pk):
    return client.get(f"/api/executions/{pk}/").json()


def types(client, pk):
    return [e["type"] for e in client.get(f"/api/executions/{pk}/history/").json()["events"]]


def test_a_breakpoint_pauses_the_run_and_continue_uses_the_edited_input(client_for, runner, flow, queue):
    client = client_for(runner)
    started = start(client, flow, input={"n": 2}, breakpoints=["Double"])
    assert started.status_code == 201
    pk = started.json()["id"]
    assert detail(client, pk)["breakpoints"] == ["Double"]
    queue()
    execution = detail(client, pk)
    assert execution["status"] == "RUNNING"
    assert execution["paused"] == [{"execution": pk, "name": execution["name"], "state": "Double", "input": {"n": 2}}]
    # No event is invented for the pause: Prepare ran, Double was not entered.
    assert types(client, pk) == ["ExecutionStarted", "PassStateEntered", "PassStateExited"]
    assert Execution.objects.get(pk=pk).waiting == Execution.Waiting.PAUSED
    assert queue.pending == []  # nothing is queued: no worker waits for the user

    continued = client.post(f"/api/executions/{pk}/continue/", {"input": {"n": 21}}, format="json")
    assert continued.status_code == 200 and continued.json()["paused"] == []
    queue()
    execution = detail(client, pk)
    assert (execution["status"], execution["output"]) == ("SUCCEEDED", {"n": 42})


def test_step_pauses_before_the_next_state(client_for, runner, flow, queue):
    client = client_for(runner)
    pk = start(client, flow, input={"n": 1}, breakpoints=["Prepare"]).json()["id"]
    queue()
    assert [p["state"] for p in detail(client, pk)["paused"]] == ["Prepare"]
    assert client.post(f"/api/executions/{pk}/continue/", {"step": True}, format="json").status_code == 200
    queue()
    assert detail(client, pk)["paused"][0] == {
        "execution": pk, "name": detail(client, pk)["name"], "state": "Double", "input": {"n": 1},
    }  # fmt: skip
    client.post(f"/api/executions/{pk}/continue/", {}, format="json")
    queue()
    assert detail(client, pk)["output"] == {"n": 2}


def test_breakpoints_change_on_a_running_execution(client_for, runner, flow, queue):
    client = client_for(runner)
    pk = start(client, flow, input={"n": 1}, breakpoints=["Prepare"]).json()["id"]
    queue()
    changed = client.put(f"/api/executions/{pk}/breakpoints/", {"breakpoints": ["Report"]}, format="json")
    assert changed.status_code == 200 and changed.json() == {"breakpoints": ["Report"]}
    client.post(f"/api/executions/{pk}/continue/", {}, format="json")
    queue()
    assert [p["state"] for p in detail(client, pk)["paused"]] == ["Report"]
    client.put(f"/api/executions/{pk}/breakpoints/", {"breakpoints": []}, format="json")
    assert detail(client, pk)["breakpoints"] == []
    client.post(f"/api/executions/{pk}/continue/", {}, format="json")
    queue()
    assert detail(client, pk)["status"] == "SUCCEEDED"


def test_a_breakpoint_inside_a_map_pauses_each_iteration(client_for, runner, versioned, queue):
    client = client_for(runner)
    workflow = versioned(MAP, name="map")
    pk = start(client, workflow, input=[1, 2], breakpoints=["Inner"]).json()["id"]
    queue()
    paused = detail(client, pk)["paused"]
    assert [(p["state"], p["input"]) for p in paused] == [("Inner", 1), ("Inner", 2)]
    assert all(p["execution"] != pk for p in paused)
    for p, edited in zip(paused, ("one", "two"), strict=True):
        assert client.post(f"/api/executions/{p['execution']}/continue/", {"input": edited}, format="json").status_code
        queue()
    execution = detail(client, pk)
    assert (execution["status"], execution["output"]) == ("SUCCEEDED", ["one", "two"])


def test_stop_ends_a_paused_run_and_its_paused_iterations(client_for, runner, versioned, queue):
    client = client_for(runner)
    workflow = versioned(MAP, name="map")
    pk = start(client, workflow, input=[1], breakpoints=["Inner"]).json()["id"]
    queue()
    child = detail(client, pk)["paused"][0]["execution"]
    assert client.post(f"/api/executions/{pk}/stop/", {}, format="json").status_code == 200
    assert detail(client, pk)["status"] == "ABORTED"
    assert Execution.objects.get(pk=child).status == "ABORTED"
    continued = client.post(f"/api/executions/{child}/continue/", {}, format="json")
    assert continued.status_code == 409


def test_bad_requests_are_400_with_their_location(client_for, runner, flow, queue):
    client = client_for(runner)
    unknown = start(client, flow, breakpoints=["Prepare", "Nope"])
    assert unknown.status_code == 400
    assert unknown.json()["error"]["details"] == {"field": "/breakpoints/1"}
    assert "Nope" in unknown.json()["error"]["message"]
    aws = start(client, flow, backend="aws", breakpoints=["Prepare"])
    assert aws.status_code == 400 and "/breakpoints" in aws.json()["error"]["details"]["fields"]

    pk = start(client, flow, input={"n": 1}, breakpoints=["Double"]).json()["id"]
    queue()
    huge = client.post(f"/api/executions/{pk}/continue/", {"input": "x" * 300_000}, format="json")
    assert huge.status_code == 400 and huge.json()["error"]["details"] == {"field": "/input"}
    garbled = client.post(f"/api/executions/{pk}/continue/", '{"input": {', content_type="application/json")
    assert garbled.status_code == 400
    extra = client.post(f"/api/executions/{pk}/continue/", {"inptu": 1}, format="json")
    assert extra.status_code == 400 and "/inptu" in extra.json()["error"]["details"]["fields"]
    renamed = client.put(f"/api/executions/{pk}/breakpoints/", {"breakpoints": ["Gone"]}, format="json")
    assert renamed.status_code == 400 and renamed.json()["error"]["details"] == {"field": "/breakpoints/0"}
    assert detail(client, pk)["paused"][0]["state"] == "Double"  # none of it changed the run


def test_continue_is_409_when_not_paused(client_for, runner, flow, queue):
    client = client_for(runner)
    pk = start(client, flow, input={"n": 1}).json()["id"]
    queue()
    response = client.post(f"/api/executions/{pk}/continue/", {}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_running"
    pk = start(client, flow, input={"n": 1}, breakpoints=["Report"]).json()["id"]
    assert client.post(f"/api/executions/{pk}/continue/", {}, format="json").json()["error"]["code"] == "not_paused"


@pytest.mark.parametrize(
    ("who", "expected"), [("owner", 200), ("editor", 200), ("runner", 200), ("viewer", 403), ("outsider", 404)]
)
def test_roles(client_for, request, runner, flow, queue, who, expected):
    pk = start(client_for(runner), flow, input={"n": 1}, breakpoints=["Double"]).json()["id"]
    queue()
    client = client_for(request.getfixturevalue(who))
    changed = client.put(f"/api/executions/{pk}/breakpoints/", {"breakpoints": ["Double", "Report"]}, format="json")
    assert changed.status_code == expected
    assert client.post(f"/api/executions/{pk}/continue/", {}, format="json").status_code == expected
    assert start(client, flow, breakpoints=["Double"]).status_code == (201 if expected == 200 else expected)


def test_a_paused_run_times_out_at_its_deadline(client_for, runner, versioned, queue, monkeypatch):
    workflow = versioned({**FLOW, "TimeoutSeconds": 60}, name="deadline")
    client = client_for(runner)
    pk = start(client, workflow, input={"n": 1}, breakpoints=["Double"]).json()["id"]
    queue()
    row = Execution.objects.get(pk=pk)
    assert row.wake_at is not None  # the sweeper wakes it at the deadline
    later = driver.now_ms() + 61_000
    monkeypatch.setattr(driver, "now_ms", lambda: later)
    driver.advance(pk, row.sequence)
    assert detail(client, pk)["status"] == "TIMED_OUT"


def test_an_aws_execution_has_no_breakpoints(client_for, runner, flow):
    execution = Execution.objects.create(
        workflow=flow, version=flow.versions.get(), backend=Execution.Backend.AWS, name="on-aws", started_by=runner
    )
    client = client_for(runner)
    continued = client.post(f"/api/executions/{execution.pk}/continue/", {}, format="json")
    assert continued.status_code == 400 and continued.json()["error"]["code"] == "local_only"
    changed = client.put(f"/api/executions/{execution.pk}/breakpoints/", {"breakpoints": ["Double"]}, format="json")
    assert changed.status_code == 400 and changed.json()["error"]["code"] == "local_only"
    assert client.get(f"/api/executions/{execution.pk}/").json()["paused"] == []


def test_a_paused_iteration_stays_visible_when_the_breakpoints_are_cleared(client_for, runner, versioned, queue):
    client = client_for(runner)
    workflow = versioned(MAP, name="map")
    pk = start(client, workflow, input=[5], breakpoints=["Inner"]).json()["id"]
    queue()
    client.put(f"/api/executions/{pk}/breakpoints/", {"breakpoints": []}, format="json")
    paused = detail(client, pk)["paused"]
    assert [(p["state"], p["input"]) for p in paused] == [("Inner", 5)]
    client.post(f"/api/executions/{paused[0]['execution']}/continue/", {}, format="json")
    queue()
    assert detail(client, pk)["output"] == [5]


def test_a_breakpoint_in_a_parallel_branch_pauses_that_branch_only(client_for, runner, versioned, queue):
    fan = {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "L",
                        "States": {
                            "L": {"Type": "Pass", "Result": "left", "Next": "L2"},
                            "L2": {"Type": "Pass", "End": True},
                        },
                    },
                    {"StartAt": "R", "States": {"R": {"Type": "Pass", "Result": "right", "End": True}}},
                ],
                "End": True,
            }
        },
    }
    client = client_for(runner)
    pk = start(client, versioned(fan, name="fan"), breakpoints=["L"]).json()["id"]
    queue()
    paused = detail(client, pk)["paused"]
    assert [(p["state"], p["name"].rsplit("/", 1)[1]) for p in paused] == [("L", "b0")]
    client.post(f"/api/executions/{paused[0]['execution']}/continue/", {"step": True}, format="json")
    queue()
    assert [(p["state"], p["input"]) for p in detail(client, pk)["paused"]] == [("L2", "left")]
    client.post(f"/api/executions/{paused[0]['execution']}/continue/", {}, format="json")
    queue()
    assert detail(client, pk)["output"] == ["left", "right"]
