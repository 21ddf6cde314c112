from datetime import timedelta

from django.utils import timezone

from designer import services
from designer.models import Workflow

LAMBDA = (
    '{"StartAt": "Go", "States": {"Go": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", '
    '"Parameters": {"FunctionName": "hello"}, "End": true}}}'
)


def test_an_editor_creates_a_workflow_with_a_blank_valid_definition(client_for, team, editor):
    response = client_for(editor).post("/api/workflows/", {"team": team.pk, "name": "etl"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["draft"]["revision"] == 1
    assert '"StartAt": "Start"' in body["draft"]["definition"]
    assert body["validation_status"] == "valid"
    assert body["latest_version"] is None


def test_names_are_unique_per_team(client_for, owner, team, workflow):
    again = client_for(owner).post("/api/workflows/", {"team": team.pk, "name": "orders"}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "name_taken"
    elsewhere = services.create_team(user=owner, name="Other")
    ok = client_for(owner).post("/api/workflows/", {"team": elsewhere.pk, "name": "orders"}, format="json")
    assert ok.status_code == 201


def test_list_searches_by_name_and_tag_and_filters_by_team(client_for, owner, team, workflow):
    services.create_workflow(user=owner, team=team, name="refunds", description="money back", tags=["support"])
    client = client_for(owner)

    def names(query: str) -> list[str]:
        return [w["name"] for w in client.get(f"/api/workflows/{query}").json()["results"]]

    assert sorted(names("")) == ["orders", "refunds"]
    assert names("?search=money") == ["refunds"]
    assert names("?tag=billing") == ["orders"]
    assert sorted(names(f"?team={team.pk}")) == ["orders", "refunds"]
    personal = client.get("/api/teams/").json()[0]["id"]
    assert names(f"?team={personal}") == []
    assert client.get("/api/workflows/?team=x").status_code == 400


def test_an_outsider_sees_nothing(client_for, workflow, outsider):
    client = client_for(outsider)
    assert client.get("/api/workflows/").json()["count"] == 0
    assert client.get(f"/api/workflows/{workflow.pk}/").status_code == 404
    assert client.patch(f"/api/workflows/{workflow.pk}/", {"name": "x"}, format="json").status_code == 404
    assert client.delete(f"/api/workflows/{workflow.pk}/").status_code == 404


def test_an_outsider_cannot_create_in_another_team(client_for, team, outsider):
    response = client_for(outsider).post("/api/workflows/", {"team": team.pk, "name": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "team_not_found"


def test_a_viewer_reads_but_cannot_write(client_for, team, workflow, viewer):
    client = client_for(viewer)
    assert client.get(f"/api/workflows/{workflow.pk}/").json()["name"] == "orders"
    assert client.post("/api/workflows/", {"team": team.pk, "name": "x"}, format="json").status_code == 403
    assert client.patch(f"/api/workflows/{workflow.pk}/", {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/workflows/{workflow.pk}/").status_code == 403
    assert client.post(f"/api/workflows/{workflow.pk}/duplicate/", {}, format="json").status_code == 403


def test_an_editor_renames_and_tags(client_for, workflow, editor):
    response = client_for(editor).patch(
        f"/api/workflows/{workflow.pk}/", {"name": "orders-v2", "tags": ["billing", "eu"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "orders-v2"
    assert response.json()["tags"] == ["billing", "eu"]


def test_unknown_fields_and_wrong_types_say_where(client_for, team, owner):
    client = client_for(owner)
    unknown = client.post("/api/workflows/", {"team": team.pk, "name": "x", "nmae": "y"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["details"]["fields"] == {"/nmae": ["Unknown field."]}
    wrong = client.post("/api/workflows/", {"team": team.pk, "name": "x", "tags": "a"}, format="json")
    assert "/tags" in wrong.json()["error"]["details"]["fields"]


def test_malformed_json_is_a_400(client_for, owner):
    response = client_for(owner).generic("POST", "/api/workflows/", '{"team": 1,', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_deleted_workflows_wait_in_the_bin_for_an_owner(client_for, owner, team, workflow, editor):
    assert client_for(editor).delete(f"/api/workflows/{workflow.pk}/").status_code == 204
    assert client_for(owner).get(f"/api/workflows/{workflow.pk}/").status_code == 404
    assert [w["name"] for w in client_for(owner).get("/api/workflows/deleted/").json()["results"]] == ["orders"]
    assert client_for(editor).post(f"/api/workflows/{workflow.pk}/undelete/").status_code == 403
    recovered = client_for(owner).post(f"/api/workflows/{workflow.pk}/undelete/")
    assert recovered.status_code == 200
    assert recovered.json()["deleted_at"] is None


def test_a_workflow_deleted_over_30_days_ago_is_gone(owner, team, workflow):
    services.delete_workflow(user=owner, workflow=workflow)
    Workflow.objects.filter(pk=workflow.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    assert services.purge_deleted_workflows() == 1
    assert not Workflow.objects.filter(pk=workflow.pk).exists()


def test_duplicate_copies_the_draft_under_a_free_name(client_for, owner, workflow):
    client = client_for(owner)
    client.put(f"/api/workflows/{workflow.pk}/draft/", {"definition": LAMBDA, "revision": 1}, format="json")
    first = client.post(f"/api/workflows/{workflow.pk}/duplicate/", {}, format="json")
    second = client.post(f"/api/workflows/{workflow.pk}/duplicate/", {}, format="json")
    assert (first.json()["name"], second.json()["name"]) == ("orders (copy)", "orders (copy 2)")
    assert first.json()["draft"]["definition"] == LAMBDA


def test_move_to_another_team_the_user_owns(client_for, owner, team, workflow, editor):
    other = services.create_team(user=owner, name="Other")
    editors_own = client_for(editor).get("/api/teams/").json()[0]
    assert editors_own["personal"] is True
    refused = client_for(editor).post(f"/api/workflows/{workflow.pk}/move/", {"team": editors_own["id"]})
    assert refused.status_code == 403
    assert client_for(editor).post(f"/api/workflows/{workflow.pk}/move/", {"team": other.pk}).status_code == 400
    moved = client_for(owner).post(f"/api/workflows/{workflow.pk}/move/", {"team": other.pk}, format="json")
    assert moved.status_code == 200
    assert moved.json()["team"] == other.pk
    # The editor was a member of the old team only: the workflow is out of their sight now.
    assert client_for(editor).get(f"/api/workflows/{workflow.pk}/").status_code == 404
