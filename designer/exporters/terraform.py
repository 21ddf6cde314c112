"""A Terraform configuration: `aws_sfn_state_machine` with its IAM role and policy, optional log
group and tracing. Each `${Name}` placeholder becomes a Terraform variable, so the definition
reads `${var.Name}` where a CloudFormation template would use DefinitionSubstitutions."""

from __future__ import annotations

import json
import re

from designer.exporters.asl_text import canonical, placeholders
from designer.exporters.cloudformation import TemplateOptions
from designer.exporters.iam import policy_for

SEQUENCE = re.compile(r"\$\{([^{}]*)\}|\$\{")
# Sentinels for the account-specific parts of ARNs, swapped for Terraform data sources after rendering.
PARTITION, REGION, ACCOUNT = "__SW_PARTITION__", "__SW_REGION__", "__SW_ACCOUNT__"
# CloudFormation pseudo parameters, as Terraform data sources (declared in every configuration).
PSEUDO = {
    "AWS::Partition": "data.aws_partition.current.partition",
    "AWS::Region": "data.aws_region.current.name",
    "AWS::AccountId": "data.aws_caller_identity.current.account_id",
}
ASSUME_ROLE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def _identifier(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name).strip("_").lower() or "state_machine"
    return cleaned if cleaned[0].isalpha() else f"sm_{cleaned}"


def _template_text(text: str, variables: set[str]) -> str:
    """JSON as a Terraform template: known `${Name}` placeholders become `${var.Name}`, every other
    `${` and `%{` is escaped so Terraform leaves it alone."""
    text = text.replace("%{", "%%{")

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in variables:
            return f"${{var.{name}}}"
        if name in PSEUDO:
            return "${" + PSEUDO[name] + "}"
        return "$" + match.group(0)

    return SEQUENCE.sub(replace, text)


def _heredoc(value: dict, variables: set[str], tag: str = "EOT") -> str:
    text = _template_text(json.dumps(value, indent=2, ensure_ascii=False), variables)
    return f"<<-{tag}\n{_indent(text, 4)}\n  {tag}"


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.splitlines())


def _string(value: str) -> str:
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


def terraform_config(definition: dict, options: TemplateOptions | None = None) -> str:
    """The `.tf` text for one state machine."""
    options = options or TemplateOptions()
    ident = _identifier(options.name)
    variables = placeholders(definition)
    known = set(variables)
    blocks = [
        'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}',
        'data "aws_partition" "current" {}',
        'data "aws_region" "current" {}',
        'data "aws_caller_identity" "current" {}',
    ]
    for name in variables:
        blocks.append(
            f'variable "{name}" {{\n  type        = string\n'
            f"  description = {_string(f'Value substituted for the {name} placeholder in the definition')}\n}}"
        )
    logging = options.log_level != "OFF"
    if options.role_arn:
        role_arn = _string(options.role_arn)
    else:
        policy = policy_for(
            definition,
            partition=PARTITION,
            region=REGION,
            account=ACCOUNT,
            state_machine_name=options.name,
            logging=logging,
            tracing=options.tracing,
        )
        policy_text = (
            _heredoc(policy, known)
            .replace(PARTITION, "${data.aws_partition.current.partition}")
            .replace(REGION, "${data.aws_region.current.name}")
            .replace(ACCOUNT, "${data.aws_caller_identity.current.account_id}")
        )
        blocks.append(
            f'resource "aws_iam_role" "{ident}" {{\n  name_prefix        = {_string(options.name[:30])}\n'
            f"  assume_role_policy = {_heredoc(ASSUME_ROLE, known)}\n}}"
        )
        blocks.append(
            f'resource "aws_iam_role_policy" "{ident}" {{\n  name   = "{ident}-policy"\n'
            f"  role   = aws_iam_role.{ident}.id\n  policy = {policy_text}\n}}"
        )
        role_arn = f"aws_iam_role.{ident}.arn"
    if logging:
        blocks.append(
            f'resource "aws_cloudwatch_log_group" "{ident}" {{\n  name_prefix = "/aws/vendedlogs/states/{ident}-"\n}}'
        )
    body = [
        f"  name       = {_string(options.name)}",
        f"  type       = {_string(options.state_machine_type)}",
        f"  role_arn   = {role_arn}",
        f"  definition = {_heredoc(canonical(definition), known, 'ASL')}",
    ]
    if logging:
        body.append(
            "\n  logging_configuration {\n"
            f'    log_destination        = "${{aws_cloudwatch_log_group.{ident}.arn}}:*"\n'
            f"    include_execution_data = {str(options.include_execution_data).lower()}\n"
            f"    level                  = {_string(options.log_level)}\n  }}"
        )
    if options.tracing:
        body.append("\n  tracing_configuration {\n    enabled = true\n  }")
    blocks.append(f'resource "aws_sfn_state_machine" "{ident}" {{\n' + "\n".join(body) + "\n}")
    blocks.append(f'output "state_machine_arn" {{\n  value = aws_sfn_state_machine.{ident}.arn\n}}')
    return "\n\n".join(blocks) + "\n"
