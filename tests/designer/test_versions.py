import json

V1 = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
V2 = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": True}}})


def save(client, workflow, definition, message):
    revision = client.get(f"/api/workflows/{workflow.pk}/draft/").json()["draft"]["revision"]
    client.put(f"/api/workflows/{workflow.pk}/draft/", {"definition": definition, "revision": revision}, format="json")
    return client.post(f"/api/workflows/{workflow.pk}/versions/", {"message": message}, format="json")


def test_saving_versions_numbers_them_and_records_who_and_why(client_for, editor, workflow):
    client = client_for(editor)
    first = save(client, workflow, V1, "first")
    second = save(client, workflow, V2, "add a result")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["number"] == 2
    assert second.json()["author"] == "editor-bob"
    assert second.json()["validation_status"] == "valid"
    listed = client.get(f"/api/workflows/{workflow.pk}/versions/").json()["results"]
    assert [(v["number"], v["message"]) for v in listed] == [(2, "add a result"), (1, "first")]
    assert client.get(f"/api/workflows/{workflow.pk}/").json()["latest_version"] == 2


def test_saving_an_unchanged_draft_does_not_duplicate(client_for, editor, workflow):
    client = client_for(editor)
    save(client, workflow, V1, "first")
    again = client.post(f"/api/workflows/{workflow.pk}/versions/", {"message": "again"}, format="json")
    assert again.status_code == 200
    assert again.json()["number"] == 1
    assert client.get(f"/api/workflows/{workflow.pk}/versions/").json()["count"] == 1


def test_a_version_records_its_validation_status(client_for, editor, workflow):
    response = save(client_for(editor), workflow, '{"States": {}}', "broken")
    assert response.json()["validation_status"] == "invalid"
    assert response.json()["diagnostics"]


def test_a_version_is_immutable_and_restorable(client_for, editor, workflow):
    client = client_for(editor)
    save(client, workflow, V1, "first")
    save(client, workflow, V2, "second")
    assert client.get(f"/api/workflows/{workflow.pk}/versions/1/").json()["definition"] == V1
    assert client.put(f"/api/workflows/{workflow.pk}/versions/1/", {"definition": "x"}).status_code == 405
    restored = client.post(f"/api/workflows/{workflow.pk}/versions/1/restore/")
    assert restored.status_code == 200
    assert restored.json()["draft"]["definition"] == V1
    assert restored.json()["draft"]["revision"] == 4


def test_a_missing_version_is_404(client_for, editor, workflow):
    assert client_for(editor).get(f"/api/workflows/{workflow.pk}/versions/9/").status_code == 404


def test_a_viewer_reads_versions_but_cannot_save_or_restore(client_for, editor, viewer, workflow):
    save(client_for(editor), workflow, V1, "first")
    client = client_for(viewer)
    assert client.get(f"/api/workflows/{workflow.pk}/versions/1/").status_code == 200
    assert client.post(f"/api/workflows/{workflow.pk}/versions/", {}, format="json").status_code == 403
    assert client.post(f"/api/workflows/{workflow.pk}/versions/1/restore/").status_code == 403


def test_an_outsider_gets_404(client_for, editor, outsider, workflow):
    save(client_for(editor), workflow, V1, "first")
    client = client_for(outsider)
    assert client.get(f"/api/workflows/{workflow.pk}/versions/").status_code == 404
    assert client.get(f"/api/workflows/{workflow.pk}/versions/1/").status_code == 404
    assert client.post(f"/api/workflows/{workflow.pk}/versions/", {}, format="json").status_code == 404
