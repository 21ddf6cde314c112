"""GET /api/executions/{id}/children/: a running Map's iterations, live, before their events join the history."""

import pytest

from executor.models import Execution, TaskToken

# Item 1 fails at once (tolerated); the others wait for an activity worker, two at a time.
FAN = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Map",
            "MaxConcurrency": 2,
            "ToleratedFailureCount": 1,
            "ItemProcessor": {
                "StartAt": "Check",
                "States": {
                    "Check": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "Boom"}],
                        "Default": "Ask",
                    },
                    "Boom": {"Type": "Fail", "Error": "BadItem", "Cause": "one is not allowed"},
                    # an activity: its token is the iteration's own
                    "Ask": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:us-east-1:123456789012:activity:ask",
                        "End": True,
                    },
                },
            },
            "End": True,
        }
    },
}


@pytest.fixture
def fanning(client_for, runner, versioned, queue) -> int:
    """A running execution whose Map has item 1 failed, items 0 and 2 waiting for an answer, item 3 queued."""
    workflow = versioned(FAN, name="fan")
    started = client_for(runner).post(
        f"/api/workflows/{workflow.pk}/executions/", {"input": [0, 1, 2, 3]}, format="json"
    )
    queue()
    return started.json()["id"]


def children(client, pk: int, query: str = "") -> dict:
    response = client.get(f"/api/executions/{pk}/children/{query}")
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_viewer_watches_the_iterations_of_a_running_map(client_for, viewer, runner, fanning, queue):
    live = children(client_for(viewer), fanning)
    assert {k: live[k] for k in ("live", "state", "total", "done", "failed", "running")} == {
        "live": True, "state": "Fan", "total": 4, "done": 1, "failed": 1, "running": 2,
    }  # fmt: skip
    rows = [(c["index"], c["status"], c["state"], c["queued"], c["error"]) for c in live["children"]]
    assert rows == [
        (0, "RUNNING", "Ask", False, None),
        (1, "FAILED", None, False, "BadItem"),
        (2, "RUNNING", "Ask", False, None),
        (3, "RUNNING", None, True, None),
    ]
    assert live["children"][0]["name"].endswith("/0") and live["next_after"] == 3
    # where they are now, per state: the queued one is nowhere yet, the failed one no more
    assert live["states"] == {"Ask": {"running": 2, "paused": 0}}
    assert not any(c["paused"] for c in live["children"])
    # none of this is in the history yet: the iterations' events join it at fan-in
    history = client_for(viewer).get(f"/api/executions/{fanning}/history/").json()
    assert "MapIterationStarted" not in [e["type"] for e in history["events"]]

    # paged by index, and filtered by status
    page = children(client_for(viewer), fanning, "?after=0&limit=2")
    assert ([c["index"] for c in page["children"]], page["next_after"]) == ([1, 2], 2)
    assert [c["index"] for c in children(client_for(viewer), fanning, "?status=failed")["children"]] == [1]

    # the activities answered, the Map ends: the counts now come from the children themselves
    while waiting := TaskToken.objects.filter(answered_at__isnull=True).first():
        answer = {"token": waiting.token, "output": {"ok": 1}}
        assert client_for(runner).post("/api/task-tokens/success/", answer, format="json").status_code == 200
        queue()
    assert Execution.objects.get(pk=fanning).status == "SUCCEEDED"
    ended = children(client_for(viewer), fanning)
    assert {k: ended[k] for k in ("live", "state", "total", "done", "failed", "running")} == {
        "live": False, "state": None, "total": 4, "done": 4, "failed": 1, "running": 0,
    }  # fmt: skip
    assert [c["status"] for c in ended["children"]] == ["SUCCEEDED", "FAILED", "SUCCEEDED", "SUCCEEDED"]
    assert ended["states"] == {}


def test_the_failed_iteration_event_says_why(client_for, runner, fanning):
    execution = Execution.objects.get(pk=fanning)
    failed = execution.children.get(child_index=1).events.get(type="MapIterationFailed")
    assert failed.details["mapIterationFailedEventDetails"] == {
        "name": "Fan", "index": 1, "error": "BadItem", "cause": "one is not allowed",
    }  # fmt: skip


def test_an_execution_without_children_has_none(client_for, runner, versioned, queue):
    workflow = versioned({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}, name="plain")
    started = client_for(runner).post(f"/api/workflows/{workflow.pk}/executions/", {}, format="json")
    queue()
    found = children(client_for(runner), started.json()["id"])
    assert (found["live"], found["total"], found["children"], found["next_after"]) == (False, 0, [], -1)


def test_bad_parameters_say_which(client_for, viewer, fanning):
    for query, field in (
        ("?limit=many", "limit"),
        ("?limit=0", "limit"),
        ("?after=-5", "after"),
        ("?status=BOGUS", "status"),
    ):
        response = client_for(viewer).get(f"/api/executions/{fanning}/children/{query}")
        assert response.status_code == 400, query
        assert response.json()["error"]["details"]["field"] == field


def test_an_outsider_sees_nothing(client_for, outsider, fanning):
    assert client_for(outsider).get(f"/api/executions/{fanning}/children/").status_code == 404
    assert client_for().get(f"/api/executions/{fanning}/children/").status_code in (401, 403)
