"""State machines come out of CloudFormation, SAM and CDK templates with their placeholders kept."""

from __future__ import annotations

import json

import pytest

from asl import ERROR, validate
from designer.exporters import TemplateOptions, cloudformation_template, dump, sam_template
from designer.exporters.importing import TemplateImportError, import_template
from tests.exporters.samples import EVERYTHING, WITH_PLACEHOLDERS

CDK_TEMPLATE = {
    "Resources": {
        "Fn9270CBC0": {"Type": "AWS::Lambda::Function", "Properties": {}},
        "Flow1234": {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {
                "DefinitionString": {
                    "Fn::Join": [
                        "",
                        [
                            '{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"',
                            {"Fn::GetAtt": ["Fn9270CBC0", "Arn"]},
                            '","TimeoutSeconds":30,"End":true}}}',
                        ],
                    ]
                },
                "StateMachineType": "EXPRESS",
            },
        },
    }
}

SAM_YAML = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: orders
      DefinitionSubstitutions:
        WorkerArn: !GetAtt Worker.Arn
      Definition:
        StartAt: Work
        States:
          Work:
            Type: Task
            Resource: ${WorkerArn}
            TimeoutSeconds: 10
            Next: Wait
          Wait:
            Type: Wait
            Timestamp: 2030-01-01T00:00:00Z
            End: true
  Other:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: s3://bucket/other.asl.json
"""


def test_cdk_join_becomes_a_placeholder_and_the_definition_validates():
    (machine,) = import_template(json.dumps(CDK_TEMPLATE))
    assert (machine.logical_id, machine.state_machine_type) == ("Flow1234", "EXPRESS")
    assert machine.definition["States"]["Call"]["Resource"] == "${Fn9270CBC0Arn}"
    assert machine.substitutions == {"Fn9270CBC0Arn": {"Fn::GetAtt": ["Fn9270CBC0", "Arn"]}}
    assert [d for d in validate(machine.definition, allow_placeholders=True) if d.severity == ERROR] == []


def test_sam_yaml_with_short_tags_and_several_machines():
    orders, other = import_template(SAM_YAML)
    assert orders.name == "orders"
    assert orders.definition["States"]["Work"]["Resource"] == "${WorkerArn}"
    assert orders.definition["States"]["Wait"]["Timestamp"] == "2030-01-01T00:00:00Z"
    assert orders.substitutions == {"WorkerArn": {"Fn::GetAtt": ["Worker", "Arn"]}}
    assert other.definition is None and "S3" in other.problem


@pytest.mark.parametrize("make", [cloudformation_template, sam_template])
def test_our_own_exports_import_back_unchanged(make):
    for definition in (EVERYTHING, WITH_PLACEHOLDERS):
        (machine,) = import_template(dump(make(definition, TemplateOptions(name="orders"))))
        assert machine.definition == definition
        assert machine.name == "orders"


def test_fn_sub_definition_string_keeps_placeholders_and_applies_literal_variables():
    template = {
        "Resources": {
            "M": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "DefinitionString": {
                        "Fn::Sub": [
                            '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${Fn}","Comment":"${Env}","End":true}}}',
                            {"Env": "prod", "Fn": {"Ref": "FnArn"}},
                        ]
                    }
                },
            }
        }
    }
    (machine,) = import_template(template)
    assert machine.definition["States"]["A"]["Comment"] == "prod"
    assert machine.definition["States"]["A"]["Resource"] == "${Fn}"
    assert machine.substitutions == {"Fn": {"Ref": "FnArn"}}


@pytest.mark.parametrize(
    "text",
    ["", "not: [a, template", '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}', "[1, 2]"],
)
def test_what_is_not_a_template_with_a_machine_is_refused(text):
    with pytest.raises(TemplateImportError):
        import_template(text)


def test_an_unreadable_definition_string_is_reported_not_raised():
    template = {
        "Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{oops"}}}
    }
    (machine,) = import_template(template)
    assert machine.definition is None and "could not be read" in machine.problem
