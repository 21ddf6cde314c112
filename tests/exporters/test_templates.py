"""CloudFormation and SAM templates pass cfn-lint; the Terraform configuration parses as HCL and
carries the definition unchanged."""

from __future__ import annotations

import json
import re

import hcl2
import pytest
from cfnlint.api import ManualArgs, lint

from designer.exporters import (
    TemplateOptions,
    cloudformation_template,
    dump,
    export,
    sam_template,
    terraform_config,
)
from tests.exporters.samples import EVERYTHING, JSONATA, WITH_PLACEHOLDERS
from tests.validation.corpus import CONFORMANCE, cases

OPTIONS = [
    TemplateOptions(name="orders"),
    TemplateOptions(name="orders-flow", log_level="ALL", include_execution_data=True, tracing=True),
    TemplateOptions(name="Express", state_machine_type="EXPRESS", role_arn="arn:aws:iam::123456789012:role/x"),
]
DEFINITIONS = [EVERYTHING, WITH_PLACEHOLDERS, JSONATA]


def problems(template: str) -> list[str]:
    return [str(match) for match in lint(template, config=ManualArgs(regions=["us-east-1"]))]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: o.name)
@pytest.mark.parametrize("definition", DEFINITIONS, ids=["everything", "placeholders", "jsonata"])
def test_cloudformation_and_sam_pass_cfn_lint(definition, options):
    assert problems(dump(cloudformation_template(definition, options))) == []
    assert problems(dump(sam_template(definition, options))) == []


def test_json_templates_pass_cfn_lint_too():
    assert problems(export(EVERYTHING, "cloudformation-json")) == []


def test_a_sample_of_conformance_definitions_exports_cleanly():
    for index, case in enumerate(cases(CONFORMANCE)):
        if index % 150 == 0:
            assert problems(dump(cloudformation_template(case["definition"]))) == [], case["name"]


def test_placeholders_become_parameters_and_substitutions():
    template = cloudformation_template(WITH_PLACEHOLDERS)
    assert set(template["Parameters"]) == {"WorkerArn", "TopicArn"}
    properties = template["Resources"]["StateMachine"]["Properties"]
    assert properties["DefinitionSubstitutions"] == {
        "WorkerArn": {"Ref": "WorkerArn"},
        "TopicArn": {"Ref": "TopicArn"},
        "AWS::Region": {"Ref": "AWS::Region"},
    }
    assert properties["Definition"] == WITH_PLACEHOLDERS


def test_a_given_role_means_no_generated_role():
    template = cloudformation_template(EVERYTHING, OPTIONS[2])
    assert [r["Type"] for r in template["Resources"].values()] == ["AWS::StepFunctions::StateMachine"]
    assert sam_template(EVERYTHING, OPTIONS[2])["Resources"]["Express"]["Properties"]["Role"].endswith(":role/x")


def _unquote(value):
    """python-hcl2 keeps the quotes of strings and block labels."""
    if isinstance(value, dict):
        return {_unquote(k): _unquote(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _parsed(text: str) -> dict:
    return _unquote(hcl2.loads(text))


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: o.name)
@pytest.mark.parametrize("definition", DEFINITIONS, ids=["everything", "placeholders", "jsonata"])
def test_terraform_parses_and_keeps_the_definition(definition, options):
    parsed = _parsed(terraform_config(definition, options))
    (machine,) = [r["aws_sfn_state_machine"] for r in parsed["resource"] if "aws_sfn_state_machine" in r]
    (body,) = machine.values()
    heredoc = body["definition"].strip().removeprefix("<<-ASL").removesuffix("ASL")
    # Terraform renders the template: $${ is a literal ${, %%{ a literal %{, ${var.X} the variable.
    rendered = re.sub(r"(?<!\$)\$\{var\.(\w+)\}", r"${\1}", heredoc)
    rendered = rendered.replace("${data.aws_region.current.name}", "${AWS::Region}")
    rendered = rendered.replace("$${", "${").replace("%%{", "%{")
    assert json.loads(rendered) == definition


def test_terraform_declares_a_variable_per_placeholder():
    parsed = _parsed(terraform_config(WITH_PLACEHOLDERS))
    names = {name for block in parsed["variable"] for name in block}
    assert names == {"WorkerArn", "TopicArn"}


def test_the_command_line_exports_a_file(tmp_path, capsys):
    from designer.exporters.__main__ import main

    path = tmp_path / "machine.yaml"
    path.write_text("StartAt: A\nStates:\n  A:\n    Type: Succeed\n")
    assert main([str(path), "--format", "sam", "--name", "orders", "--tracing"]) == 0
    assert "AWS::Serverless::StateMachine" in capsys.readouterr().out
    assert main([str(tmp_path / "missing.json")]) == 1
