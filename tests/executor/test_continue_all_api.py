"""POST /api/executions/{id}/continue-all/: every paused Map iteration or branch of a run goes on in one call;
the children API counts them per state meanwhile (`paused`), and the execution's `paused` list empties."""

import pytest

from executor.models import Execution

MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Inner",
                "States": {
                    "Inner": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($, $)"}, "Next": "After"},
                    "After": {"Type": "Pass", "End": True},
                },
            },
            "End": True,
        }
    },
}


@pytest.fixture
def paused_map(client_for, runner, versioned, queue) -> int:
    """A run whose three Map iterations are all paused before Inner."""
    workflow = versioned(MAP, name="map")
    started = client_for(runner).post(
        f"/api/workflows/{workflow.pk}/executions/", {"input": [1, 2, 3], "breakpoints": ["Inner"]}, format="json"
    )
    queue()
    return started.json()["id"]


def detail(client, pk: int) -> dict:
    return client.get(f"/api/executions/{pk}/").json()


def continue_all(client, pk: int, body: dict | None = None):
    return client.post(f"/api/executions/{pk}/continue-all/", body or {}, format="json")


def test_continue_all_lets_every_paused_iteration_go_on(client_for, runner, viewer, paused_map, queue):
    client = client_for(runner)
    paused = detail(client, paused_map)["paused"]
    assert [(p["state"], p["input"]) for p in paused] == [("Inner", 1), ("Inner", 2), ("Inner", 3)]
    live = client_for(viewer).get(f"/api/executions/{paused_map}/children/").json()
    assert live["states"] == {"Inner": {"running": 0, "paused": 3}}
    assert [(c["state"], c["paused"]) for c in live["children"]] == [("Inner", True)] * 3

    response = continue_all(client, paused_map)
    assert response.status_code == 200
    assert response.json() == {"continued": [p["execution"] for p in paused]}
    assert detail(client, paused_map)["paused"] == []
    queue()
    execution = detail(client, paused_map)
    assert (execution["status"], execution["output"]) == ("SUCCEEDED", [{"doubled": 2}, {"doubled": 4}, {"doubled": 6}])


def test_step_all_pauses_each_iteration_before_its_next_state(client_for, runner, viewer, paused_map, queue):
    client = client_for(runner)
    assert continue_all(client, paused_map, {"step": True}).status_code == 200
    queue()
    paused = detail(client, paused_map)["paused"]
    assert [(p["state"], p["input"]) for p in paused] == [("After", {"doubled": n}) for n in (2, 4, 6)]
    live = client_for(viewer).get(f"/api/executions/{paused_map}/children/").json()
    assert live["states"] == {"After": {"running": 0, "paused": 3}}
    continue_all(client, paused_map)
    queue()
    assert detail(client, paused_map)["status"] == "SUCCEEDED"


def test_continue_all_on_a_single_paused_run_continues_it(client_for, runner, versioned, queue):
    flow = versioned({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}, name="one")
    client = client_for(runner)
    pk = client.post(f"/api/workflows/{flow.pk}/executions/", {"breakpoints": ["A"]}, format="json").json()["id"]
    queue()
    assert continue_all(client, pk).json() == {"continued": [pk]}
    queue()
    assert detail(client, pk)["status"] == "SUCCEEDED"


def test_nothing_paused_is_409_and_an_ended_run_too(client_for, runner, paused_map, queue):
    client = client_for(runner)
    continue_all(client, paused_map)
    again = continue_all(client, paused_map)
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_paused"
    queue()
    ended = continue_all(client, paused_map)
    assert ended.status_code == 409 and ended.json()["error"]["code"] == "not_running"


def test_bad_bodies_are_400_with_their_location(client_for, runner, paused_map):
    client = client_for(runner)
    typo = continue_all(client, paused_map, {"stpe": True})
    assert typo.status_code == 400 and "/stpe" in typo.json()["error"]["details"]["fields"]
    wrong = continue_all(client, paused_map, {"step": "sideways"})
    assert wrong.status_code == 400 and "/step" in wrong.json()["error"]["details"]["fields"]
    assert len(detail(client, paused_map)["paused"]) == 3  # none of it continued anything


def test_an_aws_execution_has_nothing_to_continue(client_for, runner, versioned):
    flow = versioned(MAP, name="aws-map")
    execution = Execution.objects.create(
        workflow=flow, version=flow.versions.get(), backend=Execution.Backend.AWS, name="on-aws", started_by=runner
    )
    response = continue_all(client_for(runner), execution.pk)
    assert response.status_code == 400 and response.json()["error"]["code"] == "local_only"


@pytest.mark.parametrize(
    ("who", "expected"), [("owner", 200), ("editor", 200), ("runner", 200), ("viewer", 403), ("outsider", 404)]
)
def test_roles(client_for, request, paused_map, who, expected):
    client = client_for(request.getfixturevalue(who))
    assert continue_all(client, paused_map).status_code == expected
    still = Execution.objects.filter(parent_id=paused_map, waiting=Execution.Waiting.PAUSED).count()
    assert still == (0 if expected == 200 else 3)
    assert client_for().post(f"/api/executions/{paused_map}/continue-all/", {}, format="json").status_code in (401, 403)
