"""CloudFormation and SAM templates for a state machine: the definition, DefinitionSubstitutions
for its `${Name}` placeholders (each a template parameter), an execution role with the
least-privilege policy (or a given role ARN), and optional logging and X-Ray tracing."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from designer.exporters.asl_text import canonical, placeholders
from designer.exporters.iam import policy_for

LOG_LEVELS = ("OFF", "ALL", "ERROR", "FATAL")
PSEUDO = re.compile(r"\$\{(AWS::[A-Za-z]+)\}")


@dataclass(frozen=True)
class TemplateOptions:
    """What the user chooses on export. `role_arn` set means "use this role, create none"."""

    name: str = "StateMachine"
    state_machine_type: str = "STANDARD"
    role_arn: str | None = None
    log_level: str = "OFF"
    include_execution_data: bool = False
    tracing: bool = False

    def logical_id(self) -> str:
        """orders-flow -> OrdersFlow: CloudFormation logical ids are alphanumeric."""
        parts = re.split(r"[^A-Za-z0-9]+", self.name)
        cleaned = "".join(part[:1].upper() + part[1:] for part in parts) or "StateMachine"
        return cleaned if cleaned[0].isalpha() else f"S{cleaned}"


def _substitutions(definition: dict, parameters: dict) -> dict[str, dict]:
    """Each placeholder from its parameter; pseudo parameters (${AWS::Region}) from CloudFormation itself."""
    found = {name: {"Ref": name} for name in parameters}
    for name in sorted(set(PSEUDO.findall(json.dumps(definition)))):
        found[name] = {"Ref": name}
    return found


def _parameters(definition: dict) -> dict[str, dict]:
    return {
        name: {"Type": "String", "Description": f"Value substituted for the {name} placeholder in the definition"}
        for name in placeholders(definition)
    }


def _subbed(policy: dict) -> dict:
    """Placeholders in the role policy become Fn::Sub, resolved from the same template parameters."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and "${" in value:
            return {"Fn::Sub": value}
        return value

    return walk(policy)


def _role(definition: dict, options: TemplateOptions) -> dict:
    policy = policy_for(
        definition,
        partition="${AWS::Partition}",
        region="${AWS::Region}",
        account="${AWS::AccountId}",
        state_machine_name=options.name,
        logging=options.log_level != "OFF",
        tracing=options.tracing,
    )
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            },
            "Policies": [{"PolicyName": f"{options.logical_id()}Policy", "PolicyDocument": _subbed(policy)}],
        },
    }


def _log_group(options: TemplateOptions) -> dict:
    return {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"LogGroupName": {"Fn::Sub": f"/aws/vendedlogs/states/{options.name}-${{AWS::StackName}}"}},
    }


def _add_substitutions(properties: dict, definition: dict) -> dict:
    """Put the placeholders' DefinitionSubstitutions into `properties`; the template Parameters they need."""
    parameters = _parameters(definition)
    substitutions = _substitutions(definition, parameters)
    if substitutions:
        properties["DefinitionSubstitutions"] = substitutions
    return parameters


def _logging(options: TemplateOptions, machine_id: str) -> dict:
    """The logging configuration (same shape in CloudFormation and SAM) into the template's log group."""
    return {
        "Level": options.log_level,
        "IncludeExecutionData": options.include_execution_data,
        "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": [f"{machine_id}Logs", "Arn"]}}}],
    }


def cloudformation_template(definition: dict, options: TemplateOptions | None = None) -> dict:
    """An `AWS::StepFunctions::StateMachine` template, as a dict (render with `dump`)."""
    options = options or TemplateOptions()
    machine_id = options.logical_id()
    resources: dict[str, Any] = {}
    properties: dict[str, Any] = {
        "StateMachineName": options.name,
        "StateMachineType": options.state_machine_type,
        "Definition": canonical(definition),
    }
    parameters = _add_substitutions(properties, definition)
    if options.role_arn:
        properties["RoleArn"] = options.role_arn
    else:
        resources[f"{machine_id}Role"] = _role(definition, options)
        properties["RoleArn"] = {"Fn::GetAtt": [f"{machine_id}Role", "Arn"]}
    if options.log_level != "OFF":
        resources[f"{machine_id}Logs"] = _log_group(options)
        properties["LoggingConfiguration"] = _logging(options, machine_id)
    if options.tracing:
        properties["TracingConfiguration"] = {"Enabled": True}
    resources[machine_id] = {"Type": "AWS::StepFunctions::StateMachine", "Properties": properties}
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Step Functions state machine {options.name}, exported by Stepwright",
    }
    if parameters:
        template["Parameters"] = parameters
    template["Resources"] = resources
    template["Outputs"] = {
        "StateMachineArn": {"Value": {"Ref": machine_id}},
        "RoleArn": {"Value": properties["RoleArn"]},
    }
    return template


def sam_template(definition: dict, options: TemplateOptions | None = None) -> dict:
    """An `AWS::Serverless::StateMachine` template; the role comes from SAM with the generated policy."""
    options = options or TemplateOptions()
    machine_id = options.logical_id()
    properties: dict[str, Any] = {
        "Name": options.name,
        "Type": options.state_machine_type,
        "Definition": canonical(definition),
    }
    parameters = _add_substitutions(properties, definition)
    if options.role_arn:
        properties["Role"] = options.role_arn
    else:
        policy = policy_for(
            definition,
            partition="${AWS::Partition}",
            region="${AWS::Region}",
            account="${AWS::AccountId}",
            state_machine_name=options.name,
            logging=options.log_level != "OFF",
            tracing=options.tracing,
        )
        properties["Policies"] = [{"Statement": _subbed(policy)["Statement"]}]
    resources: dict[str, Any] = {}
    if options.log_level != "OFF":
        resources[f"{machine_id}Logs"] = _log_group(options)
        properties["Logging"] = _logging(options, machine_id)
    if options.tracing:
        properties["Tracing"] = {"Enabled": True}
    resources[machine_id] = {"Type": "AWS::Serverless::StateMachine", "Properties": properties}
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": f"Step Functions state machine {options.name}, exported by Stepwright",
    }
    if parameters:
        template["Parameters"] = parameters
    template["Resources"] = resources
    template["Outputs"] = {"StateMachineArn": {"Value": {"Ref": machine_id}}}
    return template


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # no &anchors: every value written out in full


def dump(template: dict, fmt: str = "yaml") -> str:
    """Render a template as YAML (long-form intrinsics, valid for CloudFormation) or JSON."""
    if fmt == "json":
        return json.dumps(template, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(template, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
