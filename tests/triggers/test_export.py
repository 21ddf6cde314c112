"""Schedules exported beside the state machine: AWS::Scheduler::Schedule for CloudFormation and SAM,
aws_scheduler_schedule for Terraform, each with the role that may start the machine."""

from __future__ import annotations

import json

import hcl2
import pytest
import yaml
from cfnlint.api import ManualArgs, lint

from designer.exporters import TemplateOptions
from tests.exporters.samples import EVERYTHING, WITH_PLACEHOLDERS
from triggers import services
from triggers.export import ScheduleSpec, export

SCHEDULES = [
    ScheduleSpec("nightly", "cron(0 2 * * ? *)", "Europe/Paris", {"full": True}),
    ScheduleSpec("every 5", "rate(5 minutes)", "UTC", {}, enabled=False),
]
OPTIONS = [TemplateOptions(name="orders"), TemplateOptions(name="Express", role_arn="arn:aws:iam::123456789012:role/x")]


def problems(template: str) -> list[str]:
    return [str(match) for match in lint(template, config=ManualArgs(regions=["us-east-1"]))]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: o.name)
@pytest.mark.parametrize("fmt", ["cloudformation", "cloudformation-json", "sam"])
@pytest.mark.parametrize("definition", [EVERYTHING, WITH_PLACEHOLDERS], ids=["everything", "placeholders"])
def test_templates_with_schedules_pass_cfn_lint(definition, fmt, options):
    assert problems(export(definition, fmt, options, SCHEDULES)) == []


def test_the_schedules_target_the_machine_with_a_role_that_may_start_it():
    template = yaml.safe_load(export(EVERYTHING, "cloudformation", TemplateOptions(name="orders"), SCHEDULES))
    resources = template["Resources"]
    nightly = resources["OrdersScheduleNightly"]["Properties"]
    assert resources["OrdersScheduleNightly"]["Type"] == "AWS::Scheduler::Schedule"
    assert nightly["ScheduleExpression"] == "cron(0 2 * * ? *)"
    assert nightly["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert nightly["State"] == "ENABLED"
    assert nightly["Target"] == {
        "Arn": {"Ref": "Orders"},
        "RoleArn": {"Fn::GetAtt": ["OrdersSchedulerRole", "Arn"]},
        "Input": '{"full": true}',
    }
    assert resources["OrdersScheduleEvery5"]["Properties"]["State"] == "DISABLED"
    role = resources["OrdersSchedulerRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert role["Policies"][0]["PolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Action": "states:StartExecution", "Resource": {"Ref": "Orders"}}
    ]


def test_no_schedules_no_extra_resources():
    template = yaml.safe_load(export(EVERYTHING, "cloudformation", TemplateOptions(name="orders"), []))
    assert all(not r["Type"].startswith("AWS::Scheduler") for r in template["Resources"].values())
    assert "OrdersSchedulerRole" not in template["Resources"]


def _unquote(value):
    if isinstance(value, dict):
        return {_unquote(k): _unquote(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def test_terraform_has_aws_scheduler_schedule_with_its_role():
    text = export(EVERYTHING, "terraform", TemplateOptions(name="orders"), SCHEDULES)
    parsed = _unquote(hcl2.loads(text))
    resources: dict = {}
    for block in parsed["resource"]:
        for kind, named in block.items():
            resources.setdefault(kind, {}).update(named)
    nightly = resources["aws_scheduler_schedule"]["orders_nightly"]
    assert nightly["schedule_expression"] == "cron(0 2 * * ? *)"
    assert nightly["schedule_expression_timezone"] == "Europe/Paris"
    assert nightly["state"] == "ENABLED"
    target = nightly["target"][0]
    assert target["arn"] == "${aws_sfn_state_machine.orders.arn}"
    assert target["role_arn"] == "${aws_iam_role.orders_scheduler.arn}"
    assert json.loads(target["input"].replace('\\"', '"')) == {"full": True}
    assert resources["aws_scheduler_schedule"]["orders_every_5"]["state"] == "DISABLED"
    assert "scheduler.amazonaws.com" in resources["aws_iam_role"]["orders_scheduler"]["assume_role_policy"]
    policy = resources["aws_iam_role_policy"]["orders_scheduler"]["policy"]
    assert "states:StartExecution" in policy and "${aws_sfn_state_machine.orders.arn}" in policy


# --- the endpoint ------------------------------------------------------------------------------------


def url(workflow, fmt: str = "cloudformation") -> str:
    return f"/api/workflows/{workflow.pk}/triggers/export/?format={fmt}"


@pytest.fixture
def scheduled(owner, flow, clock):
    workflow = flow("orders")
    services.create_schedule(user=owner, workflow=workflow, name="nightly", expression="cron(0 2 * * ? *)")
    return workflow


@pytest.mark.parametrize("fmt", ["cloudformation", "sam", "cloudformation-json"])
def test_it_works(client_for, viewer, scheduled, fmt):
    response = client_for(viewer).get(url(scheduled, fmt))
    assert response.status_code == 200
    text = response.content.decode()
    assert "AWS::Scheduler::Schedule" in text
    assert problems(text) == []
    assert response["Content-Disposition"].startswith('attachment; filename="orders.')


def test_terraform_from_the_endpoint(client_for, owner, scheduled):
    response = client_for(owner).get(url(scheduled, "terraform"))
    assert response.status_code == 200
    assert 'resource "aws_scheduler_schedule" "orders_nightly"' in response.content.decode()


def test_an_unknown_format_is_400(client_for, owner, scheduled):
    response = client_for(owner).get(url(scheduled, "yaml"))
    assert response.status_code == 400


def test_it_validates_ownership(client_for, outsider, scheduled):
    assert client_for(outsider).get(url(scheduled)).status_code == 404
