import json

import yaml

from designer.models import Workflow

LAMBDA = {
    "StartAt": "Invoke",
    "States": {
        "Invoke": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:hello", "Payload.$": "$"},
            "End": True,
        }
    },
}
TWO_MACHINES = {
    "Resources": {
        "First": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": LAMBDA}},
        "Second": {"Type": "AWS::Serverless::StateMachine", "Properties": {"Definition": LAMBDA, "Name": "second"}},
    }
}


def test_export_the_draft_and_a_version_in_every_format(client_for, editor, viewer, workflow):
    client = client_for(editor)
    client.put(f"/api/workflows/{workflow.pk}/draft/", {"definition": LAMBDA, "revision": 1}, format="json")
    client.post(f"/api/workflows/{workflow.pk}/versions/", {"message": "v1"}, format="json")
    viewer_client = client_for(viewer)
    as_json = viewer_client.get(f"/api/workflows/{workflow.pk}/export/?version=1")
    assert as_json.status_code == 200
    assert json.loads(as_json.content) == LAMBDA
    assert as_json["Content-Disposition"] == 'attachment; filename="orders-v1.json"'
    assert yaml.safe_load(viewer_client.get(f"/api/workflows/{workflow.pk}/export/?format=yaml").content) == LAMBDA
    cfn = yaml.safe_load(viewer_client.get(f"/api/workflows/{workflow.pk}/export/?format=cloudformation").content)
    assert any(r["Type"] == "AWS::StepFunctions::StateMachine" for r in cfn["Resources"].values())
    terraform = viewer_client.get(f"/api/workflows/{workflow.pk}/export/?format=terraform").content.decode()
    assert 'resource "aws_sfn_state_machine"' in terraform
    policy = json.loads(viewer_client.get(f"/api/workflows/{workflow.pk}/export/?format=iam-policy").content)
    assert any("lambda:InvokeFunction" in str(statement) for statement in policy["Statement"])


def test_export_explains_what_it_cannot_do(client_for, editor, outsider, workflow):
    client = client_for(editor)
    assert client.get(f"/api/workflows/{workflow.pk}/export/?format=pdf").status_code == 400
    client.put(f"/api/workflows/{workflow.pk}/draft/", {"definition": "{oops", "revision": 1}, format="json")
    assert client.get(f"/api/workflows/{workflow.pk}/export/").json()["error"]["code"] == "invalid_definition"
    assert client_for(outsider).get(f"/api/workflows/{workflow.pk}/export/").status_code == 404


def test_import_asl_yaml_keeps_the_text(client_for, editor, team):
    text = "# pasted\nStartAt: A\nStates:\n  A:\n    Type: Succeed\n"
    created = client_for(editor).post("/api/workflows/import/", {"team": team.pk, "text": text, "name": "pasted"})
    assert created.status_code == 201
    assert created.json()["draft"]["definition"] == text


def test_import_a_template_asks_which_state_machine(client_for, editor, team):
    client = client_for(editor)
    text = yaml.safe_dump(TWO_MACHINES)
    ask = client.post("/api/workflows/import/", {"team": team.pk, "text": text})
    assert ask.status_code == 400
    assert [c["logical_id"] for c in ask.json()["error"]["details"]["choices"]] == ["First", "Second"]
    chosen = client.post("/api/workflows/import/", {"team": team.pk, "text": text, "state_machine": "Second"})
    assert chosen.status_code == 201
    assert chosen.json()["name"] == "second"
    assert json.loads(chosen.json()["draft"]["definition"]) == LAMBDA


def test_import_refuses_what_is_neither_asl_nor_a_template(client_for, editor, viewer, team):
    refused = client_for(editor).post("/api/workflows/import/", {"team": team.pk, "text": '{"hello": 1}'})
    assert refused.json()["error"]["code"] == "not_importable"
    assert client_for(viewer).post("/api/workflows/import/", {"team": team.pk, "text": "StartAt: A"}).status_code == 403
    assert not Workflow.objects.filter(name="Imported workflow").exists()
