"""python manage.py deploy WORKFLOW --connection NAME [--version N] [--yes]."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from designer.aws.models import Deployment
from tests.aws.conftest import ROLE_ARN, boto, definition, save_version

pytestmark = pytest.mark.aws


def run(*args, answer=None, monkeypatch=None):
    out = StringIO()
    if answer is not None:
        monkeypatch.setattr("builtins.input", lambda prompt: answer)
    call_command("deploy", *args, stdout=out)
    return out.getvalue()


def test_it_works(owner, workflow, connection):
    save_version(owner, workflow, definition())
    out = run("orders", "--connection", "sandbox", "--role-arn", ROLE_ARN, "--yes")
    assert "Create arn:aws:states:us-east-1:123456789012:stateMachine:orders (STANDARD) from version 1" in out
    assert "Deployed" in out
    deployment = Deployment.objects.get()
    assert (deployment.outcome, deployment.created_by) == ("succeeded", None)
    machine = boto("stepfunctions").describe_state_machine(stateMachineArn=deployment.state_machine_arn)
    assert json.loads(machine["definition"]) == json.loads(definition())


def test_it_asks_first_and_shows_the_diff(owner, workflow, connection, monkeypatch):
    save_version(owner, workflow, definition())
    run(str(workflow.pk), "--connection", "sandbox", "--role-arn", ROLE_ARN, "--yes")
    save_version(owner, workflow, definition(A={"Type": "Pass", "Next": "B"}, B={"Type": "Succeed"}))
    with pytest.raises(CommandError, match="Not deployed"):
        run("orders", "--connection", "sandbox", "--role-arn", ROLE_ARN, answer="n", monkeypatch=monkeypatch)
    out = run("orders", "--connection", "sandbox", "--role-arn", ROLE_ARN, answer="y", monkeypatch=monkeypatch)
    assert "Update " in out and "states added: B" in out
    assert Deployment.objects.filter(outcome="succeeded").count() == 2


def test_it_deploys_a_given_version_and_reports_already_deployed(owner, workflow, connection):
    save_version(owner, workflow, definition())
    save_version(owner, workflow, definition(B={"Type": "Succeed"}))
    run("orders", "--connection", "sandbox", "--role-arn", ROLE_ARN, "--version", "1", "--yes")
    assert Deployment.objects.get().version.number == 1
    out = run("orders", "--connection", "sandbox", "--role-arn", ROLE_ARN, "--version", "1")
    assert "Already deployed" in out


def test_it_says_what_is_wrong(owner, workflow, connection):
    with pytest.raises(CommandError, match="No workflow 'nope'"):
        run("nope", "--connection", "sandbox", "--yes")
    with pytest.raises(CommandError, match="has no AWS connection 'prod' \\(it has: sandbox\\)"):
        run("orders", "--connection", "prod", "--yes")
    with pytest.raises(CommandError, match="Save a version"):
        run("orders", "--connection", "sandbox", "--role-arn", ROLE_ARN, "--yes")


def test_it_takes_the_deploy_options(owner, workflow, connection):
    save_version(owner, workflow, definition())
    args = ["orders", "--connection", "sandbox", "--yes", "--create-role", "--type", "EXPRESS", "--name", "orders-x"]
    out = run(*args, "--tag", "team=platform", "--alias", "live")
    assert "(created or updated)" in out
    deployment = Deployment.objects.get()
    assert (deployment.type, deployment.state_machine_name) == ("EXPRESS", "orders-x")
    assert deployment.alias_arn.endswith(":orders-x:live")
    tags = boto("stepfunctions").list_tags_for_resource(resourceArn=deployment.state_machine_arn)["tags"]
    assert {"key": "team", "value": "platform"} in tags
    with pytest.raises(CommandError, match="--tag takes KEY=VALUE"):
        run("orders", "--connection", "sandbox", "--yes", "--tag", "novalue")
