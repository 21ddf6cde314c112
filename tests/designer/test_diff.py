import json

from designer.diff import diff_definitions

BEFORE = {
    "Comment": "orders",
    "StartAt": "Fetch",
    "States": {
        "Fetch": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Fan", "TimeoutSeconds": 30},
        "Fan": {
            "Type": "Parallel",
            "Branches": [{"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}}],
            "Next": "Old",
        },
        "Old": {"Type": "Succeed"},
    },
}
AFTER = {
    "Comment": "orders, v2",
    "StartAt": "Fetch",
    "States": {
        "Fetch": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Fan", "TimeoutSeconds": 60},
        "Fan": {
            "Type": "Parallel",
            "Branches": [{"StartAt": "Left", "States": {"Left": {"Type": "Pass", "Result": 1, "End": True}}}],
            "Next": "New",
        },
        "New": {"Type": "Succeed"},
    },
}


def test_states_added_removed_and_changed_field_by_field():
    diff = diff_definitions(BEFORE, AFTER)
    assert diff["added"] == ["New"]
    assert diff["removed"] == ["Old"]
    changed = {c["state"]: c["changes"] for c in diff["changed"]}
    assert changed["Fetch"] == [
        {"pointer": "/States/Fetch/TimeoutSeconds", "before": 30, "after": 60, "kind": "changed"}
    ]
    assert changed["Fan"] == [{"pointer": "/States/Fan/Next", "before": "Old", "after": "New", "kind": "changed"}]
    # A nested state's change is reported once, on the nested state itself.
    assert changed["Left"] == [
        {"pointer": "/States/Fan/Branches/0/States/Left/Result", "before": None, "after": 1, "kind": "added"}
    ]
    assert diff["top_level"] == [{"pointer": "/Comment", "before": "orders", "after": "orders, v2", "kind": "changed"}]


def test_identical_definitions_have_no_changes():
    assert diff_definitions(BEFORE, json.loads(json.dumps(BEFORE))) == {
        "added": [],
        "removed": [],
        "changed": [],
        "top_level": [],
    }


def test_the_api_diffs_two_versions_and_a_version_against_the_draft(client_for, editor, viewer, outsider, workflow):
    client = client_for(editor)
    for revision, definition in ((1, BEFORE), (2, AFTER)):
        client.put(
            f"/api/workflows/{workflow.pk}/draft/", {"definition": definition, "revision": revision}, format="json"
        )
        client.post(f"/api/workflows/{workflow.pk}/versions/", {"message": f"r{revision}"}, format="json")
    between = client_for(viewer).get(f"/api/workflows/{workflow.pk}/diff/?from=1&to=2")
    assert between.status_code == 200
    assert between.json()["added"] == ["New"]
    to_draft = client.get(f"/api/workflows/{workflow.pk}/diff/?from=2")
    assert to_draft.json()["changed"] == []
    assert client_for(outsider).get(f"/api/workflows/{workflow.pk}/diff/?from=1&to=2").status_code == 404


def test_the_api_explains_a_diff_it_cannot_make(client_for, editor, workflow):
    client = client_for(editor)
    client.post(f"/api/workflows/{workflow.pk}/versions/", {}, format="json")
    assert client.get(f"/api/workflows/{workflow.pk}/diff/").status_code == 400
    assert client.get(f"/api/workflows/{workflow.pk}/diff/?from=abc").status_code == 400
    client.put(f"/api/workflows/{workflow.pk}/draft/", {"definition": "{oops", "revision": 1}, format="json")
    broken = client.get(f"/api/workflows/{workflow.pk}/diff/?from=1&to=draft")
    assert broken.status_code == 400
    assert broken.json()["error"]["code"] == "invalid_definition"
    assert broken.json()["error"]["details"]["diagnostics"][0]["line"] == 1
