import json

import pytest
from rest_framework.test import APIClient

from executor.models import Execution
from triggers.models import Webhook, WebhookCall
from triggers.services import hash_token


def url(workflow, rotate: bool = False) -> str:
    return f"/api/workflows/{workflow.pk}/webhook/" + ("rotate/" if rotate else "")


@pytest.fixture
def hook(client_for, owner, flow):
    """A workflow's webhook, created through the API: (workflow, token, url)."""
    workflow = flow()
    body = client_for(owner).post(url(workflow)).json()
    return workflow, body["token"], body["url"]


def call(path: str, body=b'{"order": 7}', **headers):
    # A caller from outside: no session, and a client that enforces CSRF like a browser's form post would.
    client = APIClient(enforce_csrf_checks=True)
    return client.generic("POST", path, body, content_type="application/json", **headers)


def test_it_works(client_for, owner, flow):
    workflow = flow()
    response = client_for(owner).post(url(workflow))

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("swh_") and len(body["token"]) > 40
    assert body["url"] == f"http://testserver/api/hooks/{body['token']}/"
    stored = Webhook.objects.get(workflow=workflow)
    assert stored.token_hash == hash_token(body["token"]) and body["token"] not in stored.token_hash
    shown = client_for(owner).get(url(workflow)).json()
    assert "token" not in shown and "url" not in shown
    assert shown["prefix"] == body["token"][:12]


def test_a_post_starts_an_execution_with_the_body_as_input(hook):
    workflow, token, address = hook
    response = call(address.removeprefix("http://testserver"))

    assert response.status_code == 201
    execution = Execution.objects.get(pk=response.json()["executionId"])
    assert execution.workflow == workflow
    assert execution.input == {"order": 7}
    assert execution.started_by is None
    assert response.json()["status"] == "RUNNING"


def test_one_idempotency_key_three_times_starts_one_execution(hook):
    _, token, _ = hook
    answers = [call(f"/api/hooks/{token}/", HTTP_IDEMPOTENCY_KEY="order-7") for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["executionId"] for a in answers}) == 1
    assert [a.json()["replayed"] for a in answers] == [False, True, True]
    assert Execution.objects.count() == 1
    assert WebhookCall.objects.get().key == "order-7"
    assert call(f"/api/hooks/{token}/", HTTP_IDEMPOTENCY_KEY="order-8").status_code == 201
    assert call(f"/api/hooks/{token}/").status_code == 201  # no key: every call starts one
    assert Execution.objects.count() == 3


def test_a_bad_token_is_404(hook):
    _, token, _ = hook
    response = call(f"/api/hooks/{token}x/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not Execution.objects.exists()


def test_bad_json_is_400(hook):
    _, token, _ = hook
    response = call(f"/api/hooks/{token}/", b'{"order": ')
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_an_empty_body_is_an_empty_input(hook):
    _, token, _ = hook
    assert call(f"/api/hooks/{token}/", b"").status_code == 201
    assert Execution.objects.get().input == {}


def test_an_oversized_body_is_413(hook):
    _, token, _ = hook
    body = json.dumps({"blob": "x" * (300 * 1024)}).encode()
    response = call(f"/api/hooks/{token}/", body)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert not Execution.objects.exists()


def test_rotating_the_token_retires_the_old_url(client_for, editor, hook):
    workflow, old, _ = hook
    response = client_for(editor).post(url(workflow, rotate=True))

    assert response.status_code == 200
    new = response.json()["token"]
    assert new != old
    assert call(f"/api/hooks/{old}/").status_code == 404
    assert call(f"/api/hooks/{new}/").status_code == 201


def test_a_workflow_has_one_webhook(client_for, owner, hook):
    workflow, _, _ = hook
    response = client_for(owner).post(url(workflow))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "webhook_exists"


def test_a_deleted_webhook_or_workflow_no_longer_starts_anything(client_for, owner, hook):
    workflow, token, _ = hook
    assert client_for(owner).delete(url(workflow)).status_code == 204
    assert call(f"/api/hooks/{token}/").status_code == 404


def test_a_viewer_sees_the_webhook_but_cannot_create_rotate_or_delete_it(client_for, viewer, hook):
    workflow, _, _ = hook
    client = client_for(viewer)
    assert client.get(url(workflow)).status_code == 200
    assert client.post(url(workflow, rotate=True)).status_code == 403
    assert client.delete(url(workflow)).status_code == 403


def test_a_runner_cannot_create_one(client_for, runner, flow):
    assert client_for(runner).post(url(flow())).status_code == 403


def test_it_validates_ownership(client_for, outsider, hook):
    workflow, _, _ = hook
    client = client_for(outsider)
    assert client.get(url(workflow)).status_code == 404
    assert client.post(url(workflow)).status_code == 404
    assert client.post(url(workflow, rotate=True)).status_code == 404
    assert client.delete(url(workflow)).status_code == 404
