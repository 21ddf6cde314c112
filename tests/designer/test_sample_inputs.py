"""Sample inputs saved with a workflow: the whole team sees them in the run dialog."""


def url(workflow, pk: int | None = None) -> str:
    base = f"/api/workflows/{workflow.pk}/sample-inputs/"
    return base if pk is None else f"{base}{pk}/"


def test_a_runner_saves_a_sample_and_a_viewer_sees_it(client_for, runner, viewer, workflow):
    saved = client_for(runner).post(url(workflow), {"name": "big order", "input": {"items": 40}}, format="json")
    assert saved.status_code == 201
    assert saved.json()["updated_by"] == runner.username

    listed = client_for(viewer).get(url(workflow)).json()
    assert [(x["name"], x["input"]) for x in listed] == [("big order", {"items": 40})]


def test_saving_under_a_taken_name_replaces_the_sample(client_for, runner, workflow):
    client = client_for(runner)
    client.post(url(workflow), {"name": "empty", "input": {}}, format="json")
    again = client.post(url(workflow), {"name": "empty", "input": []}, format="json")
    assert again.status_code == 200
    assert [(x["name"], x["input"]) for x in client.get(url(workflow)).json()] == [("empty", [])]


def test_samples_are_listed_by_name_and_any_json_value_is_kept(client_for, owner, workflow):
    client = client_for(owner)
    for name, value in [("zeta", "text"), ("alpha", [1, 2]), ("mid", 3.5)]:
        assert client.post(url(workflow), {"name": name, "input": value}, format="json").status_code == 201
    assert [(x["name"], x["input"]) for x in client.get(url(workflow)).json()] == [
        ("alpha", [1, 2]),
        ("mid", 3.5),
        ("zeta", "text"),
    ]


def test_a_viewer_may_not_save_or_delete(client_for, owner, viewer, workflow):
    sample = client_for(owner).post(url(workflow), {"name": "s", "input": {}}, format="json").json()
    denied = client_for(viewer).post(url(workflow), {"name": "mine", "input": {}}, format="json")
    assert denied.status_code == 403
    assert client_for(viewer).delete(url(workflow, sample["id"])).status_code == 403
    assert [x["name"] for x in client_for(owner).get(url(workflow)).json()] == ["s"]


def test_a_runner_deletes_a_sample(client_for, owner, runner, workflow):
    sample = client_for(owner).post(url(workflow), {"name": "old", "input": {}}, format="json").json()
    assert client_for(runner).delete(url(workflow, sample["id"])).status_code == 204
    assert client_for(owner).get(url(workflow)).json() == []
    assert client_for(runner).delete(url(workflow, sample["id"])).status_code == 404


def test_outsiders_see_nothing(client_for, owner, outsider, workflow):
    sample = client_for(owner).post(url(workflow), {"name": "s", "input": {}}, format="json").json()
    assert client_for(outsider).get(url(workflow)).status_code == 404
    assert client_for(outsider).post(url(workflow), {"name": "x", "input": {}}, format="json").status_code == 404
    assert client_for(outsider).delete(url(workflow, sample["id"])).status_code == 404


def test_bad_samples_say_which_field(client_for, runner, workflow):
    client = client_for(runner)
    no_name = client.post(url(workflow), {"input": {}}, format="json")
    assert no_name.status_code == 400 and "name" in str(no_name.json()["error"]["details"])

    too_big = client.post(url(workflow), {"name": "huge", "input": {"x": "a" * 300_000}}, format="json")
    assert too_big.status_code == 400
    assert too_big.json()["error"]["code"] == "payload_too_large"
    assert too_big.json()["error"]["details"]["field"] == "/input"
    assert client.get(url(workflow)).json() == []
