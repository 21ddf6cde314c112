from rest_framework.test import APIClient

from designer.models import Membership
from tests.conftest import PASSWORD


def test_sign_up_logs_in_and_gives_a_personal_team(db):
    client = APIClient()
    response = client.post("/api/auth/signup/", {"username": "dana", "email": "dana@example.com", "password": PASSWORD})
    assert response.status_code == 201
    me = client.get("/api/auth/me/").json()
    assert me["username"] == "dana"
    assert [(t["personal"], t["role"]) for t in me["teams"]] == [(True, "owner")]


def test_sign_up_refuses_a_taken_username_and_a_weak_password(owner):
    client = APIClient()
    taken = client.post("/api/auth/signup/", {"username": "alice", "password": PASSWORD})
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "username_taken"
    weak = client.post("/api/auth/signup/", {"username": "eve", "password": "123"})
    assert weak.status_code == 400
    assert "/password" in weak.json()["error"]["details"]["fields"]


def test_log_in_and_out(owner):
    client = APIClient()
    assert client.get("/api/auth/me/").status_code == 401
    wrong = client.post("/api/auth/login/", {"username": "alice", "password": "nope"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "invalid_credentials"
    assert client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}).status_code == 200
    assert client.get("/api/auth/me/").json()["username"] == "alice"
    assert client.post("/api/auth/logout/").status_code == 204
    assert client.get("/api/auth/me/").status_code == 401


def test_a_browser_session_needs_the_csrf_token_for_writes(owner, team):
    client = APIClient(enforce_csrf_checks=True)
    client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    refused = client.post("/api/teams/", {"name": "Data"}, format="json")
    assert refused.status_code == 403
    token = client.get("/api/auth/csrf/").json()["csrfToken"]
    accepted = client.post("/api/teams/", {"name": "Data"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_personal_api_tokens_work_until_revoked(owner, outsider):
    session = APIClient()
    session.force_authenticate(owner)
    created = session.post("/api/tokens/", {"name": "ci"}, format="json")
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("sw_")
    assert "token" not in session.get("/api/tokens/").json()[0]  # shown once only

    script = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert script.get("/api/auth/me/").json()["username"] == "alice"

    other = APIClient()
    other.force_authenticate(outsider)
    assert other.delete(f"/api/tokens/{created.json()['id']}/").status_code == 404

    assert session.delete(f"/api/tokens/{created.json()['id']}/").status_code == 204
    refused = script.get("/api/auth/me/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"


def test_every_new_user_owns_exactly_one_personal_team(make_user):
    user = make_user("frank")
    assert Membership.objects.filter(user=user, team__personal=True, role="owner").count() == 1
