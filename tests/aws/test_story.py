"""Issue 6's bar in one story, through the API only: connect, test, deploy the Lambda example with a
created role, redeploy a change, run it on AWS and read the whole history in Stepwright."""

import json
import time
from pathlib import Path

import pytest

from executor.models import Execution
from tests.aws.conftest import KEY_ID, SECRET, boto
from tests.aws.test_executions import hello_function

pytestmark = pytest.mark.aws

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer/examples/lambda-with-retry.json").read_text())


def save(client, workflow_id, definition):
    revision = client.get(f"/api/workflows/{workflow_id}/draft/").json()["draft"]["revision"]
    client.put(f"/api/workflows/{workflow_id}/draft/", {"definition": definition, "revision": revision}, format="json")
    return client.post(f"/api/workflows/{workflow_id}/versions/", {"message": "save"}, format="json").json()["number"]


def test_design_deploy_redeploy_and_run_on_aws(client_for, owner, team, moto_endpoint, clean_aws, monkeypatch):
    from designer.aws import executions

    monkeypatch.setattr(executions, "schedule", lambda pk, countdown: None)
    monkeypatch.setattr(executions, "REFRESH_EVERY", 0)
    hello_function()
    client = client_for(owner)

    connection = client.post(
        f"/api/teams/{team.pk}/aws-connections/",
        {
            "name": "moto",
            "region": "us-east-1",
            "auth_mode": "access_key",
            "access_key_id": KEY_ID,
            "secret_access_key": SECRET,
            "endpoint_url": moto_endpoint,
        },
        format="json",
    ).json()
    tested = client.post(f"/api/teams/{team.pk}/aws-connections/{connection['id']}/test/").json()
    assert tested["account"] == "123456789012"

    workflow = client.post(
        "/api/workflows/", {"team": team.pk, "name": "hello flow", "definition": EXAMPLE}, format="json"
    ).json()
    assert save(client, workflow["id"], EXAMPLE) == 1
    options = {"connection": connection["id"], "create_role": True, "alias": "live"}
    plan = client.post(f"/api/workflows/{workflow['id']}/deploy/plan/", options, format="json").json()
    assert (plan["action"], plan["state_machine_name"]) == ("create", "hello-flow")
    assert plan["policy"]["Statement"][0]["Action"] == ["lambda:InvokeFunction"]
    first = client.post(f"/api/workflows/{workflow['id']}/deploy/", options, format="json").json()
    assert first["outcome"] == "succeeded", first
    sfn = boto("stepfunctions")
    assert json.loads(sfn.describe_state_machine(stateMachineArn=first["state_machine_arn"])["definition"]) == EXAMPLE
    assert boto("iam").get_role(RoleName="stepwright-hello-flow")["Role"]["Arn"] == first["role_arn"]

    changed = {**EXAMPLE, "Comment": "Now with a comment that AWS must store"}
    assert save(client, workflow["id"], changed) == 2
    assert client.get(f"/api/workflows/{workflow['id']}/aws/").json()["links"][0]["status"] == "behind"
    plan = client.post(f"/api/workflows/{workflow['id']}/deploy/plan/", options, format="json").json()
    assert plan["diff"]["top_level"][0]["pointer"] == "/Comment"
    second = client.post(f"/api/workflows/{workflow['id']}/deploy/", options, format="json").json()
    assert (second["action"], second["outcome"], second["version"]) == ("update", "succeeded", 2)
    stored = sfn.describe_state_machine(stateMachineArn=first["state_machine_arn"])["definition"]
    assert json.loads(stored)["Comment"] == "Now with a comment that AWS must store"
    assert client.get(f"/api/workflows/{workflow['id']}/aws/").json()["drift"] is False

    run = client.post(
        f"/api/workflows/{workflow['id']}/executions/",
        {"backend": "aws", "name": "story", "input": {"hello": "aws"}},
        format="json",
    ).json()
    deadline = time.monotonic() + 60
    seen = client.get(f"/api/executions/{run['id']}/history/").json()
    while not seen["done"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
        seen = client.get(f"/api/executions/{run['id']}/history/").json()
    assert seen["status"] == "SUCCEEDED"
    on_aws = sfn.get_execution_history(executionArn=Execution.objects.get(pk=run["id"]).remote_arn)["events"]
    assert [e["type"] for e in seen["events"]] == [e["type"] for e in on_aws]
    assert client.get(f"/api/workflows/{workflow['id']}/deployments/").json()[0]["version"] == 2
