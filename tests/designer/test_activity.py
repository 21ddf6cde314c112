def test_the_team_reads_who_did_what(client_for, owner, team, workflow, viewer, editor):
    client_for(editor).post(f"/api/workflows/{workflow.pk}/versions/", {"message": "v1"}, format="json")
    entries = client_for(viewer).get(f"/api/teams/{team.pk}/activity/").json()["results"]
    lines = [(e["actor"], e["verb"], e["subject"]) for e in entries]
    assert lines[0] == ("editor-bob", "saved_version", "orders")
    assert ("alice", "created", "orders") in lines
    assert ("alice", "added_member", "viewer-bob") in lines


def test_an_outsider_gets_404(client_for, team, outsider):
    assert client_for(outsider).get(f"/api/teams/{team.pk}/activity/").status_code == 404
