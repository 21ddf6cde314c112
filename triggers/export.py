"""Schedules in the exported templates, composed on top of designer.exporters (which stay unaware of
them): `AWS::Scheduler::Schedule` resources for CloudFormation and SAM, `aws_scheduler_schedule` for
Terraform, each with the role EventBridge Scheduler assumes to call `states:StartExecution`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from designer.exporters import TemplateOptions, cloudformation_template, dump, sam_template, terraform_config
from designer.exporters.terraform import _identifier, _string

FORMATS = {
    "cloudformation": ("application/yaml", "cfn.yaml"),
    "cloudformation-json": ("application/json", "cfn.json"),
    "sam": ("application/yaml", "sam.yaml"),
    "terraform": ("text/plain", "tf"),
}
ASSUME_ROLE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@dataclass(frozen=True)
class ScheduleSpec:
    """What a template needs of a schedule (no models here)."""

    name: str
    expression: str
    timezone: str = "UTC"
    input: Any = None
    enabled: bool = True


def _pascal(name: str) -> str:
    parts = re.split(r"[^A-Za-z0-9]+", name)
    return "".join(part[:1].upper() + part[1:] for part in parts)


def _aws_name(machine: str, schedule: str) -> str:
    """Scheduler names: 1-64 of letters, digits, '-', '_' and '.'."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", f"{machine}-{schedule}")[:64]


def _cfn_resources(machine_id: str, options: TemplateOptions, schedules: list[ScheduleSpec]) -> dict[str, Any]:
    role_id = f"{machine_id}SchedulerRole"
    resources: dict[str, Any] = {
        role_id: {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": ASSUME_ROLE,
                "Policies": [
                    {
                        "PolicyName": "StartExecution",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {"Effect": "Allow", "Action": "states:StartExecution", "Resource": {"Ref": machine_id}}
                            ],
                        },
                    }
                ],
            },
        }
    }
    taken: set[str] = set(resources)
    for spec in schedules:
        logical = f"{machine_id}Schedule{_pascal(spec.name)}"
        while logical in taken:
            logical += "X"
        taken.add(logical)
        resources[logical] = {
            "Type": "AWS::Scheduler::Schedule",
            "Properties": {
                "Name": _aws_name(options.name, spec.name),
                "ScheduleExpression": spec.expression,
                "ScheduleExpressionTimezone": spec.timezone,
                "FlexibleTimeWindow": {"Mode": "OFF"},
                "State": "ENABLED" if spec.enabled else "DISABLED",
                "Target": {
                    "Arn": {"Ref": machine_id},
                    "RoleArn": {"Fn::GetAtt": [role_id, "Arn"]},
                    "Input": json.dumps({} if spec.input is None else spec.input),
                },
            },
        }
    return resources


def with_schedules(template: dict, options: TemplateOptions, schedules: Iterable[ScheduleSpec]) -> dict:
    """A CloudFormation or SAM template from designer.exporters, with the schedules beside its machine."""
    schedules = list(schedules)
    if not schedules:
        return template
    machine_id = options.logical_id()
    template["Resources"].update(_cfn_resources(machine_id, options, schedules))
    return template


def terraform_with_schedules(text: str, options: TemplateOptions, schedules: Iterable[ScheduleSpec]) -> str:
    schedules = list(schedules)
    if not schedules:
        return text
    ident = _identifier(options.name)
    role = f"{ident}_scheduler"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "states:StartExecution", "Resource": "__MACHINE_ARN__"},
        ],
    }
    policy_text = json.dumps(policy, indent=2).replace('"__MACHINE_ARN__"', f'"${{aws_sfn_state_machine.{ident}.arn}}"')
    blocks = [
        f'resource "aws_iam_role" "{role}" {{\n  name_prefix        = {_string(options.name[:20] + "-sched")}\n'
        f"  assume_role_policy = <<-EOT\n{_indent(json.dumps(ASSUME_ROLE, indent=2))}\n  EOT\n}}",
        f'resource "aws_iam_role_policy" "{role}" {{\n  name   = "{role}-start-execution"\n'
        f"  role   = aws_iam_role.{role}.id\n  policy = <<-EOT\n{_indent(policy_text)}\n  EOT\n}}",
    ]
    taken: set[str] = set()
    for spec in schedules:
        name = f"{ident}_{_identifier(spec.name)}"
        while name in taken:
            name += "_"
        taken.add(name)
        blocks.append(
            f'resource "aws_scheduler_schedule" "{name}" {{\n'
            f"  name                         = {_string(_aws_name(options.name, spec.name))}\n"
            f"  schedule_expression          = {_string(spec.expression)}\n"
            f"  schedule_expression_timezone = {_string(spec.timezone)}\n"
            f'  state                        = "{"ENABLED" if spec.enabled else "DISABLED"}"\n\n'
            '  flexible_time_window {\n    mode = "OFF"\n  }\n\n'
            "  target {\n"
            f"    arn      = aws_sfn_state_machine.{ident}.arn\n"
            f"    role_arn = aws_iam_role.{role}.arn\n"
            f"    input    = {_string(json.dumps({} if spec.input is None else spec.input))}\n"
            "  }\n}"
        )
    return text + "\n" + "\n\n".join(blocks) + "\n"


def _indent(text: str, spaces: int = 4) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())


def export(definition: dict, fmt: str, options: TemplateOptions, schedules: Iterable[ScheduleSpec]) -> str:
    """The workflow's template in `fmt` (a key of FORMATS) with its schedules."""
    if fmt in ("cloudformation", "cloudformation-json"):
        template = with_schedules(cloudformation_template(definition, options), options, schedules)
        return dump(template, "json" if fmt.endswith("json") else "yaml")
    if fmt == "sam":
        return dump(with_schedules(sam_template(definition, options), options, schedules))
    if fmt == "terraform":
        return terraform_with_schedules(terraform_config(definition, options), options, schedules)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
