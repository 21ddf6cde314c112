"""The REST API for a team's access keys."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def url(team, pk=None):
    return f"/api/teams/{team.pk}/access-keys/" + (f"{pk}/" if pk else "")


def test_it_creates_a_key_and_shows_the_secret_once(client_for, owner, team):
    client = client_for(owner)
    created = client.post(url(team), {"name": "ci"}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["access_key_id"].startswith("STEP") and len(body["secret_access_key"]) == 40
    assert body["endpoint"].endswith("/aws/stepfunctions/")
    listed = client.get(url(team)).json()
    assert [(k["name"], k["user"]) for k in listed] == [("ci", "alice")]
    assert "secret_access_key" not in listed[0]


def test_the_keys_user_or_an_owner_revokes_it(client_for, owner, team, member):
    editor, viewer = member("editor"), member("viewer")
    key = client_for(editor).post(url(team), {}, format="json").json()
    assert client_for(viewer).delete(url(team, key["id"])).status_code == 403
    assert client_for(editor).delete(url(team, key["id"])).status_code == 204
    other = client_for(editor).post(url(team), {}, format="json").json()
    assert client_for(owner).delete(url(team, other["id"])).status_code == 204
    assert client_for(owner).get(url(team)).json() == []


def test_an_outsider_sees_nothing(client_for, owner, team, outsider):
    client_for(owner).post(url(team), {}, format="json")
    client = client_for(outsider)
    assert client.get(url(team)).status_code == 404
    assert client.post(url(team), {}, format="json").status_code == 404


def test_the_endpoints_are_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/teams/{team_pk}/access-keys/" in schema["paths"]
