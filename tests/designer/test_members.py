import pytest


@pytest.fixture
def carol(make_user):
    return make_user("carol")


def test_owner_adds_a_member_by_username_or_email(client_for, owner, team, carol, make_user):
    client = client_for(owner)
    by_name = client.post(f"/api/teams/{team.pk}/members/", {"user": "carol", "role": "viewer"}, format="json")
    assert by_name.status_code == 201
    assert by_name.json()["user"]["username"] == "carol"
    make_user("dave")
    by_email = client.post(
        f"/api/teams/{team.pk}/members/", {"user": "dave@example.com", "role": "editor"}, format="json"
    )
    assert by_email.json()["role"] == "editor"
    listed = client.get(f"/api/teams/{team.pk}/members/").json()
    assert [(m["user"]["username"], m["role"]) for m in listed] == [
        ("alice", "owner"),
        ("carol", "viewer"),
        ("dave", "editor"),
    ]


def test_adding_an_unknown_user_or_a_member_twice_is_refused(client_for, owner, team, carol):
    client = client_for(owner)
    unknown = client.post(f"/api/teams/{team.pk}/members/", {"user": "nobody", "role": "viewer"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "user_not_found"
    client.post(f"/api/teams/{team.pk}/members/", {"user": "carol", "role": "viewer"}, format="json")
    again = client.post(f"/api/teams/{team.pk}/members/", {"user": "carol", "role": "editor"}, format="json")
    assert again.status_code == 409


def test_a_bad_role_is_refused_with_its_field(client_for, owner, team, carol):
    response = client_for(owner).post(
        f"/api/teams/{team.pk}/members/", {"user": "carol", "role": "admin"}, format="json"
    )
    assert response.status_code == 400
    assert "/role" in response.json()["error"]["details"]["fields"]


def test_an_editor_cannot_manage_members(client_for, team, editor, carol):
    response = client_for(editor).post(
        f"/api/teams/{team.pk}/members/", {"user": "carol", "role": "viewer"}, format="json"
    )
    assert response.status_code == 403


def test_a_viewer_reads_the_member_list(client_for, team, viewer):
    assert client_for(viewer).get(f"/api/teams/{team.pk}/members/").status_code == 200


def test_an_outsider_gets_404(client_for, team, outsider):
    assert client_for(outsider).get(f"/api/teams/{team.pk}/members/").status_code == 404


def test_owner_changes_a_role(client_for, owner, team, viewer):
    membership = team.memberships.get(user=viewer)
    response = client_for(owner).patch(
        f"/api/teams/{team.pk}/members/{membership.pk}/", {"role": "editor"}, format="json"
    )
    assert response.json()["role"] == "editor"


def test_the_last_owner_cannot_leave_or_step_down(client_for, owner, team):
    membership = team.memberships.get(user=owner)
    client = client_for(owner)
    leave = client.delete(f"/api/teams/{team.pk}/members/{membership.pk}/")
    assert leave.status_code == 409
    assert leave.json()["error"]["code"] == "last_owner"
    demote = client.patch(f"/api/teams/{team.pk}/members/{membership.pk}/", {"role": "editor"}, format="json")
    assert demote.status_code == 409


def test_a_member_may_leave_and_an_owner_may_remove(client_for, owner, team, viewer, editor):
    own = team.memberships.get(user=viewer)
    assert client_for(viewer).delete(f"/api/teams/{team.pk}/members/{own.pk}/").status_code == 204
    other = team.memberships.get(user=editor)
    assert client_for(owner).delete(f"/api/teams/{team.pk}/members/{other.pk}/").status_code == 204
    assert list(team.memberships.values_list("user__username", flat=True)) == ["alice"]
