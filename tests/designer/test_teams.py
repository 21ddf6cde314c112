def test_owner_creates_and_renames_a_team(client_for, owner):
    client = client_for(owner)
    created = client.post("/api/teams/", {"name": "Data"}, format="json")
    assert created.status_code == 201
    assert created.json()["role"] == "owner"
    renamed = client.patch(f"/api/teams/{created.json()['id']}/", {"name": "Data Eng"}, format="json")
    assert renamed.json()["name"] == "Data Eng"


def test_teams_list_only_the_users_own(client_for, team, outsider):
    names = [t["name"] for t in client_for(outsider).get("/api/teams/").json()]
    assert names == ["mallory's team"]


def test_an_editor_cannot_rename_the_team(client_for, team, editor):
    response = client_for(editor).patch(f"/api/teams/{team.pk}/", {"name": "Mine"}, format="json")
    assert response.status_code == 403


def test_a_viewer_sees_the_team_with_their_role(client_for, team, viewer):
    response = client_for(viewer).get(f"/api/teams/{team.pk}/")
    assert response.status_code == 200
    assert response.json()["role"] == "viewer"


def test_an_outsider_gets_404(client_for, team, outsider):
    assert client_for(outsider).get(f"/api/teams/{team.pk}/").status_code == 404
    assert client_for(outsider).delete(f"/api/teams/{team.pk}/").status_code == 404


def test_a_team_with_workflows_cannot_be_deleted(client_for, owner, team, workflow):
    response = client_for(owner).delete(f"/api/teams/{team.pk}/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "team_not_empty"


def test_the_personal_team_cannot_be_deleted(client_for, owner):
    personal = client_for(owner).get("/api/teams/").json()[0]
    assert personal["personal"] is True
    assert client_for(owner).delete(f"/api/teams/{personal['id']}/").status_code == 400
